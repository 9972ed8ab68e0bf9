"""A learned factor model: TF-IDF n-grams plus rule-evidence features, one calibrated
logistic regression per label, stored without pickle (JSON vocabularies, ``.npz`` arrays
loaded with ``allow_pickle=False``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)


def evidence_matrix(counts: Sequence[Sequence[tuple[int, int, int]]], cap: int = 3) -> Any:
    """Rule features: capped (positive, hypothetical, negated) counts per label, scaled."""
    arr = np.asarray(counts, dtype=np.float64).reshape(len(counts), -1)
    return sparse.csr_matrix(np.minimum(arr, cap) / cap)


class LinearFactorModel:
    """Per-label logistic regression over word and character TF-IDF and rule features.

    Follows the scikit-learn estimator contract: ``__init__`` stores parameters, ``fit``
    returns self, learned state ends in ``_``. Probabilities are Platt-calibrated on
    out-of-fold decision values of the training data.
    """

    def __init__(
        self,
        *,
        C: float = 4.0,
        min_df: int = 2,
        max_word_features: int = 60000,
        max_char_features: int = 80000,
        rule_weight: float = 3.0,
        folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.rule_weight = rule_weight
        self.folds = folds
        self.random_state = random_state

    def _vectorizers(self) -> tuple[Any, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        word = TfidfVectorizer(
            ngram_range=WORD_NGRAMS,
            min_df=self.min_df,
            sublinear_tf=True,
            max_features=self.max_word_features,
            lowercase=True,
        )
        char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=CHAR_NGRAMS,
            min_df=self.min_df,
            sublinear_tf=True,
            max_features=self.max_char_features,
            lowercase=True,
        )
        return word, char

    def _features(self, texts: Sequence[str], rules: Any) -> Any:
        x_word = self.word_.transform(texts)
        x_char = self.char_.transform(texts)
        return sparse.hstack([x_word, x_char, rules * self.rule_weight], format="csr")

    def fit(self, texts: Sequence[str], y: np.ndarray, rules: Any) -> LinearFactorModel:
        """Fit vectorizers, one logistic regression per label, and Platt calibration."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import KFold

        y = np.asarray(y, dtype=int)
        if y.ndim != 2 or y.shape[0] != len(texts):
            raise ValueError("y must be an (n_texts, n_labels) 0/1 matrix")
        self.word_, self.char_ = self._vectorizers()
        self.word_.fit(texts)
        self.char_.fit(texts)
        x = self._features(texts, rules)
        n_labels = y.shape[1]
        self.coef_ = np.zeros((n_labels, x.shape[1]))
        self.intercept_ = np.zeros(n_labels)
        self.platt_ = np.zeros((n_labels, 2))
        folds = KFold(self.folds, shuffle=True, random_state=self.random_state)
        for j in range(n_labels):
            yj = y[:, j]
            if yj.min() == yj.max():  # a label never (or always) seen: constant score
                self.intercept_[j] = 10.0 if yj[0] else -10.0
                self.platt_[j] = (1.0, 0.0)
                continue
            oof = np.zeros(len(yj))
            for tr, te in folds.split(x):
                if yj[tr].min() == yj[tr].max():
                    continue
                lr = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
                oof[te] = lr.fit(x[tr], yj[tr]).decision_function(x[te])
            lr = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
            lr.fit(x, yj)
            self.coef_[j] = lr.coef_[0]
            self.intercept_[j] = lr.intercept_[0]
            platt = LogisticRegression(C=1e4).fit(oof.reshape(-1, 1), yj)
            self.platt_[j] = (platt.coef_[0, 0], platt.intercept_[0])
        return self

    def decision_function(self, texts: Sequence[str], rules: Any) -> np.ndarray:
        """Raw per-label margins."""
        x = self._features(texts, rules)
        return np.asarray(x @ self.coef_.T) + self.intercept_

    def predict_proba(self, texts: Sequence[str], rules: Any) -> np.ndarray:
        """Calibrated probability of every label, shape (n_texts, n_labels)."""
        z = self.decision_function(texts, rules)
        a, b = self.platt_[:, 0], self.platt_[:, 1]
        return 1.0 / (1.0 + np.exp(-(z * a + b)))

    def save(self, directory: Path) -> dict[str, str]:
        """Write vocabularies (JSON) and arrays (npz); return {key: file name}."""
        directory.mkdir(parents=True, exist_ok=True)
        vocab = {
            "word": {k: int(v) for k, v in self.word_.vocabulary_.items()},
            "char": {k: int(v) for k, v in self.char_.vocabulary_.items()},
            "params": {
                "C": self.C,
                "min_df": self.min_df,
                "rule_weight": self.rule_weight,
            },
        }
        (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
        np.savez_compressed(
            directory / "weights.npz",
            word_idf=self.word_.idf_,
            char_idf=self.char_.idf_,
            coef=self.coef_.astype(np.float32),
            intercept=self.intercept_,
            platt=self.platt_,
        )
        return {"vocab": "vocab.json", "weights": "weights.npz"}

    @classmethod
    def load(cls, vocab_path: Path, weights_path: Path) -> LinearFactorModel:
        """Rebuild a fitted model from files written by :meth:`save` (no pickle)."""
        vocab = json.loads(vocab_path.read_text(encoding="utf-8"))
        params = vocab["params"]
        model = cls(C=params["C"], min_df=params["min_df"], rule_weight=params["rule_weight"])
        word, char = model._vectorizers()
        with np.load(weights_path, allow_pickle=False) as arrays:
            word.vocabulary_ = vocab["word"]
            char.vocabulary_ = vocab["char"]
            word.idf_ = arrays["word_idf"]
            char.idf_ = arrays["char_idf"]
            model.coef_ = arrays["coef"].astype(np.float64)
            model.intercept_ = arrays["intercept"]
            model.platt_ = arrays["platt"]
        model.word_, model.char_ = word, char
        return model
