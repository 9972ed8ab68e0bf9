"""Per-label logistic regression on fixed document vectors, with the out-of-fold protocol."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

C_GRID = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
Fold = tuple[np.ndarray, np.ndarray]


def loose_strata(y: np.ndarray, n_splits: int) -> np.ndarray:
    """A stratum per row: its rarest positive label (or 'none'); tiny strata are merged."""
    prevalence = y.sum(axis=0)
    rank = np.where(y == 1, prevalence[None, :], np.inf)
    key = np.where(y.any(axis=1), rank.argmin(axis=1), y.shape[1])
    sizes = np.bincount(key, minlength=y.shape[1] + 1)
    merged = np.where(sizes[key] < n_splits, y.shape[1] + 1, key)
    if (merged == y.shape[1] + 1).sum() < n_splits:
        # Still too few to spread over the folds: fold them into the largest stratum.
        merged[merged == y.shape[1] + 1] = np.bincount(key).argmax()
    return merged


def make_folds(y: np.ndarray, n_splits: int = 5, seed: int = 0) -> list[Fold]:
    """Seeded K folds stratified on the rarest positive label of each row."""
    skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return list(skf.split(np.zeros(len(y)), loose_strata(y, n_splits)))


def fit_predict(x_tr: np.ndarray, y_tr: np.ndarray, x_te: np.ndarray, c: float) -> np.ndarray:
    """Fit one balanced LR per label on standardised features; probabilities for ``x_te``."""
    scaler = StandardScaler().fit(x_tr)
    a, b = scaler.transform(x_tr), scaler.transform(x_te)
    out = np.zeros((len(x_te), y_tr.shape[1]), dtype=np.float64)
    for j in range(y_tr.shape[1]):
        if y_tr[:, j].min() == y_tr[:, j].max():
            out[:, j] = float(y_tr[0, j])  # one class only: nothing to learn
            continue
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.fit(a, y_tr[:, j])
        out[:, j] = clf.predict_proba(b)[:, 1]
    return out


def oof_predict(x: np.ndarray, y: np.ndarray, folds: Sequence[Fold], c: float) -> np.ndarray:
    """Out-of-fold probabilities for every pool row."""
    out = np.zeros(y.shape, dtype=np.float64)
    for tr, va in folds:
        out[va] = fit_predict(x[tr], y[tr], x[va], c)
    return out


def macro_ap(y: np.ndarray, p: np.ndarray) -> float:
    """Mean per-label average precision (threshold-free, so C is chosen without thresholds)."""
    cols = [j for j in range(y.shape[1]) if 0 < y[:, j].sum() < len(y)]
    return float(np.mean([average_precision_score(y[:, j], p[:, j]) for j in cols]))


def tune_and_oof(
    x: np.ndarray, y: np.ndarray, folds: Sequence[Fold], grid: Sequence[float] = C_GRID
) -> tuple[float, np.ndarray, dict[float, float]]:
    """The C with the best out-of-fold macro AP, its OOF probabilities, and every C's score."""
    scores: dict[float, float] = {}
    best: tuple[float, float, np.ndarray] | None = None
    for c in grid:
        oof = oof_predict(x, y, folds, c)
        scores[c] = macro_ap(y, oof)
        if best is None or scores[c] > best[0]:
            best = (scores[c], c, oof)
    assert best is not None
    return best[1], best[2], scores
