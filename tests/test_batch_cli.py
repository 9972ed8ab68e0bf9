"""``syscause analyze`` batch options: --keep-columns, --workers, XLSX output, --resume errors."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def read_jsonl(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_keep_columns_pass_date_and_unit_through(runner, tmp_path):
    out = tmp_path / "out.jsonl"
    res = run(runner, "analyze", SAMPLE, "-o", out, "--no-parser", "--keep-columns", "date,unit")
    assert res.exit_code == 0, res.output
    first = read_jsonl(out)[0]
    assert (first["date"], first["unit"]) == ("2026-01-04", "4 West")
    assert not (tmp_path / "out.jsonl.progress.json").exists()  # removed when done


def test_keep_columns_in_csv_output(runner, tmp_path):
    out = tmp_path / "out.csv"
    res = run(runner, "analyze", SAMPLE, "-o", out, "--no-parser", "--keep-columns", "unit")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 50 and rows[1]["unit"] == "ED"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("unit,ward", "no column 'ward' to keep"),
        ("id", "'id' would overwrite an output field"),
        ("unit,", "give column names separated by commas"),
    ],
)
def test_bad_keep_columns_exit_2(runner, tmp_path, columns, message):
    res = run(runner, "analyze", SAMPLE, "-o", tmp_path / "o.jsonl", "--keep-columns", columns)
    assert res.exit_code == 2 and message in res.output


def test_xlsx_output_by_suffix(runner, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out.xlsx"
    res = run(runner, "analyze", SAMPLE, "-o", out, "--no-parser", "--keep-columns", "unit")
    assert res.exit_code == 0, res.output
    wb = load_workbook(out, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert len(rows) == 51 and rows[1][0] == "S-0001" and rows[0][-1] == "unit"


@pytest.mark.parametrize("output", ["out.parquet", "out.xlsx", "-"])
def test_resume_needs_a_line_format_file(runner, tmp_path, output):
    out = output if output == "-" else tmp_path / output
    res = run(runner, "analyze", SAMPLE, "-o", out, "--resume")
    assert res.exit_code == 2 and "--resume needs" in res.output


def test_scheduler_needs_the_dask_engine(runner, tmp_path):
    res = run(runner, "analyze", SAMPLE, "-o", tmp_path / "o.jsonl", "--scheduler", "tcp://x:1")
    assert res.exit_code == 2 and "--scheduler needs --engine dask" in res.output


def test_resume_without_a_checkpoint_starts_over(runner, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("stale\n")
    res = run(runner, "analyze", SAMPLE, "-o", out, "--no-parser", "--resume")
    assert res.exit_code == 0, res.output
    assert "no checkpoint" in res.output and len(read_jsonl(out)) == 50


def _interrupted_run(runner, monkeypatch, args, after_saves):
    """Run until the checkpoint has been saved ``after_saves`` times, then die like a kill:
    leave a partial line in both files and the checkpoint in place."""
    from syscause.io import checkpoint as ckpt_mod

    original = ckpt_mod.CheckpointWriter.save
    calls = []

    def save(self, *a, **kw):
        original(self, *a, **kw)
        calls.append(1)
        if len(calls) == after_saves:
            with open(self.output, "a", encoding="utf-8") as fh:
                fh.write('{"id": "half a rec')
            with open(self.errors, "a", encoding="utf-8") as fh:
                fh.write('{"row": 9')
            raise KeyboardInterrupt

    monkeypatch.setattr(ckpt_mod.CheckpointWriter, "save", save)
    res = run(runner, *args)
    monkeypatch.setattr(ckpt_mod.CheckpointWriter, "save", original)
    return res


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_resume_after_an_interruption_equals_an_uninterrupted_run(
    runner, tmp_path, monkeypatch, suffix
):
    src = tmp_path / "in.jsonl"
    lines = []
    for i in range(1, 31):
        text = None if i % 7 == 0 else f"Report {i}: two call-outs were not replaced, pt fell."
        lines.append(json.dumps({"id": f"r{i % 25}", "text": text, "unit": f"U{i % 3}"}))
    src.write_text("\n".join(lines) + "\n")
    common = ["--no-parser", "--batch-size", "4", "--keep-columns", "unit"]
    ref = tmp_path / f"ref{suffix}"
    assert run(runner, "analyze", src, "-o", ref, *common).exit_code == 1
    out = tmp_path / f"out{suffix}"
    res = _interrupted_run(runner, monkeypatch, ["analyze", src, "-o", out, *common], 3)
    assert res.exit_code == 130
    assert (tmp_path / f"out{suffix}.progress.json").exists()
    res = run(runner, "analyze", src, "-o", out, *common, "--resume")
    assert res.exit_code == 1 and "resumed after row 12" in res.output
    assert out.read_bytes() == ref.read_bytes()
    assert (tmp_path / "out.errors.jsonl").read_bytes() == (
        tmp_path / "ref.errors.jsonl"
    ).read_bytes()
    assert not (tmp_path / f"out{suffix}.progress.json").exists()


def test_resume_refuses_a_changed_input(runner, tmp_path, monkeypatch):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": f"Pt fell {i}."}) + "\n" for i in range(10)))
    out = tmp_path / "out.jsonl"
    args = ["analyze", src, "-o", out, "--no-parser", "--batch-size", "2"]
    assert _interrupted_run(runner, monkeypatch, args, 2).exit_code == 130
    with src.open("a") as fh:
        fh.write(json.dumps({"text": "one more"}) + "\n")
    res = run(runner, *args, "--resume")
    assert res.exit_code == 2 and "different input modification time, input size" in res.output


@pytest.mark.slow
def test_two_worker_processes_write_what_one_process_writes(runner, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    common = ["--no-parser", "--batch-size", "7", "--keep-columns", "date"]
    assert run(runner, "analyze", SAMPLE, "-o", one, *common).exit_code == 0
    res = run(runner, "analyze", SAMPLE, "-o", two, *common, "--workers", "2")
    assert res.exit_code == 0, res.output
    assert "2 workers" in res.output
    assert two.read_bytes() == one.read_bytes()
