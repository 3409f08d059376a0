"""The closed-form metrics: worked examples, every definition, broadcasting, invalid input, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clv_xl import formulas as f
from clv_xl.errors import ClvXlError, InvalidArgumentError


def test_classic_worked_examples():
    assert f.clv(50, 2, 3) == 300
    assert f.clv(50, 2, 3, margin=0.3) == pytest.approx(90)
    assert f.ltv_cac(150, 50) == 3


def test_scalars_give_python_floats():
    assert type(f.clv(50, 2, 3)) is float
    assert type(f.lifespan(0.5)) is float


def test_clv_discounting_convention_end_of_year_and_partial_year_pro_rata():
    yearly = 50 * 2
    # 2.5 years at 10%: two full years discounted at their ends, half a year's value at the end of year 3
    expected = yearly / 1.1 + yearly / 1.1**2 + 0.5 * yearly / 1.1**3
    assert f.clv(50, 2, 2.5, discount_rate=0.1) == pytest.approx(expected, rel=1e-12)
    assert f.clv(50, 2, 3, margin=0.5, discount_rate=0.2) == pytest.approx(
        sum(50 / 1.2**k for k in (1, 2, 3)), rel=1e-12
    )
    # less than a year: pro rata, discounted at the end of year 1
    assert f.clv(50, 2, 0.25, discount_rate=0.1) == pytest.approx(25 / 1.1, rel=1e-12)


def test_clv_retention_gupta_lehmann():
    assert f.clv_retention(100, 0.8, 0.1) == pytest.approx(100 * 0.8 / (1 + 0.1 - 0.8))
    assert f.clv_retention(100, 0.8, 0.1, first_period_counted=True) == pytest.approx(100 * 1.1 / 0.3)
    # the geometric series it sums: m * sum_{t>=1} r^t / (1+d)^t
    series = sum(100 * 0.8**t / 1.1**t for t in range(1, 400))
    assert f.clv_retention(100, 0.8, 0.1) == pytest.approx(series, rel=1e-9)
    assert f.clv_retention(-50, 0.5, 0.0) == pytest.approx(-50)


def test_subscription_cac_payback_churn_retention_lifespan():
    assert f.ltv_subscription(100, 0.05) == pytest.approx(2000)
    assert f.ltv_subscription(100, 0.05, gross_margin=0.8) == pytest.approx(1600)
    assert f.cac(10_000, 200) == 50
    assert f.cac_payback(300, 50) == 6
    assert f.cac_payback(300, 50, gross_margin=0.5) == 12
    assert f.churn_rate(200, 10) == 0.05
    assert f.churn_rate(200, 0) == 0
    assert f.retention_rate(200, 210, 20) == pytest.approx(0.95)
    assert f.retention_rate(200, 20, 20) == 0
    assert f.lifespan(0.25) == 4
    assert f.lifespan(1) == 1


def test_broadcasting():
    aov = np.array([[40.0], [50.0]])
    freq = np.array([1.0, 2.0, 3.0])
    out = f.clv(aov, freq, 3)
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out, aov * freq * 3)
    np.testing.assert_allclose(f.lifespan([0.5, 0.25]), [2, 4])
    np.testing.assert_allclose(f.churn_rate([100, 200], [10, 10]), [0.1, 0.05])
    np.testing.assert_allclose(f.clv([50, 50], 2, [2.5, 3], discount_rate=[0.1, 0.0]),
                               [f.clv(50, 2, 2.5, discount_rate=0.1), 300])
    assert isinstance(f.ltv_cac([150], 50), np.ndarray)


INVALID = [
    (f.clv, (-1, 2, 3), {}, "avg_order_value"),
    (f.clv, (50, -2, 3), {}, "purchases_per_year"),
    (f.clv, (50, 2, -3), {}, "lifespan_years"),
    (f.clv, (50, 2, 3), {"margin": 1.5}, "margin"),
    (f.clv, (50, 2, 3), {"margin": -0.1}, "margin"),
    (f.clv, (50, 2, 3), {"discount_rate": -0.1}, "discount_rate"),
    (f.clv, (50, 2, 3), {"discount_rate": 1.2}, "discount_rate"),
    (f.clv, (math.nan, 2, 3), {}, "avg_order_value"),
    (f.clv, ([50, math.nan], 2, 3), {}, "avg_order_value"),
    (f.clv, (50, math.inf, 3), {}, "purchases_per_year"),
    (f.clv, ("fifty", 2, 3), {}, "avg_order_value"),
    (f.clv_retention, (100, 1.0, 0.0), {}, "retention_rate"),
    (f.clv_retention, (100, 1.1, 0.2), {}, "retention_rate"),
    (f.clv_retention, (100, -0.1, 0.1), {}, "retention_rate"),
    (f.clv_retention, (math.nan, 0.5, 0.1), {}, "margin"),
    (f.ltv_subscription, (100, 0), {}, "churn_rate"),
    (f.ltv_subscription, (100, 1.5), {}, "churn_rate"),
    (f.ltv_subscription, (-1, 0.1), {}, "arpa"),
    (f.cac, (1000, 0), {}, "new_customers"),
    (f.cac, (1000, -5), {}, "new_customers"),
    (f.cac, (-1000, 5), {}, "spend"),
    (f.ltv_cac, (150, 0), {}, "cac"),
    (f.ltv_cac, (math.nan, 50), {}, "ltv"),
    (f.cac_payback, (300, 0), {}, "revenue_per_period"),
    (f.cac_payback, (300, 50, 0), {}, "gross_margin"),
    (f.cac_payback, (-300, 50), {}, "cac"),
    (f.churn_rate, (0, 0), {}, "customers_at_start"),
    (f.churn_rate, (-10, 0), {}, "customers_at_start"),
    (f.churn_rate, (10, 11), {}, "customers_lost"),
    (f.churn_rate, (10, -1), {}, "customers_lost"),
    (f.retention_rate, (0, 10, 5), {}, "customers_at_start"),
    (f.retention_rate, (100, 10, 20), {}, "new_customers"),
    (f.retention_rate, (100, 300, 20), {}, "customers_at_end"),
    (f.lifespan, (0,), {}, "churn_rate"),
    (f.lifespan, (-0.5,), {}, "churn_rate"),
    (f.lifespan, (1.5,), {}, "churn_rate"),
    (f.lifespan, (math.nan,), {}, "churn_rate"),
]


@pytest.mark.parametrize(("func", "args", "kwargs", "argument"), INVALID,
                         ids=[f"{c[0].__name__}-{c[3]}-{i}" for i, c in enumerate(INVALID)])
def test_invalid_arguments_name_the_argument(func, args, kwargs, argument):
    with pytest.raises(InvalidArgumentError) as info:
        func(*args, **kwargs)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, ClvXlError)
    assert err.argument == argument
    message = str(err)
    assert message.startswith(argument)
    assert "must" in message
    assert len(message) < 160 and "\n" not in message


def test_message_says_what_arrived():
    with pytest.raises(InvalidArgumentError, match=r"lifespan_years must be >= 0; got -3"):
        f.clv(50, 2, -3)
    with pytest.raises(InvalidArgumentError, match=r"churn_rate must be > 0 and <= 1; got 0"):
        f.lifespan(0)


def test_inputs_are_not_modified():
    aov = np.array([50.0, 60.0])
    f.clv(aov, 2, 3, margin=0.5, discount_rate=0.1)
    np.testing.assert_array_equal(aov, [50.0, 60.0])


money = st.floats(min_value=0, max_value=1e6, allow_nan=False)
count = st.floats(min_value=0, max_value=1e3, allow_nan=False)
years = st.floats(min_value=0, max_value=100, allow_nan=False)
unit = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(money, count, years, unit, unit)
def test_clv_never_negative(aov, freq, life, margin, rate):
    assert f.clv(aov, freq, life, margin=margin, discount_rate=rate) >= 0


@given(money, count, years, unit, unit, st.floats(min_value=0, max_value=1e3), st.integers(0, 3))
def test_clv_rises_with_each_of_aov_frequency_lifespan_margin(aov, freq, life, margin, rate, bump, which):
    args = [aov, freq, life, margin]
    base = f.clv(*args, discount_rate=rate)
    bigger = list(args)
    bigger[which] = min(args[which] + bump, 1.0) if which == 3 else args[which] + bump
    assert f.clv(*bigger, discount_rate=rate) >= base * (1 - 1e-12)


@given(money, count, years, unit, unit, unit)
def test_clv_falls_with_the_discount_rate(aov, freq, life, margin, rate1, rate2):
    low, high = sorted((rate1, rate2))
    assert f.clv(aov, freq, life, margin, high) <= f.clv(aov, freq, life, margin, low) * (1 + 1e-12) + 1e-9


@given(money, count, years, unit)
def test_clv_at_rate_zero_is_the_undiscounted_value(aov, freq, life, margin):
    assert f.clv(aov, freq, life, margin, 0.0) == pytest.approx(aov * freq * life * margin, rel=1e-12, abs=1e-9)


@given(money, count, st.integers(0, 60), unit, st.floats(min_value=0.001, max_value=1))
def test_discounted_clv_is_the_sum_of_discounted_years(aov, freq, whole_years, margin, rate):
    expected = sum(aov * freq * margin / (1 + rate) ** k for k in range(1, whole_years + 1))
    assert f.clv(aov, freq, whole_years, margin, rate) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(st.floats(min_value=1e-6, max_value=1, allow_nan=False))
def test_lifespan_inverts_churn(churn):
    assert f.lifespan(churn) * churn == pytest.approx(1)


@given(st.integers(1, 10_000), st.integers(0, 10_000), st.integers(0, 10_000))
def test_retention_and_churn_stay_in_unit_interval(start, lost, new):
    lost = min(lost, start)
    end = start - lost + new
    assert 0 <= f.churn_rate(start, lost) <= 1
    assert 0 <= f.retention_rate(start, end, new) <= 1
    assert f.retention_rate(start, end, new) + f.churn_rate(start, lost) == pytest.approx(1)


def test_arrays_of_different_lengths_name_the_arguments():
    with pytest.raises(InvalidArgumentError, match=r"arguments of different lengths: avg_order_value \(2,\), "
                                                   r"purchases_per_year \(3,\)") as info:
        f.clv([1, 2], [1, 2, 3], 3)
    assert info.value.argument == "avg_order_value"
    with pytest.raises(InvalidArgumentError, match="customers_at_start"):
        f.churn_rate([10, 20], [1, 2, 3])


def test_a_bad_element_in_a_long_input_gives_a_short_message():
    with pytest.raises(InvalidArgumentError) as info:
        f.clv([*range(100_000), "x"], 2, 3)
    assert str(info.value) == "avg_order_value must hold numbers only; got 'x' at position 100000"


@pytest.mark.parametrize("value", [None, True])
def test_none_and_booleans_are_not_numbers(value):
    with pytest.raises(InvalidArgumentError, match=rf"lifespan_years must be a number; got {value}"):
        f.clv(50, 2, value)
