"""Generate the fictional redaction test set: narratives seeded with identifiers and gold spans.

Every narrative is assembled from sentence templates written for this set, with a fictional
cast (patient, nurse, physician, family member) drawn from name lists written for this set,
and identifiers made up on the spot (MRNs, account numbers, dates, phone numbers, emails,
street addresses). Each filled identifier slot is a gold span with its type. Clinical
numbers (doses, vitals, rooms, beds, times, lot numbers) appear as distractors that must not
be redacted. No real person's data is used; any resemblance is chance.

About a third of the given names are deliberately missing from the redactor's given-name
lexicon, so name recall is not measured only on names the redactor already knows.

    python scripts/make_redaction_set.py            # writes corpora/redaction/redaction_set.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpora" / "redaction" / "redaction_set.jsonl"

# Given names in the redactor's lexicon and names outside it (invented or rarer spellings).
GIVEN_KNOWN = [
    "Jane",
    "Maria",
    "Tanisha",
    "Kenji",
    "Priya",
    "Omar",
    "Aisha",
    "Dmitri",
    "Lucia",
    "Carlos",
    "Naomi",
    "Hassan",
    "Yolanda",
    "Wei",
    "Trevor",
    "Fiona",
    "Darnell",
    "Marisol",
    "Ibrahim",
    "Colleen",
    "Rafael",
    "Imani",
    "Gavin",
    "Olga",
    "Hiroshi",
    "Bridget",
    "Desmond",
    "Lakshmi",
    "Yusuf",
    "Esther",
    "Felix",
    "Nadia",
    "Jerome",
    "Beatriz",
    "Connor",
    "Ruth",
    "Malik",
    "Sylvia",
    "Arjun",
]
GIVEN_UNKNOWN = [
    "Thandiwe",
    "Oisin",
    "Marguerite",
    "Ezinne",
    "Bartholomew",
    "Saoirse",
    "Kwabena",
    "Rosalind",
    "Tobiah",
    "Ngozi",
    "Anselm",
    "Ilse",
    "Florentyna",
    "Caspian",
    "Odalys",
    "Leopold",
    "Wilhelmina",
    "Ximena",
    "Ambrose",
    "Temperance",
]
SURNAMES = [
    "Okafor",
    "Lindqvist",
    "Marchetti",
    "Abernathy",
    "Halvorsen",
    "Quintero",
    "Delacroix",
    "Nakamura",
    "Brennan",
    "Oyelaran",
    "Castellanos",
    "Whitcombe",
    "Petrakis",
    "Szymanski",
    "Adebayo",
    "Fairweather",
    "Kowalczyk",
    "Rautio",
    "Mbeki-Cole",
    "Thistlewood",
    "Vasquez-Ortiz",
    "Greenhalgh",
    "Iwasaki",
    "Tremblay",
    "Okonkwo",
    "Ferreira",
    "Blackwood",
    "Lindgren",
    "Achterberg",
    "Moreau",
    "Calloway",
    "Dunleavy",
    "Haverford",
    "Ostrowski",
    "Pemberton",
    "Quist",
    "Ramaswamy",
    "Sandoval",
    "Thackeray",
    "Underhill",
    "Villanueva",
    "Wexford",
    "Yamamoto",
    "Zielinski",
    "O'Halloran",
    "McAllister",
    "Donnelly",
    "Esposito",
    "Gallagher",
    "Hollis",
]
STREETS = [
    "Birchwood",
    "Larkspur",
    "Copperfield",
    "Millrace",
    "Heron",
    "Quarry",
    "Juniper",
    "Foxglove",
    "Tanner",
    "Wren",
    "Sycamore",
    "Cobblestone",
    "Harbor",
    "Orchard",
    "Bellflower",
    "Kestrel",
    "Marigold",
    "Pinecrest",
    "Ashgrove",
    "Thornbury",
]
SUFFIXES = [
    "Street",
    "St",
    "Avenue",
    "Ave.",
    "Road",
    "Rd",
    "Lane",
    "Drive",
    "Dr",
    "Court",
    "Way",
    "Boulevard",
    "Place",
    "Terrace",
]
TOWNS = [
    "Millbrook",
    "East Harlow",
    "Port Ellison",
    "Cedar Falls",
    "Westmarch",
    "Brindle",
    "North Fennick",
    "Oakvale",
]
STATES = ["OH", "PA", "MN", "OR", "GA", "NY", "TX", "WA"]
DOMAINS = ["example.org", "example.com", "mail.example.net", "examplehealth.org"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class Builder:
    """Assembles a narrative piece by piece and records gold spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[dict[str, object]] = []

    def add(self, text: str, kind: str | None = None) -> None:
        """Append text; with ``kind``, the text is a gold identifier span."""
        if kind is not None:
            self.spans.append(
                {"start": self.length, "end": self.length + len(text), "type": kind, "text": text}
            )
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        """The narrative so far."""
        return "".join(self.parts)


class Cast:
    """The fictional people of one narrative."""

    def __init__(self, rng: random.Random) -> None:
        def given() -> str:
            pool = GIVEN_UNKNOWN if rng.random() < 0.33 else GIVEN_KNOWN
            return rng.choice(pool)

        surnames = rng.sample(SURNAMES, 4)
        self.pt = (given(), surnames[0])
        self.rn = (given(), surnames[1])
        self.md = (given(), surnames[2])
        self.fam = (given(), surnames[3])


def mrn(rng: random.Random) -> str:
    """A made-up medical record number in one of several formats."""
    return rng.choice(
        [
            lambda: f"{rng.randrange(10**7):08d}",
            lambda: f"{rng.randrange(10**6, 10**7)}",
            lambda: f"MR{rng.randrange(10**6):06d}",
            lambda: (
                f"{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}-{rng.randrange(100, 999)}"
            ),
            lambda: f"{rng.randrange(10**9):09d}",
        ]
    )()


def account(rng: random.Random) -> str:
    """A made-up account, encounter or billing number."""
    return rng.choice(
        [
            lambda: f"{rng.randrange(10**8):08d}",
            lambda: (
                f"{rng.randrange(1000, 9999)}-{rng.randrange(100, 999)}-{rng.randrange(10, 99)}"
            ),
            lambda: f"AC{rng.randrange(10**6):06d}",
            lambda: f"{rng.randrange(10**9, 10**10)}",
            lambda: f"E{rng.randrange(10**7):07d}",
        ]
    )()


def date(rng: random.Random) -> str:
    """A made-up date in a common written format."""
    y = rng.randrange(1935, 2025)
    m = rng.randrange(1, 13)
    d = rng.randrange(1, 29)
    month = MONTHS[m - 1]
    return rng.choice(
        [
            f"{m:02d}/{d:02d}/{y}",
            f"{m}/{d}/{y % 100:02d}",
            f"{y}-{m:02d}-{d:02d}",
            f"{month} {d}, {y}",
            f"{month[:3]} {d}",
            f"{d} {month} {y}",
            f"{d}-{month[:3]}-{y}",
            f"{month} {d}th" if d not in (1, 2, 3, 21, 22, 23) else f"{month} {d}",
            f"{m}-{d}-{y}",
        ]
    )


def phone(rng: random.Random) -> str:
    """A made-up phone number (555 exchange, reserved for fiction)."""
    a, n = rng.randrange(201, 989), rng.randrange(100, 199)
    return rng.choice(
        [
            f"({a}) 555-{n:04d}",
            f"{a}-555-{n:04d}",
            f"{a}.555.{n:04d}",
            f"+1 {a} 555 {n:04d}",
            f"{a}-555-{n:04d} ext. {rng.randrange(100, 9999)}",
            f"1-{a}-555-{n:04d}",
        ]
    )


def email(rng: random.Random, person: tuple[str, str]) -> str:
    """A made-up address at a reserved example domain."""
    first, last = (p.lower().replace("'", "") for p in person)
    local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{last}{rng.randrange(10, 99)}"])
    return f"{local}@{rng.choice(DOMAINS)}"


def address(rng: random.Random) -> str:
    """A made-up street address, sometimes with a unit, town, state and ZIP."""
    base = f"{rng.randrange(1, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
    if rng.random() < 0.3:
        base += f", Apt {rng.randrange(1, 40)}{rng.choice('ABCD')}"
    if rng.random() < 0.6:
        base += f", {rng.choice(TOWNS)}, {rng.choice(STATES)} {rng.randrange(10000, 99999)}"
    return base


# Sentence templates. Slots: {pt} {pt_first} {pt_last} {rn} {rn_first} {rn_last} {md_last}
# {md} {fam} {mrn} {acct} {date} {phone} {email} {address}. Slots in lower case are
# identifiers; everything else (doses, vitals, rooms, times, lots) must survive.
TEMPLATES = [
    "Pt {pt} (MRN {mrn}) received 10 units of insulin instead of 1 unit.",
    "Patient {pt}, MRN: {mrn}, was found on the floor of room 412 at 0330.",
    "pt {pt_first} {pt_last} was given Lasix 40 mg IV at 2200 per order.",
    "Medical record number {mrn} was attached to the wrong chart.",
    "The wristband showed MR# {mrn} but the MAR showed a different patient.",
    "Labels printed for {mrn} were placed on specimens from bed 2.",
    "RN {rn} had 7 pts tonight and two call-outs were not replaced.",
    "{rn} RN was covering the charge role and the pump alarm went unanswered.",
    "Nurse {rn_first} {rn_last} paged Dr. {md_last} x3 with no answer.",
    "Dr. {md_last} was notified at 0415 and ordered a CT head.",
    "Called Dr. {md} at {phone}; no callback for 40 minutes.",
    "Attending {md} reviewed the order set on 4 West.",
    "Spoke with daughter {fam} at {phone} about the fall.",
    "Family contact: {fam}, {phone}, {email}.",
    "Pt lives alone at {address} and was admitted {date}.",
    "Home address on file ({address}) differed from the ID bracelet.",
    "Discharge paperwork was mailed to {address} in error.",
    "Billing account {acct} was merged with another patient's encounter.",
    "Acct # {acct} showed two active admissions.",
    "Encounter number {acct} was linked to the wrong MRN.",
    "FIN: {acct}; registration corrected by admitting.",
    "DOB {date} on the armband did not match the EHR.",
    "Event occurred on {date} during night shift.",
    "Admitted {date} for a GI bleed; Hgb 6.8 on arrival.",
    "Follow-up call scheduled for {date} with risk management.",
    "Pharmacist {rn} verified heparin 5,000 units SQ q8h.",
    "Reported by: {rn}, RN, ext. {ext}.",
    "Questions to {email} or {phone}.",
    "The report was emailed to {email} and to the unit manager.",
    "{pt_last} had a BP of 88/50 and HR 122 at 0200.",
    "Mr. {pt_last} was moved from bed 14 to room 508 after the transfer.",
    "Mrs. {fam_last} stated the pt had not eaten since {date}.",
    "{rn_first} reported that the scanner in room 221 failed twice.",
    "The resident, Dr. {md_last}, was on hour 26 of a 28-hour shift.",
    "Handoff from {rn_first} to the night nurse was verbal only.",
    "Pt {pt_last} refused the 0600 labs; {rn_first} notified Dr. {md_last}.",
    "Insurance member ID {acct} was entered under the wrong plan.",
    "Chart # {mrn} belongs to a different patient with the same surname.",
    "Pt ID {mrn} scanned; the BCMA did not flag the mismatch.",
    "{pt} was seen in the ED on {date} with similar symptoms.",
]
# Distractors: no identifiers, numbers that must stay.
DISTRACTORS = [
    "Vitals: BP 132/84, HR 96, RR 18, SpO2 94% on 2L.",
    "Heparin drip was running at 18 units/kg/hr.",
    "Lot 44817203 of the tubing was pulled from Pyxis.",
    "Pump serial no. 20931877 was sent to biomed.",
    "The pt was in room 402, bed B, on 5 East.",
    "Glucose 42 at 0315; D50 25 mL given.",
    "Morphine 2 mg IV q2h PRN was ordered; 4 mg was given.",
    "Staffing was 1:6 on the unit with one float.",
    "Order 1/2 tab metoprolol 25 mg was read as 2 tabs.",
    "Code blue called at 1412; ROSC at 1420.",
    "The Alaris pump screen defaulted to mL/hr.",
    "Pt had a fall score of 65 and bed alarm was off.",
    "Monday night the unit had 3 admissions in 1 hour.",
    "Will follow up with pharmacy regarding the override.",
    "Grace period for the PRN order expired at 0800.",
    "Ten minutes passed before the rapid response team arrived.",
]


def fill(template: str, cast: Cast, rng: random.Random, b: Builder) -> None:
    """Append one filled template, recording a gold span for every identifier slot."""
    for piece in re.split(r"(\{[a-z_]+\})", template):
        if not (piece.startswith("{") and piece.endswith("}")):
            b.add(piece)
            continue
        slot = piece[1:-1]
        person_slots = {
            "pt": f"{cast.pt[0]} {cast.pt[1]}",
            "pt_first": cast.pt[0],
            "pt_last": cast.pt[1],
            "rn": f"{cast.rn[0]} {cast.rn[1]}",
            "rn_first": cast.rn[0],
            "rn_last": cast.rn[1],
            "md": f"{cast.md[0]} {cast.md[1]}",
            "md_last": cast.md[1],
            "fam": f"{cast.fam[0]} {cast.fam[1]}",
            "fam_last": cast.fam[1],
        }
        if slot in person_slots:
            b.add(person_slots[slot], "NAME")
        elif slot == "mrn":
            b.add(mrn(rng), "MRN")
        elif slot == "acct":
            b.add(account(rng), "ACCOUNT")
        elif slot == "date":
            b.add(date(rng), "DATE")
        elif slot == "ext":
            b.add(str(rng.randrange(2000, 7999)), "PHONE")  # an internal extension
        elif slot == "phone":
            b.add(phone(rng), "PHONE")
        elif slot == "email":
            b.add(email(rng, rng.choice([cast.fam, cast.rn])), "EMAIL")
        elif slot == "address":
            b.add(address(rng), "ADDRESS")
        else:
            raise ValueError(f"unknown slot {slot!r}")


def _merge_adjacent(spans: list[dict[str, object]], text: str) -> list[dict[str, object]]:
    """Adjacent name slots ("{pt_first} {pt_last}") are one name."""
    merged: list[dict[str, object]] = []
    for span in spans:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev["type"] == span["type"] == "NAME"
            and text[int(prev["end"]) : int(span["start"])] == " "
        ):
            prev["end"] = span["end"]
            prev["text"] = text[int(prev["start"]) : int(prev["end"])]
        else:
            merged.append(dict(span))
    return merged


def make_set(n: int, seed: int) -> list[dict[str, object]]:
    """``n`` narratives with gold identifier spans."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        cast = Cast(rng)
        b = Builder()
        chosen = rng.sample(TEMPLATES, rng.randint(2, 4))
        chosen += rng.sample(DISTRACTORS, rng.randint(1, 2))
        rng.shuffle(chosen)
        for j, template in enumerate(chosen):
            if j:
                b.add(rng.choice([" ", " ", "  ", "\n"]))
            fill(template, cast, rng, b)
        text = b.text
        spans = _merge_adjacent(b.spans, text)
        for span in spans:
            assert text[int(span["start"]) : int(span["end"])] == span["text"]
        records.append({"id": f"red-{i + 1:04d}", "text": text, "spans": spans})
    return records


def main() -> None:
    """Write the set and print per-type counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=240)
    parser.add_argument("--seed", type=int, default=20240814)
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    records = make_set(args.n, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    counts = Counter(str(s["type"]) for r in records for s in r["spans"])  # type: ignore[union-attr]
    print(
        f"wrote {len(records)} narratives to {args.output}; spans: {dict(sorted(counts.items()))}"
    )


if __name__ == "__main__":
    main()
