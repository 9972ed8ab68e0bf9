"""The report's tables as CSV files, one per table, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from syscause.errors import InputError
from syscause.io.writers import neutralise_formula
from syscause.report.load import FRAMINGS
from syscause.report.tables import ReportTables

PHRASES_PER_LABEL = 50
TABLE_FILES = (
    "prevalence.csv",
    "framing.csv",
    "cooccurrence.csv",
    "trend.csv",
    "framing_trend.csv",
    "by_group.csv",
    "evidence_phrases.csv",
)


def share(count: int, total: int) -> float:
    """``count / total`` rounded to four places (0 for an empty total)."""
    return round(count / total, 4) if total else 0.0


def _ids(ids: Sequence[str]) -> str:
    return "; ".join(ids)


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([neutralise_formula(h) for h in header])
        for row in rows:
            writer.writerow([neutralise_formula(v) if isinstance(v, str) else v for v in row])


def write_tables(tables: ReportTables, directory: str | Path) -> list[Path]:
    """Write every table of the report into ``directory``; returns the files written.

    Tables that need a date or group column are written only when that column was given.
    """
    out = Path(directory)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the tables folder ({exc.strerror})") from None
    t = tables
    written: list[Path] = []

    def emit(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        path = out / name
        try:
            _write(path, header, rows)
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror})") from None
        written.append(path)

    emit(
        "prevalence.csv",
        ["label", "reports", "share", "example_ids"],
        (
            [label, t.prevalence.count(label), share(t.prevalence.count(label), t.total),
             _ids(t.prevalence.ids(label))]
            for label in t.labels
        ),
    )  # fmt: skip
    emit(
        "framing.csv",
        ["framing", "reports", "share", "example_ids"],
        (
            [f, t.framing.count(f), share(t.framing.count(f), t.total), _ids(t.framing.ids(f))]
            for f in FRAMINGS
        ),
    )
    emit(
        "cooccurrence.csv",
        ["label", *t.labels],
        ([a, *(t.cooccurrence.count(t.pair(a, b)) for b in t.labels)] for a in t.labels),
    )
    if t.date_column:
        emit(
            "trend.csv",
            ["period", "label", "reports", "period_reports", "share", "example_ids"],
            (
                [t.period_name(p), label, t.trend.count((p, label)), t.period_totals.count(p),
                 share(t.trend.count((p, label)), t.period_totals.count(p)),
                 _ids(t.trend.ids((p, label)))]
                for p in t.periods
                for label in t.labels
            ),
        )  # fmt: skip
        emit(
            "framing_trend.csv",
            ["period", "framing", "reports", "period_reports", "share", "example_ids"],
            (
                [t.period_name(p), f, t.framing_trend.count((p, f)), t.period_totals.count(p),
                 share(t.framing_trend.count((p, f)), t.period_totals.count(p)),
                 _ids(t.framing_trend.ids((p, f)))]
                for p in t.periods
                for f in FRAMINGS
            ),
        )  # fmt: skip
    if t.group_column:
        emit(
            "by_group.csv",
            [t.group_column, "reports", *t.labels],
            (
                [g, t.group_totals.count(g), *(t.by_group.count((g, label)) for label in t.labels)]
                for g in t.groups
            ),
        )
    emit(
        "evidence_phrases.csv",
        ["label", "rank", "phrase", "reports", "example_ids"],
        (
            [label, rank, phrase, count, _ids(t.phrases[label].ids(phrase))]
            for label in t.labels
            for rank, (phrase, count) in enumerate(t.top_phrases(label, PHRASES_PER_LABEL), 1)
        ),
    )
    return written
