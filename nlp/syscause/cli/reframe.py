"""``syscause reframe``: system-oriented rewrites of blame-framed sentences, with questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from syscause.cli._common import EXIT_OK, EXIT_ROW_ERRORS, fail, guarded, setup_logging

if TYPE_CHECKING:
    from syscause.api import Pipeline
    from syscause.schemas import Reframe

NO_BLAME = "no blame-framed sentences"


def suggestions_for(pipe: Pipeline, text: str) -> tuple[Reframe, ...]:
    """The reframes of one narrative, as ``analyze`` gives them (one path, one check)."""
    return pipe.analyze(text).reframe


def _show(reframes: tuple[Reframe, ...]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not reframes:
        console.print(NO_BLAME)
        return
    table = Table(title="Reframing suggestions (the framing of the text, never a person)")
    table.add_column("original", ratio=1)
    table.add_column("rewrite", ratio=1)
    table.add_column("questions for the review", ratio=1)
    for r in reframes:
        rewrite = r.rewrite if r.rewrite is not None else "[dim](questions only)[/dim]"
        table.add_row(r.original, rewrite, "\n".join(f"- {q}" for q in r.questions))
    console.print(table)


@guarded
def reframe(
    input: Annotated[
        str,
        typer.Argument(
            help="A narrative in quotes, or a file (.csv, .jsonl, .parquet, .xlsx) of them."
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="With a file: write suggestions as JSONL here."),
    ] = None,
    text_column: Annotated[str, typer.Option(help="Column holding the narrative.")] = "text",
    id_column: Annotated[str, typer.Option(help="Column holding the report id.")] = "id",
    model: Annotated[str, typer.Option(help="'default' or a model directory.")] = "default",
    parser: Annotated[
        bool | None,
        typer.Option(
            "--parser/--no-parser", help="Use the English parser (default: when installed)."
        ),
    ] = None,
) -> None:
    """Suggest system-oriented rewrites of blame-framed sentences, and review questions.

    Rewrites restate what happened without the person's failing and add no facts; where no
    rewrite is safe, the questions stand alone. Exit codes: 0 ok; 1 some rows failed;
    2 usage error or unreadable input.
    """
    setup_logging()
    import syscause

    pipe = syscause.load(model, use_parser=parser)
    suffix = Path(input).suffix.lower()
    is_file = input == "-" or (suffix in {".csv", ".tsv", ".jsonl", ".parquet", ".xlsx"})
    if not is_file:
        if output is not None:
            raise fail("--output applies to a file INPUT; for one narrative the table is shown")
        _show(suggestions_for(pipe, input))
        raise typer.Exit(EXIT_OK)
    _run_file(pipe, input, output, text_column=text_column, id_column=id_column)


def _run_file(
    pipe: Pipeline, input: str, output: str | None, *, text_column: str, id_column: str
) -> None:
    import sys

    from syscause.io.readers import ReadOptions, read_rows

    options = ReadOptions(text_column=text_column, id_column=id_column)
    errors = 0
    fh = open(output, "w", encoding="utf-8") if output else None  # noqa: SIM115
    try:
        for row in read_rows(input, options):
            if row.error is not None or row.text is None:
                errors += 1
                record: dict[str, Any] = {
                    "row": row.row,
                    "line": row.line,
                    "id": row.id,
                    "field": row.field or text_column,
                    "error": row.error or f"field {text_column!r} is missing",
                }
                typer.echo(json.dumps(record, ensure_ascii=False), err=True)
                continue
            reframes = suggestions_for(pipe, row.text)
            if fh is not None:
                rec = {"id": row.id, "reframe": [r.to_dict() for r in reframes]}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            else:
                typer.echo(f"[{row.id}]", file=sys.stdout)
                _show(reframes)
    finally:
        if fh is not None:
            fh.close()
    raise typer.Exit(EXIT_ROW_ERRORS if errors else EXIT_OK)
