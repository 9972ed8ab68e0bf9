"""Writing a candidate's predictions where scripts/compare_models.py reads them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

OUT = Path("build/candidates")


def npz_path(dataset: str, candidate: str) -> Path:
    """build/candidates/<dataset>/<candidate>.npz"""
    return OUT / dataset / f"{candidate}.npz"


def save(
    dataset: str,
    candidate: str,
    *,
    labels: Sequence[str],
    heldout_ids: Sequence[str],
    heldout_proba: np.ndarray,
    test_ids: Sequence[str],
    test_proba: np.ndarray,
    fit_seconds: float,
    predict_docs_per_s: float,
    notes: str,
) -> Path:
    """Save one candidate's held-out and test probabilities (no object arrays)."""
    path = npz_path(dataset, candidate)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        labels=np.asarray(labels, dtype=str),
        heldout_ids=np.asarray(heldout_ids, dtype=str),
        heldout_proba=np.asarray(heldout_proba, dtype=np.float32),
        test_ids=np.asarray(test_ids, dtype=str),
        test_proba=np.asarray(test_proba, dtype=np.float32),
        fit_seconds=np.float64(fit_seconds),
        predict_docs_per_s=np.float64(predict_docs_per_s),
        notes=np.asarray(notes, dtype=str),
    )
    return path
