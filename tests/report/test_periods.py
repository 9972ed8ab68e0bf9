"""Dates from result records and the periods they fall in."""

from __future__ import annotations

import datetime as dt

import pytest

from syscause.report.periods import parse_date, period_label, period_range, period_start

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-04", D(2026, 1, 4)),
        (" 2026-01-04 ", D(2026, 1, 4)),
        ("2026-01-04T23:59:00", D(2026, 1, 4)),
        ("2026-01-04 08:15", D(2026, 1, 4)),
        ("2026-01-04T08:15:00+02:00", D(2026, 1, 4)),
        ("2026/01/04", D(2026, 1, 4)),
        ("2026-02", D(2026, 2, 1)),
        (D(2025, 12, 31), D(2025, 12, 31)),
        (dt.datetime(2025, 12, 31, 22, 0), D(2025, 12, 31)),
    ],
)
def test_parse_date_accepts_iso_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", "yesterday", "04/01/2026", "2026-13-01", None, 20260104])
def test_parse_date_rejects_what_is_not_an_iso_date(value):
    with pytest.raises((ValueError, TypeError)):
        parse_date(value)


def test_parse_date_with_an_explicit_format():
    assert parse_date("04/01/2026", "%d/%m/%Y") == D(2026, 1, 4)


@pytest.mark.parametrize(
    ("period", "start", "label"),
    [
        ("month", D(2026, 5, 1), "2026-05"),
        ("quarter", D(2026, 4, 1), "2026-Q2"),
        ("year", D(2026, 1, 1), "2026"),
    ],
)
def test_period_start_and_label(period, start, label):
    assert period_start(D(2026, 5, 17), period) == start
    assert period_label(start, period) == label


def test_period_range_fills_the_gaps_and_crosses_years():
    months = period_range(D(2025, 11, 20), D(2026, 2, 3), "month")
    assert [period_label(m, "month") for m in months] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    quarters = period_range(D(2025, 12, 1), D(2026, 4, 1), "quarter")
    assert [period_label(q, "quarter") for q in quarters] == ["2025-Q4", "2026-Q1", "2026-Q2"]
