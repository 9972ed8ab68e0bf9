"""Validate hand-written corpus draft files (corpora/healthcare/drafts/*.jsonl).

Checks every record against the authoring format in corpora/healthcare/AUTHORING.md and
prints one line per problem (file, line, field). Exit code 1 when any problem is found.

Usage: python scripts/validate_corpus_draft.py corpora/healthcare/drafts/part_1.jsonl [...]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from syscause.taxonomy import load_taxonomy

LABELS = set(load_taxonomy("v1").ids)
REPORTERS = {
    "nurse",
    "physician",
    "resident",
    "pharmacist",
    "pharmacy_technician",
    "technician",
    "cna",
    "transport",
    "manager",
    "patient_family",
    "midwife",
    "therapist",
    "other",
}
SETTINGS = {
    "ed",
    "icu",
    "med_surg",
    "or_pacu",
    "pharmacy",
    "clinic",
    "long_term_care",
    "radiology",
    "lab",
    "behavioral_health",
    "pediatrics",
    "obstetrics",
    "home_care",
    "other",
}
EVENT_TYPES = {
    "medication",
    "fall",
    "delay",
    "procedure",
    "equipment",
    "identification",
    "pressure_injury",
    "transition",
    "elopement",
    "specimen",
    "other",
}
STYLES = {
    "terse",
    "all_caps",
    "typos",
    "first_person",
    "third_person",
    "passive",
    "run_on",
    "plain",
}
FRAMINGS = {"individual", "system", "mixed", "neutral"}
RECORD_KEYS = {"id", "text", "meta", "factors", "ruled_out", "framing", "rewrites"}
META_KEYS = {"reporter", "setting", "event_type", "styles"}


def check_record(rec: dict, where: str) -> list[str]:
    """Return a list of problems for one draft record."""
    problems: list[str] = []
    unknown = set(rec) - RECORD_KEYS
    missing = RECORD_KEYS - set(rec)
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
        return problems
    text = rec["text"]
    if not isinstance(text, str) or len(text.split()) < 5:
        problems.append(f"{where}: text must be a string of at least 5 words")
        return problems
    if len(text.split()) > 400:
        problems.append(f"{where}: text over 400 words")
    meta = rec["meta"]
    if not isinstance(meta, dict) or set(meta) != META_KEYS:
        problems.append(f"{where}: meta must have exactly {sorted(META_KEYS)}")
    else:
        if meta["reporter"] not in REPORTERS:
            problems.append(
                f"{where}: meta.reporter {meta['reporter']!r} not in {sorted(REPORTERS)}"
            )
        if meta["setting"] not in SETTINGS:
            problems.append(f"{where}: meta.setting {meta['setting']!r} not in {sorted(SETTINGS)}")
        if meta["event_type"] not in EVENT_TYPES:
            problems.append(f"{where}: meta.event_type {meta['event_type']!r} not allowed")
        if not isinstance(meta["styles"], list) or not set(meta["styles"]) <= STYLES:
            problems.append(f"{where}: meta.styles must be a list from {sorted(STYLES)}")
    seen_labels: set[str] = set()
    for f in rec["factors"]:
        if not isinstance(f, dict) or set(f) != {"label", "evidence"}:
            problems.append(f"{where}: each factor is {{label, evidence}}")
            continue
        if f["label"] not in LABELS:
            problems.append(f"{where}: factor label {f['label']!r} unknown")
        if f["label"] in seen_labels:
            problems.append(f"{where}: factor {f['label']} listed twice")
        seen_labels.add(f["label"])
        ev = f["evidence"]
        if not isinstance(ev, list) or not ev:
            problems.append(f"{where}: factor {f['label']} needs a non-empty evidence list")
            continue
        for e in ev:
            if not isinstance(e, str) or e not in text:
                problems.append(f"{where}: evidence {e!r} is not an exact substring of text")
    for r in rec["ruled_out"]:
        if not isinstance(r, dict) or set(r) != {"label", "evidence", "kind"}:
            problems.append(f"{where}: each ruled_out is {{label, evidence, kind}}")
            continue
        if r["label"] not in LABELS:
            problems.append(f"{where}: ruled_out label {r['label']!r} unknown")
        if r["kind"] not in {"negated", "hypothetical"}:
            problems.append(f"{where}: ruled_out kind must be negated or hypothetical")
        if not isinstance(r["evidence"], str) or r["evidence"] not in text:
            problems.append(f"{where}: ruled_out evidence {r['evidence']!r} not in text")
    if rec["framing"] not in FRAMINGS:
        problems.append(f"{where}: framing {rec['framing']!r} not in {sorted(FRAMINGS)}")
    rewrites = rec["rewrites"]
    if rec["framing"] in {"individual", "mixed"} and not rewrites:
        problems.append(f"{where}: individual/mixed framing needs at least one rewrite")
    for rw in rewrites:
        if not isinstance(rw, dict) or set(rw) != {"original", "rewrite"}:
            problems.append(f"{where}: each rewrite is {{original, rewrite}}")
            continue
        if rw["original"] not in text:
            problems.append(f"{where}: rewrite original {rw['original'][:40]!r}... not in text")
    return problems


def main(paths: list[str]) -> int:
    """Validate files and print a per-file summary."""
    total_problems = 0
    for p in paths:
        counts: Counter[str] = Counter()
        ids: set[str] = set()
        n = 0
        for i, line in enumerate(Path(p).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{p}:{i}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
                total_problems += 1
                continue
            n += 1
            if rec.get("id") in ids:
                print(f"{where}: duplicate id {rec.get('id')!r}")
                total_problems += 1
            ids.add(rec.get("id"))
            probs = check_record(rec, where)
            for pr in probs:
                print(pr)
            total_problems += len(probs)
            if not probs:
                counts["framing:" + rec["framing"]] += 1
                if not rec["factors"]:
                    counts["no_factor"] += 1
                if rec["ruled_out"]:
                    counts["has_ruled_out"] += 1
                for f in rec["factors"]:
                    counts["label:" + f["label"]] += 1
        print(f"{p}: {n} records, {total_problems} problems so far")
        for k in sorted(counts):
            print(f"  {k}: {counts[k]}")
    return 1 if total_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
