"""Sentence segmentation for incident narratives, without a parser."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_ENDERS = frozenset({".", "!", "?", "...", "…", "!!", "??", "?!"})
_CLOSERS = frozenset({'"', "'", ")", "]", "”", "’"})


class NarrativeSentencizer:
    """Split on sentence-final punctuation and on line breaks.

    Reports are often typed as lists or in lines without full stops, so a line break
    starts a sentence too; closing quotes and brackets stay with their sentence.
    """

    def __init__(self, nlp: Language, name: str = "syscause_sentencizer") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Set ``is_sent_start`` on every token of ``doc``."""
        if not len(doc):
            return doc
        doc[0].is_sent_start = True
        boundary = False
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            text = prev.text
            if text in _ENDERS or (prev.is_space and "\n" in text):
                boundary = True
            if boundary and not (tok.text in _CLOSERS or tok.text in _ENDERS or tok.is_space):
                tok.is_sent_start = True
                boundary = False
            else:
                tok.is_sent_start = False
        return doc
