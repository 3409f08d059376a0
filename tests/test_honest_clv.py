"""One honest CLV: the dashboard against shops whose truth is set in the test, and against plain pandas.

The simulated shops (tests/simulated_shops.py, plain numpy) know their true churn, lifespan and future value;
the reports are built from their orders, recalculated in LibreOffice and read back by their defined names.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from clv_xl.report import build_report
from tests.libreoffice import recalculate
from tests.simulated_shops import START, Shop, repeat_shop, subscription_shop
from tests.test_report_libreoffice import Recalculated


@pytest.fixture(scope="module")
def subscription() -> Shop:
    return subscription_shop()


@pytest.fixture(scope="module")
def repeat() -> Shop:
    return repeat_shop()


def _report(shop: Shop, tmp: Path, **options: object) -> Path:
    path = build_report(shop.orders, tmp / "report.xlsx", margin=shop.margin, discount_rate=shop.discount_rate,
                        cac=20.0, **options)
    return recalculate(path, tmp / "lo")


@pytest.fixture(scope="module")
def cdnow_lo(cdnow_recalculated: Path) -> Recalculated:
    return Recalculated(cdnow_recalculated)


@pytest.fixture(scope="module")
def subscription_lo(subscription: Shop, tmp_path_factory: pytest.TempPathFactory) -> Recalculated:
    return Recalculated(_report(subscription, tmp_path_factory.mktemp("subscription")))


@pytest.fixture(scope="module")
def repeat_lo(repeat: Shop, tmp_path_factory: pytest.TempPathFactory) -> Recalculated:
    end = (START + pd.Timedelta(days=545)).strftime("%Y-%m-%d")  # the simulation's last day of data
    return Recalculated(_report(repeat, tmp_path_factory.mktemp("repeat"), observation_end=end,
                                ltv_basis="predicted"))


def test_subscription_dashboard_finds_the_true_churn_lifespan_and_clv(subscription: Shop,
                                                                      subscription_lo: Recalculated) -> None:
    churn, lifespan = subscription_lo.named("kpi_churn"), subscription_lo.named("kpi_lifespan")
    assert abs(churn - subscription.churn) < 0.01  # within 1 percentage point of the simulated 6 %
    assert lifespan == pytest.approx(subscription.lifespan, rel=0.15)
    assert subscription_lo.named("inactive_after") == 1  # the monthly rhythm, chosen from the data
    assert subscription_lo.named("kpi_clv") == pytest.approx(subscription.clv_lifetime, rel=0.15)


def test_repeat_shop_predicted_clv_finds_the_true_future_value(repeat: Shop, repeat_lo: Recalculated) -> None:
    predicted = repeat_lo.named("kpi_predicted_clv")
    assert predicted == pytest.approx(repeat.clv_future, rel=0.15)
    assert repeat_lo.named("kpi_ltv") == predicted  # ltv_basis="predicted" drives LTV/CAC
    assert repeat_lo.named("kpi_ltv_cac") == pytest.approx(predicted / 20.0)


def _independent_churn(orders: pd.DataFrame) -> tuple[float, float]:
    """Monthly churn with a one-month window and purchases per active customer-year, in plain pandas."""
    months = orders.assign(month=orders["order_date"].dt.to_period("M"))[["customer_id", "month"]]
    active = months.drop_duplicates()
    per_month = active.groupby("month")["customer_id"].apply(set)
    start = lost = 0
    for previous, current in zip(per_month.index[:-1], per_month.index[1:], strict=True):
        start += len(per_month[previous])
        lost += len(per_month[previous] - per_month.get(current, set()))
    return lost / start, len(orders) / (len(active) / 12)


def test_the_three_clv_figures_against_plain_pandas(subscription: Shop, subscription_lo: Recalculated) -> None:
    orders, margin = subscription.orders, subscription.margin
    # historical: revenue so far x margin, per customer
    historical = orders["amount"].sum() * margin / orders["customer_id"].nunique()
    assert subscription_lo.named("kpi_historical_clv") == pytest.approx(historical, rel=1e-9)
    # simple: AOV x purchases a year x lifespan x margin (discount rate 0 here: no discounting)
    churn, per_year = _independent_churn(orders)
    aov = orders["amount"].mean()
    assert subscription_lo.named("kpi_churn") == pytest.approx(churn, rel=1e-9)
    assert subscription_lo.named("kpi_clv") == pytest.approx(aov * per_year * (1 / churn / 12) * margin, rel=1e-9)
    # predicted: the mean of the per-customer predicted CLVs of the Customers sheet
    customers = pd.DataFrame(subscription_lo.rows["Customers"][1:], columns=subscription_lo.rows["Customers"][0])
    column = next(c for c in customers.columns if str(c).startswith("Predicted CLV"))
    assert subscription_lo.named("kpi_predicted_clv") == pytest.approx(customers[column].mean(), rel=1e-9)
    # each labelled with what it is and its horizon
    labels = [row[1] for row in subscription_lo.rows["Dashboard"] if len(row) > 1 and isinstance(row[1], str)]
    assert any(text.startswith("Historical CLV per customer: to date") for text in labels)
    assert any(text.startswith("Simple CLV") and "whole lifetime" in text for text in labels)
    assert any(text.startswith("Predicted CLV per customer, next 12 months") for text in labels)
    assert any(text.startswith("Why they differ") for text in labels)


def test_customers_sorted_by_value_with_risk_bands(repeat_lo: Recalculated) -> None:
    rows = repeat_lo.rows["Customers"]
    header = rows[0]
    predicted = [row[header.index("Predicted CLV, next 12 months")] for row in rows[1:]]
    assert predicted == sorted(predicted, reverse=True)
    p_alive, frequency, age = header.index("P(alive)"), header.index("Repeat purchases (frequency)"), \
        header.index("Age T (days)")
    once = pd.DataFrame([(row[p_alive], row[age]) for row in rows[1:] if row[frequency] == 0], columns=["p", "T"])
    # MBG/NBD, not BG/NBD's 100 % for every one-time buyer: the longer ago their one purchase, the lower
    assert len(once) > 100 and once["p"].max() < 1
    assert once["p"].corr(once["T"], method="spearman") < -0.9
    bands = {row[header.index("Churn risk")] for row in rows[1:]}
    assert bands == {"active", "at risk", "lapsed"}
    top = [row[1] for row in repeat_lo.rows["Dashboard"] if len(row) > 1][-40:]
    assert rows[1][0] in top  # the best customer is listed on the dashboard


def test_cdnow_new_customers_and_observable_churn(cdnow_lo: Recalculated, cdnow_report: tuple) -> None:
    content = cdnow_report[1]
    churn = content.churn
    after_march = churn["period"] > "1997-03"
    assert (churn.loc[after_march, "new_customers"] == 0).all()  # CDNOW acquired nobody after March 1997
    assert churn.loc[after_march, "returning_customers"].sum() > 0  # comebacks are counted apart
    window = content.window.periods
    rows = cdnow_lo.rows["Churn"]
    header_row = next(i for i, row in enumerate(rows) if "Churn rate" in row)
    header = rows[header_row]
    table = pd.DataFrame(rows[header_row + 1: header_row + 1 + len(churn)], columns=header)
    rates = table["Churn rate"]
    assert rates.iloc[:window].isna().all()  # not observable: blank, not 0 %
    assert rates.iloc[window:].notna().all() and (rates.iloc[window:] > 0).all()
    seen = table.iloc[window:]
    pooled = seen["Lost customers"].sum() / seen["Customers at start"].sum()
    assert cdnow_lo.named("kpi_churn") == pytest.approx(pooled, rel=1e-9)
    everything = table["Lost customers"].sum() / table["Customers at start"].sum()
    assert pooled > 2 * everything  # what averaging the blank months in would have hidden


def test_window_and_fallback_are_said(tmp_path: Path) -> None:
    orders = pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [10.0, 20.0, 5.0],
                           "order_date": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-03-01"])})
    notes: list[str] = []
    path = build_report(orders, tmp_path / "r.xlsx", inactive_after="6M", notify=notes.append)
    assert notes[0] == "Inactivity window (a customer is lost after it without an order): 6 months, as given."
    assert any(note.startswith("The forecast model could not be fitted") and "Fallback" in note for note in notes)
    dashboard = [c.value for c in load_workbook(path)["Dashboard"]["B"] if isinstance(c.value, str)]
    assert all(note in dashboard for note in notes)


def test_a_failed_fit_falls_back_to_a_penalised_fit_and_says_so(tmp_path: Path) -> None:
    # every order at one price: Gamma-Gamma's plain fit cannot separate the customers' spends
    rng = np.random.default_rng(0)
    orders = pd.DataFrame({"customer_id": [f"c{i % 300}" for i in range(900)], "amount": 29.0,
                           "order_date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 500, 900), "D")})
    notes: list[str] = []
    path = build_report(orders, tmp_path / "r.xlsx", notify=notes.append)
    fallback = [note for note in notes if note.startswith("The plain model fit failed (Gamma-Gamma")]
    assert len(fallback) == 1 and "penalizer 0.001" in fallback[0]
    wb = load_workbook(path)
    assert fallback[0] in [c.value for c in wb["Dashboard"]["B"]]
    sheet, ref = next(iter(wb.defined_names["kpi_predicted_clv"].destinations))
    assert "AVERAGE(Customers!" in wb[sheet][ref.replace("$", "")].value  # a forecast exists: the fallback's


def test_every_sheet_is_print_ready(tmp_path: Path) -> None:
    orders = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [10.0, 20.0, 5.0],
                           "order_date": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-03-01"])})
    wb = load_workbook(build_report(orders, tmp_path / "r.xlsx", forecast=False))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    for sheet, header in (("Customers", "$1:$1"), ("Orders", "$1:$1"), ("Churn", "$3:$3"), ("Definitions", "$3:$3")):
        assert wb[sheet].print_title_rows == header, sheet
