"""What a candidate rewrite says to the rule layer: its factor evidence and blame cues.

A rewrite must carry no blame cue of its own and keep the factor evidence; candidates are
checked with the shipped evidence and cue rules (token patterns, no parser). Where the
pipeline's factor model also checks the rewrite (the learned pipelines), the rule check
asks only that no evidence outside the blame cues is lost, whatever its mood: the factor
model decides whether the labels stay, and a rule that read the blame phrase itself as
evidence ("tech error", "did not scan") must not pin the blame in place. Otherwise (the
rule evidence is what asserts the labels) the evidence must stay exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from syscause.pipeline.extensions import CUES_KEY, EVIDENCE_KEY
from syscause.rules import mention_rule_ids
from syscause.text import clean_for_nlp


@dataclass(frozen=True, slots=True)
class Signals:
    """Factor evidence as ``label:NH`` (negated, hypothetical flags), the labels of every
    evidence span (topic mentions included), and the cue count."""

    evidence: frozenset[str]
    mentioned: frozenset[str]
    cues: int


@lru_cache(maxsize=2)
def default_rules(with_parser: bool) -> Language:
    """The analysis pipeline's rule layer, built once (a loaded Pipeline's ``nlp`` is better)."""
    from syscause.pipeline import build_nlp

    return build_nlp(use_parser=with_parser)


class EvidenceKey(NamedTuple):
    """One factor evidence span of a narrative: its character offsets and ``label:NH``."""

    start: int
    end: int
    key: str


def evidence_keys(doc: Doc) -> list[EvidenceKey]:
    """Each factor evidence span of an analysed doc as its offsets and ``label:NH``.

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
        key = f"{sp.label_}:{int(negated)}{int(hypothetical)}"
        out.append(EvidenceKey(sp.start_char, sp.end_char, key))
    return out


@lru_cache(maxsize=4096)
def signals(text: str, rules: Language) -> Signals:
    """The rule layer's reading of a text."""
    doc = rules(clean_for_nlp(text))
    evidence = frozenset(ev.key for ev in evidence_keys(doc))
    mentioned = frozenset(sp.label_ for sp in doc.spans.get(EVIDENCE_KEY, []))
    return Signals(evidence, mentioned, len(doc.spans.get(CUES_KEY, [])))


_NEGATED = (":10", ":11")


def _label(key: str) -> str:
    return key.partition(":")[0]


def acceptable(
    rewrite: str,
    start: int,
    end: int,
    evidence: Sequence[EvidenceKey],
    *,
    rules: Language,
    blame_spans: Sequence[tuple[int, int]] | None = None,
) -> bool:
    """True where the rewrite has no blame cue and, put in place of ``narrative[start:end]``,
    keeps the narrative's factor evidence.

    ``evidence`` is the narrative's :func:`evidence_keys`. Without ``blame_spans`` the
    evidence must stay exactly as it was (no cause added or lost, same moods). With the
    blame cues' ``(start, end)`` offsets (where a factor model checks the labels after
    this) every label with stated or hypothetical evidence outside those spans must keep
    some evidence, in any mood: a restated "should have escalated per policy" still
    names the policy.
    Context scope never crosses a sentence, so the rewritten narrative's evidence is that
    of the other sentences plus the rewrite's own: only the short rewrite is run through
    the rule layer, not the narrative.
    """
    found = signals(rewrite, rules)
    if found.cues:
        return False
    others = {ev.key for ev in evidence if not start <= ev.start < end}
    if blame_spans is None:
        return others | found.evidence == {ev.key for ev in evidence}
    kept = {_label(key) for key in others} | found.mentioned
    needed = {
        _label(ev.key)
        for ev in evidence
        if not ev.key.endswith(_NEGATED)
        and not any(s < ev.end and ev.start < e for s, e in blame_spans)
    }
    return needed <= kept
