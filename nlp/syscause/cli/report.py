"""``syscause report``: an archive summary of analyze results as one HTML file and CSV tables."""

from __future__ import annotations

from typing import Annotated, cast

import typer

from syscause.cli._common import EXIT_OK, EXIT_ROW_ERRORS, fail, guarded, setup_logging

PERIOD_CHOICES = ("month", "quarter", "year")


@guarded
def report(
    results: Annotated[
        str, typer.Argument(help="Results of `syscause analyze`: .jsonl, .csv, .parquet or .xlsx.")
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", help="The HTML report to write.")
    ] = "report.html",
    date_column: Annotated[
        str | None,
        typer.Option(help="Top-level results column with the report date (for trends)."),
    ] = None,
    group_column: Annotated[
        str | None,
        typer.Option(help="Top-level results column to break factors down by, e.g. unit."),
    ] = None,
    period: Annotated[str, typer.Option(help="Trend period: month, quarter or year.")] = "month",
    date_format: Annotated[
        str | None,
        typer.Option(help="strptime format of non-ISO dates, e.g. %d/%m/%Y (default: ISO)."),
    ] = None,
    tables_dir: Annotated[
        str | None,
        typer.Option(help="Folder for the CSV tables (default: <report name>_tables/)."),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Redact identifiers in evidence phrases and group names before they are shown.",
        ),
    ] = False,
    examples: Annotated[
        int, typer.Option(min=1, max=1000, help="Example report ids kept per table cell.")
    ] = 10,
    title: Annotated[str, typer.Option(help="Report title.")] = "syscause archive report",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
) -> None:
    """Summarise analyze results as one self-contained HTML report and CSV tables.

    Shows factor prevalence and trends, framing, co-occurrence, factors by unit, top phrases.

    Every figure links to example report ids; no narrative text is shown, nothing is fetched.

    Exit codes: 0 every row used; 1 unreadable rows left out (named on stderr); 2 usage error.
    """
    setup_logging(quiet)
    if period not in PERIOD_CHOICES:
        raise fail(f"--period must be one of {', '.join(PERIOD_CHOICES)}, not {period!r}")
    from syscause.report import ReportOptions, build_report
    from syscause.report.periods import Period  # the cast's type

    summary = build_report(
        results,
        output,
        ReportOptions(
            date_column=date_column,
            group_column=group_column,
            period=cast("Period", period),  # checked against PERIOD_CHOICES above
            date_format=date_format,
            examples=examples,
            title=title,
            tables_dir=tables_dir,
            redact=redact,
        ),
    )
    for message in summary.problems:
        typer.echo(f"syscause: warning: {message}", err=True)
    if summary.problem_count > len(summary.problems):
        more = summary.problem_count - len(summary.problems)
        typer.echo(f"syscause: warning: ... and {more} more row problems", err=True)
    if not quiet:
        tables = summary.tables[0].parent if summary.tables else "-"
        undated = f", {summary.undated} without a usable date" if summary.undated else ""
        typer.echo(
            f"syscause: {summary.rows} result rows: {summary.used} in the report, "
            f"{summary.skipped} unreadable{undated}; wrote {summary.html} and {tables}/",
            err=True,
        )
    raise typer.Exit(EXIT_ROW_ERRORS if summary.skipped else EXIT_OK)
