"""Training end to end on a small slice of the corpus: model directory, loading, analysis."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import syscause
from syscause.cli.main import app
from syscause.corpora import read_records
from syscause.errors import ModelError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    """A model trained by the CLI on 160 training narratives (3 folds)."""
    base = tmp_path_factory.mktemp("train")
    data = base / "train.jsonl"
    records = read_records("healthcare", "train")[:160]
    with data.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec) + "\n")
    out = base / "model"
    result = CliRunner().invoke(
        app, ["train", "--data", str(data), "-o", str(out), "--folds", "3", "-q", "--name", "t"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_model_dir_holds_hashed_weights_and_no_pickle(small_model):
    meta = json.loads((small_model / "meta.json").read_text())
    assert meta["kind"] == "linear"
    assert set(meta["files"]) >= {"weights", "framing"}
    assert meta["training"]["rows_coded"] == 160
    assert all(not p.name.endswith((".pkl", ".pickle", ".joblib")) for p in small_model.iterdir())


def test_trained_model_analyses_with_evidence_for_every_label(small_model):
    pipe = syscause.load(str(small_model), use_parser=False)
    texts = [r["text"] for r in read_records("healthcare", "dev")[:40]]
    results = list(pipe.analyze_many(texts))
    assert any(r.factors for r in results)
    for text, res in zip(texts, results, strict=True):
        assert set(res.scores) == set(pipe.labels)
        assert all(0.0 <= v <= 1.0 for v in res.scores.values())
        assert 0.0 <= res.blame.score <= 1.0
        assert res.blame.framing in ("individual", "system", "mixed", "neutral")
        for factor in res.factors:
            assert factor.evidence, factor.label
            for ev in factor.evidence:
                assert text[ev.start : ev.end] == ev.text


def test_tampered_weights_fail_closed(small_model, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(small_model, copy)
    weights = copy / "weights.npz"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="integrity"):
        syscause.load(str(copy), use_parser=False)


def test_evaluate_cli_prints_metrics(small_model, tmp_path):
    data = tmp_path / "dev.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for rec in read_records("healthcare", "dev")[:30]:
            fh.write(json.dumps(rec) + "\n")
    out = tmp_path / "m.json"
    result = CliRunner().invoke(
        app, ["evaluate", "--data", str(data), "--model", str(small_model), "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    assert metrics["n"] == 30
    assert 0.0 <= metrics["micro_f1"] <= 1.0
    assert "framing 4-class macro-F1" in result.output


def test_train_refuses_to_overwrite_without_force(small_model, tmp_path):
    data = tmp_path / "x.jsonl"
    data.write_text(json.dumps({"text": "a", "labels": []}) + "\n")
    result = CliRunner().invoke(app, ["train", "--data", str(data), "-o", str(small_model)])
    assert result.exit_code == 2
    assert "--force" in result.output
