"""A quick self-check: per-label F1 thresholds from held-out predictions, F1 on test."""

from __future__ import annotations

import numpy as np


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The score cut-off that maximises F1 for one label on held-out predictions."""
    order = np.argsort(-p, kind="stable")
    ys, ps = y[order], p[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    # Only cut between distinct scores, so the threshold reproduces the counted set.
    valid = np.r_[ps[1:] < ps[:-1], True]
    if not valid.any() or ys.sum() == 0:
        return 0.5
    i = int(np.argmax(np.where(valid, f1, -1)))
    return float(ps[i])


def f1_table(y: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Per-label F1, macro-F1 and micro-F1 of binary predictions."""
    tp = (pred & (y == 1)).sum(0).astype(float)
    fp = (pred & (y == 0)).sum(0).astype(float)
    fn = ((~pred) & (y == 1)).sum(0).astype(float)
    per = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros_like(tp), where=(2 * tp + fp + fn) > 0)
    micro = 2 * tp.sum() / max(2 * tp.sum() + fp.sum() + fn.sum(), 1.0)
    return per, float(per.mean()), float(micro)


def check(
    y_held: np.ndarray, p_held: np.ndarray, y_test: np.ndarray, p_test: np.ndarray
) -> tuple[np.ndarray, float, float]:
    """Test per-label/macro/micro F1 with thresholds tuned per label on held-out predictions."""
    thr = np.array([best_threshold(y_held[:, j], p_held[:, j]) for j in range(y_held.shape[1])])
    return f1_table(y_test, p_test >= thr[None, :])
