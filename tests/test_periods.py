"""Periods of data-spec.md ("Periods"): ids, data windows under both cut-off rules,
labels, the comparable period, the last closed periodic report and submission deadlines.

Every expected date below is worked out by hand from the spec's two rules:

- ``calendar``: the calendar months of the period.
- ``decree09``: from the 15th of the month *before* the period's first month to the 14th
  of the period's last month (Nghị định 09/2019/NĐ-CP).
"""

from __future__ import annotations

from datetime import date

import pytest

from helpers.indicators.periods import (
    Period,
    PeriodError,
    Window,
    days,
    deadline,
    parse_period,
    previous_period,
)

D = date

# ---------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "kind", "first", "last", "canonical"),
    [
        # YYYY-Qn: quarter n alone = months 3n-2 .. 3n
        ("2019-Q1", "quarter", 1, 3, "2019-Q1"),
        ("2019-Q2", "quarter", 4, 6, "2019-Q2"),
        ("2019-Q3", "quarter", 7, 9, "2019-Q3"),
        ("2019-Q4", "quarter", 10, 12, "2019-Q4"),
        # YYYY-H1 = YYYY-6M (6 tháng): months 1..6
        ("2019-H1", "ytd", 1, 6, "2019-H1"),
        ("2019-6M", "ytd", 1, 6, "2019-H1"),
        # YYYY-nM: the first n months
        ("2019-1M", "ytd", 1, 1, "2019-1M"),
        ("2019-3M", "ytd", 1, 3, "2019-3M"),
        ("2019-9M", "ytd", 1, 9, "2019-9M"),
        ("2019-10M", "ytd", 1, 10, "2019-10M"),
        ("2019-11M", "ytd", 1, 11, "2019-11M"),
        # YYYY-FY = YYYY-12M (năm)
        ("2019-FY", "ytd", 1, 12, "2019-FY"),
        ("2019-12M", "ytd", 1, 12, "2019-FY"),
        # YYYY-MM: one month
        ("2019-01", "month", 1, 1, "2019-01"),
        ("2019-10", "month", 10, 10, "2019-10"),
        ("2019-12", "month", 12, 12, "2019-12"),
    ],
)
def test_parse_every_form(text, kind, first, last, canonical):
    p = parse_period(text)
    assert (p.year, p.kind, p.first_month, p.last_month) == (2019, kind, first, last)
    assert p.id == canonical
    assert str(p) == canonical
    # the canonical id parses back to the same period
    assert parse_period(p.id) == p


@pytest.mark.parametrize("n", range(1, 13))
def test_parse_every_ytd_n(n):
    p = parse_period(f"2019-{n}M")
    assert (p.kind, p.first_month, p.last_month) == ("ytd", 1, n)


@pytest.mark.parametrize("n", range(1, 13))
def test_parse_every_month(n):
    p = parse_period(f"2019-{n:02d}")
    assert (p.kind, p.first_month, p.last_month) == ("month", n, n)


def test_aliases_are_the_same_period():
    assert parse_period("2019-H1") == parse_period("2019-6M")
    assert parse_period("2019-FY") == parse_period("2019-12M")


@pytest.mark.parametrize(
    "bad",
    ["2019-Q5", "2019-Q0", "2019-13M", "2019-0M", "2019-13", "2019-00", "19-Q1", "2019",
     "2019-H2", "2019Q1", "Q1-2019", "", "garbage", "2019-1", "2019-Q1x", "20190-Q1"],
)
def test_reject_bad_ids(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_period_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_period("2019-Q5")


# ---------------------------------------------------------------------------- windows

# The examples the spec gives verbatim.
SPEC_EXAMPLES = [
    ("2019-Q1", "calendar", D(2019, 1, 1), D(2019, 3, 31)),
    ("2019-Q1", "decree09", D(2018, 12, 15), D(2019, 3, 14)),
    ("2019-H1", "decree09", D(2018, 12, 15), D(2019, 6, 14)),
    ("2019-FY", "decree09", D(2018, 12, 15), D(2019, 12, 14)),
    ("2019-Q3", "decree09", D(2019, 6, 15), D(2019, 9, 14)),
]


@pytest.mark.parametrize(("pid", "rule", "start", "end"), SPEC_EXAMPLES)
def test_spec_window_examples(pid, rule, start, end):
    assert parse_period(pid).window(rule) == Window(start, end)


# A full table for 2019 under both rules, worked out by hand.
#   calendar: first day of the first month .. last day of the last month
#   decree09: 15th of (first month - 1) .. 14th of the last month
YEAR_TABLE = [
    # id,        calendar start,  calendar end,    decree09 start,  decree09 end
    ("2019-Q1", D(2019, 1, 1), D(2019, 3, 31), D(2018, 12, 15), D(2019, 3, 14)),
    ("2019-Q2", D(2019, 4, 1), D(2019, 6, 30), D(2019, 3, 15), D(2019, 6, 14)),
    ("2019-Q3", D(2019, 7, 1), D(2019, 9, 30), D(2019, 6, 15), D(2019, 9, 14)),
    ("2019-Q4", D(2019, 10, 1), D(2019, 12, 31), D(2019, 9, 15), D(2019, 12, 14)),
    ("2019-H1", D(2019, 1, 1), D(2019, 6, 30), D(2018, 12, 15), D(2019, 6, 14)),
    ("2019-6M", D(2019, 1, 1), D(2019, 6, 30), D(2018, 12, 15), D(2019, 6, 14)),
    ("2019-9M", D(2019, 1, 1), D(2019, 9, 30), D(2018, 12, 15), D(2019, 9, 14)),
    ("2019-10M", D(2019, 1, 1), D(2019, 10, 31), D(2018, 12, 15), D(2019, 10, 14)),
    ("2019-FY", D(2019, 1, 1), D(2019, 12, 31), D(2018, 12, 15), D(2019, 12, 14)),
    ("2019-12M", D(2019, 1, 1), D(2019, 12, 31), D(2018, 12, 15), D(2019, 12, 14)),
    # a month whose decree09 window crosses the year boundary
    ("2019-01", D(2019, 1, 1), D(2019, 1, 31), D(2018, 12, 15), D(2019, 1, 14)),
    # February of a common year: 28 days
    ("2019-02", D(2019, 2, 1), D(2019, 2, 28), D(2019, 1, 15), D(2019, 2, 14)),
    ("2019-10", D(2019, 10, 1), D(2019, 10, 31), D(2019, 9, 15), D(2019, 10, 14)),
    ("2019-12", D(2019, 12, 1), D(2019, 12, 31), D(2019, 11, 15), D(2019, 12, 14)),
    # leap year: February 2020 has 29 days
    ("2020-02", D(2020, 2, 1), D(2020, 2, 29), D(2020, 1, 15), D(2020, 2, 14)),
    ("2020-03", D(2020, 3, 1), D(2020, 3, 31), D(2020, 2, 15), D(2020, 3, 14)),
    ("2020-Q1", D(2020, 1, 1), D(2020, 3, 31), D(2019, 12, 15), D(2020, 3, 14)),
]


@pytest.mark.parametrize(("pid", "cal_s", "cal_e", "d09_s", "d09_e"), YEAR_TABLE)
def test_window_table(pid, cal_s, cal_e, d09_s, d09_e):
    p = parse_period(pid)
    assert p.window("calendar") == Window(cal_s, cal_e)
    assert p.window("decree09") == Window(d09_s, d09_e)


def test_default_rule_is_calendar():
    assert parse_period("2019-Q1").window() == Window(D(2019, 1, 1), D(2019, 3, 31))


def test_unknown_rule_is_rejected():
    with pytest.raises(PeriodError):
        parse_period("2019-Q1").window("fiscal")  # type: ignore[arg-type]


def test_window_lengths():
    # calendar 2019 (common year) = 365 days, 2020 (leap) = 366
    assert len(days(parse_period("2019-FY").window("calendar"))) == 365
    assert len(days(parse_period("2020-FY").window("calendar"))) == 366
    # decree09 2019-FY: 15/12/2018..14/12/2019 = 17 days of Dec 2018 + 348 days of 2019
    #   (Dec 2018: 15..31 = 17; 2019 up to 14/12 = 365 - 17 = 348) = 365
    assert len(days(parse_period("2019-FY").window("decree09"))) == 17 + 348
    # decree09 2020-03: 15/02/2020..14/03/2020 = 15 days of Feb (15..29) + 14 = 29
    assert len(days(parse_period("2020-03").window("decree09"))) == 15 + 14
    # decree09 2019-Q3: 15/06..14/09 = 16 (Jun 15..30) + 31 + 31 + 14 = 92
    assert len(days(parse_period("2019-Q3").window("decree09"))) == 16 + 31 + 31 + 14


@pytest.mark.parametrize("rule", ["calendar", "decree09"])
def test_quarters_tile_the_year(rule):
    """Q1..Q4 follow each other day after day and together make the FY window."""
    qs = [parse_period(f"2019-Q{n}").window(rule) for n in range(1, 5)]
    for a, b in zip(qs, qs[1:], strict=False):
        assert (b.start - a.end).days == 1
    fy = parse_period("2019-FY").window(rule)
    assert (qs[0].start, qs[-1].end) == (fy.start, fy.end)
    assert sum(len(days(q)) for q in qs) == len(days(fy))


def test_window_contains_both_ends():
    w = parse_period("2019-Q3").window("decree09")
    assert D(2019, 6, 15) in w and D(2019, 9, 14) in w
    assert D(2019, 6, 14) not in w and D(2019, 9, 15) not in w


# ---------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("pid", "label"),
    [
        # the labels the spec writes out
        ("2019-Q3", "Quý III/2019"),
        ("2019-H1", "6 tháng đầu năm 2019"),
        ("2019-6M", "6 tháng đầu năm 2019"),
        ("2019-9M", "9 tháng đầu năm 2019"),
        ("2019-10M", "10 tháng đầu năm 2019"),
        ("2019-FY", "Năm 2019"),
        ("2019-12M", "Năm 2019"),
        ("2019-10", "Tháng 10/2019"),
        # the other quarters, same pattern
        ("2019-Q1", "Quý I/2019"),
        ("2019-Q2", "Quý II/2019"),
        ("2019-Q4", "Quý IV/2019"),
        # one month, two digits as plans write it ("Tháng 01/2019")
        ("2019-01", "Tháng 01/2019"),
    ],
)
def test_labels(pid, label):
    assert parse_period(pid).label == label


# ---------------------------------------------------------------------------- comparable


@pytest.mark.parametrize(
    ("pid", "comparable"),
    [("2019-Q3", "2018-Q3"), ("2019-H1", "2018-H1"), ("2019-9M", "2018-9M"),
     ("2019-10M", "2018-10M"), ("2019-FY", "2018-FY"), ("2019-10", "2018-10"),
     ("2020-02", "2019-02")],
)
def test_comparable_is_same_period_a_year_earlier(pid, comparable):
    assert parse_period(pid).comparable == parse_period(comparable)


def test_comparable_windows():
    # 2019-Q3 decree09 = 15/06/2019–14/09/2019 → comparable 15/06/2018–14/09/2018
    c = parse_period("2019-Q3").comparable
    assert c.window("decree09") == Window(D(2018, 6, 15), D(2018, 9, 14))
    # 2019-FY decree09 → 2018-FY = 15/12/2017–14/12/2018
    assert parse_period("2019-FY").comparable.window("decree09") == Window(
        D(2017, 12, 15), D(2018, 12, 14))
    # leap day: 2020-02 calendar ends 29/02; its comparable 2019-02 ends 28/02
    assert parse_period("2020-02").comparable.window("calendar").end == D(2019, 2, 28)


# ---------------------------------------------------------------------------- previous report


@pytest.mark.parametrize(
    ("today", "rule", "expected"),
    [
        # the spec's docstring example: run on 16/09/2019 under decree09 → 9 tháng
        (D(2019, 9, 16), "decree09", "2019-9M"),
        # 9M decree09 ends 14/09/2019: closed on 15/09, still open on 14/09 (→ 6 tháng,
        # which ended 14/06/2019)
        (D(2019, 9, 15), "decree09", "2019-9M"),
        (D(2019, 9, 14), "decree09", "2019-H1"),
        # under calendar 9M ends 30/09/2019: on 16/09 the last closed one is H1 (30/06)
        (D(2019, 9, 16), "calendar", "2019-H1"),
        (D(2019, 10, 1), "calendar", "2019-9M"),
        # a new year: calendar FY 2019 ends 31/12/2019, closed on 01/01/2020
        (D(2020, 1, 1), "calendar", "2019-FY"),
        (D(2019, 12, 31), "calendar", "2019-9M"),
        # decree09 FY 2019 ends 14/12/2019 → closed from 15/12/2019
        (D(2019, 12, 15), "decree09", "2019-FY"),
        (D(2019, 12, 14), "decree09", "2019-9M"),
        # early in the year, decree09: Q1 ends 14/03 → before that, last year's FY
        (D(2019, 3, 14), "decree09", "2018-FY"),
        (D(2019, 3, 15), "decree09", "2019-Q1"),
        (D(2020, 1, 10), "decree09", "2019-FY"),
        # calendar Q1 ends 31/03
        (D(2019, 4, 1), "calendar", "2019-Q1"),
        (D(2019, 3, 31), "calendar", "2018-FY"),
        # calendar H1 ends 30/06
        (D(2019, 7, 1), "calendar", "2019-H1"),
    ],
)
def test_previous_period(today, rule, expected):
    assert previous_period(today, rule).id == expected


# ---------------------------------------------------------------------------- deadlines

# The two styles the plans show (params/periods.yml keeps them as "dd/mm").
DONG_NAI = {"Q1": "05/03", "H1": "05/06", "9M": "05/09", "FY": "15/11"}
UNITS_TO_OFFICE = {"Q1": "12/03", "H1": "12/06", "9M": "12/09", "FY": "10/11"}


@pytest.mark.parametrize(
    ("pid", "style", "expected"),
    [
        ("2019-Q1", DONG_NAI, D(2019, 3, 5)),
        ("2019-H1", DONG_NAI, D(2019, 6, 5)),
        ("2019-6M", DONG_NAI, D(2019, 6, 5)),
        ("2019-9M", DONG_NAI, D(2019, 9, 5)),
        ("2019-FY", DONG_NAI, D(2019, 11, 15)),
        ("2019-Q1", UNITS_TO_OFFICE, D(2019, 3, 12)),
        ("2019-9M", UNITS_TO_OFFICE, D(2019, 9, 12)),
        ("2019-FY", UNITS_TO_OFFICE, D(2019, 11, 10)),
        # "d/m" without leading zeros reads the same
        ("2020-9M", {"9M": "5/9"}, D(2020, 9, 5)),
    ],
)
def test_deadline(pid, style, expected):
    assert deadline(parse_period(pid), style) == expected


@pytest.mark.parametrize(
    ("pid", "style"),
    [
        ("2019-Q3", DONG_NAI),  # not a periodic report of the cycle
        ("2019-10M", DONG_NAI),
        ("2019-10", DONG_NAI),
        ("2019-9M", {"Q1": "05/03"}),  # style without this report
        ("2019-9M", None),
        ("2019-9M", {}),
    ],
)
def test_no_deadline(pid, style):
    assert deadline(parse_period(pid), style) is None


def test_period_is_hashable_and_ordered_by_value():
    assert len({parse_period("2019-H1"), parse_period("2019-6M")}) == 1
    assert Period(2019, "quarter", 7, 9) == parse_period("2019-Q3")
