"""The command line: exit codes, error rows, formats, and no narrative text on stderr."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app

from .conftest import SAMPLE

SECRET = "Zebulon Quistwhistle"  # a marker that must never reach stderr


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def run(runner, *args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def read_jsonl(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_help_mentions_framing_is_not_a_measure_of_a_person(runner):
    res = run(runner, "--help")
    assert res.exit_code == 0 and "never a measure of a person" in " ".join(res.output.split())


def test_sample_archive_runs_clean(runner, tmp_path):
    out = tmp_path / "out.jsonl"
    res = run(runner, "analyze", SAMPLE, "-o", out, "--no-parser")
    assert res.exit_code == 0, res.output
    recs = read_jsonl(out)
    assert [r["id"] for r in recs] == [f"S-{i:04d}" for i in range(1, 51)]
    assert not (tmp_path / "out.errors.jsonl").read_text()


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_output_formats(runner, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    res = run(runner, "analyze", SAMPLE, "-o", out, "--no-parser")
    assert res.exit_code == 0 and out.stat().st_size > 0


def test_bad_rows_become_error_rows_and_the_batch_goes_on(runner, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"id": "a", "text": "RN had 7 pts."}\n'
        b'{"id": "b", "text": \n'
        b'{"id": "c"}\n'
        b'{"id": "d", "text": 5}\n'
        b'{"id": "e", "text": "caf\xe9 ' + SECRET.encode() + b'"}\n'
        b'{"id": "f", "text": ""}\n'
        b'{"id": "a", "text": "Duplicate id, kept."}\n'
    )
    out = tmp_path / "out.jsonl"
    res = run(runner, "analyze", src, "-o", out, "--no-parser")
    assert res.exit_code == 1
    recs = read_jsonl(out)
    assert [r["id"] for r in recs] == ["a", "f", "a"]
    assert "empty narrative" in recs[1]["warnings"]
    assert "duplicate id" in recs[2]["warnings"]
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert [(e["row"], e["field"]) for e in errors] == [
        (2, None),
        (3, "text"),
        (4, "text"),
        (5, None),
    ]
    assert SECRET not in res.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,narrative\n1,x\n", "no column 'text'"),
        (b"\x00\x01\x02binary\x00", "binary content"),
        (b"", "empty file"),
    ],
)
def test_file_level_problems_exit_2_with_one_line(runner, tmp_path, content, message):
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    res = run(runner, "analyze", src, "-o", tmp_path / "o.jsonl")
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_missing_file_and_bad_suffix_exit_2(runner, tmp_path):
    assert run(runner, "analyze", tmp_path / "nope.csv").exit_code == 2
    (tmp_path / "x.txt").write_text("x")
    res = run(runner, "analyze", tmp_path / "x.txt")
    assert res.exit_code == 2 and "unsupported input format" in res.output


def test_explicit_id_column_must_exist(runner, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("text\nhello there\n")
    res = run(runner, "analyze", src, "--id-column", "report_no")
    assert res.exit_code == 2 and "no id column 'report_no'" in res.output


def test_cp1252_csv_with_text_column_option(runner, tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes("ref,narrative\n7,Pt\u2019s d\u00e9j\u00e0 vu \u2013 7 pts\n".encode("cp1252"))
    out = tmp_path / "o.jsonl"
    res = run(
        runner,
        "analyze",
        src,
        "-o",
        out,
        "--text-column",
        "narrative",
        "--id-column",
        "ref",
        "--no-parser",
    )
    assert res.exit_code == 0, res.output
    [rec] = read_jsonl(out)
    assert rec["id"] == "7"


def test_stdin_to_stdout(runner):
    res = run(
        runner,
        "analyze",
        "-",
        "--no-parser",
        "-q",
        input='{"id": "x", "text": "No float available."}\n',
    )
    assert res.exit_code == 0
    [line] = [x for x in res.stdout.splitlines() if x.strip()]
    assert json.loads(line)["id"] == "x"


def test_text_mode_prints_highlighted_analysis(runner):
    res = run(
        runner,
        "analyze",
        "--text",
        "RN had 7 pts tonight, two call-outs were not replaced. RN forgot to check.",
        "--no-parser",
    )
    assert res.exit_code == 0
    assert "understaffing" in res.output and "Framing:" in res.output


def test_text_mode_json(runner):
    res = run(runner, "analyze", "--text", "No float available.", "--json", "--no-parser")
    assert json.loads(res.output)["id"] == "text"


def test_taxonomy_command(runner):
    res = run(runner, "taxonomy", "--json")
    assert res.exit_code == 0
    assert len(json.loads(res.output)["labels"]) == 16
    assert run(runner, "taxonomy", "-t", "asrs-hf").exit_code == 0
    assert run(runner, "taxonomy", "-t", "/nope.json").exit_code == 2


def test_unknown_model_dir_exits_2(runner, tmp_path):
    res = run(runner, "analyze", SAMPLE, "--model", tmp_path)
    assert res.exit_code == 2 and "not a model directory" in res.output
