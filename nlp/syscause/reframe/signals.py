"""What a candidate rewrite says to the rule layer: its factor evidence and blame cues.

A rewrite must state no new cause and drop none (the same factor evidence labels as the
original sentence) and carry no blame cue of its own; candidates are checked with the
shipped evidence and cue rules (token patterns, no parser).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from syscause.pipeline.extensions import CUES_KEY, EVIDENCE_KEY
from syscause.rules import mention_rule_ids
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


def evidence_keys(doc: Doc) -> list[tuple[int, str]]:
    """Each factor evidence span of an analysed doc as (start_char, ``label:NH``).

    A topic mention ("staff", "alert") that is neither negated nor hypothetical is left
    out: it asserts nothing and no scorer counts it (see ``collect_evidence``), so a
    rewrite may drop it ("Staff careless.").
    """
    mentions = mention_rule_ids()
    out = []
    for sp in doc.spans.get(EVIDENCE_KEY, []):
        negated, hypothetical = sp._.syscause_negated, sp._.syscause_hypothetical
        if sp.id_ in mentions and not (negated or hypothetical):
            continue
        out.append((sp.start_char, f"{sp.label_}:{int(negated)}{int(hypothetical)}"))
    return out


@lru_cache(maxsize=4096)
def signals(text: str, rules: Language) -> Signals:
    """The rule layer's reading of a text."""
    doc = rules(clean_for_nlp(text))
    evidence = frozenset(key for _, key in evidence_keys(doc))
    return Signals(evidence, len(doc.spans.get(CUES_KEY, [])))


def acceptable(
    rewrite: str, start: int, end: int, evidence: list[tuple[int, str]], *, rules: Language
) -> bool:
    """True where the rewrite has no blame cue and, put in place of ``narrative[start:end]``,
    leaves the narrative's factor evidence as it was (no cause added or lost).

    ``evidence`` is the narrative's :func:`evidence_keys`. Context scope never crosses a
    sentence, so the rewritten narrative's evidence is that of the other sentences plus the
    rewrite's own: only the short rewrite is run through the rule layer, not the narrative.
    """
    found = signals(rewrite, rules)
    if found.cues:
        return False
    whole = {key for _, key in evidence}
    others = {key for pos, key in evidence if not start <= pos < end}
    return others | found.evidence == whole
