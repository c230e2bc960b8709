"""Vietnamese number and date formats (data-spec.md: "Rates are fractions in JSON … and
percentages with a decimal comma in reports ("99,97%")"; a zero denominator is shown as
"không phát sinh")."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from helpers.present import vnformat as f


def test_percent_from_the_progress_report():
    # "9 hồ sơ trễ hạn/6981 ... chiếm 0.13%": 9/6981 = 0.001289… → 0,13%
    assert f.percent(9 / 6981) == "0,13%"
    # "3198 lượt Hài lòng/3199 lượt đánh giá (99.97%)": 0.999687… → 99,97%
    assert f.percent(3198 / 3199) == "99,97%"


@pytest.mark.parametrize(
    ("value", "text"),
    [(-0.0, "0,00%"), (-0.00001, "0,00%"), (0.5, "50,00%"), (1.0, "100,00%"),
     (0.0, "0,00%"), (0.12345, "12,35%")],
)
def test_percent_two_decimals(value, text):
    assert f.percent(value) == text


def test_zero_denominator_is_not_applicable():
    assert f.percent(None) == "không phát sinh"
    assert f.growth(None) == "không phát sinh"
    assert f.percent(float("nan")) == "không phát sinh"
    assert f.indicator("rate.on_time", None) == "không phát sinh"
    assert f.NOT_APPLICABLE == "không phát sinh"


def test_growth():
    # 35 online procedures against 18: 35/18 − 1 = 0.9444… → +94,4%
    assert f.growth(35 / 18 - 1) == "+94,4%"
    # a fall keeps its minus sign: 9/12 − 1 = −0.25
    assert f.growth(9 / 12 - 1) == "-25,0%"
    assert f.growth(0.0) == "0,0%"
    assert f.indicator("growth.online_procedures", 17 / 18) == "+94,4%"


def test_integers_and_money():
    assert f.integer(6981) == "6.981"
    assert f.integer(3199) == "3.199"
    assert f.integer(999) == "999"
    assert f.integer(1_234_567) == "1.234.567"
    assert f.integer(-1234) == "-1.234"
    assert f.integer(None) == "–"
    assert f.money(60_000_000) == "60.000.000 đ"
    assert f.money(1_800_000) == "1.800.000 đ"
    assert f.indicator("budget.planned", 60_000_000) == "60.000.000 đ"
    assert f.indicator("dossiers.received_total", 6981) == "6.981"


def test_negative_rounding_keeps_its_sign():
    # −0,6 rounds to −1, not to "1"
    assert f.integer(-0.6) == "-1"
    assert f.integer(-0.4) == "0"
    assert f.integer(1234.6) == "1.235"


def test_number():
    assert f.number(12.5) == "12,5"
    assert f.number(1234.5) == "1.234,5"
    assert f.number(3.0) == "3"
    assert f.number(-0.25) == "-0,25"
    # a negative value that rounds to zero has no sign
    assert f.number(-0.001) == "0"


def test_dates():
    assert f.day(date(2019, 9, 14)) == "14/09/2019"
    assert f.day(datetime(2019, 9, 14, 10, 30)) == "14/09/2019"
    assert f.day(None) == "–"
    assert f.long_day(date(2019, 9, 14)) == "ngày 14 tháng 09 năm 2019"


@pytest.mark.parametrize(
    ("code", "value", "text"),
    [("rate.on_time", 0.95, "95%"), ("rate.late_of_received", 0.02, "2%"),
     ("rate.late_of_received", 0.005, "0,5%"), ("rate.satisfaction", 0.9, "90%"),
     ("rate.satisfaction.quay_kiosk", 0.975, "97,5%"), ("dossiers.pending_overdue", 0, "0"),
     ("rate.on_time", None, "–")],
)
def test_target_format(code, value, text):
    assert f.target(code, value) == text
