"""The Excel functions called as plain Python functions, the way xlwings calls them."""

from __future__ import annotations

import inspect

import pytest

from clv_xl import formulas
from clv_xl.errors import InvalidArgumentError
from clv_xl.excel import udfs
from clv_xl.excel._cells import cells_to_array, cells_to_flag


def test_worked_examples_from_single_cells():
    assert udfs.CLV(50, 2, 3) == [[300.0]]
    assert udfs.CLV([[50]], [[2]], [[3]], [[0.3]]) == [[pytest.approx(90)]]
    assert udfs.LTV_CAC(150, 50) == [[3.0]]
    assert udfs.LIFESPAN(0.25) == [[4.0]]
    assert udfs.CHURN_RATE(200, 10) == [[0.05]]
    assert udfs.RETENTION_RATE(200, 210, 20) == [[pytest.approx(0.95)]]
    assert udfs.CAC(10_000, 200) == [[50.0]]
    assert udfs.CAC_PAYBACK(300, 50, 0.5) == [[12.0]]
    assert udfs.LTV_SUBSCRIPTION(100, 0.05, 0.8) == [[pytest.approx(1600)]]
    assert udfs.CLV_RETENTION(100, 0.8, 0.1) == [[pytest.approx(266.6666666)]]
    assert udfs.CLV_RETENTION(100, 0.8, 0.1, True) == [[pytest.approx(366.6666666)]]
    assert udfs.CLV_RETENTION(100, 0.8, 0.1, [["VRAI"]]) == [[pytest.approx(366.6666666)]]


def test_every_udf_matches_its_formula():
    pairs = {
        "CLV": (formulas.clv, (40, 3, 2.5, 0.4, 0.08)),
        "CLV_RETENTION": (formulas.clv_retention, (80, 0.7, 0.12)),
        "LTV_SUBSCRIPTION": (formulas.ltv_subscription, (49, 0.03, 0.75)),
        "CAC": (formulas.cac, (5000, 77)),
        "LTV_CAC": (formulas.ltv_cac, (420, 140)),
        "CAC_PAYBACK": (formulas.cac_payback, (120, 30, 0.6)),
        "CHURN_RATE": (formulas.churn_rate, (500, 37)),
        "RETENTION_RATE": (formulas.retention_rate, (500, 520, 57)),
        "LIFESPAN": (formulas.lifespan, (0.07,)),
    }
    assert set(pairs) == {f.name for f in udfs.EXCEL_FUNCTIONS if f.name in pairs}
    for name, (core, args) in pairs.items():
        assert getattr(udfs, name)(*args) == [[pytest.approx(core(*args), rel=1e-15)]]


def test_a_range_in_gives_a_same_shaped_range_out():
    column = udfs.CLV([[50], [60], [70]], 2, 3)
    assert column == [[300.0], [360.0], [420.0]]
    row = udfs.LIFESPAN([[0.5, 0.25, 0.1]])
    assert row == [[2.0, 4.0, pytest.approx(10.0)]]
    grid = udfs.LTV_CAC([[150, 300], [450, 600]], [[50, 100], [150, 200]])
    assert grid == [[3.0, 3.0], [3.0, 3.0]]
    # a column of AOVs against a row of lifespans spills the full what-if table
    table = udfs.CLV([[40], [50]], 2, [[1, 2, 3]])
    assert table == [[80.0, 160.0, 240.0], [100.0, 200.0, 300.0]]


def test_omitted_optional_arguments_take_their_defaults():
    assert udfs.CLV(50, 2, 3) == udfs.CLV(50, 2, 3, 1.0, 0.0)
    # an empty cell given for an optional argument (None, or a blank string) is "omitted"
    assert udfs.CLV(50, 2, 3, None, [[None]]) == [[300.0]]
    assert udfs.CAC_PAYBACK(300, 50, [[""]]) == [[6.0]]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: udfs.LIFESPAN(0), "LIFESPAN: churn_rate must be > 0 and <= 1; got 0"),
        (lambda: udfs.CLV(None, 2, 3), "CLV: avg_order_value is empty"),
        (lambda: udfs.CLV([[None]], 2, 3), "CLV: avg_order_value is empty"),
        (lambda: udfs.CLV([[50], [None]], 2, 3), "CLV: avg_order_value has an empty cell (row 2, column 1"),
        (lambda: udfs.CLV(50, "two", 3), "CLV: purchases_per_year must be a number; got text 'two'"),
        (lambda: udfs.CLV(50, [[2, True]], 3), "CLV: purchases_per_year must be a number; got True"),
        (lambda: udfs.CLV(50, 2, 3, 1.5), "CLV: margin must be >= 0 and <= 1; got 1.5"),
        (lambda: udfs.CHURN_RATE(10, 11), "CHURN_RATE: customers_lost must be <= customers_at_start"),
        (lambda: udfs.LTV_CAC(150, 0), "LTV_CAC: cac must be > 0; got 0"),
        (lambda: udfs.CLV([[1, 2]], [[1, 2, 3]], 1), "CLV: ranges of different sizes: avg_order_value (1×2)"),
        (lambda: udfs.CLV_RETENTION(100, 0.8, 0.1, "maybe"), "CLV_RETENTION: first_period_counted must be TRUE"),
    ],
)
def test_bad_input_shows_a_short_message_in_the_cell(call, expected):
    result = call()
    assert len(result) == 1 and len(result[0]) == 1
    text = result[0][0]
    assert isinstance(text, str)
    assert text.startswith(expected)
    assert "Traceback" not in text and "\n" not in text and len(text) < 200


def test_empty_cell_is_never_a_silent_zero():
    assert udfs.LTV_CAC([[None]], 50) != [[0.0]]
    assert isinstance(udfs.LTV_CAC([[None]], 50)[0][0], str)


def test_numeric_text_is_read_as_a_number():
    assert udfs.CLV("50", 2, 3) == [[300.0]]


def test_cells_to_array_and_flag_helpers():
    assert cells_to_array("x", 3).shape == ()
    assert cells_to_array("x", [[1, 2], [3, 4]]).shape == (2, 2)
    with pytest.raises(InvalidArgumentError, match="x must be a number; got text 'a'"):
        cells_to_array("x", [[1, "a"]])
    assert cells_to_flag("f", [[0]]) is False
    assert cells_to_flag("f", "faux") is False
    with pytest.raises(InvalidArgumentError):
        cells_to_flag("f", [[2]])


def test_every_argument_is_described_and_optional_arguments_are_optional():
    for function in udfs.EXCEL_FUNCTIONS:
        python = getattr(udfs, function.name)
        params = inspect.signature(python).parameters
        assert [a.name for a in function.arguments] == list(params)
        for argument in function.arguments:
            assert len(argument.doc) > 10
            assert argument.optional == (params[argument.name].default is not inspect.Parameter.empty)
        assert function.summary and function.summary == python.__doc__.strip().splitlines()[0]


def test_udfs_is_the_only_layer_that_imports_xlwings():
    import pathlib

    root = pathlib.Path(udfs.__file__).parents[1]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "excel" not in path.relative_to(root).parts
        and ("import xlwings" in path.read_text() or "from xlwings" in path.read_text())
    ]
    assert offenders == []


def test_clv_summary_spills_a_table_with_headers():
    ids = [["a"], ["b"], ["a"], ["c"]]
    dates = [[45292], [45293], [45299], [45300]]  # Excel serials: 2024-01-01, 01-02, 01-08, 01-09
    amounts = [[10], [20], [30], ["1 234,50"]]
    table = udfs.CLV_SUMMARY(ids, dates, amounts, None, [["D"]])
    header, *rows = table
    assert header[:4] == ["customer_id", "frequency", "recency", "T"]
    assert "segment" in header and "revenue" in header
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_id) == {"a", "b", "c"}
    assert by_id["a"]["frequency"] == 1 and by_id["a"]["recency"] == 7.0 and by_id["a"]["T"] == 8.0
    assert by_id["c"]["revenue"] == 1234.5
    # observation_end as an Excel serial number is a date, not nanoseconds since 1970
    cut = dict(zip(header, udfs.CLV_SUMMARY(ids, dates, amounts, 45299)[1], strict=True))
    assert cut["T"] == 7.0


def test_cohort_retention_spills_the_matrix():
    table = udfs.COHORT_RETENTION([["a"], ["b"], ["a"]], [["2024-01-05"], ["2024-01-09"], ["2024-02-01"]])
    assert table[0] == ["cohort", "cohort_size", "0", "1"]
    assert table[1][1:] == [2, 1.0, 0.5]


def test_table_functions_show_short_errors():
    ids, dates = [["a"], ["b"]], [[45292], [45293]]
    assert udfs.CLV_SUMMARY(ids, dates, [[1]])[0][0].startswith("CLV_SUMMARY: ")
    assert udfs.CLV_SUMMARY(ids, dates, [[1], [2]], None, "Z")[0][0].startswith("CLV_SUMMARY: time_unit must be")
    assert udfs.COHORT_RETENTION(ids, dates, "fortnight")[0][0].startswith("COHORT_RETENTION: period must be")


def test_clv_summary_refuses_half_filled_rows_but_ignores_empty_ones():
    table = udfs.CLV_SUMMARY([["a"], ["b"], [None]], [[45292], [45293], [None]], [[10], [20], [None]])
    assert len(table) == 3  # header + a + b: the empty trailing row of the selection is ignored
    half = udfs.CLV_SUMMARY([["a"], ["b"]], [[45292], [45293]], [[10], [None]])
    expected = "CLV_SUMMARY: amounts has an empty cell at row 2 of the range: fill it in, or empty the whole row"
    assert half == [[expected]]
