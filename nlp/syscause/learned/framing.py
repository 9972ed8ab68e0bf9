"""The learned framing model: four framing classes and a calibrated blame score.

A text scorer (multinomial logistic regression on the hashed TF-IDF n-grams) is stacked with
the blame-cue counts per family, the amount of stated system evidence and the factor model's
total probability; the stacker is fitted on out-of-fold text scores, so its probabilities are
calibrated on narratives the text scorer did not see.

``blame.score`` is the probability that the narrative frames the event at least partly as an
individual's failing (framing individual or mixed). It describes the narrative, never a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from syscause.errors import ModelError
from syscause.learned.features import CUE_TYPES, DocTokens, HashedNgrams
from syscause.schemas import FRAMINGS

FRAMING_FILE = "framing.npz"
BLAMING = ("individual", "mixed")
CAP = 3.0


def framing_features(rules: np.ndarray, factor_mass: np.ndarray) -> np.ndarray:
    """Cue counts per family, stated system evidence and the factors' total score.

    ``rules`` rows are :func:`syscause.learned.features.rule_features` vectors: three counts
    per rule label (stated, negated, hypothetical), then the cue counts.
    """
    n_cue = len(CUE_TYPES)
    stated = rules[:, : rules.shape[1] - n_cue : 3].sum(axis=1, keepdims=True)
    return np.hstack(
        [rules[:, -n_cue:], np.minimum(stated, 2 * CAP), np.minimum(factor_mass, 2 * CAP)[:, None]]
    ).astype(np.float32)


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(slots=True)
class FramingModel:
    """Text scorer + stacker over the four framing classes (order: ``FRAMINGS``)."""

    hasher: HashedNgrams
    text_w: np.ndarray  # (4, n_features)
    text_b: np.ndarray  # (4,)
    stack_w: np.ndarray  # (4, 4 + n_features_of framing_features)
    stack_b: np.ndarray  # (4,)

    def text_logits(self, tokens: Sequence[DocTokens]) -> np.ndarray:
        """Text-only one-vs-rest class scores."""
        return np.asarray(self.hasher.doc_matrix(tokens) @ self.text_w.T) + self.text_b

    def proba(self, text_logits: np.ndarray, feats: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities from text scores and cue features."""
        x = np.hstack([text_logits, feats])
        return softmax(x @ self.stack_w.T + self.stack_b)

    def predict(
        self, tokens: Sequence[DocTokens], feats: np.ndarray
    ) -> tuple[np.ndarray, list[str]]:
        """(blame score per narrative, framing class per narrative)."""
        p = self.proba(self.text_logits(tokens), feats)
        blame = p[:, [FRAMINGS.index(c) for c in BLAMING]].sum(axis=1)
        return blame, [FRAMINGS[i] for i in p.argmax(axis=1)]

    def save(self, directory: Path) -> Path:
        """Write ``framing.npz``."""
        path = directory / FRAMING_FILE
        np.savez_compressed(
            path,
            text_w=self.text_w.astype(np.float16),
            text_b=self.text_b.astype(np.float32),
            stack_w=self.stack_w.astype(np.float32),
            stack_b=self.stack_b.astype(np.float32),
        )
        return path

    @classmethod
    def load(cls, path: Path, hasher: HashedNgrams) -> FramingModel:
        """Read ``framing.npz`` (NumPy arrays only, no pickle)."""
        try:
            with np.load(path, allow_pickle=False) as npz:
                arr = {k: npz[k] for k in npz.files}
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: unreadable framing weights ({exc})") from None
        return cls(
            hasher,
            arr["text_w"].astype(np.float32),
            arr["text_b"],
            arr["stack_w"],
            arr["stack_b"],
        )


def _text_head(x: Any, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest logistic scores per class on the sparse n-grams (liblinear: fast here);
    the stacker turns them into calibrated class probabilities."""
    from syscause.learned.train import fit_head

    onehot = (y[:, None] == np.arange(len(FRAMINGS))[None, :]).astype(np.int8)
    head = fit_head(x, onehot, c)
    return head.weights, head.bias


def _multinomial(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic stacker on a few dense features."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000).fit(x, y)
    w = np.zeros((len(FRAMINGS), x.shape[1]), dtype=np.float32)
    b = np.full(len(FRAMINGS), -30.0, dtype=np.float32)  # a class never seen stays unlikely
    if len(clf.classes_) == 2:  # binary: sklearn keeps one row for the second class
        w[int(clf.classes_[1])], b[int(clf.classes_[1])] = clf.coef_[0], clf.intercept_[0]
        b[int(clf.classes_[0])] = 0.0
        return w, b
    for k, cls in enumerate(clf.classes_):
        w[int(cls)], b[int(cls)] = clf.coef_[k], clf.intercept_[k]
    return w, b


@dataclass(slots=True)
class Restatements:
    """System-framed restatements of training narratives, for the text scorer only.

    ``origin[k]`` is the index (into the framed training narratives) of the narrative that
    ``tokens[k]`` restates, so that a fold never trains on a restatement of a narrative it
    holds out; ``framing[k]`` is the restatement's own framing label.
    """

    tokens: list[DocTokens]
    origin: np.ndarray
    framing: list[str]


def train_framing(
    tokens: Sequence[DocTokens],
    feats: np.ndarray,
    framing: Sequence[str],
    folds: list[np.ndarray],
    final_hasher: HashedNgrams,
    text_c: float = 4.0,
    stack_c: float = 1.0,
    restated: Restatements | None = None,
) -> tuple[FramingModel, np.ndarray]:
    """Fit the framing model; returns it and its out-of-fold class probabilities.

    ``restated`` texts join the text scorer's training data (in each fold, only those whose
    original is in the fold's training part); the stacker, which calibrates the
    probabilities, is fitted on the real narratives alone.
    """
    y = np.array([FRAMINGS.index(f) for f in framing])
    n = len(y)
    extra_tokens: list[DocTokens] = list(restated.tokens) if restated else []
    extra_y = np.array([FRAMINGS.index(f) for f in restated.framing] if restated else [], int)
    extra_origin = restated.origin if restated else np.zeros(0, dtype=np.int64)
    oof_text = np.zeros((n, len(FRAMINGS)))
    # the fold heads share the factor model's IDF (unsupervised: no label of a held-out
    # narrative is used) so that their average is the final head: the stacker is then
    # fitted on text scores of the same scale as those it will see, which keeps the
    # blame score calibrated on new narratives (a head refitted on all the data is
    # more confident than the fold heads the stacker learned from)
    heads_w, heads_b = [], []
    for held in folds:
        tr = np.setdiff1d(np.arange(n), held)
        extra = np.flatnonzero(np.isin(extra_origin, tr))
        fold_tokens = [tokens[i] for i in tr] + [extra_tokens[k] for k in extra]
        w, b = _text_head(
            final_hasher.doc_matrix(fold_tokens), np.concatenate([y[tr], extra_y[extra]]), text_c
        )
        heads_w.append(w)
        heads_b.append(b)
        model = FramingModel(final_hasher, w, b, np.zeros((4, 1)), np.zeros(4))
        oof_text[held] = model.text_logits([tokens[i] for i in held])
    x_stack = np.hstack([oof_text, feats])
    oof = np.zeros((n, len(FRAMINGS)))
    for held in folds:
        tr = np.setdiff1d(np.arange(n), held)
        sw, sb = _multinomial(x_stack[tr], y[tr], stack_c)
        oof[held] = softmax(x_stack[held] @ sw.T + sb)
    stack_w, stack_b = _multinomial(x_stack, y, stack_c)
    text_w = np.mean(heads_w, axis=0).astype(np.float32)
    text_b = np.mean(heads_b, axis=0).astype(np.float32)
    return FramingModel(final_hasher, text_w, text_b, stack_w, stack_b), oof
