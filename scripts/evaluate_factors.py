"""Evaluate a model on a healthcare corpus split: per-label P/R/F1, micro/macro, ECE, framing.

Usage: python scripts/evaluate_factors.py [--model default] [--split test] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys

import syscause
from syscause.corpora import read_records
from syscause.evaluation import evaluate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    parser.add_argument("--json", help="also write the metrics as JSON here")
    args = parser.parse_args()
    records = read_records("healthcare", args.split)
    pipe = syscause.load(args.model, use_parser=False)
    res = evaluate(
        pipe,
        [r["text"] for r in records],
        [r["labels"] for r in records],
        [r["framing"] for r in records],
    )
    print(f"model {pipe.name} on healthcare/{args.split} ({res.n} narratives)")
    print(res.as_table())
    if args.json:
        per = {
            lb: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support}
            for lb, s in res.factor_report["per_label"].items()
        }
        out = {
            "model": pipe.name,
            "split": args.split,
            "n": res.n,
            "micro_f1": res.factor_report["micro_f1"],
            "macro_f1": res.factor_report["macro_f1"],
            "ece": res.ece,
            "framing_macro_f1": res.framing_macro_f1,
            "per_label": per,
        }
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
