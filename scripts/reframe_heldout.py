"""Reframing rates on held-out halves of the training narratives, for development.

The train + dev narratives (what the default model is trained on) are split in two halves by
corpus batch (the id prefix: "p3-0116" is batch p3), so that narratives written together
stay together. A model is trained on each half with ``syscause train`` and the reframing
rates of ``scripts/evaluate_framing.py`` are measured on the individual-framed narratives
of the other half, with the English parser where installed. The test split is never read:
this is where to study what the rewriter misses (``--dump-failures``) without touching it.

Usage: python scripts/reframe_heldout.py [--out build/heldout] [--dump-failures]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import syscause
from evaluate_framing import TARGETS, reframing_metrics
from syscause.corpora import read_records

RATES = ("suggestion", "blame_drops", "guard_holds", "labels_unchanged")


def halves(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two halves of the records, by alternating corpus batch."""
    batches = sorted({r["id"].split("-")[0] for r in records})
    first = set(batches[0::2])
    return (
        [r for r in records if r["id"].split("-")[0] in first],
        [r for r in records if r["id"].split("-")[0] not in first],
    )


def train(data: Path, out: Path) -> None:
    """``syscause train`` on one half (the default taxonomy, as the default model)."""
    cmd = [
        sys.executable,
        "-c",
        "import sys; from syscause.cli.main import main; sys.exit(main())",
        "train",
        "--data",
        str(data),
        "--taxonomy",
        "default",
        "-o",
        str(out),
        "--name",
        "heldout",
        "--version",
        "0.0.0",
        "--force",  # a rerun replaces the models of the last run
    ]
    subprocess.run(cmd, check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("build/heldout"))
    ap.add_argument(
        "--dump-failures", action="store_true", help="write the missed narratives per half"
    )
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from syscause.pipeline.person_failure import load_parser

    records = [r for r in read_records("healthcare", "all") if r["split"] in ("train", "dev")]
    parts = dict(zip("ab", halves(records), strict=True))
    totals: dict[str, float] = dict.fromkeys(RATES, 0.0)
    n_total = 0
    for name, other in (("a", "b"), ("b", "a")):
        data = args.out / f"half_{name}.jsonl"
        with data.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in parts[name])
        model_dir = args.out / f"model_{name}"
        train(data, model_dir)
        pipe = syscause.load(str(model_dir))
        parser = load_parser() if pipe.has_parser else None
        held = [r["text"] for r in parts[other] if r["framing"] == "individual"]
        failures: list[dict[str, Any]] = []
        rates, _ = reframing_metrics(pipe, parser, held, list(pipe.analyze_many(held)), failures)
        print(
            f"trained on half {name} ({len(parts[name])} narratives), "
            f"{len(held)} individual-framed narratives of half {other}:"
        )
        for key in RATES:
            print(f"  {key}: {100 * rates[key]:.1f}% (target {100 * TARGETS[key]:.0f}%)")
            totals[key] += rates[key] * len(held)
        n_total += len(held)
        if args.dump_failures:
            with (args.out / f"failures_{other}.jsonl").open("w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(f) + "\n" for f in failures)
    print(f"both halves ({n_total} narratives):")
    for key in RATES:
        print(f"  {key}: {100 * totals[key] / max(n_total, 1):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
