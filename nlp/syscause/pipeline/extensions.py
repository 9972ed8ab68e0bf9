"""Custom spaCy attributes used by syscause, declared in one place and set idempotently."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

EVIDENCE_KEY = "syscause_evidence"
CUES_KEY = "syscause_blame_cues"

SPAN_EXTENSIONS: dict[str, dict[str, Any]] = {
    "syscause_negated": {"default": False},
    "syscause_hypothetical": {"default": False},
    "syscause_trigger": {"default": None},
}


def ensure_extensions() -> None:
    """Register the span extensions once; calling again is a no-op."""
    for name, kwargs in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, **kwargs)
