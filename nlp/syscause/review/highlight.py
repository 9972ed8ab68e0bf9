"""Narrative markup for reviewers: factor evidence and blame cues highlighted.

Built from the result record's own spans (offsets and texts), never recomputed, so the
reviewer judges exactly what the model produced. A span whose offsets do not match the
narrative (a different file, a re-encoded text) is not drawn but counted, so the UI can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

# Background colours, one per asserted factor in order; readable with the default foreground.
FACTOR_STYLES = (
    "on dark_green",
    "on dark_blue",
    "on dark_magenta",
    "on dark_cyan",
    "on dark_orange3",
    "on purple4",
    "on deep_sky_blue4",
    "on dark_olive_green3",
)
CUE_STYLE = "bold underline red"


def factor_style(index: int) -> str:
    """The highlight of the ``index``-th factor."""
    return FACTOR_STYLES[index % len(FACTOR_STYLES)]


@dataclass(frozen=True, slots=True)
class Markup:
    """Marked-up narrative (or evidence list) and how many spans could not be placed."""

    text: Text
    unplaced: int


def _span_ok(text: str, span: dict[str, Any]) -> bool:
    start, end = span.get("start"), span.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        return False
    quoted = span.get("text")
    return quoted is None or text[start:end] == quoted


def factor_order(record: dict[str, Any], extra: list[str]) -> list[str]:
    """Labels shown in the factor list: asserted first (model order), then reviewer-added."""
    asserted = [f["label"] for f in record["factors"]]
    return asserted + [lb for lb in extra if lb not in asserted]


def narrative_markup(text: str | None, record: dict[str, Any]) -> Markup:
    """The narrative with evidence and cues styled; without text, the spans as a list."""
    factors = record["factors"]
    cues = record["blame"].get("cues") or []
    if text is None:
        return _spans_only(factors, cues)
    out = Text(text)
    unplaced = 0
    for i, factor in enumerate(factors):
        for ev in factor.get("evidence") or []:
            if _span_ok(text, ev):
                out.stylize(factor_style(i), ev["start"], ev["end"])
            else:
                unplaced += 1
    # Cues last so that they stay visible inside an evidence span.
    for cue in cues:
        if _span_ok(text, cue):
            out.stylize(CUE_STYLE, cue["start"], cue["end"])
        else:
            unplaced += 1
    return Markup(out, unplaced)


def _spans_only(factors: list[dict[str, Any]], cues: list[dict[str, Any]]) -> Markup:
    out = Text("(narrative not loaded: pass --data to show it)\n", style="italic")
    for i, factor in enumerate(factors):
        for ev in factor.get("evidence") or []:
            out.append(f"{factor['label']}: ")
            out.append(str(ev.get("text", "")), style=factor_style(i))
            out.append("\n")
    for cue in cues:
        out.append(f"cue {cue.get('type', '')}: ")
        out.append(str(cue.get("text", "")), style=CUE_STYLE)
        out.append("\n")
    return Markup(out, 0)
