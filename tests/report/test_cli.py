"""`syscause report`: exit codes, messages that name the problem, and no narrative on stderr."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app

from ..conftest import SAMPLE
from .conftest import RECORDS, SECRET, record, write_jsonl


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def test_report_writes_html_and_tables_and_exits_0(runner, results, tmp_path):
    out = tmp_path / "out" / "report.html"
    res = run(runner, "report", results, "-o", out, "--date-column", "date",
              "--group-column", "unit")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.stdout == ""  # stdout is for results; the summary goes to stderr
    assert "7 result rows: 7 in the report, 0 unreadable, 1 without a usable date" in res.stderr
    assert out.is_file() and (tmp_path / "out" / "report_tables" / "trend.csv").is_file()


def test_bad_rows_exit_1_are_named_and_the_report_is_still_written(runner, tmp_path):
    path = write_jsonl(tmp_path / "r.jsonl", RECORDS)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"{{{SECRET}\n")
        fh.write(json.dumps(record("q", {}) | {"blame": {"framing": SECRET}}) + "\n")
    out = tmp_path / "report.html"
    res = run(runner, "report", path, "-o", out)
    assert res.exit_code == 1
    assert "row 8: invalid JSON" in res.stderr
    assert "row 9, field 'blame.framing': must be one of" in res.stderr
    assert "9 result rows: 7 in the report, 2 unreadable" in res.stderr
    assert SECRET not in res.output
    assert out.is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.jsonl"], "nope.jsonl: no such results file"),
        (["results.txt"], "unsupported results format '.txt'"),
        (["results.jsonl", "--date-column", "when"], "no column 'when'"),
        (["results.jsonl", "--group-column", "ward"], "--keep-columns ward"),
        (["results.jsonl", "--period", "week"], "--period must be one of month, quarter, year"),
        (["results.jsonl", "-o", "report.pdf"], "the report is an HTML file"),
    ],
)
def test_usage_problems_exit_2_with_one_line(runner, results, args, message):
    (results.parent / "results.txt").write_text("x")
    res = run(runner, "report", *(str(results.parent / a) if i == 0 else a
                                  for i, a in enumerate(args)))  # fmt: skip
    assert res.exit_code == 2
    assert message in res.stderr
    assert "Traceback" not in res.output
    assert len(res.stderr.strip().splitlines()) == 1


def test_missing_results_argument_is_a_usage_error(runner):
    assert run(runner, "report").exit_code == 2


def test_help_lists_the_options(runner):
    res = run(runner, "report", "--help")
    assert res.exit_code == 0
    for option in ("--date-column", "--group-column", "--tables-dir", "--period"):
        assert option in res.output


def test_sample_archive_end_to_end(runner, pipeline, tmp_path):
    # The bundled sample analysed by the real pipeline, with its date and unit columns kept.
    with open(SAMPLE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    results = tmp_path / "sample.jsonl"
    with open(results, "w", encoding="utf-8") as out:
        for row, res in zip(rows, pipeline.analyze_many((r["id"], r["text"]) for r in rows),
                            strict=True):  # fmt: skip
            out.write(json.dumps(res.to_dict() | {"date": row["date"], "unit": row["unit"]}) + "\n")
    html = tmp_path / "report.html"
    res = run(runner, "report", results, "-o", html, "--date-column", "date",
              "--group-column", "unit", "-q")  # fmt: skip
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    with open(tmp_path / "report_tables" / "prevalence.csv", encoding="utf-8") as fh:
        prevalence = {r["label"]: int(r["reports"]) for r in csv.DictReader(fh)}
    for label, count in prevalence.items():
        assert count == sum(label in {f["label"] for f in r["factors"]} for r in records)
    page = html.read_text(encoding="utf-8")
    assert not any(row["text"] in page for row in rows)


def test_redact_removes_identifiers_from_phrases_and_groups(runner, tmp_path):
    results = write_jsonl(
        tmp_path / "r.jsonl",
        [
            record(
                "a",
                {"understaffing": ["Dr. Helen Okafor had 7 pts, MRN 4471902"]},
                unit="Dr. Helen Okafor team, 555-201-7788",
            )
        ],
    )
    out = tmp_path / "report.html"
    res = run(runner, "report", results, "-o", out, "--group-column", "unit", "--redact")
    assert res.exit_code == 0, res.output
    written = out.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "report_tables").glob("*.csv")
    )
    for secret in ("Okafor", "4471902", "555-201-7788"):
        assert secret not in written
