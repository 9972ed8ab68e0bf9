"""Measure the redactor on the fictional redaction set: per-type recall and precision.

A gold identifier counts as recalled when the redacted spans cover every one of its
characters (whatever type they were given: a covered identifier is hidden); "typed recall"
also requires the right type. A redacted span counts as correct when it overlaps a gold
identifier. Targets (issue 8): recall >= 0.98 on structured identifiers, >= 0.90 on names.

    python scripts/evaluate_redaction.py [--data corpora/redaction/redaction_set.jsonl]
                                         [--ner] [--check] [--show-misses N]

``--check`` exits 1 when a target is missed. ``--show-misses`` prints missed identifiers and
false positives (the set is fictional, so printing it is safe).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from syscause.redact import IDENTIFIER_TYPES, redact

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "corpora" / "redaction" / "redaction_set.jsonl"
STRUCTURED = tuple(t for t in IDENTIFIER_TYPES if t != "NAME")
TARGETS = {"structured": 0.98, "NAME": 0.90}


def evaluate(records: list[dict], use_ner: bool = False, misses: list[str] | None = None) -> dict:
    """Counts and rates per type, for structured identifiers, names and overall."""
    gold_n: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    typed: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    pred_ok: Counter[str] = Counter()
    for rec in records:
        text = rec["text"]
        result = redact(text, use_ner=use_ner)
        hidden = [False] * len(text)
        for span in result.spans:
            for i in range(span.start, span.end):
                hidden[i] = True
        for g in rec["spans"]:
            kind = g["type"]
            gold_n[kind] += 1
            if all(hidden[g["start"] : g["end"]]):
                covered[kind] += 1
                typed[kind] += any(
                    s.type == kind and s.start < g["end"] and g["start"] < s.end
                    for s in result.spans
                )
            elif misses is not None:
                misses.append(f"MISS {kind:8} {rec['id']}: {g['text']!r}")
        for span in result.spans:
            pred_n[span.type] += 1
            if any(span.start < g["end"] and g["start"] < span.end for g in rec["spans"]):
                pred_ok[span.type] += 1
            elif misses is not None:
                misses.append(
                    f"FP   {span.type:8} {rec['id']}: {text[span.start : span.end]!r} "
                    f"({span.source})"
                )

    def rates(kinds: tuple[str, ...]) -> dict[str, float | int]:
        g = sum(gold_n[k] for k in kinds)
        p = sum(pred_n[k] for k in kinds)
        return {
            "gold": g,
            "recall": sum(covered[k] for k in kinds) / g if g else float("nan"),
            "typed_recall": sum(typed[k] for k in kinds) / g if g else float("nan"),
            "predicted": p,
            "precision": sum(pred_ok[k] for k in kinds) / p if p else float("nan"),
        }

    table = {kind: rates((kind,)) for kind in IDENTIFIER_TYPES}
    table["structured"] = rates(STRUCTURED)
    table["overall"] = rates(IDENTIFIER_TYPES)
    return table


def main(argv: list[str] | None = None) -> int:
    """Print the table; with ``--check``, exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--ner", action="store_true", help="add spaCy NER person names")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    misses: list[str] = []
    started = time.perf_counter()
    table = evaluate(records, use_ner=args.ner, misses=misses)
    elapsed = time.perf_counter() - started
    print(
        f"redaction set: {args.data.name}, {len(records)} narratives, ner={args.ner}, "
        f"{len(records) / elapsed:.0f} narratives/s"
    )
    print(f"{'type':12} {'gold':>5} {'recall':>7} {'typed':>7} {'pred':>5} {'precision':>9}")
    for kind, row in table.items():
        print(
            f"{kind:12} {row['gold']:>5} {row['recall']:>7.3f} {row['typed_recall']:>7.3f} "
            f"{row['predicted']:>5} {row['precision']:>9.3f}"
        )
    for line in misses[: args.show_misses]:
        print(line)
    failed = [name for name, target in TARGETS.items() if not table[name]["recall"] >= target]
    for name in failed:
        print(f"target missed: {name} recall {table[name]['recall']:.3f} < {TARGETS[name]}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
