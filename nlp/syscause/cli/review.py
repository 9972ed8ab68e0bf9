"""``syscause review``: the reviewer audit loop, and ``review export`` / ``review stats``.

``syscause review RESULTS --db review.sqlite`` opens the terminal UI (the ``open``
subcommand, which is the default when the first argument is not a subcommand name), so the
documented form works alongside ``syscause review export`` and ``syscause review stats``.
Textual is imported only when the UI starts.
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from syscause.cli._common import EXIT_INTERNAL, EXIT_OK, EXIT_ROW_ERRORS, fail, guarded

DEFAULT_DB = "review.sqlite"
DEFAULT_COMMAND = "open"


class _DefaultCommandGroup(TyperGroup):
    """A group whose first argument, when it is not a subcommand, goes to ``open``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # ctx is typer's vendored click Context; Any keeps this independent of that module.
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultCommandGroup,
    short_help="Reviewer audit loop (accept, reject, relabel), with export and stats.",
    help=(
        "Audit model results: accept, reject and relabel factors, correct the framing, rate "
        "rewrites. Decisions go to an append-only SQLite database (WAL; several reviewers may "
        "share it) and feed retraining through 'review export'.\n\n"
        "Usage: syscause review RESULTS [--db review.sqlite] [--reviewer NAME] "
        "[--queue uncertain|random|all] [--data REPORTS] (same as 'review open RESULTS ...').\n\n"
        "Keys: a accept, r reject, up/down or j/k move, n add factor, f framing, 1-5 rate "
        "rewrite, c comment, enter done, s skip, b back, q quit."
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)

DbOption = Annotated[str, typer.Option("--db", help="Review database (SQLite).")]


def _warn(message: str) -> None:
    typer.echo(f"syscause: warning: {message}", err=True)


def _label_names(taxonomy_version: str) -> dict[str, str]:
    """Readable label names where the results use the default taxonomy's version."""
    from syscause.taxonomy import load_taxonomy

    tax = load_taxonomy("default")
    return {lb.id: lb.name for lb in tax.labels} if tax.version == taxonomy_version else {}


@app.command(DEFAULT_COMMAND)
@guarded
def open_review(
    results: Annotated[
        str, typer.Argument(help="Results of syscause analyze (.jsonl or .parquet).")
    ],
    db: DbOption = DEFAULT_DB,
    reviewer: Annotated[
        str | None, typer.Option(help="Reviewer name recorded with each decision (login name).")
    ] = None,
    queue: Annotated[
        str,
        typer.Option(
            help="uncertain (needs_review, then least confident), random (seeded QA sample) "
            "or all (file order)."
        ),
    ] = "uncertain",
    seed: Annotated[int, typer.Option(help="Seed of the random queue.")] = 0,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Review at most this many items of the queue.")
    ] = None,
    data: Annotated[
        str | None,
        typer.Option(help="The report file analysed, to show narratives (joined by id)."),
    ] = None,
    text_column: Annotated[str, typer.Option(help="Narrative column of --data.")] = "text",
    id_column: Annotated[str, typer.Option(help="Id column of --data.")] = "id",
    encoding: Annotated[str | None, typer.Option(help="Encoding of --data.")] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Redact narratives from --data before showing or storing them (use with "
            "results of 'analyze --redact', whose offsets index the redacted text).",
        ),
    ] = False,
) -> None:
    """Walk the review queue of RESULTS in a terminal UI (also: syscause review RESULTS)."""
    from syscause.review.queue import QUEUES, build_queue
    from syscause.review.records import LoadReport, join_texts, load_results
    from syscause.review.session import ReviewSession
    from syscause.review.state import reduce
    from syscause.review.store import ReviewStore

    if queue not in QUEUES:
        raise fail(f"--queue must be one of {', '.join(QUEUES)}")
    who = reviewer or _login()
    report = LoadReport()
    items = load_results(results, _warn, report)
    if data is not None:
        items = join_texts(
            items,
            data,
            text_column=text_column,
            id_column=id_column,
            encoding=encoding,
            redact=redact,
            warn=_warn,
            report=report,
        )
    with ReviewStore(db) as store:
        done = {
            item_id
            for (item_id, _), review in reduce(store.decisions(reviewer=who)).items()
            if review.done
        }
        todo = build_queue(items, queue, seed=seed, done=done, limit=limit)
        if not todo:
            typer.echo(
                f"syscause: nothing to review: {len(items)} items, all done by {who}", err=True
            )
            raise typer.Exit(EXIT_OK)
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise fail("the review UI needs a terminal (stdin and stdout must be a tty)")
        version = todo[0].taxonomy_version
        session = ReviewSession(store, todo, who, _label_names(version))
        from syscause.review.app import ReviewApp

        ui = ReviewApp(session)
        ui.run()
        left = sum(1 for it in todo if not session.review(it).done)
    typer.echo(
        f"syscause: review: {session.written} decisions saved to {db}; {left} of {len(todo)} "
        "queued items not done",
        err=True,
    )
    if ui.return_code:  # the UI crashed and has said so (error type only)
        raise typer.Exit(EXIT_INTERNAL)


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "reviewer"


@app.command("export")
@guarded
def export(
    db: DbOption = DEFAULT_DB,
    output: Annotated[
        str, typer.Option("--output", "-o", help="Training JSONL (- for stdout).")
    ] = "-",
    reviewer: Annotated[
        str | None, typer.Option(help="Only this reviewer's judgements (default: all).")
    ] = None,
) -> None:
    """Write reviewed items as training data for 'syscause train --data'.

    One line per item marked done: id, text, labels (the model's, minus rejected, plus
    added) and framing. Exit 1 when some items have no narrative (reviewed without --data).
    """
    from syscause.review.export import export_labels
    from syscause.review.store import ReviewStore

    with ReviewStore(db, create=False) as store:
        summary = export_labels(store, output, reviewer)
    note = ""
    if summary.without_text:
        note = (
            f"; {summary.without_text} reviewed items have no narrative (reviewed without "
            "--data) and were not written"
        )
    typer.echo(f"syscause: exported {summary.written} items{note}", err=True)
    raise typer.Exit(EXIT_ROW_ERRORS if summary.without_text else EXIT_OK)


@app.command("stats")
@guarded
def stats(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statistics as JSON.")] = False,
) -> None:
    """Per-label precision and recall as judged by reviewers, and Cohen's kappa agreement."""
    from syscause.review.stats import compute_stats
    from syscause.review.store import ReviewStore

    with ReviewStore(db, create=False) as store:
        result = compute_stats(store)
    if as_json:
        import json

        typer.echo(json.dumps(result.to_dict(), indent=2))
        return
    _print_stats(result)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _print_stats(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"{result.decisions} decisions by {len(result.reviewers)} reviewer(s); "
        f"{result.items_done} items done ({result.reviews_done} reviews)"
    )
    table = Table(title="Factors as judged by reviewers")
    for col in ("label", "accepted", "rejected", "added", "precision", "recall"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label, c in result.labels.items():
        if c.accepted or c.rejected or c.added:
            table.add_row(
                label,
                str(c.accepted),
                str(c.rejected),
                str(c.added),
                _fmt(c.precision),
                _fmt(c.recall),
            )
    console.print(table)
    console.print(
        f"reviewer vs model: label kappa {_fmt(result.model_label_kappa)}, framing kappa "
        f"{_fmt(result.model_framing_kappa)}; mean rewrite rating {_fmt(result.mean_rating)}"
    )
    for pair in result.pairs:
        console.print(
            f"{pair.reviewers[0]} vs {pair.reviewers[1]} on {pair.items} items: label kappa "
            f"{pair.label_kappa:.3f}, framing kappa {pair.framing_kappa:.3f}"
        )
    if not result.pairs:
        console.print("no item was reviewed by two reviewers")
