"""All syscause spaCy factories, registered in one place with what they need and assign."""

from __future__ import annotations

from spacy.language import Language

from syscause.pipeline.context import ContextScope
from syscause.pipeline.extensions import CUES_KEY, EVIDENCE_KEY
from syscause.pipeline.pattern_ruler import PatternRuler
from syscause.pipeline.person_failure import PersonFailureCues, load_parser
from syscause.pipeline.sentences import NarrativeSentencizer
from syscause.rules import load_context_rules, load_cue_rules, load_evidence_rules


@Language.factory("syscause_sentencizer", assigns=["token.is_sent_start"])
def make_sentencizer(nlp: Language, name: str) -> NarrativeSentencizer:
    """Sentence boundaries from punctuation and line breaks."""
    return NarrativeSentencizer(nlp, name)


@Language.factory(
    "syscause_evidence_ruler",
    assigns=["doc.spans"],
    default_config={"spans_key": EVIDENCE_KEY},
)
def make_evidence_ruler(nlp: Language, name: str, spans_key: str) -> PatternRuler:
    """Factor evidence patterns from ``resources/rules/evidence.jsonl``."""
    rules = [(r.id, r.label, r.pattern) for r in load_evidence_rules()]
    return PatternRuler(nlp, name, spans_key=spans_key, rules=rules)


@Language.factory(
    "syscause_context",
    requires=["token.is_sent_start", "doc.spans"],
    assigns=["span._.syscause_negated", "span._.syscause_hypothetical"],
    default_config={"span_keys": [EVIDENCE_KEY], "window": 8},
)
def make_context(nlp: Language, name: str, span_keys: list[str], window: int) -> ContextScope:
    """Negation and hypothetical scope from ``resources/rules/context.jsonl``."""
    return ContextScope(nlp, name, rules=load_context_rules(), span_keys=span_keys, window=window)


@Language.factory(
    "syscause_blame_cues",
    assigns=["doc.spans"],
    default_config={"spans_key": CUES_KEY},
)
def make_blame_cues(nlp: Language, name: str, spans_key: str) -> PatternRuler:
    """Blame-framing cue patterns from ``resources/rules/blame_cues.jsonl``."""
    rules = [(r.id, r.type, r.pattern) for r in load_cue_rules()]
    return PatternRuler(nlp, name, spans_key=spans_key, rules=rules)


@Language.factory(
    "syscause_person_failure",
    requires=["token.is_sent_start"],
    assigns=["doc.spans"],
    default_config={"spans_key": CUES_KEY, "max_sentence_chars": 1000},
)
def make_person_failure(
    nlp: Language, name: str, spans_key: str, max_sentence_chars: int
) -> PersonFailureCues:
    """Parse-based person-subject + failure-verb cues (needs the English parser)."""
    parser = load_parser()
    if parser is None:
        raise ValueError("syscause_person_failure needs the English parser package")
    return PersonFailureCues(
        nlp, name, spans_key=spans_key, parser=parser, max_sentence_chars=max_sentence_chars
    )
