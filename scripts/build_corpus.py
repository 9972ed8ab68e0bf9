"""Build corpora/healthcare/corpus.jsonl and the frozen split file from the hand-written drafts.

Evidence, ruled-out and rewrite strings in the drafts are exact substrings; this script turns
them into character offsets (first occurrence) and checks every one. Split assignments in
splits.json are frozen: ids that already have a split keep it, new ids are assigned by
iterative stratification over labels and framing, and nothing is ever reshuffled.

Usage: python scripts/build_corpus.py [--drafts corpora/healthcare/drafts]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "corpora" / "healthcare"
sys.path.insert(0, str(ROOT / "scripts"))

from validate_corpus_draft import check_record  # noqa: E402

SPLIT_FRACTIONS = {"train": 0.58, "dev": 0.14, "test": 0.28}
SEED = 20261126


def _span(text: str, piece: str) -> dict[str, object]:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece}


def to_corpus_record(draft: dict) -> dict:
    """Turn one validated draft into a corpus record with offsets."""
    text = draft["text"]
    factors = []
    for f in draft["factors"]:
        spans = []
        for piece in f["evidence"]:
            sp = _span(text, piece)
            if sp not in spans:
                spans.append(sp)
        factors.append({"label": f["label"], "evidence": spans})
    factors.sort(key=lambda f: f["label"])
    ruled_out = [
        {"label": r["label"], "kind": r["kind"], **_span(text, r["evidence"])}
        for r in draft["ruled_out"]
    ]
    rewrites = []
    for rw in draft["rewrites"]:
        sp = _span(text, rw["original"])
        rewrites.append(
            {
                "start": sp["start"],
                "end": sp["end"],
                "original": rw["original"],
                "rewrite": rw["rewrite"],
            }
        )
    meta = draft["meta"]
    return {
        "id": draft["id"],
        "text": text,
        "labels": [f["label"] for f in factors],
        "factors": factors,
        "ruled_out": ruled_out,
        "framing": draft["framing"],
        "rewrites": rewrites,
        "reporter": meta["reporter"],
        "setting": meta["setting"],
        "event_type": meta["event_type"],
        "styles": sorted(set(meta["styles"])),
        "taxonomy_version": "v1",
        "adjudicated": False,
    }


def apply_adjudication(record: dict, decision: dict) -> dict:
    """Replace a record's factors, framing and rewrites by the adjudicated ones."""
    draft = {
        "id": record["id"],
        "text": record["text"],
        "meta": {k: record[k] for k in ("reporter", "setting", "event_type", "styles")},
        "factors": decision["factors"],
        "ruled_out": [
            {"label": r["label"], "kind": r["kind"], "evidence": r["text"]}
            for r in record["ruled_out"]
        ],
        "framing": decision["framing"],
        "rewrites": decision["rewrites"],
    }
    problems = check_record(draft, f"adjudication {record['id']}")
    if problems:
        raise ValueError("; ".join(problems))
    out = to_corpus_record(draft)
    out["adjudicated"] = True
    return out


def stratified_assign(records: list[dict], frozen: dict[str, str]) -> dict[str, str]:
    """Assign splits to unassigned records by iterative stratification (Sechidis et al.).

    The strata are the factor labels plus the framing class; the rarest stratum is placed
    first, each record going to the split that most lacks it.
    """
    rng = random.Random(SEED)
    splits = dict(frozen)
    todo = [r for r in records if r["id"] not in splits]
    rng.shuffle(todo)
    keys = lambda r: set(r["labels"]) | {"framing:" + r["framing"]}  # noqa: E731
    total = Counter(k for r in records for k in keys(r))
    have = {s: Counter() for s in SPLIT_FRACTIONS}
    size = Counter(splits.values())
    for r in records:
        if r["id"] in splits:
            have[splits[r["id"]]].update(keys(r))
    n = len(records)
    while todo:
        # the rarest stratum among what is left decides which record goes next
        left = Counter(k for r in todo for k in keys(r))
        rare = min(left, key=lambda k: (left[k], k))
        pick = next(r for r in todo if rare in keys(r))
        todo.remove(pick)

        def need(s: str, rare: str = rare) -> tuple[float, float]:
            return (
                SPLIT_FRACTIONS[s] * total[rare] - have[s][rare],
                SPLIT_FRACTIONS[s] * n - size[s],
            )

        best = max(SPLIT_FRACTIONS, key=need)
        splits[pick["id"]] = best
        have[best].update(keys(pick))
        size[best] += 1
    return splits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=Path, default=CORPUS_DIR / "drafts")
    args = parser.parse_args()
    records = []
    problems = 0
    for path in sorted(args.drafts.glob("part_*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            draft = json.loads(line)
            probs = check_record(draft, f"{path.name}:{lineno}")
            if probs:
                problems += len(probs)
                print("\n".join(probs), file=sys.stderr)
                continue
            records.append(to_corpus_record(draft))
    adjudication = CORPUS_DIR / "annotation" / "adjudication.jsonl"
    if adjudication.exists():
        decisions = {
            d["id"]: d
            for d in map(json.loads, adjudication.read_text(encoding="utf-8").splitlines())
        }
        records = [
            apply_adjudication(r, decisions[r["id"]]) if r["id"] in decisions else r
            for r in records
        ]
        print(f"{len(decisions)} adjudicated records applied")
    ids = Counter(r["id"] for r in records)
    dupes = [i for i, c in ids.items() if c > 1]
    if dupes or problems:
        print(
            f"refusing to build: {problems} draft problems, duplicate ids {dupes[:5]}",
            file=sys.stderr,
        )
        return 1
    records.sort(key=lambda r: r["id"])
    split_path = CORPUS_DIR / "splits.json"
    frozen = json.loads(split_path.read_text())["assignments"] if split_path.exists() else {}
    gone = sorted(set(frozen) - set(ids))
    if gone:
        print(
            f"refusing to build: {len(gone)} frozen ids no longer in drafts: {gone[:5]}",
            file=sys.stderr,
        )
        return 1
    splits = stratified_assign(records, frozen)
    with (CORPUS_DIR / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    split_doc = {
        "seed": SEED,
        "fractions": SPLIT_FRACTIONS,
        "assignments": dict(sorted(splits.items())),
    }
    split_path.write_text(json.dumps(split_doc, indent=1) + "\n")
    digest = hashlib.sha256(split_path.read_bytes()).hexdigest()
    print(
        f"{len(records)} records; splits {dict(Counter(splits.values()))}; "
        f"splits.json sha256 {digest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
