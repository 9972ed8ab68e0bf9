"""Cross-domain check: the healthcare default model on real ASRS aviation reports.

Gold labels are the ASRS analysts' human factors (and contributing factors) mapped to
taxonomy v1 through the shipped mapping (``direct`` entries only: workload -> understaffing,
time pressure -> productivity_pressure, fatigue, communication breakdown ->
teamwork_supervision, training / qualification -> training_orientation, human-machine
interface -> ehr_device_usability, ...). Only v1 labels that the mapping can produce are
scored. This is a generalisation figure, not a target: the model never saw aviation text.

Usage: python scripts/cross_domain.py [--model default] [--split test|train|all]
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

import syscause
from syscause.asrs import load_mapping, map_to_v1
from syscause.metrics import multilabel_report
from syscause.splits import ASRS_LAST_TRAIN_YEAR, ASRS_TEST_YEAR, default_asrs_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--split", default="test", choices=["test", "train", "all"])
    args = parser.parse_args()
    path = default_asrs_path()
    if not path.is_file():
        print(f"ASRS data not found at {path}; nothing to do")
        return 0
    mapping = load_mapping()
    mapped = sorted(
        {
            lb
            for field in ("human_factors", "contributing_factors")
            for entry in mapping[field].values()
            if entry["strength"] == "direct"
            for lb in entry["labels"]
        }
    )
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            year = str(rec.get("date") or "")[:4]
            if rec.get("human_factors") is None or not year:
                continue
            if args.split == "test" and year != ASRS_TEST_YEAR:
                continue
            if args.split == "train" and year > ASRS_LAST_TRAIN_YEAR:
                continue
            gold = map_to_v1(rec["human_factors"], rec.get("contributing_factors")) or []
            rows.append((rec["narrative"], gold))
    pipe = syscause.load(args.model, use_parser=False)
    results = list(pipe.analyze_many([t for t, _ in rows]))
    y_true = np.array([[lb in g for lb in mapped] for _, g in rows], dtype=int)
    y_pred = np.array([[lb in r.labels for lb in mapped] for r in results], dtype=int)
    rep = multilabel_report(y_true, y_pred, mapped)
    print(f"model {pipe.name} on ASRS ({args.split}, {len(rows)} coded reports), mapped labels")
    print(f"{'label':24s} {'P':>6s} {'R':>6s} {'F1':>6s} {'support':>8s}")
    for lb in mapped:
        s = rep["per_label"][lb]
        print(f"{lb:24s} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:8d}")
    print(f"micro-F1 {rep['micro_f1']:.3f}  macro-F1 {rep['macro_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
