"""Sentence segmentation for incident narratives, without a parser."""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

_ENDERS = (".", "!", "?", "...", "…", "!!", "??", "?!", "!!!", "???")
# Closing quotes and brackets, typographic ones included, stay with their sentence.
_CLOSERS = ('"', "'", ")", "]", "\u201d", "\u2019")


class NarrativeSentencizer:
    """Split on sentence-final punctuation and on line breaks.

    Reports are often typed as lists or lines without full stops, so a line break starts a
    sentence too; closing quotes and brackets stay with their sentence. Boundaries are
    found on the token arrays, so the cost per document barely grows with its length.
    """

    def __init__(self, nlp: Language, name: str = "syscause_sentencizer") -> None:
        self.name = name
        strings = nlp.vocab.strings
        self._enders = np.array([strings.add(t) for t in _ENDERS], dtype=np.uint64)
        self._skip = np.array([strings.add(t) for t in _ENDERS + _CLOSERS], dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        """Set sentence starts on ``doc``."""
        n = len(doc)
        if not n:
            return doc
        arr = doc.to_array([ORTH, IS_SPACE])
        orth, space = arr[:, 0], arr[:, 1].astype(bool)
        ends = np.isin(orth, self._enders)
        for i in np.flatnonzero(space):
            if "\n" in doc[int(i)].text:
                ends[i] = True
        skip = np.isin(orth, self._skip) | space
        starts = np.full(n, -1, dtype=np.int32)
        starts[0] = 1
        j = 0
        for e in np.flatnonzero(ends):
            j = max(j, int(e) + 1)
            while j < n and skip[j]:
                j += 1
            if j < n:
                starts[j] = 1
        # spaCy reads the array as uint64: -1 ("not a start") wraps as it does in to_array.
        values: Any = starts.astype(np.int64).astype(np.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], values)
        return doc
