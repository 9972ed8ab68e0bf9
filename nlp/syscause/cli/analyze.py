"""``syscause analyze``: a report archive in, one result record per row out."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from syscause.cli._common import EXIT_OK, fail, guarded, setup_logging

DEFAULT_TEXT_COLUMN = "text"
DEFAULT_ID_COLUMN = "id"


def _errors_path(output: str, errors: str | None) -> str | None:
    if errors:
        return errors
    if output == "-":
        return None
    out = Path(output)
    return str(out.with_name(out.stem + ".errors.jsonl"))


@guarded
def analyze(
    input: Annotated[
        str | None,
        typer.Argument(
            help="Report archive: .csv, .jsonl, .parquet, .xlsx, or - for JSONL on stdin."
        ),
    ] = None,
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", help="Results: .jsonl, .csv, .parquet, or - for JSONL on stdout."
        ),
    ] = "-",
    text: Annotated[
        str | None, typer.Option("--text", help="Analyse one narrative and show it highlighted.")
    ] = None,
    text_column: Annotated[str, typer.Option(help="Column holding the narrative.")] = (
        DEFAULT_TEXT_COLUMN
    ),
    id_column: Annotated[
        str, typer.Option(help="Column holding the report id (row number when absent).")
    ] = DEFAULT_ID_COLUMN,
    model: Annotated[str, typer.Option(help="'default' or a model directory.")] = "default",
    errors: Annotated[
        str | None,
        typer.Option(help="Where error rows go (JSONL); default OUTPUT's name + .errors.jsonl."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Input encoding (detected when omitted), e.g. cp1252.")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Narratives per batch.")] = 256,
    parser: Annotated[
        bool | None,
        typer.Option(
            "--parser/--no-parser",
            help="Use the English parser for blame cues (default: when installed).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --text: print the JSON record.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
) -> None:
    """Tag contributing factors, evidence and blame framing for every report.

    Each input row yields one result row (in input order) or one error row in the errors
    file. The blame score describes the narrative's framing, never a person.
    """
    setup_logging(quiet)
    import syscause

    if text is not None:
        if input is not None:
            raise fail("give either INPUT or --text, not both")
        result = syscause.load(model, use_parser=parser).analyze(text, id="text")
        if as_json:
            import json

            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            from syscause.cli.render import render_analysis

            render_analysis(text, result)
        raise typer.Exit(EXIT_OK)
    if input is None:
        raise fail("missing INPUT (a file, or - for JSONL on stdin) or --text")
    _run_file(
        input,
        output,
        text_column=text_column,
        id_column=id_column,
        model=model,
        errors=errors,
        encoding=encoding,
        batch_size=batch_size,
        parser=parser,
        quiet=quiet,
    )


def _run_file(
    input: str,
    output: str,
    *,
    text_column: str,
    id_column: str,
    model: str,
    errors: str | None,
    encoding: str | None,
    batch_size: int,
    parser: bool | None,
    quiet: bool,
) -> None:
    import syscause
    from syscause.batch import run_batch
    from syscause.io.readers import ReadOptions, input_format, read_rows
    from syscause.io.writers import open_writer

    input_format(input)  # unsupported suffixes fail before anything is written
    options = ReadOptions(
        text_column=text_column,
        id_column=id_column,
        id_column_required=id_column != DEFAULT_ID_COLUMN,
        encoding=encoding,
    )
    rows = read_rows(input, options)
    first = next(rows, None)  # file-level problems (missing column, binary) surface here
    pipeline = syscause.load(model, use_parser=parser)
    errors_path = _errors_path(output, errors)
    writer = open_writer(output, pipeline.labels)
    err_fh = open(errors_path, "w", encoding="utf-8") if errors_path else sys.stderr  # noqa: SIM115
    started = time.perf_counter()
    try:
        import itertools

        all_rows = itertools.chain([first] if first is not None else [], rows)
        summary = run_batch(all_rows, pipeline, writer, err_fh, source=input, batch_size=batch_size)
    finally:
        writer.close()
        if err_fh is not sys.stderr:
            err_fh.close()
    elapsed = max(time.perf_counter() - started, 1e-9)
    if not quiet:
        where = f" (see {errors_path})" if summary.errors and errors_path else ""
        typer.echo(
            f"syscause: {summary.rows} rows: {summary.ok} analysed, {summary.errors} "
            f"errors{where}, {summary.warnings} with warnings; "
            f"{summary.rows / elapsed:.0f} rows/s",
            err=True,
        )
    raise typer.Exit(summary.exit_code)
