"""Fixtures for the review tests: a few fictional narratives with hand-built result records.

The records follow the output contract (offsets into the text, every label scored) without
running the model, so these tests stay fast; the round-trip test runs the real pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from syscause.taxonomy import load_taxonomy

LABELS = load_taxonomy("default").ids

# (id, text, needs_review, framing, blame score, {label: (score, [evidence phrases])}, cues)
CASES: list[tuple[str, str, bool, str, float, dict[str, tuple[float, list[str]]], list[str]]] = [
    (
        "T1",
        "Night RN had 7 patients after two call-outs were not replaced. The pump drug library "
        "was not updated, so the rate was typed by hand. RN failed to verify the rate.",
        False,
        "individual",
        0.91,
        {
            "understaffing": (0.93, ["had 7 patients", "two call-outs were not replaced"]),
            "ehr_device_usability": (0.81, ["drug library was not updated"]),
        },
        ["failed to verify"],
    ),
    (
        "T2",
        "Patient fell from a hallway bed at 0300. The bed alarm had been silenced because it "
        "sounded all night.",
        True,
        "system",
        0.12,
        {
            "physical_environment": (0.58, ["hallway bed"]),
            "alert_fatigue": (0.61, ["alarm had been silenced"]),
        },
        [],
    ),
    (
        "T3",
        "The pending potassium result went to a pager that had already been handed over.",
        False,
        "neutral",
        0.05,
        {"fragmented_handoff": (0.88, ["pager that had already been handed over"])},
        [],
    ),
    (
        "T4",
        "Dose given two hours late. Nurse was careless with the schedule.",
        True,
        "individual",
        0.95,
        {},
        ["careless"],
    ),
]


def make_record(
    item_id: str,
    text: str,
    needs_review: bool,
    framing: str,
    blame_score: float,
    factors: dict[str, tuple[float, list[str]]],
    cues: list[str],
    reframe: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An output record for ``text`` with evidence at the phrases' real offsets."""

    def span(phrase: str, source: str) -> dict[str, Any]:
        start = text.index(phrase)
        return {"start": start, "end": start + len(phrase), "text": phrase, "source": source}

    scores = {lb: 0.04 for lb in LABELS}
    out_factors = []
    for label, (score, phrases) in sorted(factors.items(), key=lambda kv: -kv[1][0]):
        scores[label] = score
        ev = [span(p, f"rule:{label}.test") for p in phrases]
        out_factors.append({"label": label, "score": score, "evidence": ev})
    return {
        "id": item_id,
        "schema_version": 1,
        "taxonomy_version": "v1",
        "model": "default-0.1.0",
        "factors": out_factors,
        "scores": scores,
        "blame": {
            "score": blame_score,
            "framing": framing,
            "cues": [{**span(c, "rule:blame.test"), "type": "person_failure"} for c in cues],
        },
        "reframe": reframe or [],
        "needs_review": needs_review,
        "warnings": [],
    }


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def records() -> list[dict[str, Any]]:
    out = [make_record(*case) for case in CASES]
    sentence = "RN failed to verify the rate."
    start = CASES[0][1].index(sentence)
    out[0]["reframe"] = [
        {
            "start": start,
            "end": start + len(sentence),
            "original": sentence,
            "rewrite": "The rate was not verified before the infusion started.",
            "questions": ["What made verification hard at that moment?"],
        }
    ]
    return out


@pytest.fixture
def results_file(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    return write_jsonl(tmp_path / "results.jsonl", records)


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    rows = [{"id": case[0], "text": case[1], "unit": "4 West"} for case in CASES]
    return write_jsonl(tmp_path / "reports.jsonl", rows)
