"""``syscause train``: fit a factor model on a labelled archive and write a model directory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from syscause.cli._common import fail, guarded, setup_logging


@guarded
def train(
    data: Annotated[
        Path, typer.Option("--data", help="Labelled narratives (.jsonl/.csv/.parquet).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model directory to write.")],
    taxonomy: Annotated[
        str, typer.Option(help="'default', 'asrs-hf' or a taxonomy JSON file.")
    ] = "default",
    text_column: Annotated[str, typer.Option(help="Column holding the narrative.")] = "text",
    labels_column: Annotated[
        str,
        typer.Option(help="Column holding the labels: a list or a '; '-separated string."),
    ] = "labels",
    id_column: Annotated[str, typer.Option(help="Column holding the row id.")] = "id",
    name: Annotated[str, typer.Option(help="Model name written into every record.")] = "custom",
    version: Annotated[str, typer.Option(help="Model version.")] = "1",
    folds: Annotated[int, typer.Option(min=2, max=20, help="Folds for held-out scores.")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed for the folds.")] = 0,
    force: Annotated[bool, typer.Option(help="Overwrite an existing model directory.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
) -> None:
    """Train a learned factor model (thresholds and calibration from held-out folds).

    A null labels field means "not coded" and the row is left out; an empty list means "no
    factor". Labels may be ids, names or aliases of the taxonomy (e.g. ASRS names).
    """
    import hashlib
    import time

    from syscause.learned.data import read_training_file
    from syscause.learned.modeldir import write_model_dir
    from syscause.learned.train import train as fit
    from syscause.metrics import expected_calibration_error, multilabel_report
    from syscause.taxonomy import load_taxonomy

    setup_logging(quiet)
    if (output / "meta.json").exists() and not force:
        raise fail(f"{output} already holds a model; pass --force to overwrite it")
    tax = load_taxonomy(taxonomy)
    examples, problems = read_training_file(
        data, tax, text_column=text_column, labels_column=labels_column, id_column=id_column
    )
    for problem in problems[:20]:
        typer.echo(f"syscause: skipped {problem}", err=True)
    if len(problems) > 20:
        typer.echo(f"syscause: ... and {len(problems) - 20} more skipped rows", err=True)
    coded = [ex for ex in examples if ex.labels is not None]
    uncoded = len(examples) - len(coded)
    if len(coded) < folds * 2:
        raise fail(f"only {len(coded)} coded rows in {data.name}: too few to train")
    say = (lambda msg: None) if quiet else (lambda msg: typer.echo(f"syscause: {msg}", err=True))
    say(f"{len(coded)} coded rows ({uncoded} not coded, {len(problems)} skipped)")
    start = time.perf_counter()
    result = fit(coded, list(tax.ids), folds=folds, seed=seed, progress=say)
    seconds = time.perf_counter() - start
    report = multilabel_report(
        result.y, (result.oof_proba >= result.model.thresholds).astype(int), list(tax.ids)
    )
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    write_model_dir(
        output,
        result.model,
        framing=result.framing_model,
        taxonomy_ref=taxonomy,
        taxonomy=tax,
        name=name,
        version=version,
        extra={
            "training": {
                "data_file": data.name,
                "data_sha256": digest,
                "rows_coded": len(coded),
                "rows_not_coded": uncoded,
                "rows_skipped": len(problems),
                "folds": folds,
                "seed": seed,
                "seconds": round(seconds, 1),
                "heldout_micro_f1": round(report["micro_f1"], 4),
                "heldout_macro_f1": round(report["macro_f1"], 4),
                "heldout_ece": round(expected_calibration_error(result.y, result.oof_proba), 4),
            }
        },
    )
    typer.echo(
        f"model written to {output} ({len(tax.ids)} labels, {len(coded)} rows, {seconds:.0f} s; "
        f"held-out micro-F1 {report['micro_f1']:.3f}, macro-F1 {report['macro_f1']:.3f})"
    )
