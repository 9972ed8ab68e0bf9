"""The resume checkpoint: atomic, versioned, tied to one job, and cutting files back."""

from __future__ import annotations

import json

import pytest

from syscause.errors import InputError
from syscause.io.checkpoint import (
    Checkpoint,
    CheckpointWriter,
    check_job,
    read_checkpoint,
    truncate_to,
)
from syscause.io.writers import open_writer

from .test_writers import _record

JOB = {"input file": "/x/in.csv", "input size": 10, "model": "default"}


def test_writer_records_file_lengths_and_counts(tmp_path):
    out, err = tmp_path / "o.jsonl", tmp_path / "o.errors.jsonl"
    out.write_text('{"id": 1}\n')
    err.write_text("")
    ckpt = CheckpointWriter(str(out), str(err), JOB)
    ckpt.save(rows_done=2, ok=1, errors=1, warnings=0)
    got = read_checkpoint(ckpt.path)
    assert got == Checkpoint(JOB, 2, out.stat().st_size, 0, 1, 1, 0)
    assert not list(tmp_path.glob("*.tmp"))  # replaced atomically, nothing left behind
    ckpt.remove()
    assert read_checkpoint(ckpt.path) is None


def test_truncate_drops_a_partial_line(tmp_path):
    p = tmp_path / "o.jsonl"
    p.write_bytes(b'{"id": 1}\n{"id": 2')
    truncate_to(str(p), 10)
    assert p.read_bytes() == b'{"id": 1}\n'


def test_truncate_refuses_a_file_shorter_than_the_checkpoint(tmp_path):
    p = tmp_path / "o.jsonl"
    p.write_bytes(b"{}\n")
    with pytest.raises(InputError, match="shorter than its checkpoint"):
        truncate_to(str(p), 100)


def test_other_job_is_refused_naming_what_changed():
    ckpt = Checkpoint(JOB, 1, 0, 0, 1, 0, 0)
    with pytest.raises(InputError, match="different input size, model"):
        check_job("o.progress.json", ckpt, JOB | {"input size": 11, "model": "other"})
    check_job("o.progress.json", ckpt, dict(JOB))


@pytest.mark.parametrize("content", ["not json", json.dumps({"rows": 1})])
def test_a_foreign_checkpoint_is_a_clear_error(tmp_path, content):
    p = tmp_path / "o.jsonl.progress.json"
    p.write_text(content)
    with pytest.raises(InputError, match="not a syscause checkpoint"):
        read_checkpoint(str(p))


def test_csv_writer_appends_without_a_second_header(tmp_path):
    path = tmp_path / "o.csv"
    w = open_writer(str(path), ["a"])
    w.write(_record("1"))
    w.close()
    w = open_writer(str(path), ["a"], append=True)
    w.write(_record("2"))
    w.close()
    lines = path.read_text().splitlines()
    assert len(lines) == 3 and lines[0].startswith("id,") and lines[2].startswith("2,")


def test_parquet_cannot_be_appended(tmp_path):
    with pytest.raises(InputError, match=r"only \.jsonl and \.csv"):
        open_writer(str(tmp_path / "o.parquet"), ["a"], append=True)
