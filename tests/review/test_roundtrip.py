"""Reviewed labels feed retraining: analyze -> review -> export -> train -> analyze.

Runs on the 50-report sample archive with the real pipeline; the review decisions are made
through the session API (the UI is covered elsewhere).
"""

from __future__ import annotations

import json

import pytest
import typer.main
from typer.testing import CliRunner

from syscause.cli.main import app
from syscause.io.readers import read_rows
from syscause.review.records import join_texts, load_results
from syscause.review.session import ReviewSession
from syscause.review.store import ReviewStore

from ..conftest import SAMPLE


def _has_command(name: str) -> bool:
    return name in typer.main.get_command(app).commands  # type: ignore[attr-defined]


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _has_command("train"), reason="syscause train is not registered yet"),
]


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_train_analyze_round_trip(tmp_path, pipeline):
    runner = CliRunner()
    rows = [(r.id, r.text or "") for r in read_rows(str(SAMPLE))]
    results = tmp_path / "results.jsonl"
    with results.open("w", encoding="utf-8") as fh:
        for analysis in pipeline.analyze_many(rows):
            fh.write(json.dumps(analysis.to_dict()) + "\n")

    items = join_texts(load_results(str(results), print), str(SAMPLE), warn=print)
    db = tmp_path / "review.sqlite"
    expected: dict[str, list[str]] = {}
    with ReviewStore(db) as store:
        session = ReviewSession(store, items, "ana")
        for i, item in enumerate(items):
            labels = list(item.asserted)
            if labels and i % 3 == 0:
                session.reject()  # the first factor is wrong
                labels.pop(0)
            if "patient_factors" not in labels and i % 4 == 0:
                session.add("patient_factors")  # a factor the model missed
                labels.append("patient_factors")
            session.done()
            expected[item.item_id] = labels

    exported = tmp_path / "labels.jsonl"
    res = runner.invoke(app, ["review", "export", "--db", str(db), "-o", str(exported)])
    assert res.exit_code == 0, res.output
    examples = read_jsonl(exported)
    assert {e["id"]: sorted(e["labels"]) for e in examples} == {
        k: sorted(v) for k, v in expected.items()
    }
    assert all(e["text"] for e in examples)

    model_dir = tmp_path / "model"
    train = ["train", "--data", str(exported), "--taxonomy", "default", "-o", str(model_dir)]
    res = runner.invoke(app, [*train, "--folds", "2", "--quiet"])
    assert res.exit_code == 0, res.output

    out = tmp_path / "again.jsonl"
    res = runner.invoke(
        app, ["analyze", str(SAMPLE), "-o", str(out), "--model", str(model_dir), "--no-parser"]
    )
    assert res.exit_code == 0, res.output
    again = read_jsonl(out)
    assert [r["id"] for r in again] == [item_id for item_id, _ in rows]
    for record in again:
        assert {f["label"] for f in record["factors"]} <= set(record["scores"])
    meta = model_dir / "meta.json"
    if meta.exists():
        name = json.loads(meta.read_text(encoding="utf-8")).get("name")
        assert name is None or all(name in r["model"] for r in again)
