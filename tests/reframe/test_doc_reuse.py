"""The archive path reuses the analysed doc for reframing; it must change nothing.

``Pipeline`` passes its analysed doc to :func:`suggest_reframes`; without one the narrative
is analysed there. Sentences come from the doc's token arrays and must be the doc's own
sentences; both ways must give the same suggestions.
"""

from __future__ import annotations

import pytest

from syscause.corpora import read_records
from syscause.reframe import suggest_reframes
from syscause.reframe.sentences import sentence_spans
from syscause.text import clean_for_nlp

EDGE_CASES = [
    "RN failed to check the armband.\n\n\nThe MD was careless.  \n",
    "\n  Nurse forgot to chart the dose. Counseled.\n\n",
    "Tech did not read the label;  the pharmacist should have caught it.",
]


def _narratives() -> list[str]:
    records = read_records("healthcare", "test")
    blamed = [r["text"] for r in records if r.get("framing") in ("individual", "mixed")]
    return EDGE_CASES + blamed[:60]


def _sents_stripped(text, doc):
    out = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            out.append((start, end))
    return out


@pytest.mark.parametrize("text", EDGE_CASES)
def test_sentences_from_token_arrays_are_the_docs_sentences(pipeline, text):
    doc = pipeline.nlp(clean_for_nlp(text))
    assert sentence_spans(text, doc) == _sents_stripped(text, doc)


def test_suggestions_with_the_analysed_doc_equal_those_without(pipeline):
    compared = 0
    for text in _narratives():
        result = pipeline.analyze(text)
        doc = pipeline.nlp(clean_for_nlp(text))
        kwargs = {"taxonomy": pipeline.taxonomy, "rules": pipeline.nlp}
        cues, labels = result.blame.cues, result.labels
        with_doc = suggest_reframes(text, cues, labels, doc=doc, **kwargs)
        assert with_doc == suggest_reframes(text, cues, labels, **kwargs)
        compared += bool(with_doc)
    assert compared >= 30  # the comparison covered real rewrites, not empty tuples
