"""Evaluation metrics shared by the scripts and ``syscause evaluate``: multi-label P/R/F1,
expected calibration error and framing agreement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Precision, recall, F1 and support of one label."""

    precision: float
    recall: float
    f1: float
    support: int


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def multilabel_report(
    y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[str]
) -> dict[str, Any]:
    """Per-label and micro/macro precision, recall and F1 for 0/1 matrices (n x labels)."""
    per_label = {}
    for j, label in enumerate(labels):
        t, p = y_true[:, j].astype(bool), y_pred[:, j].astype(bool)
        tp, fp, fn = float((t & p).sum()), float((~t & p).sum()), float((t & ~p).sum())
        pr, rc, f1 = _prf(tp, fp, fn)
        per_label[label] = LabelScores(pr, rc, f1, int(t.sum()))
    t, p = y_true.astype(bool), y_pred.astype(bool)
    micro = _prf(float((t & p).sum()), float((~t & p).sum()), float((t & ~p).sum()))
    macro_f1 = float(np.mean([s.f1 for s in per_label.values()]))
    return {
        "per_label": per_label,
        "micro_precision": micro[0],
        "micro_recall": micro[1],
        "micro_f1": micro[2],
        "macro_f1": macro_f1,
    }


def expected_calibration_error(y_true: np.ndarray, proba: np.ndarray, n_bins: int = 10) -> float:
    """ECE over all (item, label) probabilities, equal-width bins."""
    y = np.asarray(y_true, dtype=float).ravel()
    p = np.asarray(proba, dtype=float).ravel()
    if not len(p):
        return 0.0
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            ece += mask.mean() * abs(p[mask].mean() - y[mask].mean())
    return float(ece)


def cohen_kappa(a: Sequence[object], b: Sequence[object]) -> float:
    """Cohen's kappa between two annotators' labels for the same items."""
    a_arr, b_arr = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    cats = sorted(set(a_arr.tolist()) | set(b_arr.tolist()), key=str)
    if len(cats) < 2:
        return 1.0
    po = float((a_arr == b_arr).mean())
    pe = sum(float((a_arr == c).mean()) * float((b_arr == c).mean()) for c in cats)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0
