"""The learned factor model: linear base scorers stacked into calibrated probabilities.

Base scorers, each a per-label logistic regression on hashed TF-IDF n-grams:
- ``doc``: the whole narrative;
- ``sent`` (when the training data had evidence spans): each sentence, trained on whether
  the sentence holds gold evidence for the label; the narrative's score is its best
  sentence, and that sentence is the evidence shown for the label;
- ``emb`` (optional): a static word-embedding mean of the narrative.

A per-label stacker (logistic regression on the base logits plus the rule-evidence counts,
fitted on out-of-fold base scores) gives the calibrated probability; thresholds were tuned
on out-of-fold predictions. Everything is stored as JSON and a NumPy ``.npz`` read with
``allow_pickle=False``; file hashes are verified by the model store before loading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from syscause.errors import ModelError
from syscause.learned.features import DocTokens, HashedNgrams

WEIGHTS_FILE = "weights.npz"
LOGIT_CLIP = 1e-4


def logit(p: np.ndarray) -> np.ndarray:
    """Log-odds, clipped so that certain base scores stay finite."""
    q = np.clip(p, LOGIT_CLIP, 1 - LOGIT_CLIP)
    return np.log(q / (1 - q))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function."""
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(slots=True)
class LinearHead:
    """Per-label linear scores: ``X @ W.T + b``."""

    weights: np.ndarray  # (labels, features)
    bias: np.ndarray  # (labels,)
    # W.T as contiguous float32, made once: a sparse product with the stored (float16,
    # transposed) view copies all of W on every call, which a one-document call notices
    _columns: np.ndarray | None = field(default=None, repr=False, compare=False)

    def logits(self, x: Any) -> np.ndarray:
        """Raw scores for a (sparse or dense) feature matrix."""
        if not sparse.issparse(x):
            return np.asarray(x @ self.weights.T) + self.bias
        if self._columns is None:
            self._columns = np.ascontiguousarray(self.weights.T, dtype=np.float32)
        return np.asarray(x @ self._columns) + self.bias


@dataclass(slots=True)
class Prediction:
    """Scores for one batch: calibrated probabilities and the best sentence per label."""

    proba: np.ndarray  # (docs, labels)
    best_sentence: list[list[tuple[int, int] | None]]  # per doc, per label: char span
    base_proba: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(slots=True)
class LinearFactorModel:
    """Stacked linear factor model (see module docstring)."""

    labels: list[str]
    hasher: HashedNgrams
    doc_head: LinearHead
    stack_weights: np.ndarray  # (labels, n_bases + n_rule_features)
    stack_bias: np.ndarray  # (labels,)
    thresholds: np.ndarray  # (labels,)
    bases: list[str]  # order of base logits in the stacker input
    rule_labels: list[str]
    sent_head: LinearHead | None = None
    emb_head: LinearHead | None = None

    def base_scores(
        self, tokens: Sequence[DocTokens], embeddings: np.ndarray | None = None
    ) -> tuple[dict[str, np.ndarray], list[list[tuple[int, int] | None]]]:
        """Base probabilities per scorer, and each label's best sentence per document."""
        out: dict[str, np.ndarray] = {}
        doc_logits = self.doc_head.logits(self.hasher.doc_matrix(tokens))
        out["doc"] = sigmoid(doc_logits)
        # Sentence scores explain a label even where only the document scorer exists.
        head = self.sent_head or self.doc_head
        n_labels = len(self.labels)
        best: list[list[tuple[int, int] | None]] = [[None] * n_labels for _ in tokens]
        sent_max = np.zeros((len(tokens), n_labels))
        if sum(t.n_sentences for t in tokens):
            smat, owner = self.hasher.sentence_matrix(tokens)
            s_logits = head.logits(smat)
            sent_max[:] = -np.inf
            first = np.searchsorted(owner, np.arange(len(tokens)))
            for i, tok in enumerate(tokens):
                if tok.n_sentences == 0:
                    continue
                block = s_logits[first[i] : first[i] + tok.n_sentences]
                arg = block.argmax(axis=0)
                sent_max[i] = block[arg, np.arange(n_labels)]
                best[i] = [tok.sentence_chars[a] for a in arg.tolist()]
            sent_max[np.isinf(sent_max)] = -30.0
        if self.sent_head is not None:
            out["sent"] = sigmoid(sent_max)
        if self.emb_head is not None:
            if embeddings is None:
                raise ModelError("this model needs document embeddings")
            out["emb"] = sigmoid(self.emb_head.logits(embeddings))
        return out, best

    def stack_input(self, base: dict[str, np.ndarray], rules: np.ndarray) -> np.ndarray:
        """(docs, labels, features) stacker input: own-label base logits, then rule counts."""
        logits = np.stack([logit(base[name]) for name in self.bases], axis=-1)
        shared = np.repeat(rules[:, None, :], len(self.labels), axis=1)
        return np.concatenate([logits, shared], axis=-1)

    def predict(
        self,
        tokens: Sequence[DocTokens],
        rules: np.ndarray,
        embeddings: np.ndarray | None = None,
    ) -> Prediction:
        """Calibrated probabilities for a batch of analysed documents."""
        base, best = self.base_scores(tokens, embeddings)
        x = self.stack_input(base, rules)
        z = np.einsum("dlf,lf->dl", x, self.stack_weights) + self.stack_bias
        return Prediction(sigmoid(z), best, base)

    # -- persistence -------------------------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array of the model, as saved in ``weights.npz``."""
        if self.hasher.idf is None:
            raise ModelError("cannot save a model whose IDF is not fitted")
        arrays: dict[str, np.ndarray] = {
            "idf": self.hasher.idf.astype(np.float32),
            "doc_w": self.doc_head.weights.astype(np.float16),
            "doc_b": self.doc_head.bias.astype(np.float32),
            "stack_w": self.stack_weights.astype(np.float32),
            "stack_b": self.stack_bias.astype(np.float32),
            "thresholds": self.thresholds.astype(np.float32),
        }
        if self.sent_head is not None:
            arrays["sent_w"] = self.sent_head.weights.astype(np.float16)
            arrays["sent_b"] = self.sent_head.bias.astype(np.float32)
        if self.emb_head is not None:
            arrays["emb_w"] = self.emb_head.weights.astype(np.float32)
            arrays["emb_b"] = self.emb_head.bias.astype(np.float32)
        return arrays

    def config(self) -> dict[str, Any]:
        """The JSON part of the model (the ``linear_model`` block of meta.json)."""
        return {
            "n_features": self.hasher.n_features,
            "char_ngrams": self.hasher.char_ngrams,
            "bases": list(self.bases),
            "rule_labels": list(self.rule_labels),
            "thresholds": {
                lb: round(float(t), 4) for lb, t in zip(self.labels, self.thresholds, strict=True)
            },
        }

    def save(self, directory: Path) -> Path:
        """Write ``weights.npz`` into ``directory``; returns its path."""
        path = directory / WEIGHTS_FILE
        np.savez_compressed(path, **self.arrays())  # type: ignore[arg-type]
        return path

    @classmethod
    def load(cls, weights_path: Path, labels: Sequence[str], config: dict[str, Any]) -> Any:
        """Read a saved model (NumPy arrays only; pickled objects are refused)."""
        try:
            with np.load(weights_path, allow_pickle=False) as npz:
                arr = {k: npz[k] for k in npz.files}
        except (OSError, ValueError) as exc:
            raise ModelError(f"{weights_path}: unreadable model weights ({exc})") from None
        n_features = int(config["n_features"])

        def head(prefix: str) -> LinearHead | None:
            if f"{prefix}_w" not in arr:
                return None
            return LinearHead(arr[f"{prefix}_w"].astype(np.float32), arr[f"{prefix}_b"])

        doc_head = head("doc")
        if doc_head is None or arr["idf"].shape != (n_features,):
            raise ModelError(f"{weights_path}: weights do not match the model's configuration")
        return cls(
            labels=list(labels),
            hasher=HashedNgrams(
                n_features, arr["idf"].astype(np.float32), bool(config.get("char_ngrams"))
            ),
            doc_head=doc_head,
            stack_weights=arr["stack_w"],
            stack_bias=arr["stack_b"],
            thresholds=arr["thresholds"],
            bases=list(config["bases"]),
            rule_labels=list(config["rule_labels"]),
            sent_head=head("sent"),
            emb_head=head("emb"),
        )
