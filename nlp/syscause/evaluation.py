"""Evaluating a loaded pipeline on labelled records: factors, calibration and framing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from syscause.api import Pipeline
from syscause.metrics import expected_calibration_error, multilabel_report
from syscause.schemas import FRAMINGS


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """Factor, calibration and framing metrics of one pipeline on one data set."""

    n: int
    labels: list[str]
    factor_report: dict[str, Any]
    ece: float
    framing_macro_f1: float | None
    framing_confusion: dict[str, dict[str, int]] | None

    def to_dict(self) -> dict[str, Any]:
        """The metrics as a JSON-ready dict (per-label P/R/F1 and support)."""
        rep = self.factor_report
        return {
            "n": self.n,
            "micro_precision": rep["micro_precision"],
            "micro_recall": rep["micro_recall"],
            "micro_f1": rep["micro_f1"],
            "macro_f1": rep["macro_f1"],
            "ece": self.ece,
            "framing_macro_f1": self.framing_macro_f1,
            "per_label": {
                lb: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support}
                for lb, s in rep["per_label"].items()
            },
        }

    def as_table(self) -> str:
        """A plain-text table: one line per label, then the summary lines."""
        lines = [f"{'label':22s} {'P':>6s} {'R':>6s} {'F1':>6s} {'support':>8s}"]
        for label in self.labels:
            s = self.factor_report["per_label"][label]
            lines.append(
                f"{label:22s} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:8d}"
            )
        rep = self.factor_report
        lines.append(
            f"{'micro':22s} {rep['micro_precision']:6.3f} {rep['micro_recall']:6.3f} "
            f"{rep['micro_f1']:6.3f} {self.n:8d}"
        )
        lines.append(f"{'macro-F1':22s} {'':6s} {'':6s} {rep['macro_f1']:6.3f}")
        lines.append(f"ECE (all label probabilities, 10 bins): {self.ece:.4f}")
        if self.framing_macro_f1 is not None:
            lines.append(f"framing 4-class macro-F1: {self.framing_macro_f1:.3f}")
        return "\n".join(lines)


def _framing_scores(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, dict]:
    confusion = {g: {p: 0 for p in FRAMINGS} for g in FRAMINGS}
    for g, p in zip(gold, pred, strict=True):
        confusion[g][p] += 1
    f1s = []
    for cls in FRAMINGS:
        tp = confusion[cls][cls]
        fp = sum(confusion[g][cls] for g in FRAMINGS if g != cls)
        fn = sum(confusion[cls][p] for p in FRAMINGS if p != cls)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return float(np.mean(f1s)), confusion


def evaluate(
    pipeline: Pipeline,
    texts: Sequence[str],
    gold_labels: Sequence[Sequence[str]],
    gold_framing: Sequence[str] | None = None,
) -> EvaluationResult:
    """Analyse ``texts`` and compare with gold label lists (and framing classes)."""
    labels = pipeline.labels
    results = list(pipeline.analyze_many(texts))
    y_true = np.array([[lb in set(g) for lb in labels] for g in gold_labels], dtype=int)
    y_pred = np.array([[lb in set(r.labels) for lb in labels] for r in results], dtype=int)
    proba = np.array([[r.scores[lb] for lb in labels] for r in results])
    report = multilabel_report(y_true, y_pred, labels)
    framing_f1 = confusion = None
    if gold_framing is not None:
        framing_f1, confusion = _framing_scores(
            list(gold_framing), [r.blame.framing for r in results]
        )
    return EvaluationResult(
        n=len(results),
        labels=labels,
        factor_report=report,
        ece=expected_calibration_error(y_true, proba),
        framing_macro_f1=framing_f1,
        framing_confusion=confusion,
    )
