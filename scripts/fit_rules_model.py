"""Fit the rule model's parameters (models/rules/meta.json) on the healthcare corpus.

Per label, a logistic regression on the capped counts of positive and hypothetical-only
evidence spans (fitted on train) gives calibrated scores; each label's threshold maximises
F1 on dev. The blame scorer is a logistic regression on capped cue counts and the number of
asserted factors (individual vs system, on train); its framing cut points maximise 4-class
macro-F1 on dev. The test split is never read here.

Usage: python scripts/fit_rules_model.py [--model-dir models/rules]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

import syscause
from syscause.blame import CUE_TYPES, CueBlameScorer, collect_cues
from syscause.classify import collect_evidence
from syscause.corpora import read_records
from syscause.metrics import multilabel_report
from syscause.schemas import FRAMINGS
from syscause.text import clean_for_nlp

ROOT = Path(__file__).resolve().parents[1]


def evidence_features(pipe, records):
    """(n, labels, 2) capped counts of positive and hypothetical-only evidence, and cues."""
    cap = pipe.factor_scorer.inner.max_count
    feats = np.zeros((len(records), len(pipe.labels), 2))
    cues = []
    docs = pipe.nlp.pipe(clean_for_nlp(r["text"]) for r in records)
    for i, (rec, doc) in enumerate(zip(records, docs, strict=True)):
        ev = collect_evidence(doc, rec["text"], pipe.labels, pipe.mention_rules)
        for j, label in enumerate(pipe.labels):
            feats[i, j, 0] = min(len(ev[label].positive), cap)
            feats[i, j, 1] = min(len(ev[label].hypothetical), cap)
        cues.append(collect_cues(doc, rec["text"]))
    return feats, cues


def fit_label(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Logistic fit of one label; weights kept non-negative (evidence never lowers a score)."""
    if y.min() == y.max():
        return {"bias": -4.0, "w_pos": 3.0, "w_hyp": 0.0}
    lr = LogisticRegression(C=10.0).fit(x, y)
    w_pos, w_hyp = (max(float(w), 0.0) for w in lr.coef_[0])
    return {"bias": float(lr.intercept_[0]), "w_pos": w_pos, "w_hyp": w_hyp}


def best_threshold(scores: np.ndarray, y: np.ndarray) -> float:
    """The cut on dev scores with the best F1 (midpoints between distinct scores)."""
    cands = np.unique(np.round(scores, 6))
    mids = [0.5] + [float((a + b) / 2) for a, b in itertools.pairwise(cands)]

    def f1(t: float) -> float:
        pred = scores >= t
        tp = float((pred & (y == 1)).sum())
        return 2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0

    return max(mids, key=lambda t: (f1(t), -abs(t - 0.5)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=ROOT / "models" / "rules")
    args = parser.parse_args()
    meta_path = args.model_dir / "meta.json"
    meta = json.loads(meta_path.read_text())
    pipe = syscause.load(str(args.model_dir), use_parser=False)
    labels = pipe.labels
    train, dev = read_records("healthcare", "train"), read_records("healthcare", "dev")
    xtr, cues_tr = evidence_features(pipe, train)
    xdv, cues_dv = evidence_features(pipe, dev)
    ytr = np.array([[lb in r["labels"] for lb in labels] for r in train], dtype=int)
    ydv = np.array([[lb in r["labels"] for lb in labels] for r in dev], dtype=int)

    params, thresholds = {}, {}
    pdv = np.zeros(ydv.shape)
    for j, label in enumerate(labels):
        params[label] = fit_label(xtr[:, j, :], ytr[:, j])
        p = params[label]
        pdv[:, j] = 1 / (
            1 + np.exp(-(p["bias"] + p["w_pos"] * xdv[:, j, 0] + p["w_hyp"] * xdv[:, j, 1]))
        )
        thresholds[label] = round(best_threshold(pdv[:, j], ydv[:, j]), 4)
    pred_dv = np.stack([pdv[:, j] >= thresholds[lb] for j, lb in enumerate(labels)], axis=1)
    # only labels with stated (positive) evidence can be asserted
    pred_dv &= xdv[:, :, 0] > 0
    rep = multilabel_report(ydv, pred_dv.astype(int), labels)

    # blame: individual (1) vs system (0) on train narratives with a clear framing
    scorer = CueBlameScorer({}, 0.0, 0.5, 0.5, max_count=3)

    def blame_x(cues, recs, pred):
        return np.array(
            [
                [v for v in scorer.features(c, int(n)).values()]
                for c, n in zip(cues, pred.sum(axis=1), strict=True)
            ]
        )

    pred_tr = np.zeros(ytr.shape, dtype=bool)
    for j, label in enumerate(labels):
        p = params[label]
        s = 1 / (1 + np.exp(-(p["bias"] + p["w_pos"] * xtr[:, j, 0] + p["w_hyp"] * xtr[:, j, 1])))
        pred_tr[:, j] = (s >= thresholds[label]) & (xtr[:, j, 0] > 0)
    btr = blame_x(cues_tr, train, pred_tr)
    target = {"individual": 1.0, "mixed": 0.5, "system": 0.0}
    keep = [i for i, r in enumerate(train) if r["framing"] in ("individual", "system")]
    lr = LogisticRegression(C=1.0).fit(btr[keep], [target[train[i]["framing"]] for i in keep])
    names = [*CUE_TYPES, "system_factors"]
    weights = {n: round(float(w), 4) for n, w in zip(names, lr.coef_[0], strict=True)}
    bias = round(float(lr.intercept_[0]), 4)

    gold = [r["framing"] for r in dev]

    def framing_f1(lo: float, hi: float) -> float:
        sc = CueBlameScorer(weights, bias, hi, lo)
        pred = [sc.score(c, int(n))[1] for c, n in zip(cues_dv, pred_dv.sum(axis=1), strict=True)]
        f1s = []
        for cls in FRAMINGS:
            tp = sum(p == g == cls for p, g in zip(pred, gold, strict=True))
            fp = sum(p == cls != g for p, g in zip(pred, gold, strict=True))
            fn = sum(g == cls != p for p, g in zip(pred, gold, strict=True))
            f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
        return float(np.mean(f1s))

    grid = np.round(np.linspace(0.05, 0.95, 19), 2)
    lo, hi = max(((a, b) for a in grid for b in grid if a < b), key=lambda ab: framing_f1(*ab))
    meta["factor_model"]["params"] = {
        lb: {k: round(v, 4) for k, v in params[lb].items()} for lb in labels
    }
    meta["thresholds"] = thresholds
    meta["blame_model"].update(
        {"weights": weights, "bias": bias, "individual_min": float(hi), "system_max": float(lo)}
    )
    meta["status"] = "fitted on corpora/healthcare train (parameters) and dev (thresholds)"
    meta["fit_dev_metrics"] = {
        "micro_f1": round(rep["micro_f1"], 4),
        "macro_f1": round(rep["macro_f1"], 4),
        "framing_macro_f1": round(framing_f1(lo, hi), 4),
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(
        f"dev micro-F1 {rep['micro_f1']:.3f} macro-F1 {rep['macro_f1']:.3f}; framing "
        f"macro-F1 {framing_f1(lo, hi):.3f} (cuts {lo}/{hi}); wrote {meta_path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
