"""``syscause evaluate``: per-label P/R/F1, calibration and framing metrics on labelled data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from syscause.cli._common import fail, guarded, setup_logging


@guarded
def evaluate(
    data: Annotated[
        Path, typer.Option("--data", help="Labelled narratives (.jsonl/.csv/.parquet).")
    ],
    model: Annotated[str, typer.Option(help="'default' or a model directory.")] = "default",
    text_column: Annotated[str, typer.Option(help="Column holding the narrative.")] = "text",
    labels_column: Annotated[str, typer.Option(help="Column holding the gold labels.")] = "labels",
    parser: Annotated[
        bool, typer.Option("--parser/--no-parser", help="Use the English parser for blame cues.")
    ] = False,
    as_json: Annotated[
        Path | None, typer.Option("--json", help="Also write the metrics as JSON here.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Score a model against gold labels (rows whose labels are null are not coded: skipped).

    Gold framing (a ``framing`` column) adds framing metrics where present.
    """
    import syscause
    from syscause.evaluation import evaluate as run_evaluation
    from syscause.learned.data import read_training_file

    setup_logging(quiet)
    pipe = syscause.load(model, use_parser=parser)
    examples, problems = read_training_file(
        data, pipe.taxonomy, text_column=text_column, labels_column=labels_column
    )
    for problem in problems[:20]:
        typer.echo(f"syscause: skipped {problem}", err=True)
    coded = [ex for ex in examples if ex.labels is not None]
    if not coded:
        raise fail(f"no coded rows in {data.name}")
    framing = [ex.framing for ex in coded]
    gold_framing = framing if all(f is not None for f in framing) else None
    res = run_evaluation(
        pipe,
        [ex.text for ex in coded],
        [list(ex.labels or ()) for ex in coded],
        gold_framing,  # type: ignore[arg-type]
    )
    typer.echo(f"model {pipe.name} on {data.name} ({res.n} coded rows, {len(problems)} skipped)")
    typer.echo(res.as_table())
    if as_json is not None:
        as_json.write_text(json.dumps(res.to_dict(), indent=2) + "\n", encoding="utf-8")
