"""Numbers and dates written French and English style read back to the same values by independent readers.

The readers are not the writer's code: pandas' own date parsing with an explicit format, Python's ``float`` on
the English text, and the command line's option parser (:func:`parse_number_text`, written for what analysts
type) on the French text.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from clv_xl import i18n
from clv_xl.i18n import FRENCH_SPACE, format_date, format_month, format_number, language_of_locale
from clv_xl.report.number_text import parse_number_text

VALUES = np.random.default_rng(14).uniform(-2e7, 2e7, 300).round(2).tolist() + [0.0, 999.99, 1000.0, -0.001]


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_numbers_read_back_in_both_styles(decimals: int) -> None:
    for value in VALUES:
        expected = round(value, decimals) + 0.0
        english = format_number(value, "en", decimals)
        assert float(english.replace(",", "")) == pytest.approx(expected, abs=1e-9), english
        french = format_number(value, "fr", decimals)
        assert "." not in french and "," not in french.replace(",", "", 1)
        assert parse_number_text(french) == pytest.approx(expected, abs=1e-9), french
        digits = french.lstrip("-").split(",")[0].split(FRENCH_SPACE)
        assert all(len(group) == 3 for group in digits[1:]) and 1 <= len(digits[0]) <= 3  # groups of three


def test_percents_integers_and_money_by_hand() -> None:
    space = FRENCH_SPACE
    assert i18n.format_percent(0.1, "fr") == f"10,0{space}%" and i18n.format_percent(0.1, "en") == "10.0%"
    assert parse_number_text(i18n.format_percent(0.305, "fr", 1)) == pytest.approx(0.305)
    assert i18n.format_integer(3000, "fr") == f"3{space}000" and i18n.format_integer(3000, "en") == "3,000"
    assert i18n.format_integer(1_234_567, "fr") == f"1{space}234{space}567"
    assert i18n.format_money(1234.56, "EUR", "fr") == f"1{space}234,56{space}€"
    assert i18n.format_money(1234.56, "EUR", "en") == "€1,234.56" and i18n.format_money(-5, "USD", "en") == "-$5.00"
    assert i18n.format_money(10, "GBP", "fr") == f"10,00{space}£" and i18n.format_money(10, "SEK", "en") == "SEK 10.00"
    assert i18n.format_money(float("inf"), "EUR", "fr") == "n.d."


def test_dates_and_months_read_back() -> None:
    days = pd.date_range("2023-12-25", "2025-03-05", freq="7D")
    for day in days:
        french = format_date(day, "fr")
        assert pd.to_datetime(french, format="%d/%m/%Y") == day.normalize()
        assert pd.to_datetime(format_date(day.to_datetime64(), "en"), format="%Y-%m-%d") == day.normalize()
    months = [format_month(dt.date(2024, m, 1), "fr") for m in range(1, 13)]
    assert months == ["janv. 2024", "févr. 2024", "mars 2024", "avr. 2024", "mai 2024", "juin 2024",
                      "juil. 2024", "août 2024", "sept. 2024", "oct. 2024", "nov. 2024", "déc. 2024"]
    assert len(set(months)) == 12 and max(len(m) for m in months) <= 10  # short: an axis label that does not wrap
    assert format_month(pd.Timestamp("2024-06-30 23:00"), "en") == "Jun 2024"
    assert format_date(pd.NaT, "fr") == "n.d." and format_date(np.datetime64("NaT"), "en") == "n/a"


def test_the_language_follows_the_locale() -> None:
    assert i18n.system_language({"LANG": "fr_CA.UTF-8"}) == "fr"
    assert i18n.system_language({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}) == "en"
    assert i18n.system_language({"LC_ALL": "", "LC_MESSAGES": "fr_FR", "LANG": "C"}) == "fr"
    assert language_of_locale("French_Belgium.1252") == "fr" and language_of_locale("German_Germany") == "en"
