"""Blame framing: cue collection and a first, cue-based blame scorer.

The blame score describes how a narrative frames an event (1: an individual's failing, 0:
system conditions). It is never a measure of a person.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc

from syscause.errors import ModelError
from syscause.pipeline.extensions import CUES_KEY
from syscause.schemas import Cue

CUE_TYPES = ("person_failure", "evaluative", "counterfactual", "disciplinary")
# a judgement or a disciplinary step said not to apply ("no disciplinary action", "not
# careless") is no cue; person-failure cues carry their own negation ("did not check")
_DENIED_TYPES = frozenset({"evaluative", "disciplinary"})
_DENIALS = frozenset({"no", "not", "n't", "nt", "without", "never", "nor", "nobody", "none"})


def _denied(doc: Doc, start: int) -> bool:
    """True where one of the three tokens before token ``start`` denies what follows
    ("no disciplinary action", "no one is at fault")."""
    return any(doc[i].lower_ in _DENIALS for i in range(max(start - 3, 0), start))


# "we should have a swab count": a recommendation, not a counterfactual about a person
_RECOMMENDED = frozenset({"a", "an", "some", "more", "any", "another", "enough", "no"})


def _recommends(doc: Doc, start: int, end: int) -> bool:
    """True where a "should have" cue is followed by what should be in place ("should have
    a separate pathway"), not by what someone should have done."""
    return doc[start].lower_.startswith("sh") and end < len(doc) and doc[end].lower_ in _RECOMMENDED


def collect_cues(doc: Doc, text: str) -> list[Cue]:
    """Blame cues of ``doc`` as records; overlapping cues of one type are merged to one.

    An evaluative or disciplinary cue right after a denial ("no disciplinary action") is
    left out, and so is a "should have" that recommends something ("should have a swab
    count").
    """
    spans = sorted(doc.spans.get(CUES_KEY, []), key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Cue] = []
    reach: dict[str, int] = {}  # furthest end of a kept cue, per cue type
    for sp in spans:
        # kept cues start no later than sp: it overlaps one iff it starts within reach
        if sp.start_char < reach.get(sp.label_, -1):
            continue
        if sp.label_ in _DENIED_TYPES and _denied(doc, sp.start):
            continue
        if sp.label_ == "counterfactual" and _recommends(doc, sp.start, sp.end):
            continue
        reach[sp.label_] = max(reach.get(sp.label_, -1), sp.end_char)
        source = sp.id_ if sp.id_.startswith("dep:") else f"rule:{sp.id_}"
        kept.append(
            Cue(sp.start_char, sp.end_char, text[sp.start_char : sp.end_char], sp.label_, source)
        )
    return kept


class CueBlameScorer:
    """A logistic score over cue counts and system evidence, and the framing class.

    Weights and the framing cut points are fitted artefacts in the model's meta.json.
    """

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        individual_min: float,
        system_max: float,
        max_count: int = 3,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.individual_min = individual_min
        self.system_max = system_max
        self.max_count = max_count

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> CueBlameScorer:
        """Build from the ``blame_model`` block of a model's meta.json."""
        try:
            bm = meta["blame_model"]
            return cls(
                dict(bm["weights"]),
                float(bm["bias"]),
                float(bm["individual_min"]),
                float(bm["system_max"]),
                int(bm.get("max_count", 3)),
            )
        except KeyError as exc:
            raise ModelError(f"model metadata lacks blame parameter {exc}") from None

    def features(self, cues: Sequence[Cue], n_system: int) -> dict[str, float]:
        """Capped cue counts per family and the number of asserted system factors."""
        feats = {t: float(min(sum(c.type == t for c in cues), self.max_count)) for t in CUE_TYPES}
        feats["system_factors"] = float(min(n_system, self.max_count))
        return feats

    def score(self, cues: Sequence[Cue], n_system: int) -> tuple[float, str]:
        """Return (blame score, framing class)."""
        feats = self.features(cues, n_system)
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        score = 1.0 / (1.0 + math.exp(-z))
        if not cues and n_system == 0:
            framing = "neutral"
        elif score >= self.individual_min:
            framing = "individual"
        elif score <= self.system_max:
            framing = "system"
        else:
            framing = "mixed"
        return score, framing
