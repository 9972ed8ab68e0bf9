"""The two evaluation datasets as arrays: pool (train+dev or train years) and test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from syscause import splits
from syscause.taxonomy import load_taxonomy

DATASETS = ("healthcare", "asrs")


@dataclass(frozen=True)
class Split:
    """Ids, texts and a binary label matrix (n x L) for one part of a dataset."""

    ids: list[str]
    texts: list[str]
    y: np.ndarray


@dataclass(frozen=True)
class Dataset:
    """A dataset's label ids with its development pool and its test split."""

    name: str
    labels: tuple[str, ...]
    pool: Split
    test: Split


def _as_split(rows: list[splits.LabelledText], labels: tuple[str, ...]) -> Split:
    index = {lb: j for j, lb in enumerate(labels)}
    y = np.zeros((len(rows), len(labels)), dtype=np.int8)
    for i, row in enumerate(rows):
        for lb in row.labels or ():
            y[i, index[lb]] = 1
    return Split([r.id for r in rows], [r.text for r in rows], y)


def load_dataset(name: str) -> Dataset:
    """The pool/test split every candidate uses (see nlp/syscause/splits.py)."""
    if name == "healthcare":
        labels = tuple(load_taxonomy("default").ids)
        pool = splits.healthcare("train") + splits.healthcare("dev")
        test = splits.healthcare("test")
    elif name == "asrs":
        labels = tuple(load_taxonomy("asrs-hf").ids)
        pool = splits.asrs_human_factors("train")
        test = splits.asrs_human_factors("test")
    else:
        raise SystemExit(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}")
    return Dataset(name, labels, _as_split(pool, labels), _as_split(test, labels))
