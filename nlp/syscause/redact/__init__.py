"""De-identification of incident narratives: replace identifiers with typed tokens.

>>> from syscause.redact import redact
>>> r = redact("Pt Jane Roe, MRN 00482913, seen 03/14/2024; call 555-201-4477.")
>>> r.text
'Pt [NAME], MRN [MRN], seen [DATE]; call [PHONE].'

Identifier types: person names, medical record numbers, account numbers, dates, phone
numbers, emails and street addresses (``IDENTIFIER_TYPES``). Structured identifiers come
from patterns (:mod:`syscause.redact.patterns`), names from titles, roles and a given-name
lexicon (:mod:`syscause.redact.names`), optionally joined by spaCy's English NER
(``use_ner=True``). Clinical numbers (doses, vitals, room and bed numbers, times) are kept.

:class:`RedactionResult` maps offsets both ways, so spans found in the original text can be
shown against the redacted text, and the redacted text can be analysed directly.
Redaction is a safeguard, not a guarantee: see SECURITY.md for what it does not catch.
"""

from __future__ import annotations

from bisect import bisect_left

from syscause.redact.names import find_names, find_ner_names
from syscause.redact.patterns import Found, find_structured
from syscause.redact.result import (
    IDENTIFIER_TYPES,
    RedactedSpan,
    RedactionResult,
    apply_spans,
    token_for,
)

__all__ = [
    "IDENTIFIER_TYPES",
    "RedactedSpan",
    "RedactionResult",
    "find_identifiers",
    "redact",
    "token_for",
]

# Where candidates overlap, the more specific detector wins: an email holds a name-like
# part, an address holds a number that looks like an id.
_PRIORITY = {"EMAIL": 0, "ADDRESS": 1, "PHONE": 2, "MRN": 3, "ACCOUNT": 3, "DATE": 4, "NAME": 5}


def find_identifiers(text: str, *, use_ner: bool = False) -> list[Found]:
    """Non-overlapping ``(start, end, type, source)`` identifier spans, in text order."""
    candidates = list(find_structured(text)) + list(find_names(text))
    if use_ner:
        candidates += list(find_ner_names(text))
    # Triggered MRN/account spans beat a bare long number at the same place.
    candidates.sort(
        key=lambda c: (_PRIORITY[c[2]], c[3] == "pattern:bare_id", -(c[1] - c[0]), c[0])
    )
    # Greedy by priority; taken spans stay sorted and disjoint, so one bisect finds the only
    # neighbours a candidate could overlap (linear scans are quadratic on long inputs).
    starts: list[int] = []
    taken: list[Found] = []
    for cand in candidates:
        start, end = cand[0], cand[1]
        if end <= start:
            continue
        i = bisect_left(starts, start)
        if i > 0 and taken[i - 1][1] > start:
            continue
        if i < len(taken) and taken[i][0] < end:
            continue
        starts.insert(i, start)
        taken.insert(i, cand)
    return _merge_adjacent_names(text, taken)


def _merge_adjacent_names(text: str, spans: list[Found]) -> list[Found]:
    """Join name spans separated only by spaces ("[NAME] [NAME]" reads as one name)."""
    merged: list[Found] = []
    for span in spans:
        if (
            merged
            and span[2] == "NAME"
            and merged[-1][2] == "NAME"
            and not text[merged[-1][1] : span[0]].strip(" \t")
        ):
            prev = merged.pop()
            merged.append((prev[0], span[1], "NAME", prev[3]))
        else:
            merged.append(span)
    return merged


def redact(text: str, *, use_ner: bool = False) -> RedactionResult:
    """Replace every identifier found in ``text`` with its type token (e.g. ``[NAME]``)."""
    if not isinstance(text, str):
        raise TypeError(f"redact() takes a str, got {type(text).__name__}")
    return apply_spans(text, find_identifiers(text, use_ner=use_ner))
