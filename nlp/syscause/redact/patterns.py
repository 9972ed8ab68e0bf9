"""Regular-expression detectors for structured identifiers.

Emails, phone numbers, medical record and account numbers, dates and street addresses.
Each detector yields ``(start, end, type, source)``; clinical numbers (doses, vitals, room
and bed numbers, times, lot numbers) are left alone because every pattern needs either an
identifier's shape (3-3-4 digits, a day-month-year) or a trigger word ("MRN", "acct").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Found = tuple[int, int, str, str]

# Bounded parts and a start only at the beginning of a run of address characters keep this
# linear: an unbounded local part rescans a long run of "a.a.a." from every position.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}"
    r"(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b"
)

# North American numbers with separators or parentheses, optional +1 and extension.
_PHONE = re.compile(
    r"(?<![\w/.])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
    r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?(?![\w/])",
    re.IGNORECASE,
)
# Internal extensions and pagers need their trigger: "ext 4417", "pager 555-0142".
_PHONE_TRIGGERED = re.compile(
    r"\b(?:ext\.?|extension|pager|beeper|vocera|phone|tel\.?|cell|call\s?back)"
    r"(?:\s?(?:#|no\.?|number|:))?\s?(?P<id>\d(?:[\d-]{2,10}\d))\b",
    re.IGNORECASE,
)

_ID_BODY = r"(?P<id>(?=[A-Z0-9-]*\d)[A-Z0-9](?:[A-Z0-9-]{2,18}[A-Z0-9]))"
_MRN = re.compile(
    r"\b(?:MRN|MR\s?#|MR\s?(?:no\.?|number)|medical\s+record(?:\s+(?:number|no\.?|#))?|"
    r"chart\s?(?:#|no\.?|number)|hospital\s+(?:number|no\.?|#)|patient\s+id|pt\s+id)"
    r"\s*(?:#|:|is|was|=)?\s*(?:#|:)?\s*" + _ID_BODY,
    re.IGNORECASE,
)
_ACCOUNT = re.compile(
    r"\b(?:account|acct\.?|a/c|billing|FIN|CSN|HAR|encounter|visit|claim|member\s+id|"
    r"policy|insurance\s+id|subscriber\s+id)"
    r"(?:\s*(?:#|no\.?|number|num\.?|id))?\s*(?:#|:|is|was|=)?\s*(?:#|:)?\s*" + _ID_BODY,
    re.IGNORECASE,
)
# A prefixed record number without a trigger word ("MR0482913").
_PREFIXED_MRN = re.compile(r"\b(?:MRN?|MR#)-?\d{5,10}\b")
# A long bare number (7+ digits, optionally in dash groups) is an identifier unless a
# trigger says it is something else (lot, serial, order number of a device or drug).
_BARE_ID = re.compile(r"(?<![\w./,:-])(?:\d{7,12}|\d{2,4}-\d{3,4}-\d{3,6})(?![\w/.]\d|[\w%])")
_NOT_ID_BEFORE = re.compile(
    r"(?:lot|serial|sn|model|ref|catalog|cat|order|item|ndc|barcode|part|version|v)"
    r"\s*(?:#|no\.?|number)?\s*[:#]?\s*$",
    re.IGNORECASE,
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_DATES = [
    # 03/14/2024, 3-14-24, 14.03.2024
    re.compile(r"(?<![\w/.-])(?:\d{1,2})[/.-](?:\d{1,2})[/.-](?:\d{4}|\d{2})(?![\w/]|\.\d)"),
    # 2024-03-14, 2024/3/14
    re.compile(r"(?<![\w/.-])\d{4}[/-](?:0?[1-9]|1[0-2])[/-](?:0?[1-9]|[12]\d|3[01])(?![\w/])"),
    # March 14, 2024 / Mar 14th / Mar. 14 2024
    re.compile(rf"\b{_MONTHS}\s+{_DAY}(?:,?\s+\d{{4}})?(?!\w)", re.IGNORECASE),
    # 14 March 2024 / 14th of March / 14-Mar-2024
    re.compile(rf"\b{_DAY}(?:\s+of)?[\s-]+{_MONTHS}(?:[\s,-]+\d{{4}})?(?!\w)", re.IGNORECASE),
    # March 2024 (a month and year names a date more exactly than a year alone)
    re.compile(rf"\b{_MONTHS}\s+\d{{4}}\b", re.IGNORECASE),
]
# Month/day without a year ("on 3/14") only after a word that introduces a date; "120/80"
# and "1/2 tab" are never dates.
_SHORT_DATE = re.compile(
    r"\b(?:on|dated?|dob|d\.o\.b\.?|born|since|from|until|admitted|discharged|seen)"
    r"[\s:]+(?P<id>(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01]))(?![\w/])",
    re.IGNORECASE,
)

# Title-case suffixes only: "CT" (a scan) and "DR" are not streets.
_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|"
    r"Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Alley|Row)\.?"
)
# A house number, one to three Title-case street-name words, a suffix; then optionally a
# unit, a town, a state and a ZIP code.
_ADDRESS = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?"
    r"(?:[A-Z][a-z]+(?:['-][A-Za-z]+)*\s+){1,3}" + _STREET_SUFFIX + r"(?![A-Za-z])"
    r"(?:,?\s*(?i:apt|apartment|unit|suite|ste|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
    r"(?:,\s*[A-Z][A-Za-z.-]*(?:\s+[A-Z][A-Za-z.-]*){0,2}"
    r"(?:,?\s+[A-Z]{2})?(?:\s+\d{5}(?:-\d{4})?)?)?",
)
# "PO Box 1234"
_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d{1,6}\b", re.IGNORECASE)


def find_structured(text: str) -> Iterator[Found]:
    """Yield every structured identifier candidate (may overlap; resolved by the caller)."""
    for m in _EMAIL.finditer(text):
        yield m.start(), m.end(), "EMAIL", "pattern:email"
    for m in _PHONE.finditer(text):
        yield m.start(), m.end(), "PHONE", "pattern:phone"
    for m in _PHONE_TRIGGERED.finditer(text):
        yield m.start("id"), m.end("id"), "PHONE", "pattern:phone_trigger"
    for m in _MRN.finditer(text):
        yield m.start("id"), m.end("id"), "MRN", "pattern:mrn"
    for m in _PREFIXED_MRN.finditer(text):
        yield m.start(), m.end(), "MRN", "pattern:mrn_prefixed"
    for m in _ACCOUNT.finditer(text):
        yield m.start("id"), m.end("id"), "ACCOUNT", "pattern:account"
    for m in _BARE_ID.finditer(text):
        if not _NOT_ID_BEFORE.search(text[max(0, m.start() - 24) : m.start()]):
            yield m.start(), m.end(), "MRN", "pattern:bare_id"
    for pattern in _DATES:
        for m in pattern.finditer(text):
            if _plausible_date(m.group()):
                yield m.start(), m.end(), "DATE", "pattern:date"
    for m in _SHORT_DATE.finditer(text):
        yield m.start("id"), m.end("id"), "DATE", "pattern:date_short"
    for m in _ADDRESS.finditer(text):
        yield m.start(), m.end(), "ADDRESS", "pattern:address"
    for m in _PO_BOX.finditer(text):
        yield m.start(), m.end(), "ADDRESS", "pattern:po_box"


_NUMERIC_DATE = re.compile(r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})")


def _plausible_date(value: str) -> bool:
    """Reject numeric triples that cannot be a calendar date (e.g. a ratio 120/80/60)."""
    m = _NUMERIC_DATE.fullmatch(value)
    if m is None:
        return True
    a, b, c = (int(g) for g in m.groups())
    if len(m.group(1)) == 4:  # year first
        return 1 <= b <= 12 and 1 <= c <= 31
    # month/day or day/month first; either reading must be a valid day and month
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)
