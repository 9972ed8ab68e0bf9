"""The ``syscause`` command: registers each command module; imports stay light."""

from __future__ import annotations

from typing import Annotated

import typer

from syscause.cli import analyze as analyze_cmd
from syscause.cli import evaluate as evaluate_cmd
from syscause.cli import reframe as reframe_cmd
from syscause.cli import report as report_cmd
from syscause.cli import review as review_cmd
from syscause.cli import taxonomy as taxonomy_cmd
from syscause.cli import train as train_cmd

app = typer.Typer(
    name="syscause",
    help=(
        "Tag contributing factors in patient-safety incident reports and show how each "
        "narrative frames the event: as an individual's failing or as system conditions. "
        "The blame score describes a narrative's framing; it is never a measure of a person.\n\n"
        "Exit codes: 0 all rows analysed; 1 some rows failed (see the errors file); "
        "2 usage error or unreadable input; 3 internal error."
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
app.command("analyze")(analyze_cmd.analyze)
app.command("taxonomy")(taxonomy_cmd.taxonomy)
app.command("reframe")(reframe_cmd.reframe)
app.command("train")(train_cmd.train)
app.command("evaluate")(evaluate_cmd.evaluate)
app.add_typer(review_cmd.app, name="review")
app.command("report")(report_cmd.report)


def _print_version(value: bool) -> None:
    if value:
        from syscause import __version__

        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """syscause: from blame toward system causes."""


def main() -> None:
    """Console-script entry point."""
    app()
