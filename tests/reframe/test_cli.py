"""``syscause reframe``: one narrative, a file, and the no-blame message."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app

SECRET = "Zebulon Quistwhistle"


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_text_shows_original_and_rewrite(runner):
    res = runner.invoke(
        app, ["reframe", "RN failed to check the armband before the draw.", "--no-parser"]
    )
    assert res.exit_code == 0, res.output
    assert "original" in res.output and "rewrite" in res.output
    assert "armband" in res.output


def test_no_blame_message(runner):
    res = runner.invoke(app, ["reframe", "Pt slept well overnight.", "--no-parser"])
    assert res.exit_code == 0 and "no blame-framed sentences" in res.output


def test_file_to_jsonl(runner, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(
        "id,narrative\na,RN failed to check the armband.\nb,Pt slept well.\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    res = runner.invoke(
        app,
        ["reframe", str(src), "--text-column", "narrative", "-o", str(out), "--no-parser"],
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert len(rows[0]["reframe"]) == 1 and rows[1]["reframe"] == []
    first = rows[0]["reframe"][0]
    assert first["original"] == "RN failed to check the armband."


def test_missing_column_is_a_usage_error_without_text(runner, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(f"id,text\na,{SECRET} failed to check.\n", encoding="utf-8")
    res = runner.invoke(app, ["reframe", str(src), "--text-column", "nope", "--no-parser"])
    assert res.exit_code == 2
    assert "nope" in res.output and SECRET not in res.output
