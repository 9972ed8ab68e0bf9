"""Human-readable rendering of one analysis with highlighted evidence and cues (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from syscause.schemas import Analysis

EVIDENCE_STYLE = "bold black on green"
CUE_STYLE = "bold white on red"


def highlighted(text: str, result: Analysis) -> Text:
    """The narrative with factor evidence in green and blame cues in red."""
    out = Text(text)
    for factor in result.factors:
        for ev in factor.evidence:
            out.stylize(EVIDENCE_STYLE, ev.start, ev.end)
    for cue in result.blame.cues:
        out.stylize(CUE_STYLE, cue.start, cue.end)
    return out


def render_analysis(text: str, result: Analysis, console: Console | None = None) -> None:
    """Print the narrative, its factors with evidence, and its blame framing."""
    console = console or Console()
    console.print(highlighted(text, result))
    console.print()
    table = Table(title="Contributing factors", show_lines=False)
    table.add_column("factor")
    table.add_column("score", justify="right")
    table.add_column("evidence")
    for factor in result.factors:
        ev = "; ".join(f"{e.text!r} ({e.source})" for e in factor.evidence)
        table.add_row(factor.label, f"{factor.score:.2f}", ev)
    if not result.factors:
        table.add_row("(none stated)", "", "")
    console.print(table)
    blame = result.blame
    console.print(
        f"Framing: [bold]{blame.framing}[/bold]  blame score {blame.score:.2f} "
        "(describes the narrative's framing, never a person)"
    )
    for cue in blame.cues:
        console.print(f"  cue {cue.type}: {cue.text!r} ({cue.source})")
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    if result.needs_review:
        console.print("[yellow]needs review[/yellow]")
