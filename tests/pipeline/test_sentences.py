"""Sentence segmentation without a parser."""

from __future__ import annotations

import pytest
import spacy

from syscause.pipeline.sentences import NarrativeSentencizer


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Pt fell. No injury. MD notified", ["Pt fell.", "No injury.", "MD notified"]),
        ("Line one\nline two\n\nline three", ["Line one\n", "line two\n\n", "line three"]),
        ("Why?? Nobody knows!", ["Why??", "Nobody knows!"]),
        ("He said (see note). Then left", ["He said (see note).", "Then left"]),
        ("NO PUNCTUATION AT ALL IN THIS ONE", ["NO PUNCTUATION AT ALL IN THIS ONE"]),
        ("Ends with a stop.", ["Ends with a stop."]),
    ],
)
def test_boundaries(text, sentences):
    nlp = spacy.blank("en")
    seg = NarrativeSentencizer(nlp)
    doc = seg(nlp.make_doc(text))
    assert [s.text for s in doc.sents] == sentences


def test_empty_doc():
    nlp = spacy.blank("en")
    doc = NarrativeSentencizer(nlp)(nlp.make_doc(""))
    assert len(doc) == 0


def _reference_starts(doc):
    """The boundary rule spelled out token by token (the array version must agree)."""
    enders = {".", "!", "?", "...", "…", "!!", "??", "?!", "!!!", "???"}
    skip = enders | {'"', "'", ")", "]", "\u201d", "\u2019"}
    starts, pending = [0], False
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.text in enders or (prev.is_space and "\n" in prev.text):
            pending = True
        if pending and not (tok.text in skip or tok.is_space):
            starts.append(tok.i)
            pending = False
    return starts


@pytest.mark.parametrize(
    "text",
    [
        '"Stop." he said.\n\n  next one',
        "...",
        "\n\nA line\n",
        'a ."b" c. d',
        '?"\n) x',
        " . . y",
        "Pt fell!! ?? Then (see note) ... ok\n- item\n- item two",
    ],
)
def test_matches_the_token_by_token_rule(text):
    nlp = spacy.blank("en")
    doc = NarrativeSentencizer(nlp)(nlp.make_doc(text))
    assert [s.start for s in doc.sents] == _reference_starts(doc)
