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

    if doc is None:
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
