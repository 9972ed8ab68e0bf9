"""Build resources/reframe/event_priors.json: the factors most often behind each event kind.

From the healthcare corpus TRAIN split only: for each gold event type, the share of its
narratives carrying each factor label; the top labels become that kind's prior. Also prints
how often the keyword detector (event_kinds.json) picks the gold event type, on train and dev.

Usage: python scripts/build_reframe_priors.py [--top 3] [--check]
  --check: compare with the shipped file and exit 1 if it differs (no write).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from syscause.corpora import read_records

OUT = Path(__file__).resolve().parents[1] / "nlp/syscause/resources/reframe/event_priors.json"


def build(top: int) -> dict[str, object]:
    """The priors document, from the train split labels."""
    records = list(read_records("healthcare", "train"))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    overall: Counter[str] = Counter()
    for rec in records:
        kind = rec.get("event_type") or "other"
        totals[kind] += 1
        counts[kind].update(rec["labels"])
        overall.update(rec["labels"])
    kinds = {}
    for kind in sorted(totals):
        if kind == "other":
            continue  # "other" has no keywords; narratives without a kind use the default
        ranked = counts[kind].most_common(top)
        kinds[kind] = {
            "n": totals[kind],
            "factors": [[label, round(c / totals[kind], 3)] for label, c in ranked],
        }
    return {
        "about": "Factor labels most often behind each event kind (share of narratives), from "
        "the healthcare corpus train split. Built by scripts/build_reframe_priors.py.",
        "source": "corpora/healthcare train split",
        "kinds": kinds,
        "default": [[label, round(c / len(records), 3)] for label, c in overall.most_common(top)],
    }


def keyword_accuracy(split: str) -> float:
    """Share of the split's narratives (of a known kind) whose detected kind is the gold one."""
    from syscause.reframe.questions import event_kind

    pairs = [
        (rec["event_type"], event_kind(rec["text"]))
        for rec in read_records("healthcare", split)
        if rec.get("event_type") not in (None, "other")
    ]
    return sum(gold == got for gold, got in pairs) / max(len(pairs), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    doc = build(args.top)
    text = json.dumps(doc, indent=2) + "\n"
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print("event_priors.json is up to date" if same else "event_priors.json differs")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    for split in ("train", "dev"):
        print(f"keyword event kind = gold event type on {split}: {keyword_accuracy(split):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
