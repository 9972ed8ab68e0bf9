"""Draw the sample for the blind second annotation: id and text only, no labels.

Usage: python scripts/make_blind_sample.py --per-part 80 --parts 1 2 3 7
Writes corpora/healthcare/annotation/blind_input.jsonl (seeded, reproducible).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "healthcare"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-part", type=int, default=80)
    parser.add_argument("--parts", nargs="+", default=["1", "2", "3", "7"])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sample = []
    for part in args.parts:
        lines = (CORPUS / "drafts" / f"part_{part}.jsonl").read_text().splitlines()
        recs = [json.loads(x) for x in lines if x.strip()]
        sample += rng.sample(recs, min(args.per_part, len(recs)))
    rng.shuffle(sample)
    out = CORPUS / "annotation" / "blind_input.jsonl"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for r in sample:
            fh.write(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n")
    print(f"{len(sample)} narratives -> {out}")


if __name__ == "__main__":
    main()
