"""Sentence spans of a narrative, split the way the analysis pipeline splits them."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc


@lru_cache(maxsize=1)
def _splitter() -> Language:
    import spacy

    from syscause.pipeline import factories  # noqa: F401  (registers the factories)

    nlp = spacy.blank("en")
    # the pipeline's own sentencizer, so that cue offsets fall in the same sentences
    nlp.add_pipe("syscause_sentencizer")
    return nlp


def sentence_spans(text: str, doc: Doc | None = None) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence, surrounding whitespace excluded.

    ``doc``, where given, is ``text`` already analysed by the pipeline: its sentences are
    used instead of splitting the text again.
    """
    from syscause.text import clean_for_nlp

    if doc is not None:
        return _spans_of_doc(text, doc)
    doc = _splitter()(clean_for_nlp(text))
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


def _spans_of_doc(text: str, doc: Doc) -> list[tuple[int, int]]:
    """:func:`sentence_spans` from the token arrays of an analysed doc (``doc.sents``
    builds a Python object per sentence and per token it looks at)."""
    import numpy as np
    from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START

    from syscause.learned.features import sentence_chars

    if not len(doc):
        return []
    arr = doc.to_array([SENT_START, IDX, LENGTH, IS_SPACE])
    starts = arr[:, 0] == 1
    starts[0] = True
    spans = sentence_chars(np.flatnonzero(starts), arr[:, 1], arr[:, 2], arr[:, 3] == 1)
    return [(s, e) for s, e in spans if text[s:e].strip()]
