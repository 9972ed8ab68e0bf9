"""Factor scoring: from rule evidence in a parsed doc to calibrated per-label scores."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from syscause.errors import ModelError
from syscause.pipeline.extensions import EVIDENCE_KEY
from syscause.schemas import Evidence


@dataclass(slots=True)
class LabelEvidence:
    """The evidence spans found for one label, split by their context."""

    positive: list[Evidence] = field(default_factory=list)
    hypothetical: list[Evidence] = field(default_factory=list)
    negated: list[Evidence] = field(default_factory=list)


def _dedupe(spans: Iterable[Span], mentions: frozenset[str] = frozenset()) -> list[Span]:
    """Drop spans contained in a longer span of the same label (one phrase, one piece).

    Of equal spans, an asserting rule's is kept before a mention rule's, then the earlier
    rule's: the result never depends on the order the matchers report them in.
    """
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start), s.id_ in mentions))
    kept: list[Span] = []
    reach: dict[int, int] = {}  # furthest end of a kept span, per label
    for sp in ordered:
        # kept spans start no later than sp, so sp is inside one iff it ends within reach
        if sp.end <= reach.get(sp.label, -1):
            continue
        kept.append(sp)
        reach[sp.label] = max(reach.get(sp.label, -1), sp.end)
    return kept


def collect_evidence(
    doc: Doc,
    text: str,
    labels: Sequence[str],
    mentions: frozenset[str] = frozenset(),
) -> dict[str, LabelEvidence]:
    """Group the evidence spans of ``doc`` by label; offsets index ``text``.

    Spans of rules in ``mentions`` (topic words such as "staffing") count only when
    negated or hypothetical: naming a topic does not assert the factor.
    """
    out = {label: LabelEvidence() for label in labels}
    for sp in _dedupe(doc.spans.get(EVIDENCE_KEY, []), mentions):
        if sp.label_ not in out:
            continue
        ev = Evidence(
            sp.start_char, sp.end_char, text[sp.start_char : sp.end_char], f"rule:{sp.id_}"
        )
        bucket = out[sp.label_]
        if sp._.syscause_negated:
            bucket.negated.append(ev)
        elif sp._.syscause_hypothetical:
            bucket.hypothetical.append(ev)
        elif sp.id_ not in mentions:
            bucket.positive.append(ev)
    return out


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class RuleFactorScorer:
    """Per-label logistic scores from evidence counts, with fitted thresholds.

    The features are the number of distinct positive and of hypothetical-only evidence
    spans (capped); the weights, biases and thresholds are fitted artefacts read from the
    model's meta.json (see scripts/fit_rules_model.py).
    """

    def __init__(
        self,
        labels: Sequence[str],
        params: dict[str, dict[str, float]],
        thresholds: dict[str, float],
        max_count: int = 3,
    ) -> None:
        self.labels = list(labels)
        self.params = params
        self.thresholds = thresholds
        self.max_count = max_count

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> RuleFactorScorer:
        """Build from the ``factor_model`` and ``thresholds`` blocks of a model's meta.json."""
        try:
            fm = meta["factor_model"]
            labels = meta["labels"]
            params = {label: fm["params"][label] for label in labels}
            thresholds = {label: float(meta["thresholds"][label]) for label in labels}
        except KeyError as exc:
            raise ModelError(f"model metadata lacks factor parameters for {exc}") from None
        return cls(labels, params, thresholds, int(fm.get("max_count", 3)))

    def score(self, evidence: dict[str, LabelEvidence]) -> dict[str, float]:
        """Return the calibrated probability of every label."""
        scores = {}
        for label in self.labels:
            p = self.params[label]
            ev = evidence[label]
            n_pos = min(len(ev.positive), self.max_count)
            n_hyp = min(len(ev.hypothetical), self.max_count)
            scores[label] = _sigmoid(p["bias"] + p["w_pos"] * n_pos + p["w_hyp"] * n_hyp)
        return scores
