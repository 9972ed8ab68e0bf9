"""``syscause evaluate`` reproduces the default model's published healthcare test numbers."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app
from syscause.corpora import read_records
from syscause.modelstore import resolve_model_dir

pytestmark = pytest.mark.slow


def test_evaluate_reproduces_the_model_card_numbers(tmp_path):
    published = json.loads((resolve_model_dir("default") / "test_metrics.json").read_text())
    data = tmp_path / "test.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for rec in read_records("healthcare", "test"):
            fh.write(json.dumps(rec) + "\n")
    out = tmp_path / "metrics.json"
    result = CliRunner().invoke(
        app, ["evaluate", "--data", str(data), "--model", "default", "--json", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    got = json.loads(out.read_text())
    assert got["n"] == published["n"] == 550
    for key in ("micro_f1", "macro_f1", "ece", "framing_macro_f1"):
        assert got[key] == pytest.approx(published[key], abs=1e-6), key
    for label, scores in published["per_label"].items():
        assert got["per_label"][label]["f1"] == pytest.approx(scores["f1"], abs=1e-6), label
    # the card's headline numbers are these
    card = (resolve_model_dir("default") / "MODEL_CARD.md").read_text()
    assert f"{published['micro_f1']:.3f}" in card
    assert f"{published['macro_f1']:.3f}" in card
