"""Offline loaders for the annotated corpora that ship with syscause.

>>> from syscause import corpora
>>> test = corpora.load("healthcare", split="test")   # a datasets.Dataset
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syscause.errors import InputError

if TYPE_CHECKING:
    from datasets import Dataset

CORPORA = ("healthcare",)
SPLITS = ("train", "dev", "test", "all")


def corpus_dir(name: str) -> Path:
    """Where a corpus lives: $SYSCAUSE_CORPORA, the installed package, or the checkout."""
    if name not in CORPORA:
        raise InputError(f"unknown corpus {name!r}; available: {', '.join(CORPORA)}")
    candidates = []
    if os.environ.get("SYSCAUSE_CORPORA"):
        candidates.append(Path(os.environ["SYSCAUSE_CORPORA"]) / name)
    candidates.append(Path(str(resources.files("syscause"))) / "_corpora" / name)
    candidates.append(Path(__file__).resolve().parents[2] / "corpora" / name)
    for cand in candidates:
        if (cand / "corpus.jsonl").is_file():
            return cand
    raise InputError(f"corpus {name!r} is not installed (looked in {len(candidates)} places)")


def read_records(name: str = "healthcare", split: str = "all") -> list[dict[str, Any]]:
    """The corpus records of one split (or all), each with its ``split`` field."""
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    base = corpus_dir(name)
    assignments = json.loads((base / "splits.json").read_text(encoding="utf-8"))["assignments"]
    out = []
    with (base / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            rec["split"] = assignments[rec["id"]]
            if split in ("all", rec["split"]):
                out.append(rec)
    return out


def load(name: str = "healthcare", split: str = "all") -> Dataset:
    """Load a shipped corpus split as a ``datasets.Dataset``, fully offline."""
    from datasets import Dataset

    return Dataset.from_list(read_records(name, split))
