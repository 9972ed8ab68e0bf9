"""Negation and hypothetical scope for evidence spans (ConText-style, termsets as data)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from syscause.pipeline.extensions import ensure_extensions
from syscause.rules import ContextRule


def _sentence_ids(doc: Doc) -> np.ndarray:
    """Sentence number of every token (one sentence when no boundaries are set)."""
    starts = doc.to_array([SENT_START]).reshape(-1)
    return np.cumsum(starts == 1)


class ContextScope:
    """Mark spans whose factor is negated ("staffing was adequate") or only hypothetical.

    A preceding trigger governs the spans after it in the same sentence, a following trigger
    the spans before it, each within ``window`` tokens and stopped by a termination term
    ("but", "however"). Triggers inside a span belong to the span ("no float available") and
    do not negate it; pseudo-triggers ("not only", "no longer") are ignored.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        rules: Sequence[ContextRule],
        span_keys: Sequence[str],
        window: int = 8,
    ) -> None:
        ensure_extensions()
        self.name = name
        self.span_keys = list(span_keys)
        self.window = window
        self.rules = list(rules)
        self._by_key: dict[int, ContextRule] = {}
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        literals = [r.literal for r in self.rules]
        for rule, pdoc in zip(self.rules, map(nlp.make_doc, literals), strict=True):
            key = nlp.vocab.strings.add(rule.id)
            self._by_key[key] = rule
            self._matcher.add(rule.id, [pdoc])

    def _triggers(self, doc: Doc) -> list[tuple[int, int, ContextRule]]:
        found = [(s, e, self._by_key[k]) for k, s, e in self._matcher(doc)]
        pseudo = [(s, e) for s, e, r in found if r.direction == "pseudo"]
        # A trigger that sits inside a pseudo-trigger ("no" in "no longer") does not count.
        return [
            (s, e, r)
            for s, e, r in found
            if r.direction == "pseudo" or not any(ps <= s and e <= pe for ps, pe in pseudo)
        ]

    def __call__(self, doc: Doc) -> Doc:
        """Set ``_.syscause_negated`` / ``_.syscause_hypothetical`` on the spans in scope."""
        spans = [sp for key in self.span_keys if key in doc.spans for sp in doc.spans[key]]
        if not spans:
            return doc
        triggers = self._triggers(doc)
        if not triggers:
            return doc
        terminators = [s for s, _, r in triggers if r.direction == "termination"]
        scoped = [t for t in triggers if t[2].direction in ("preceding", "following")]
        sent_id = _sentence_ids(doc)
        for span in spans:
            here = sent_id[span.start]
            for t_start, t_end, rule in scoped:
                if sent_id[t_start] != here or sent_id[t_end - 1] != here:
                    continue
                if t_start < span.end and span.start < t_end:
                    continue  # the trigger is part of the evidence phrase itself
                if rule.direction == "preceding" and t_end <= span.start:
                    gap = (t_end, span.start)
                elif rule.direction == "following" and span.end <= t_start:
                    gap = (span.end, t_start)
                else:
                    continue
                if gap[1] - gap[0] > self.window:
                    continue
                if any(gap[0] <= term < gap[1] for term in terminators):
                    continue
                if rule.category == "negation":
                    span._.syscause_negated = True
                else:
                    span._.syscause_hypothetical = True
                span._.syscause_trigger = rule.id
        return doc
