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
