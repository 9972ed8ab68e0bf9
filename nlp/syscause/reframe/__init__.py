"""Reframing: system-oriented rewrites of blame-framed sentences, and investigator questions.

For each sentence holding an individual-blame cue (person failure, evaluative,
counterfactual, disciplinary), :func:`suggest_reframes` gives a :class:`Reframe`: the
sentence's offsets, a rewrite built by grammar-aware transformations (never free generation)
and 1-3 questions drawn from the detected factors' definitions, or from the factors most
often behind that kind of event. A rewrite that would add a fact (number, drug, role, time,
proper noun) not in the narrative is dropped: the suggestion is then questions only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from syscause.reframe.data import STATEMENT_VARIANTS, lexicon
from syscause.reframe.guard import adds_no_facts
from syscause.reframe.questions import questions_for
from syscause.reframe.rewrite import (
    NOT_AGENTS,
    SentenceCue,
    finish,
    is_shouting,
    replace_judgement_clauses,
    rewrite_parsed,
    rewrite_tokens,
    soften,
    unshout,
)
from syscause.reframe.sentences import sentence_spans
from syscause.reframe.signals import EvidenceKey, acceptable, default_rules, evidence_keys
from syscause.schemas import Cue, Reframe
from syscause.text import clean_for_nlp

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from syscause.taxonomy import Taxonomy

__all__ = [
    "BLAME_CUE_TYPES",
    "LABEL_MARGIN",
    "Edit",
    "FactorCheck",
    "apply_edits",
    "apply_reframes",
    "names_a_person",
    "reframe_edits",
    "suggest_reframes",
]

Edit = tuple[int, int, str]  # (start, end, rewrite): narrative[start:end] replaced


class FactorCheck(Protocol):
    """Whether the narrative with the edits in place is read as stating the same factors;
    with a ``margin``, a label whose score ends that close to its threshold counts as kept."""

    def __call__(self, edits: Sequence[Edit], margin: float = 0.0) -> bool: ...


BLAME_CUE_TYPES = ("person_failure", "evaluative", "counterfactual", "disciplinary")
# Sentences longer than this are not parsed (as in the cue pipeline); the fallback applies.
MAX_PARSE_CHARS = 1000
# Where no sentence of a narrative restates keeping every factor label, one sentence may
# still move a label whose score ends this close to its threshold: a borderline decision,
# within the model's own noise, so that the narrative gets at least one rewrite.
LABEL_MARGIN = 0.03


# a statement verb right after a conjunction or article, or an action after "not done"
# without the lead's colon: the parse put the statement in the wrong place
_BROKEN = re.compile(
    r"\b(?:and|or|but|the|a|an|to|of)\s+(?:was|were)\s+not\b|\bnot\s+done\s+\w+ing\b",
    re.IGNORECASE,
)
# quoted words: what someone said or wrote stays verbatim
_QUOTED = re.compile(
    r"[\"\u201c\u201d]([^\"\u201c\u201d]{1,300})[\"\u201c\u201d]"
    r"|(?<![A-Za-z])'([^']{1,300})'(?![A-Za-z])"
)


_WORDS = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


def names_a_person(sentence: str) -> bool:
    """True where the sentence names someone whose conduct it could judge: a role word or
    a personal pronoun, not a patient or a relative ("the pt did not need oxygen")."""
    roles = lexicon().roles - NOT_AGENTS
    return any(w in roles or w == "you" for w in _WORDS.findall(sentence.lower()))


def _quotes(text: str) -> set[str]:
    return {a or b for a, b in _QUOTED.findall(text)}


def _clause_key(cue_types: Sequence[str], structural: bool, negative_cf: bool) -> str:
    if structural:
        if negative_cf:
            return "counterfactual_negative"
        return "counterfactual" if "counterfactual" in cue_types else "person_failure"
    return "disciplinary" if "disciplinary" in cue_types else "evaluative"


def _candidates(original: str, cues: list[SentenceCue], parsed: Doc | None) -> list[str]:
    """Rewrites of one sentence, preferred first: parse-based passive, gerund, token fallback.

    Each body may end in the cue type's question clause, or in the plain one, or in none.
    """
    from syscause.reframe.data import templates

    clauses = templates().cue_clauses
    structural: list[tuple[str, bool] | None] = []
    if parsed is not None:
        structural += [
            rewrite_parsed(parsed, cues, "passive"),
            rewrite_parsed(parsed, cues, "gerund"),
        ]
    structural.append(rewrite_tokens(original, cues))
    if not any(structural):
        structural.append(soften(original))
    found: list[tuple[str, bool] | None] = [s for s in structural if s is not None] or [None]
    out: list[str] = []
    shouting = is_shouting(original)
    types = [c.type for c in cues]
    # the writer's own "and was not rushed" is no sign of a broken rewrite
    broken_before = len(_BROKEN.findall(original))
    # the other wordings of the fixed statements come last
    for variant in ("", *STATEMENT_VARIANTS):
        for item in found:
            body, negative_cf = item if item is not None else (original, False)
            body, judged = replace_judgement_clauses(body, cues, variant)
            if item is None and not judged:
                continue  # nothing this grammar can restate: the questions stand alone
            key = _clause_key(types, item is not None, negative_cf)
            for clause in dict.fromkeys([clauses[key], clauses["counterfactual"], ""]):
                text = finish(body, clause, shouting)
                if text not in out and len(_BROKEN.findall(text)) <= broken_before:
                    out.append(text)
    return out


def _rewrite(
    narrative: str,
    start: int,
    end: int,
    cues: list[SentenceCue],
    parsed: Doc | None,
    rules: Language,
    evidence: list[EvidenceKey],
    keeps_factors: FactorCheck | None = None,
    accepted: Sequence[Edit] = (),
    margin: float = 0.0,
) -> str | None:
    """The first candidate that adds no fact, keeps the factor evidence and drops the blame.

    ``evidence`` is the narrative's evidence as analysed (see :func:`evidence_keys`);
    ``keeps_factors``, where given, is asked last, with the rewrites ``accepted`` so far
    and this candidate in place (and ``margin``); the rule check before it then lets the
    evidence that lies in the blame cues change (see :func:`acceptable`).
    """
    original = narrative[start:end]
    quoted = _quotes(original)
    blame_spans = None
    if keeps_factors is not None:
        blame_spans = [(start + c.start, start + c.end) for c in cues]
    for candidate in _candidates(original, cues, parsed):
        if not _quotes(candidate) <= quoted:
            continue  # a quotation was changed: words put in someone's mouth
        # the sentence alone licenses most rewrites; the narrative is read only when not
        if not (
            adds_no_facts(candidate, original) or adds_no_facts(candidate, original, narrative)
        ):
            continue
        if not acceptable(candidate, start, end, evidence, rules=rules, blame_spans=blame_spans):
            continue
        if keeps_factors is None or keeps_factors([*accepted, (start, end, candidate)], margin):
            return candidate
    return None


def _parse(parser: Language | None, sentences: list[str]) -> list[Doc | None]:
    if parser is None:
        return [None] * len(sentences)
    todo = [unshout(s) if is_shouting(s) else s for s in sentences]
    keep = [i for i, s in enumerate(todo) if len(s) <= MAX_PARSE_CHARS]
    out: list[Doc | None] = [None] * len(sentences)
    for i, doc in zip(keep, parser.pipe(todo[i] for i in keep), strict=True):
        out[i] = doc
    return out


def suggest_reframes(
    text: str,
    cues: Sequence[Cue],
    factor_labels: Sequence[str],
    *,
    taxonomy: Taxonomy,
    parser: Language | None = None,
    rules: Language | None = None,
    doc: Doc | None = None,
    keeps_factors: FactorCheck | None = None,
) -> tuple[Reframe, ...]:
    """One suggestion per sentence of ``text`` that holds an individual-blame cue.

    ``cues`` are the narrative's blame cues (offsets into ``text``), ``factor_labels`` its
    asserted factor labels; ``parser`` is the English parser (``None``: token patterns).
    ``rules`` is the analysis pipeline (a loaded ``Pipeline.nlp``) used to check that a
    rewrite carries no blame cue and leaves the factor evidence as it was; built once
    when not given. ``doc`` is ``text`` as ``rules`` analysed it, where the caller has it
    (analysed here otherwise): its sentences and evidence are reused.
    ``keeps_factors``, where given, is called with rewrites as ``(start, end, rewrite)``
    edits (those accepted so far and a candidate) and says whether the narrative with them
    in place is read as stating the same factors; a candidate it rejects is not used (a
    pipeline passes its factor model here, so that a rewrite never changes which factors
    the narrative is read as stating).
    """
    blame_cues = sorted((c for c in cues if c.type in BLAME_CUE_TYPES), key=lambda c: c.start)
    if not blame_cues or not text.strip():
        return ()
    if rules is None:
        rules = default_rules(parser is not None)
    if doc is None:
        doc = rules(clean_for_nlp(text))
    spans = []
    for start, end in sentence_spans(text, doc):
        inside = [c for c in blame_cues if start <= c.start < end]
        if inside:
            rel = [
                SentenceCue(c.start - start, min(c.end, end) - start, c.type, c.text)
                for c in inside
            ]
            spans.append((start, end, rel))
    if not spans:
        return ()
    originals = [text[s:e] for s, e, _ in spans]
    evidence = evidence_keys(doc)
    parses = _parse(parser, originals)
    rewrites: list[str | None] = []
    accepted: list[Edit] = []  # the rewrites applied together must keep the factors too
    for (start, end, rel), parsed in zip(spans, parses, strict=True):
        rewrite = _rewrite(text, start, end, rel, parsed, rules, evidence, keeps_factors, accepted)
        rewrites.append(rewrite)
        if rewrite is not None:
            accepted.append((start, end, rewrite))
    if not accepted and keeps_factors is not None:
        # no sentence restates keeping every label: one may move a borderline label
        for k, ((start, end, rel), parsed) in enumerate(zip(spans, parses, strict=True)):
            rewrites[k] = _rewrite(
                text, start, end, rel, parsed, rules, evidence, keeps_factors, (), LABEL_MARGIN
            )
            if rewrites[k] is not None:
                break
    out = []
    for (start, end, rel), original, rewrite in zip(spans, originals, rewrites, strict=True):
        questions = questions_for([c.type for c in rel], factor_labels, text, taxonomy)
        out.append(Reframe(start, end, original, rewrite, questions))
    return tuple(out)


def reframe_edits(reframes: Sequence[Reframe]) -> list[Edit]:
    """The rewrites as ``(start, end, rewrite)`` edits: in order, none overlapping the one
    before, questions-only suggestions left out (what :func:`apply_reframes` applies)."""
    edits: list[Edit] = []
    for r in sorted(reframes, key=lambda r: r.start):
        if r.rewrite is not None and (not edits or r.start >= edits[-1][1]):
            edits.append((r.start, r.end, r.rewrite))
    return edits


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with each ``(start, end, rewrite)`` edit (in order, not overlapping) made."""
    pieces, pos = [], 0
    for start, end, rewrite in edits:
        pieces.extend([text[pos:start], rewrite])
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def apply_reframes(text: str, reframes: Sequence[Reframe]) -> str:
    """``text`` with each suggestion's sentence replaced by its rewrite (kept where None)."""
    return apply_edits(text, reframe_edits(reframes))
