"""What a candidate rewrite says to the rule layer: its factor evidence and blame cues.

A rewrite must state no new cause and drop none (the same factor evidence labels as the
original sentence) and carry no blame cue of its own; candidates are checked with the
shipped evidence and cue rules (token patterns, no parser).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language

from syscause.pipeline.extensions import CUES_KEY, EVIDENCE_KEY
from syscause.text import clean_for_nlp


@dataclass(frozen=True, slots=True)
class Signals:
    """Factor evidence as ``label:NH`` (negated, hypothetical flags), and the cue count."""

    evidence: frozenset[str]
    cues: int


@lru_cache(maxsize=2)
def default_rules(with_parser: bool) -> Language:
    """The analysis pipeline's rule layer, built once (a loaded Pipeline's ``nlp`` is better)."""
    from syscause.pipeline import build_nlp

    return build_nlp(use_parser=with_parser)


@lru_cache(maxsize=4096)
def signals(text: str, rules: Language) -> Signals:
    """The rule layer's reading of a text."""
    doc = rules(clean_for_nlp(text))
    evidence = frozenset(
        f"{sp.label_}:{int(sp._.syscause_negated)}{int(sp._.syscause_hypothetical)}"
        for sp in doc.spans.get(EVIDENCE_KEY, [])
    )
    return Signals(evidence, len(doc.spans.get(CUES_KEY, [])))


def acceptable(rewrite: str, narrative: str, start: int, end: int, *, rules: Language) -> bool:
    """True where the rewrite has no blame cue and, put in place of ``narrative[start:end]``,
    leaves the narrative's factor evidence as it was (no cause added or lost)."""
    if signals(rewrite, rules).cues:
        return False
    rewritten = narrative[:start] + rewrite + narrative[end:]
    return signals(rewritten, rules).evidence == signals(narrative, rules).evidence
