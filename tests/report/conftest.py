"""A small handmade results file whose tables are worked out by hand in the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

LABELS = ["understaffing", "fatigue", "alert_fatigue", "bed_flow"]
# A marker that stands for narrative text: it must never reach the report or stderr.
SECRET = "Zebulon Quistwhistle"


def record(
    id_: str,
    labels: dict[str, list[str]],
    framing: str = "system",
    date: str | None = "2026-01-10",
    unit: str | None = "ED",
) -> dict:
    """One analyze output record; ``labels`` maps each asserted label to its evidence texts."""
    rec = {
        "id": id_,
        "schema_version": 1,
        "taxonomy_version": "v1",
        "model": "default-0.1.0",
        "factors": [
            {
                "label": label,
                "score": 0.9,
                "evidence": [
                    {"start": 0, "end": len(t), "text": t, "source": "rule:x"} for t in texts
                ],
            }
            for label, texts in labels.items()
        ],
        "scores": {label: (0.9 if label in labels else 0.1) for label in LABELS},
        "blame": {
            "score": 0.5,
            "framing": framing,
            "cues": [{"start": 0, "end": 5, "text": SECRET, "type": "x", "source": "rule:y"}],
        },
        "reframe": [{"start": 0, "end": 9, "original": SECRET, "rewrite": SECRET, "questions": []}],
        "needs_review": False,
        "warnings": [],
    }
    if date is not None:
        rec["date"] = date
    if unit is not None:
        rec["unit"] = unit
    return rec


# Hand-counted: understaffing r1 r2 r4 r6; fatigue r1 r3 r6; alert_fatigue r5; bed_flow r4.
# Months: 2026-01 r1 r2 r3; 2026-02 none; 2026-03 r4 r5; r6 undated.
RECORDS = [
    record("r1", {"understaffing": ["Had 7 pts", "two call-outs"], "fatigue": ["Double shift"]},
           framing="individual", date="2026-01-04", unit="ED"),
    record("r2", {"understaffing": ["had  7 PTS"]}, date="2026-01-20", unit="ED"),
    record("r3", {"fatigue": ["double shift", "Double  Shift"]}, framing="mixed",
           date="2026-01-31T23:10:00", unit="ICU"),
    record("r4", {"understaffing": ["short staffed"], "bed_flow": ["boarding"]},
           date="2026-03-01", unit="ICU"),
    record("r5", {"alert_fatigue": ["alarms ignored"]}, framing="neutral", date="2026-03-15",
           unit="ED"),
    record("r6", {"understaffing": ["had 7 pts"], "fatigue": ["16 hours"]}, framing="individual",
           date="", unit=""),
    record("r7", {}, date="2026-01-05", unit="ED"),
]  # fmt: skip


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def results(tmp_path: Path) -> Path:
    """The handmade results as JSON Lines, with date and unit carried as top-level keys."""
    return write_jsonl(tmp_path / "results.jsonl", RECORDS)
