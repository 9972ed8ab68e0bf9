"""kill -9 half way, then --resume: every input row once, identical to an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app

ROWS = 400
CLI = "from syscause.cli.main import main; main()"
PHRASES = [
    "Two call-outs were not replaced and the charge nurse had six patients.",
    "The pump library did not list the new concentration.",
    "RN failed to double check the dose.",
    "Handoff happened in the hallway during a rapid response.",
    "Pt fell while walking to the bathroom at night; the bed alarm was off.",
]


def _write_input(path):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(ROWS):
            text = " ".join(PHRASES[(i + k) % len(PHRASES)] for k in range(1 + i % 4))
            row = {"id": f"r{i}", "text": None if i % 97 == 5 else f"Report {i}. {text}"}
            fh.write(json.dumps(row) + "\n")


def _rows_done(checkpoint):
    try:
        return json.loads(checkpoint.read_text())["rows_done"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return 0


@pytest.mark.slow
def test_sigkill_then_resume_gives_each_row_once_as_an_uninterrupted_run(tmp_path, pipeline):
    src, ref, out = tmp_path / "in.jsonl", tmp_path / "ref.jsonl", tmp_path / "out.jsonl"
    _write_input(src)
    args = ["analyze", str(src), "--no-parser", "--batch-size", "8", "-q"]
    runner = CliRunner()
    assert runner.invoke(app, [*args, "-o", str(ref)]).exit_code == 1  # 5 null-text rows

    checkpoint = tmp_path / "out.jsonl.progress.json"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, *args, "-o", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 600
        while _rows_done(checkpoint) < ROWS // 4 and time.monotonic() < deadline:
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    killed_at = _rows_done(checkpoint)
    assert ROWS // 4 <= killed_at < ROWS

    res = runner.invoke(app, [*args, "-o", str(out), "--resume"])
    assert res.exit_code == 1
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    expected = [f"r{i}" for i in range(ROWS) if i % 97 != 5]
    assert ids == expected  # every valid row exactly once, in input order
    assert out.read_bytes() == ref.read_bytes()
    assert (tmp_path / "out.errors.jsonl").read_bytes() == (
        tmp_path / "ref.errors.jsonl"
    ).read_bytes()
    assert not checkpoint.exists()
