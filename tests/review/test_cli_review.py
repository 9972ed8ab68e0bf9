"""``syscause review``: the documented ``review RESULTS`` form, subcommands and usage errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app
from syscause.review.records import load_results
from syscause.review.session import ReviewSession
from syscause.review.store import ReviewStore


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_review_help_lists_the_default_form_and_subcommands(runner):
    res = runner.invoke(app, ["review", "--help"])
    assert res.exit_code == 0
    out = flat(res.output)
    assert "syscause review RESULTS [--db review.sqlite]" in out
    for command in ("open", "export", "stats"):
        assert command in out


def test_review_results_help_is_the_open_command(runner, results_file):
    res = runner.invoke(app, ["review", str(results_file), "--help"])
    assert res.exit_code == 0
    assert "--reviewer" in res.output and "--queue" in res.output


def test_review_results_outside_a_terminal_is_a_usage_error(runner, tmp_path, results_file):
    db = tmp_path / "r.sqlite"
    res = runner.invoke(app, ["review", str(results_file), "--db", str(db), "--reviewer", "ana"])
    assert res.exit_code == 2
    assert "needs a terminal" in res.output


def test_nothing_left_to_review_exits_0_without_a_ui(runner, tmp_path, results_file):
    db = tmp_path / "r.sqlite"
    with ReviewStore(db) as store:
        s = ReviewSession(store, load_results(str(results_file), lambda m: None), "ana")
        while not s.finished:
            s.done()
    res = runner.invoke(app, ["review", str(results_file), "--db", str(db), "--reviewer", "ana"])
    assert res.exit_code == 0
    assert "all done by ana" in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--queue", "hardest"], "--queue must be one of"),
        (["--data", "missing.csv"], "no such file"),
    ],
)
def test_usage_errors_are_one_line(runner, tmp_path, results_file, args, message):
    res = runner.invoke(app, ["review", str(results_file), "--db", str(tmp_path / "r.db"), *args])
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output


def test_missing_results_file(runner, tmp_path):
    db = str(tmp_path / "r.sqlite")
    res = runner.invoke(app, ["review", str(tmp_path / "none.jsonl"), "--db", db])
    assert res.exit_code == 2 and "no such file" in res.output
