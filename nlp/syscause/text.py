"""Pure text helpers (no spaCy): cleaning that keeps offsets, and input sanity checks."""

from __future__ import annotations

import re
import unicodedata

# Control characters other than tab, newline and carriage return confuse tokenizers and
# terminals; replacing each with one space keeps every character offset valid.
# C0/C1 controls, and lone surrogates (which no encoder, spaCy's included, can write)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# Frequent English function words: a narrative of some length with almost none of them is
# probably not English. Clinical and aviation shorthand still carries these words.
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "has",
        "had",
        "have",
        "not",
        "no",
        "this",
        "that",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "my",
        "our",
        "his",
        "her",
        "their",
        "pt",
        "patient",
        "after",
        "before",
        "when",
        "then",
        "while",
        "during",
        "into",
        "out",
        "up",
        "off",
        "all",
        "any",
        "who",
        "which",
        "what",
        "would",
        "could",
        "should",
        "did",
        "do",
        "does",
        "as",
        "so",
        "if",
        "than",
        "there",
        "here",
        "per",
        "w",
    ]
)
# Function words of the languages most often met in mixed archives (Spanish, French, German,
# Italian, Portuguese), minus those that are also English words ("a", "no", "die", "in").
_OTHER_WORDS = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "del",
        "que",
        "y",
        "por",
        "con",
        "una",
        "uno",
        "es",
        "está",
        "estaba",
        "para",
        "pero",
        "muy",
        "se",
        "su",
        "sus",
        "le",
        "les",
        "des",
        "et",
        "est",
        "une",
        "du",
        "au",
        "avec",
        "pour",
        "pas",
        "qui",
        "dans",
        "sur",
        "und",
        "der",
        "das",
        "nicht",
        "ist",
        "ein",
        "eine",
        "mit",
        "auf",
        "für",
        "dem",
        "den",
        "sie",
        "il",
        "di",
        "che",
        "non",
        "per",
        "sono",
        "della",
        "gli",
        "um",
        "não",
        "com",
        "uma",
        "os",
        "ao",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def clean_for_nlp(text: str) -> str:
    """Return ``text`` with control characters replaced by spaces; same length, same offsets."""
    return _CONTROL_RE.sub(" ", text)


def has_control_chars(text: str) -> bool:
    """True where the text holds control characters other than tab and line breaks."""
    return _CONTROL_RE.search(text) is not None


def looks_english(text: str, *, min_words: int = 12) -> bool:
    """Guess whether a narrative is English; short texts are given the benefit of the doubt."""
    words = _WORD_RE.findall(text[:5000].casefold())
    if len(words) < min_words:
        return True
    latin = sum(
        1
        for w in words
        if w.isascii() or all(unicodedata.name(c, "").startswith("LATIN") for c in w)
    )
    if latin / len(words) < 0.5:
        return False
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    other = sum(1 for w in words if w in _OTHER_WORDS)
    if other > english and other / len(words) >= 0.08:
        return False
    return english / len(words) >= 0.04
