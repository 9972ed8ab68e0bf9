"""Evaluate blame framing and reframing on a healthcare corpus split (and, optionally, ASRS).

Usage:
  python scripts/evaluate_framing.py [--split test] [--model default] [--no-parser]
                                     [--asrs] [--asrs-max 2000] [--samples 30] [--json OUT]

Framing (all narratives of the split, through the public API, so whichever blame model is
the default is what is measured):
- AUROC individual vs system: ``blame.score`` on narratives whose gold framing is individual
  (1) or system (0).
- 4-class framing macro-F1: gold framing vs ``blame.framing``.
- ECE of the blame score as P(individual), on the individual and system narratives
  (10 equal-width bins): binary individual-vs-system calibration.

Reframing (narratives whose gold framing is individual; the denominator of every rate):
- suggestion: the narrative gets at least one reframe suggestion.
- blame drops: re-scoring the narrative with every rewrite applied (each suggested sentence
  replaced by its rewrite; a questions-only suggestion leaves its sentence as it was) gives a
  strictly lower ``blame.score``. A narrative without suggestions counts as no drop.
- guard holds: every rewrite passes an independent no-new-facts check written here (numbers,
  capitalised words not at a clause start, role and drug words of the rewrite all occur in
  the narrative), and no rewrite is empty. A narrative without rewrites holds trivially.
- labels unchanged: the asserted factor labels of the rewritten narrative equal the original.

--asrs: AUROC of ``blame.score`` against ASRS analysts' primary-problem attribution (Human
Factors = 1 vs system categories = 0) on the reports at ``syscause.splits.default_asrs_path()``
(skipped with a note where the file is absent). It is a different construct: a report can be
coded Human Factors without its narrative blaming anyone.
--samples N: N random (seeded) original -> rewrite pairs from the split.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

import syscause
from syscause.corpora import read_records
from syscause.metrics import expected_calibration_error
from syscause.reframe import apply_reframes
from syscause.schemas import FRAMINGS, Analysis, Reframe

ASRS_PERSON = {"Human Factors"}
ASRS_SYSTEM = {
    "Company Policy",
    "Staffing",
    "Manuals",
    "Equipment / Tooling",
    "Procedure",
    "Chart Or Publication",
    "Airport",
    "ATC Equipment / Nav Facility / Buildings",
    "Aircraft",
    "MEL",
    "Incorrect / Not Installed / Unavailable Part",
    "Airspace Structure",
    "Environment - Non Weather Related",
    "Logbook Entry",
}
TARGETS = {"suggestion": 0.95, "blame_drops": 0.90, "guard_holds": 1.0, "labels_unchanged": 0.95}


# --- independent no-new-facts check (deliberately separate from syscause.reframe.guard) ---

_WORD = re.compile(r"[A-Za-z0-9]+(?:['./:-][A-Za-z0-9]+)*")
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
# a fixed, short list: enough to catch a role or drug that a template might invent
_ROLE_DRUG = {
    "nurse",
    "rn",
    "lpn",
    "doctor",
    "physician",
    "md",
    "resident",
    "pharmacist",
    "tech",
    "technician",
    "aide",
    "cna",
    "surgeon",
    "attending",
    "charge",
    "manager",
    "supervisor",
    "insulin",
    "heparin",
    "morphine",
    "fentanyl",
    "warfarin",
    "potassium",
    "vancomycin",
    "hydromorphone",
    "oxycodone",
    "midazolam",
    "lorazepam",
    "ceftriaxone",
    "cefazolin",
}


def independent_guard(rewrite: str, narrative: str) -> bool:
    """True where the rewrite's numbers, proper nouns, roles and drugs are in the narrative."""
    if not rewrite.strip():
        return False
    known = {w.lower() for w in _WORD.findall(narrative)}
    known |= {p for w in known for p in re.split(r"['./:-]", w) if p}
    numbers = set(_NUMBER.findall(narrative))
    if any(n not in numbers for n in _NUMBER.findall(rewrite)):
        return False
    shouting = rewrite.upper() == rewrite
    for clause in re.split(r"[.;:!?]\s*", rewrite):
        words = _WORD.findall(clause)
        for i, w in enumerate(words):
            low = w.lower()
            if low in _ROLE_DRUG and low not in known:
                return False
            if i > 0 and not shouting and w[:1].isupper() and low not in known:
                return False
    return True


# --- metrics ---


def framing_metrics(gold: Sequence[str], results: Sequence[Analysis]) -> dict[str, float]:
    """AUROC and ECE (individual vs system) and 4-class macro-F1."""
    pairs = [(g, r.blame.score) for g, r in zip(gold, results, strict=True)]
    binary = [(1 if g == "individual" else 0, s) for g, s in pairs if g in ("individual", "system")]
    y = np.array([b[0] for b in binary])
    p = np.array([b[1] for b in binary])
    f1s = []
    pred = [r.blame.framing for r in results]
    for cls in FRAMINGS:
        tp = sum(g == cls and q == cls for g, q in zip(gold, pred, strict=True))
        fp = sum(g != cls and q == cls for g, q in zip(gold, pred, strict=True))
        fn = sum(g == cls and q != cls for g, q in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return {
        "n_binary": float(len(binary)),
        "auroc_individual_vs_system": float(roc_auc_score(y, p)),
        "framing_macro_f1": float(np.mean(f1s)),
        "ece_individual_vs_system": float(expected_calibration_error(y[:, None], p[:, None])),
    }


def reframes_of(pipe: Any, parser: Any, text: str, result: Analysis) -> tuple[Reframe, ...]:
    """The analysis's own suggestions: what ``analyze`` writes (the parser is the pipeline's)."""
    return result.reframe


def reframing_metrics(
    pipe: Any,
    parser: Any,
    texts: Sequence[str],
    results: Sequence[Analysis],
    failures: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, float], list[tuple[str, Reframe]]]:
    """The four reframing rates on the given (individual-framed) narratives.

    Where ``failures`` is a list, one record per narrative that misses a rate is appended.
    """
    suggested = dropped = held = unchanged = 0
    pairs: list[tuple[str, Reframe]] = []
    rewritten_texts = []
    all_reframes = []
    for text, res in zip(texts, results, strict=True):
        refs = reframes_of(pipe, parser, text, res)
        all_reframes.append(refs)
        rewritten_texts.append(apply_reframes(text, refs))
        pairs.extend((text, r) for r in refs)
    rescored = list(pipe.analyze_many(rewritten_texts))
    for text, res, refs, new in zip(texts, results, all_reframes, rescored, strict=True):
        suggested += bool(refs)
        dropped += bool(refs) and new.blame.score < res.blame.score
        held += all(independent_guard(r.rewrite, text) for r in refs if r.rewrite is not None)
        unchanged += set(new.labels) == set(res.labels)
        missed = [
            name
            for name, ok in [
                ("no_suggestion", bool(refs)),
                ("no_drop", bool(refs) and new.blame.score < res.blame.score),
                ("labels_changed", set(new.labels) == set(res.labels)),
            ]
            if not ok
        ]
        if failures is not None and missed:
            failures.append(
                {
                    "missed": missed,
                    "text": text,
                    "cues": [[c.type, c.text, c.source] for c in res.blame.cues],
                    "score": [res.blame.score, new.blame.score],
                    "labels": [sorted(res.labels), sorted(new.labels)],
                    "reframes": [[r.original, r.rewrite] for r in refs],
                }
            )
    n = max(len(texts), 1)
    n_rewrites = sum(r.rewrite is not None for _, r in pairs)
    return {
        "n_individual": float(len(texts)),
        "suggestion": suggested / n,
        "blame_drops": dropped / n,
        "guard_holds": held / n,
        "labels_unchanged": unchanged / n,
        "suggestions": float(len(pairs)),
        "rewrites": float(n_rewrites),
    }, pairs


def asrs_auroc(pipe: Any, max_reports: int, seed: int) -> dict[str, float] | None:
    """AUROC of the blame score: Human Factors primary problem (1) vs system categories (0)."""
    from syscause.splits import default_asrs_path

    path = default_asrs_path()
    if not path.is_file():
        print(f"ASRS: no file at {path}; section skipped (set SYSCAUSE_ASRS)")
        return None
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            prob = rec.get("primary_problem")
            if prob in ASRS_PERSON or prob in ASRS_SYSTEM:
                rows.append((rec.get("narrative") or "", 1 if prob in ASRS_PERSON else 0))
    if max_reports and len(rows) > max_reports:
        rows = random.Random(seed).sample(rows, max_reports)
    scores = [r.blame.score for r in pipe.analyze_many([t for t, _ in rows])]
    y = [lab for _, lab in rows]
    return {
        "n": float(len(rows)),
        "n_human_factors": float(sum(y)),
        "auroc": float(roc_auc_score(y, scores)),
        "mean_score_human_factors": float(
            np.mean([s for s, t in zip(scores, y, strict=True) if t])
        ),
        "mean_score_system": float(np.mean([s for s, t in zip(scores, y, strict=True) if not t])),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["train", "dev", "test"])
    ap.add_argument("--model", default="default")
    ap.add_argument("--no-parser", action="store_true", help="token patterns only")
    ap.add_argument("--asrs", action="store_true", help="also the ASRS primary-problem check")
    ap.add_argument("--asrs-max", type=int, default=2000, help="ASRS reports sampled (0: all)")
    ap.add_argument("--samples", type=int, default=0, help="print N original -> rewrite pairs")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", help="also write the numbers as JSON here")
    ap.add_argument(
        "--dump-failures",
        metavar="OUT.jsonl",
        help="write each individual-framed narrative that misses a reframing rate (for "
        "diagnosis on train or dev; never write rules from the test split's failures)",
    )
    args = ap.parse_args()

    from syscause.pipeline.person_failure import load_parser

    pipe = syscause.load(args.model, use_parser=False if args.no_parser else None)
    parser = load_parser() if pipe.has_parser else None
    records = list(read_records("healthcare", args.split))
    texts = [r["text"] for r in records]
    gold = [r["framing"] for r in records]
    results = list(pipe.analyze_many(texts))
    out: dict[str, Any] = {"split": args.split, "model": pipe.name, "parser": parser is not None}
    out["framing"] = framing_metrics(gold, results)
    ind = [i for i, g in enumerate(gold) if g == "individual"]
    failures: list[dict[str, Any]] = []
    out["reframing"], _ = reframing_metrics(
        pipe, parser, [texts[i] for i in ind], [results[i] for i in ind], failures
    )
    if args.dump_failures:
        with open(args.dump_failures, "w", encoding="utf-8") as fh:
            for rec in failures:
                fh.write(json.dumps(rec) + "\n")

    f, rf = out["framing"], out["reframing"]
    print(f"split {args.split}: {len(texts)} narratives, model {pipe.name}, parser {out['parser']}")
    print(
        f"framing AUROC individual vs system (n={f['n_binary']:.0f}): "
        f"{f['auroc_individual_vs_system']:.3f}"
    )
    print(f"framing 4-class macro-F1: {f['framing_macro_f1']:.3f}")
    print(
        f"ECE of blame score as P(individual), individual vs system: "
        f"{f['ece_individual_vs_system']:.4f}"
    )
    print(
        f"reframing on {rf['n_individual']:.0f} individual-framed narratives "
        f"({rf['suggestions']:.0f} suggestions, {rf['rewrites']:.0f} with a rewrite):"
    )
    for key, label in [
        ("suggestion", ">=1 suggestion"),
        ("blame_drops", "blame score drops when rewrites are applied"),
        ("guard_holds", "no-new-facts guard holds (independent check)"),
        ("labels_unchanged", "factor labels unchanged after rewriting"),
    ]:
        ok = "ok" if rf[key] >= TARGETS[key] else "below target"
        print(f"  {label}: {100 * rf[key]:.1f}% (target {100 * TARGETS[key]:.0f}%, {ok})")

    if args.asrs:
        out["asrs"] = asrs_auroc(pipe, args.asrs_max, args.seed)
        if out["asrs"]:
            a = out["asrs"]
            print(
                f"ASRS primary problem, Human Factors vs system categories (n={a['n']:.0f}, "
                f"{a['n_human_factors']:.0f} HF): AUROC {a['auroc']:.3f}; mean blame "
                f"{a['mean_score_human_factors']:.3f} vs {a['mean_score_system']:.3f}"
            )

    if args.samples:
        all_pairs = []
        for text, res in zip(texts, results, strict=True):
            all_pairs.extend(r for r in reframes_of(pipe, parser, text, res) if r.rewrite)
        rng = random.Random(args.seed)
        chosen = rng.sample(all_pairs, min(args.samples, len(all_pairs)))
        print(f"\n{len(chosen)} random rewrites from the {args.split} split (seed {args.seed}):")
        for k, r in enumerate(chosen, 1):
            print(f"{k:2d}. ORIGINAL: {r.original}\n    REWRITE:  {r.rewrite}")
            print(f"    QUESTIONS: {' | '.join(r.questions)}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
