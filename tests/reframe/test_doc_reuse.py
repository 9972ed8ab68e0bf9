"""The archive path reuses the analysed doc for reframing; it must change nothing.

``Pipeline`` passes its analysed doc to :func:`suggest_reframes` (sentences from its token
arrays, the rewrite check reading only the rewrite against the doc's evidence); without a
doc the narrative is split and re-read whole. Both must give the same suggestions.
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


@pytest.mark.parametrize("text", EDGE_CASES)
def test_sentences_of_the_doc_are_the_split_sentences(pipeline, text):
    doc = pipeline.nlp(clean_for_nlp(text))
    assert sentence_spans(text, doc) == sentence_spans(text)


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
