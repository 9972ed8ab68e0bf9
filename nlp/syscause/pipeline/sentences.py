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
    found with array operations on the token hashes, with no loop over tokens, so the cost
    per document stays a small fraction of tokenizing it.
    """

    def __init__(self, nlp: Language, name: str = "syscause_sentencizer") -> None:
        self.name = name
        self.vocab = nlp.vocab
        strings = nlp.vocab.strings
        self._enders = np.array([strings.add(t) for t in _ENDERS], dtype=np.uint64)
        self._closers = np.array([strings.add(t) for t in _CLOSERS], dtype=np.uint64)
        self._has_newline: dict[int, bool] = {}  # whitespace token hash -> holds a line break

    def _line_breaks(self, orths: list[int]) -> list[bool]:
        """Whether each whitespace token (given by hash) holds a line break (cached)."""
        cache = self._has_newline
        out = []
        for orth in orths:
            found = cache.get(orth)
            if found is None:
                found = cache[orth] = "\n" in self.vocab.strings[orth]
            out.append(found)
        return out

    def __call__(self, doc: Doc) -> Doc:
        """Set sentence starts on ``doc``."""
        n = len(doc)
        if not n:
            return doc
        arr = doc.to_array([ORTH, IS_SPACE])
        orth, space = arr[:, 0], arr[:, 1].astype(bool)
        # A handful of punctuation hashes: a broadcast comparison beats np.isin here.
        ends = (orth[:, None] == self._enders).any(axis=1)
        closers = (orth[:, None] == self._closers).any(axis=1)
        spaces = np.flatnonzero(space)
        if spaces.size:
            ends[spaces[self._line_breaks(orth[spaces].tolist())]] = True
        skip = ends | closers | space
        # A sentence starts at the first token that is not skipped (punctuation, closers,
        # whitespace) after a sentence end: i.e. at each kept token with an end somewhere
        # between it and the kept token before it. Every end is itself a skipped token.
        kept = np.flatnonzero(~skip)
        ends_before = np.concatenate(([0], np.cumsum(ends)))  # ends among tokens [0, i)
        previous = np.concatenate(([-1], kept[:-1]))
        is_start = ends_before[kept] - ends_before[previous + 1] > 0
        starts = np.full(n, -1, dtype=np.int64)
        starts[kept[is_start]] = 1
        starts[0] = 1
        # spaCy reads the array as uint64: -1 ("not a start") wraps as it does in to_array.
        values: Any = starts.astype(np.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], values)
        return doc
