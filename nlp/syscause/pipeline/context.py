"""Negation and hypothetical scope for evidence spans (ConText-style, termsets as data)."""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

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

    def _mark(self, spans: list[Span], triggers: list[tuple[int, int, ContextRule]]) -> None:
        """Apply the triggers of one sentence to the spans of that sentence."""
        terminators = [s for s, _, r in triggers if r.direction == "termination"]
        # A trigger inside a longer evidence phrase ("no" in "no ICU beds") belongs to that
        # phrase: it states the factor and must not negate its neighbours.
        inside = [(sp.start, sp.end) for sp in spans if sp.end - sp.start > 1]
        scoped = [
            t
            for t in triggers
            if t[2].direction in ("preceding", "following")
            and not any(s <= t[0] and t[1] <= e and e - s > t[1] - t[0] for s, e in inside)
        ]
        for span in spans:
            for t_start, t_end, rule in scoped:
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

    def _triggers(self, doc: Doc) -> list[tuple[int, int, ContextRule]]:
        found = [(s, e, self._by_key[k]) for k, s, e in self._matcher(doc)]
        pseudo = sorted((s, e) for s, e, r in found if r.direction == "pseudo")
        if not pseudo:
            return found
        # A trigger that sits inside a pseudo-trigger ("no" in "no longer") does not count.
        # Sorted starts and a running maximum of ends answer "is (s, e) inside one?" in
        # log time, so long narratives stay linear.
        starts = [ps for ps, _ in pseudo]
        reach = list(itertools.accumulate((pe for _, pe in pseudo), max))

        def inside(s: int, e: int) -> bool:
            k = bisect.bisect_right(starts, s) - 1
            return k >= 0 and reach[k] >= e

        return [(s, e, r) for s, e, r in found if r.direction == "pseudo" or not inside(s, e)]

    def __call__(self, doc: Doc) -> Doc:
        """Set ``_.syscause_negated`` / ``_.syscause_hypothetical`` on the spans in scope."""
        spans = [sp for key in self.span_keys if key in doc.spans for sp in doc.spans[key]]
        if not spans:
            return doc
        triggers = self._triggers(doc)
        if not triggers:
            return doc
        sent_id = _sentence_ids(doc)
        # Scope never crosses a sentence, so triggers and spans are grouped by sentence:
        # the work stays linear in the length of the narrative.
        by_sent: dict[int, list[tuple[int, int, ContextRule]]] = defaultdict(list)
        for t in triggers:
            if sent_id[t[0]] == sent_id[t[1] - 1]:
                by_sent[int(sent_id[t[0]])].append(t)
        spans_by_sent: dict[int, list[Span]] = defaultdict(list)
        for sp in spans:
            spans_by_sent[int(sent_id[sp.start])].append(sp)
        for sid, sent_spans in spans_by_sent.items():
            sent_triggers = by_sent.get(sid)
            if sent_triggers:
                self._mark(sent_spans, sent_triggers)
        return doc
