"""Result types: one :class:`Analysis` per narrative, and its parts.

``Analysis.to_dict()`` gives exactly the output record of the interface contract
(schema version 1). All offsets are character offsets into the input text as given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
FRAMINGS = ("individual", "system", "mixed", "neutral")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the narrative supporting a factor, with the rule or model that found it."""

    start: int
    end: int
    text: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as a JSON-ready dict."""
        return {"start": self.start, "end": self.end, "text": self.text, "source": self.source}


@dataclass(frozen=True, slots=True)
class Factor:
    """An asserted contributing factor with its calibrated score and evidence."""

    label: str
    score: float
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the factor as a JSON-ready dict."""
        return {
            "label": self.label,
            "score": round(self.score, 4),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Cue:
    """A blame-framing cue: a span, its cue family and the rule that found it."""

    start: int
    end: int
    text: str
    type: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """Return the cue as a JSON-ready dict."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Blame:
    """How far the narrative frames the event as an individual's failing (1) or system (0).

    The score describes the narrative's framing; it is never a measure of a person.
    """

    score: float
    framing: str
    cues: tuple[Cue, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the blame block as a JSON-ready dict."""
        return {
            "score": round(self.score, 4),
            "framing": self.framing,
            "cues": [c.to_dict() for c in self.cues],
        }


@dataclass(frozen=True, slots=True)
class Reframe:
    """A system-oriented rewrite of one blame-framed sentence, and questions to ask."""

    start: int
    end: int
    original: str
    rewrite: str | None
    questions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the suggestion as a JSON-ready dict."""
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "rewrite": self.rewrite,
            "questions": list(self.questions),
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything syscause says about one narrative."""

    id: str | None
    taxonomy_version: str
    model: str
    factors: tuple[Factor, ...]
    scores: dict[str, float]
    blame: Blame
    reframe: tuple[Reframe, ...] = ()
    needs_review: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def labels(self) -> list[str]:
        """The asserted factor labels, highest score first."""
        return [f.label for f in self.factors]

    def to_dict(self) -> dict[str, Any]:
        """Return the output record of the interface contract."""
        return {
            "id": self.id,
            "schema_version": SCHEMA_VERSION,
            "taxonomy_version": self.taxonomy_version,
            "model": self.model,
            "factors": [f.to_dict() for f in self.factors],
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "blame": self.blame.to_dict(),
            "reframe": [r.to_dict() for r in self.reframe],
            "needs_review": self.needs_review,
            "warnings": list(self.warnings),
        }
