"""Metric helpers against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from syscause.metrics import cohen_kappa, expected_calibration_error, multilabel_report


def test_multilabel_report_hand_computed():
    y = np.array([[1, 0], [1, 1], [0, 0], [0, 1]])
    p = np.array([[1, 0], [0, 1], [1, 0], [0, 1]])
    rep = multilabel_report(y, p, ["a", "b"])
    a = rep["per_label"]["a"]
    assert (a.precision, a.recall, a.f1, a.support) == (0.5, 0.5, 0.5, 2)
    assert rep["per_label"]["b"].f1 == 1.0
    assert rep["micro_f1"] == pytest.approx(0.75)
    assert rep["macro_f1"] == pytest.approx(0.75)


def test_ece_is_zero_when_calibrated_and_large_when_not():
    y = np.array([1, 0, 1, 0])
    assert expected_calibration_error(y, np.array([0.5, 0.5, 0.5, 0.5])) == pytest.approx(0.0)
    assert expected_calibration_error(y, np.array([0.0, 1.0, 0.0, 1.0])) == pytest.approx(1.0)


def test_cohen_kappa_known_values():
    assert cohen_kappa([1, 1, 0, 0], [1, 1, 0, 0]) == 1.0
    # po = 0.5, pe = 0.5 -> 0
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.0)
    # classic example: po=0.7, pe=0.5 -> 0.4
    a = [1] * 5 + [0] * 5
    b = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    assert cohen_kappa(a, b) == pytest.approx((0.8 - 0.5) / 0.5)
