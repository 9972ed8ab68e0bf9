"""The evaluation splits every script uses, defined once.

- healthcare: the corpus's frozen train/dev/test assignment (``corpora/healthcare/splits.json``).
- ASRS human factors, in time order: train on coded reports dated up to 2018, test on 2019.
  Thresholds and calibration never see the test year: they come from out-of-fold predictions
  on the training years.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syscause.errors import InputError

ASRS_ENV = "SYSCAUSE_ASRS"
ASRS_LAST_TRAIN_YEAR = "2018"
ASRS_TEST_YEAR = "2019"


@dataclass(frozen=True)
class LabelledText:
    """One narrative with its gold label ids (``None`` when not coded)."""

    id: str
    text: str
    labels: list[str] | None
    framing: str | None = None
    date: str | None = None


def default_asrs_path() -> Path:
    """``$SYSCAUSE_ASRS`` or ``../shared/data/asrs/asrs_train.jsonl`` beside the checkout."""
    if os.environ.get(ASRS_ENV):
        return Path(os.environ[ASRS_ENV])
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "asrs" / "asrs_train.jsonl"


def healthcare(split: str) -> list[LabelledText]:
    """One split (train, dev, test or all) of the shipped healthcare corpus."""
    from syscause.corpora import read_records

    return [
        LabelledText(r["id"], r["text"], list(r["labels"]), r.get("framing"))
        for r in read_records("healthcare", split)
    ]


def _asrs_records(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InputError(f"ASRS data not found at {path} (set {ASRS_ENV})")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def asrs_human_factors(split: str, path: Path | None = None) -> list[LabelledText]:
    """ASRS coded reports for the time split: ``train`` (<= 2018) or ``test`` (2019).

    Labels are the asrs-hf taxonomy ids (the analysts' human-factor names, mapped by alias).
    Reports never coded (``human_factors`` null) are left out: null means unknown.
    """
    from syscause.taxonomy import load_taxonomy

    if split not in ("train", "test"):
        raise InputError(f"unknown ASRS split {split!r}; choose train or test")
    taxonomy = load_taxonomy("asrs-hf")
    out = []
    for rec in _asrs_records(path or default_asrs_path()):
        codes = rec.get("human_factors")
        year = str(rec.get("date") or "")[:4]
        if codes is None or not year:
            continue
        in_split = year <= ASRS_LAST_TRAIN_YEAR if split == "train" else year == ASRS_TEST_YEAR
        if not in_split:
            continue
        resolved = {taxonomy.resolve(code) for code in codes}
        labels = sorted(lb for lb in resolved if lb is not None)
        out.append(LabelledText(f"asrs-{rec['acn']}", rec["narrative"], labels, None, rec["date"]))
    return out
