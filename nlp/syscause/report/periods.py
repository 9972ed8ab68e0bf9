"""Dates from results records, and the reporting periods (month, quarter, year) they fall in."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

Period = Literal["month", "quarter", "year"]
PERIODS: tuple[Period, ...] = ("month", "quarter", "year")


def parse_date(value: Any, date_format: str | None = None) -> dt.date:
    """A calendar date from a record value; ``ValueError`` when it is none.

    Accepts ``date``/``datetime`` objects (Parquet) and ISO-8601 strings (``2026-01-04``,
    ``2026-01-04T10:30``, ``2026-01`` for a month); ``date_format`` (``strptime`` codes)
    reads anything else, e.g. ``%d/%m/%Y``.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("not a date string")
    text = value.strip()
    if not text:
        raise ValueError("empty")
    if date_format:
        return dt.datetime.strptime(text, date_format).date()
    if len(text) == 7 and text[4] == "-":  # a bare month, e.g. 2026-01
        return dt.date(int(text[:4]), int(text[5:]), 1)
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        # ISO dates with slashes are common in exports and unambiguous (year first).
        return dt.date.fromisoformat(text[:10].replace("/", "-"))


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the period holding ``day``."""
    if period == "year":
        return dt.date(day.year, 1, 1)
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, day.month, 1)


def period_label(start: dt.date, period: Period) -> str:
    """``2026-01``, ``2026-Q1`` or ``2026`` for the period starting on ``start``."""
    if period == "year":
        return f"{start.year:04d}"
    if period == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}-{start.month:02d}"


def _next_start(start: dt.date, period: Period) -> dt.date:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_range(first: dt.date, last: dt.date, period: Period) -> list[dt.date]:
    """Every period start from ``first``'s period to ``last``'s, gaps included.

    Charts need the empty periods too: a month with no reports is a zero, not a missing point.
    """
    starts: list[dt.date] = []
    current, end = period_start(first, period), period_start(last, period)
    while current <= end:
        starts.append(current)
        current = _next_start(current, period)
    return starts
