"""One pass over a results file into the HTML report and its CSV tables."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from syscause.errors import InputError
from syscause.report.load import ResultColumns, ResultRow, ResultsSource
from syscause.report.periods import PERIODS, Period

MAX_PROBLEMS_KEPT = 20


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What the report groups by and how much it shows.

    ``date_column``/``group_column`` are top-level keys of the result records (carried from
    the input by ``syscause analyze --keep-columns``); ``examples`` is the number of report
    ids kept per table cell; ``tables_dir`` defaults to ``<html name>_tables`` beside the HTML.
    """

    date_column: str | None = None
    group_column: str | None = None
    period: Period = "month"
    date_format: str | None = None
    examples: int = 10
    title: str = "syscause archive report"
    tables_dir: str | None = None
    redact: bool = False  # redact evidence phrases and group names before they are counted


@dataclass
class ReportSummary:
    """What a report run did: counts, the first problems (rows and fields only), the files."""

    rows: int = 0
    used: int = 0
    skipped: int = 0
    undated: int = 0
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    html: Path | None = None
    tables: list[Path] = field(default_factory=list)

    def note(self, message: str) -> None:
        """Keep a problem message (the first :data:`MAX_PROBLEMS_KEPT`), count them all."""
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(message)


def default_tables_dir(html_path: str | Path) -> Path:
    """``report_tables/`` beside ``report.html``."""
    path = Path(html_path)
    return path.with_name(path.stem + "_tables")


def _label_names(labels: list[str]) -> dict[str, str]:
    # Names for tooltips where the labels are the default taxonomy's; ids otherwise.
    from syscause.taxonomy import load_taxonomy

    try:
        names = {label.id: label.name for label in load_taxonomy("default").labels}
    except Exception:  # a broken install still gets a report, with ids only
        return {}
    return names if set(labels) <= set(names) else {}


def _write_text(path: Path, text: str) -> None:
    # Write beside and rename, so a failed run never leaves half a report behind.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the report ({exc.strerror})") from None


def _redacted(row: ResultRow) -> ResultRow:
    """The row with identifiers removed from its evidence phrases and group name."""
    import dataclasses

    from syscause.redact import redact

    evidence = tuple((label, redact(text).text) for label, text in row.evidence)
    group = redact(row.group).text if isinstance(row.group, str) else row.group
    return dataclasses.replace(row, evidence=evidence, group=group)


def build_report(
    results: str, output: str | Path, options: ReportOptions | None = None
) -> ReportSummary:
    """Read ``results`` once and write the HTML report to ``output`` and the CSV tables.

    Unusable records are left out and named (row and field) in the summary; file-level
    problems raise :class:`~syscause.errors.InputError` before anything is written.
    """
    from syscause.report.csv_tables import write_tables
    from syscause.report.html import render_html
    from syscause.report.tables import ReportAccumulator

    options = options or ReportOptions()
    if options.period not in PERIODS:
        raise InputError(f"unknown period {options.period!r}; use one of {', '.join(PERIODS)}")
    if options.examples < 1:
        raise InputError("examples per cell must be at least 1")
    out = Path(output)
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{out}: the report is an HTML file; name it e.g. report.html")
    try:  # fail on an unwritable destination before reading a large archive
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot write the report ({exc.strerror})") from None
    source = ResultsSource(
        results, ResultColumns(date=options.date_column, group=options.group_column)
    )
    acc = ReportAccumulator(
        source.labels,
        examples=options.examples,
        period=options.period,
        date_column=options.date_column,
        group_column=options.group_column,
        date_format=options.date_format,
    )
    summary = ReportSummary()
    for item in source:
        summary.rows += 1
        if not isinstance(item, ResultRow):
            summary.skipped += 1
            summary.note(str(item))
            continue
        summary.used += 1
        if options.redact:
            item = _redacted(item)
        problem = acc.add(item)
        if problem:
            summary.note(f"row {item.row}: {problem}")
    tables = acc.finish()
    summary.undated = tables.undated
    html = render_html(
        tables,
        title=options.title,
        source=Path(results).name,
        problems=summary.skipped,
        label_names=_label_names(tables.labels),
    )
    _write_text(out, html)
    summary.html = out
    summary.tables = write_tables(tables, options.tables_dir or default_tables_dir(out))
    return summary
