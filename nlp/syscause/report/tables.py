"""Counting results into the report's tables, in one pass and constant memory.

:class:`ReportAccumulator` takes :class:`~syscause.report.load.ResultRow` records one at a time
and keeps only counters and at most ``examples`` ids per cell; :meth:`ReportAccumulator.finish`
returns the frozen :class:`ReportTables` that the HTML and CSV writers read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from syscause.report.load import FRAMINGS, ResultRow
from syscause.report.periods import Period, parse_date, period_label, period_range, period_start

BLANK_GROUP = "(blank)"
# Evidence spans are short by construction; the cap keeps a long model span from putting a
# sentence of narrative into the report.
MAX_PHRASE_CHARS = 60
# Distinct phrases kept per label. Past twice this many the rarest are pruned, so counts are
# exact for archives with fewer distinct phrases per label and a close top list otherwise.
PHRASE_CAPACITY = 5000
_SPACE = re.compile(r"\s+")


def normalise_phrase(text: str) -> str:
    """Lower-case, single-spaced, and cut to :data:`MAX_PHRASE_CHARS` characters."""
    phrase = _SPACE.sub(" ", text).strip().lower()
    if len(phrase) > MAX_PHRASE_CHARS:
        phrase = phrase[: MAX_PHRASE_CHARS - 1].rstrip() + "\u2026"
    return phrase


class CellCounter:
    """Counts per key, with the first ``k`` report ids seen for each key."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.counts: Counter[Hashable] = Counter()
        self.examples: dict[Hashable, list[str]] = {}

    def add(self, key: Hashable, report_id: str) -> None:
        """Count one report in ``key``'s cell."""
        self.counts[key] += 1
        ids = self.examples.setdefault(key, [])
        if len(ids) < self.k:
            ids.append(report_id)

    def count(self, key: Hashable) -> int:
        """The reports counted in a cell (0 for a cell never seen)."""
        return self.counts.get(key, 0)

    def ids(self, key: Hashable) -> list[str]:
        """Up to ``k`` example report ids of a cell, in input order."""
        return self.examples.get(key, [])

    def prune(self, keep: int) -> None:
        """Drop all but the ``keep`` largest cells (used to bound the phrase vocabulary)."""
        kept = dict(self.counts.most_common(keep))
        self.counts = Counter(kept)
        self.examples = {key: self.examples[key] for key in kept}


@dataclass
class ReportTables:
    """Everything the report shows, computed from one pass over the results.

    Counts are numbers of reports. Cells are keyed by label (prevalence), ``(period, label)``
    (trend), framing, ``(period, framing)``, ``(label, label)`` with the pair in label order
    (co-occurrence), ``(group, label)`` and ``(label, phrase)``.
    """

    labels: list[str]
    total: int
    with_factor: int
    prevalence: CellCounter
    framing: CellCounter
    cooccurrence: CellCounter
    periods: list[dt.date]
    period: Period
    period_totals: CellCounter
    trend: CellCounter
    framing_trend: CellCounter
    groups: list[str]
    group_totals: CellCounter
    by_group: CellCounter
    phrases: dict[str, CellCounter]
    undated: int = 0
    date_column: str | None = None
    group_column: str | None = None
    models: list[str] = field(default_factory=list)

    def period_name(self, start: dt.date) -> str:
        """The printed name of a period, e.g. ``2026-01``."""
        return period_label(start, self.period)

    def pair(self, a: str, b: str) -> tuple[str, str]:
        """The co-occurrence key of two labels (order-independent)."""
        ia, ib = self.labels.index(a), self.labels.index(b)
        return (a, b) if ia <= ib else (b, a)

    def top_phrases(self, label: str, n: int) -> list[tuple[str, int]]:
        """The ``n`` phrases most often given as ``label``'s evidence, most first."""
        counter = self.phrases.get(label)
        if counter is None:
            return []
        ranked = sorted(counter.counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        return [(str(phrase), count) for phrase, count in ranked[:n]]


class ReportAccumulator:
    """Feeds result rows into counters; ``finish`` gives the tables.

    ``labels`` fixes the label order (taxonomy order, from the results' score columns);
    labels met only in ``factors`` are appended in the order first seen.
    """

    def __init__(
        self,
        labels: Iterable[str] = (),
        *,
        examples: int = 10,
        period: Period = "month",
        date_column: str | None = None,
        group_column: str | None = None,
        date_format: str | None = None,
    ) -> None:
        self.labels = list(dict.fromkeys(labels))
        self.k = examples
        self.period = period
        self.date_column = date_column
        self.group_column = group_column
        self.date_format = date_format
        self.total = 0
        self.with_factor = 0
        self.undated = 0
        self.models: dict[str, None] = {}
        self.prevalence = CellCounter(examples)
        self.framing = CellCounter(examples)
        self.cooccurrence = CellCounter(examples)
        self.period_totals = CellCounter(examples)
        self.trend = CellCounter(examples)
        self.framing_trend = CellCounter(examples)
        self.group_totals = CellCounter(examples)
        self.by_group = CellCounter(examples)
        self.phrases: dict[str, CellCounter] = {}

    def add(self, row: ResultRow) -> str | None:
        """Count one result; returns a problem with its date (never the value) or ``None``."""
        self.total += 1
        rid = row.id
        for label in row.labels:
            if label not in self.labels:
                self.labels.append(label)
        if row.model and len(self.models) < 5:
            self.models[row.model] = None
        if row.labels:
            self.with_factor += 1
        self.framing.add(row.framing, rid)
        for i, a in enumerate(row.labels):
            self.prevalence.add(a, rid)
            for b in row.labels[i:]:
                self.cooccurrence.add(self._pair(a, b), rid)
        self._add_phrases(row)
        problem = self._add_dated(row) if self.date_column else None
        if self.group_column:
            group = _group_name(row.group)
            self.group_totals.add(group, rid)
            for label in row.labels:
                self.by_group.add((group, label), rid)
        return problem

    def _pair(self, a: str, b: str) -> tuple[str, str]:
        return (a, b) if self.labels.index(a) <= self.labels.index(b) else (b, a)

    def _add_phrases(self, row: ResultRow) -> None:
        seen: set[tuple[str, str]] = set()
        for label, text in row.evidence:
            phrase = normalise_phrase(text)
            if not phrase or (label, phrase) in seen:
                continue  # a phrase counts once per report
            seen.add((label, phrase))
            counter = self.phrases.setdefault(label, CellCounter(self.k))
            counter.add(phrase, row.id)
            if len(counter.counts) > 2 * PHRASE_CAPACITY:
                counter.prune(PHRASE_CAPACITY)

    def _add_dated(self, row: ResultRow) -> str | None:
        try:
            day = parse_date(row.date, self.date_format)
        except (ValueError, TypeError):
            self.undated += 1
            if row.date is None or (isinstance(row.date, str) and not row.date.strip()):
                return f"field {self.date_column!r} is empty; counted as undated"
            expected = self.date_format or "YYYY-MM-DD"
            return (
                f"field {self.date_column!r} is not a date ({expected}); counted as undated "
                "(see --date-format)"
            )
        start = period_start(day, self.period)
        self.period_totals.add(start, row.id)
        self.framing_trend.add((start, row.framing), row.id)
        for label in row.labels:
            self.trend.add((start, label), row.id)
        return None

    def finish(self) -> ReportTables:
        """The tables, with periods gap-filled and groups ordered by report count."""
        dated = sorted(_as_date(key) for key in self.period_totals.counts)
        periods = period_range(dated[0], dated[-1], self.period) if dated else []
        groups = sorted(self.group_totals.counts, key=lambda g: (-self.group_totals.count(g), g))
        return ReportTables(
            labels=list(self.labels),
            total=self.total,
            with_factor=self.with_factor,
            prevalence=self.prevalence,
            framing=self.framing,
            cooccurrence=self.cooccurrence,
            periods=periods,
            period=self.period,
            period_totals=self.period_totals,
            trend=self.trend,
            framing_trend=self.framing_trend,
            groups=[str(g) for g in groups],
            group_totals=self.group_totals,
            by_group=self.by_group,
            phrases=self.phrases,
            undated=self.undated,
            date_column=self.date_column,
            group_column=self.group_column,
            models=list(self.models),
        )


def _as_date(key: Hashable) -> dt.date:
    assert isinstance(key, dt.date)
    return key


def _group_name(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return BLANK_GROUP
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a unit number read as 4.0 from a dataframe
    text = str(value).strip()
    return text or BLANK_GROUP


__all__ = ["BLANK_GROUP", "FRAMINGS", "CellCounter", "ReportAccumulator", "ReportTables"]
