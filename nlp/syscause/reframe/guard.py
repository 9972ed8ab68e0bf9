"""The no-new-facts guard: a rewrite may only use facts the narrative already states.

A fact-bearing token is a number (digits or a number word), a drug name, a role word, a time
expression, or a capitalised word that is not the first word of a sentence or clause (a
proper noun). Every fact-bearing token of a rewrite must occur in the original sentence or
elsewhere in the narrative (case-insensitive); otherwise the suggestion falls back to
questions only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syscause.reframe.data import lexicon

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:[-'\u2019./:][A-Za-z0-9]+)*|[;:.!?]")
_CLAUSE_START = {";", ":", ".", "!", "?"}
_TIME_RE = re.compile(
    r"^\d{1,2}:\d{2}(?:am|pm)?$|^\d{1,2}(?:am|pm)$|^[0-2]\d[0-5]\dh?$", re.IGNORECASE
)
# a full stop after these does not end a clause ("Dr. Okafor")
_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "st", "vs", "approx", "no", "pt", "e.g", "i.e"}
)
_DRUG_SUFFIXES = (
    "cillin",
    "mycin",
    "micin",
    "floxacin",
    "cycline",
    "azole",
    "parin",
    "pril",
    "sartan",
    "olol",
    "statin",
    "dipine",
    "azepam",
    "zolam",
    "oxone",
    "codone",
    "morphone",
    "tidine",
    "prazole",
    "semide",
    "thiazide",
    "gliptin",
    "glutide",
    "mab",
    "nib",
    "platin",
    "rubicin",
)


_PRONOUN_CASES = {"me": "i", "him": "he", "her": "she", "us": "we", "them": "they"}


@dataclass(frozen=True, slots=True)
class FactToken:
    """A fact-bearing token of a rewrite and why it counts as one."""

    token: str
    kind: str


def _kind(token: str, clause_initial: bool) -> str | None:
    low = token.lower()
    lex = lexicon()
    if any(ch.isdigit() for ch in token):
        return "time" if _TIME_RE.match(token) else "number"
    if low in lex.number_words:
        return "number"
    if low in lex.drugs or (len(low) > 6 and low.endswith(_DRUG_SUFFIXES)):
        return "drug"
    if low in lex.roles:
        return "role"
    if low in lex.time_words:
        return "time"
    if not clause_initial and token[:1].isupper() and not token.isupper():
        return "proper noun"
    if not clause_initial and token.isupper() and len(token) > 1:
        return "proper noun"
    return None


def fact_tokens(text: str) -> list[FactToken]:
    """The fact-bearing tokens of ``text``, in order."""
    out: list[FactToken] = []
    tokens = _TOKEN_RE.findall(text)
    # In an all-capitals text capitals carry no signal of a proper noun.
    shouting = sum(t.isupper() for t in tokens) > 0.6 * max(len(tokens), 1)
    clause_initial = True
    previous = ""
    for tok in tokens:
        if tok in _CLAUSE_START:
            clause_initial = clause_initial or not (tok == "." and previous in _ABBREVIATIONS)
            previous = tok
            continue
        previous = tok.lower()
        kind = _kind(tok, clause_initial or shouting)
        if kind:
            out.append(FactToken(tok, kind))
        clause_initial = False
    return out


def _vocabulary(*texts: str) -> set[str]:
    words: set[str] = set()
    for text in texts:
        for tok in _TOKEN_RE.findall(text):
            words.add(tok.lower())
            # "pt's" also licenses "pt"; "2-5" also licenses "2" and "5"
            words.update(p for p in re.split(r"[-'\u2019./:]", tok.lower()) if p)
    # a pronoun in subject position names the same person as its object form ("her" -> "she")
    words.update(subj for obj, subj in _PRONOUN_CASES.items() if obj in words)
    return words


def new_facts(rewrite: str, original: str, narrative: str = "") -> list[FactToken]:
    """Fact-bearing tokens of ``rewrite`` found in neither ``original`` nor ``narrative``."""
    known = _vocabulary(original, narrative)
    return [f for f in fact_tokens(rewrite) if f.token.lower() not in known]


def adds_no_facts(rewrite: str, original: str, narrative: str = "") -> bool:
    """True where every fact-bearing token of ``rewrite`` is in the original or narrative."""
    return not new_facts(rewrite, original, narrative)
