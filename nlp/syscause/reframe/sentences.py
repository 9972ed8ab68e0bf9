"""Sentence spans of an analysed narrative, as the analysis pipeline split it."""

from __future__ import annotations

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.tokens import Doc


def sentence_spans(text: str, doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence, surrounding whitespace excluded.

    ``doc`` is ``text`` as the pipeline analysed it; the spans come from its token arrays
    (``doc.sents`` builds a Python object per sentence and per token it looks at).
    """
    from syscause.learned.features import sentence_chars

    if not len(doc):
        return []
    arr = doc.to_array([SENT_START, IDX, LENGTH, IS_SPACE])
    starts = arr[:, 0] == 1
    starts[0] = True
    spans = sentence_chars(np.flatnonzero(starts), arr[:, 1], arr[:, 2], arr[:, 3] == 1)
    return [(s, e) for s, e in spans if text[s:e].strip()]
