"""Export to training data and reviewer statistics, on a database of two reviewers' work.

Scenario (items T1-T3 of the fixtures; model factors in brackets):
- ana: T1 [understaffing, ehr_device_usability] rejects ehr, adds fatigue, framing -> system,
  rates the rewrite 4; T2 [alert_fatigue, physical_environment] and T3
  [fragmented_handoff] done as the model had them.
- bo, after ana: T1 accepts both factors, rates the rewrite 2; T2 rejects
  physical_environment.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app
from syscause.review.export import export_labels
from syscause.review.records import join_texts, load_results
from syscause.review.session import ReviewSession
from syscause.review.stats import compute_stats
from syscause.review.store import ReviewStore

from .conftest import CASES


@pytest.fixture
def db(tmp_path, results_file, data_file):
    items = join_texts(
        load_results(str(results_file), lambda m: None), str(data_file), warn=lambda m: None
    )
    path = tmp_path / "review.sqlite"
    with ReviewStore(path) as store:
        ana = ReviewSession(store, items[:3], "ana")
        ana.move(1)
        ana.reject()
        ana.add("fatigue")
        ana.set_framing("system")
        ana.rate(4)
        ana.done()
        ana.done()
        ana.done()
        bo = ReviewSession(store, items[:2], "bo")
        bo.accept()
        bo.accept()
        bo.rate(2)
        bo.done()
        bo.move(1)
        bo.reject()
        bo.done()
        ReviewSession(store, items[3:], "cy").add("fatigue")  # not done: left out everywhere
    return path


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_merges_reviewers_latest_decision_first(tmp_path, db):
    out = tmp_path / "labels.jsonl"
    with ReviewStore(db) as store:
        summary = export_labels(store, str(out))
    assert (summary.written, summary.without_text) == (3, 0)
    assert read_jsonl(out) == [
        {
            "id": "T1",
            "text": CASES[0][1],
            "labels": ["understaffing", "ehr_device_usability", "fatigue"],
            "framing": "system",
        },
        {"id": "T2", "text": CASES[1][1], "labels": ["alert_fatigue"], "framing": "system"},
        {"id": "T3", "text": CASES[2][1], "labels": ["fragmented_handoff"], "framing": "neutral"},
    ]


def test_export_of_one_reviewer(tmp_path, db):
    out = tmp_path / "labels.jsonl"
    with ReviewStore(db) as store:
        export_labels(store, str(out), reviewer="ana")
    got = {r["id"]: (r["labels"], r["framing"]) for r in read_jsonl(out)}
    assert got == {
        "T1": (["understaffing", "fatigue"], "system"),
        "T2": (["alert_fatigue", "physical_environment"], "system"),
        "T3": (["fragmented_handoff"], "neutral"),
    }


def test_per_label_precision_and_recall(db):
    with ReviewStore(db) as store:
        stats = compute_stats(store)
    counts = {
        lb: (c.accepted, c.rejected, c.added)
        for lb, c in stats.labels.items()
        if c.accepted or c.rejected or c.added
    }
    assert counts == {
        "understaffing": (2, 0, 0),
        "ehr_device_usability": (1, 1, 0),
        "fatigue": (0, 0, 1),
        "alert_fatigue": (2, 0, 0),
        "physical_environment": (1, 1, 0),
        "fragmented_handoff": (1, 0, 0),
    }
    assert stats.labels["ehr_device_usability"].precision == pytest.approx(0.5)
    assert stats.labels["fatigue"].recall == 0.0
    assert stats.labels["fatigue"].precision is None
    assert (stats.items_done, stats.reviews_done) == (3, 5)
    assert stats.reviewers == ["ana", "bo", "cy"]


def test_reviewer_vs_model_kappa(db):
    with ReviewStore(db) as store:
        stats = compute_stats(store)
    # 5 reviews x 16 labels: 9 model positives, 8 reviewer positives, 3 disagreements:
    # po = 77/80, pe = (9*8 + 71*72) / 80^2 = 0.81.
    assert stats.model_label_kappa == pytest.approx((77 / 80 - 0.81) / 0.19)
    # framing model [ind, sys, neu, ind, sys] vs reviewer [sys, sys, neu, ind, sys].
    assert stats.model_framing_kappa == pytest.approx((0.8 - 0.36) / 0.64)
    assert stats.mean_rating == pytest.approx(3.0)


def test_between_reviewer_kappa_on_items_both_completed(db):
    with ReviewStore(db) as store:
        (pair,) = compute_stats(store).pairs
    assert (pair.reviewers, pair.items) == (("ana", "bo"), 2)
    # 2 items x 16 labels: ana 4 positives, bo 3, 3 disagreements -> (928-824)/(1024-824).
    assert pair.label_kappa == pytest.approx(104 / 200)
    assert pair.framing_kappa == pytest.approx(0.0)


def test_cli_export_and_stats(tmp_path, db):
    runner = CliRunner()
    out = tmp_path / "labels.jsonl"
    res = runner.invoke(app, ["review", "export", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "exported 3 items" in res.output
    assert [r["id"] for r in read_jsonl(out)] == ["T1", "T2", "T3"]
    res = runner.invoke(app, ["review", "stats", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["labels"]["physical_environment"]["precision"] == pytest.approx(0.5)
    assert data["pairs"][0]["reviewers"] == ["ana", "bo"]
    res = runner.invoke(app, ["review", "stats", "--db", str(db)])
    assert res.exit_code == 0 and "ana vs bo on 2 items" in res.output


def test_export_without_narratives_exits_1_and_says_why(tmp_path, results_file):
    items = load_results(str(results_file), lambda m: None)  # no --data: no text
    path = tmp_path / "review.sqlite"
    with ReviewStore(path) as store:
        ReviewSession(store, items, "ana").done()
    res = CliRunner().invoke(
        app, ["review", "export", "--db", str(path), "-o", str(tmp_path / "x.jsonl")]
    )
    assert res.exit_code == 1
    assert "1 reviewed items have no narrative" in res.output


def test_stats_on_a_missing_database_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(app, ["review", "stats", "--db", str(tmp_path / "nope.sqlite")])
    assert res.exit_code == 2 and "no such review database" in res.output
