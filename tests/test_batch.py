"""Batch machinery: input order under parallel chunks, error rows, duplicates and skipping."""

from __future__ import annotations

import io
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from syscause.batch import (
    WARN_DUPLICATE_ID,
    BatchSummary,
    SeenIds,
    analyse_items,
    run_batch,
    skip_done,
)
from syscause.errors import InputError
from syscause.io.rows import InputRow


class _Result:
    def __init__(self, id_, text):
        self.id_, self.text = id_, text

    def to_dict(self):
        return {"id": self.id_, "n": len(self.text), "warnings": []}


class FakePipeline:
    """Echoes text lengths; "boom" raises; chunks starting with "slow" finish last."""

    def analyze_many(self, items, batch_size):
        items = list(items)
        if items and items[0][1].startswith("slow"):
            time.sleep(0.2)
        if any(text == "boom" for _, text in items):
            raise RuntimeError("boom: text that must not leak")
        return [_Result(i, t) for i, t in items]

    def analyze(self, text, *, id=None):
        return next(iter(self.analyze_many([(id, text)], 1)))


class ListWriter:
    def __init__(self):
        self.records, self.flushes = [], 0

    def write(self, record):
        self.records.append(record)

    def flush(self):
        self.flushes += 1

    def close(self):
        pass


def rows_of(texts, kept=None):
    return [InputRow(i, f"r{i}", t, i, kept=kept) for i, t in enumerate(texts, start=1)]


def test_parallel_chunks_are_written_in_input_order():
    texts = ["slow" + "x" * i if i % 4 == 0 else "y" * i for i in range(1, 41)]
    writer, errors = ListWriter(), io.StringIO()
    with ThreadPoolExecutor(4) as pool:
        summary = run_batch(
            rows_of(texts),
            FakePipeline(),
            writer,
            errors,
            source="in",
            batch_size=3,
            executor=pool,
            in_flight=6,
        )
    assert [r["id"] for r in writer.records] == [f"r{i}" for i in range(1, 41)]
    assert [r["n"] for r in writer.records] == [len(t) for t in texts]
    assert summary == BatchSummary(rows=40, ok=40, errors=0, warnings=0)
    assert writer.flushes == 14  # once per chunk, so a checkpoint follows whole chunks


def test_failed_analysis_and_invalid_rows_become_error_rows_without_text():
    rows = rows_of(["a", "boom", "c"])
    rows.append(InputRow(4, "r4", None, 4, "text", "field 'text' is null"))
    writer, errors = ListWriter(), io.StringIO()
    summary = run_batch(rows, FakePipeline(), writer, errors, source="in.csv", batch_size=10)
    assert [r["id"] for r in writer.records] == ["r1", "r3"]
    bad = [json.loads(x) for x in errors.getvalue().splitlines()]
    assert [(e["row"], e["error"]) for e in bad] == [
        (2, "analysis failed (RuntimeError)"),
        (4, "field 'text' is null"),
    ]
    assert "must not leak" not in errors.getvalue()
    assert summary.exit_code == 1 and summary.errors == 2


def test_kept_columns_join_the_record_and_duplicates_are_flagged():
    rows = [InputRow(1, "d", "a", kept={"unit": "ED"}), InputRow(2, "d", "b", kept={"unit": "ICU"})]
    writer = ListWriter()
    summary = run_batch(rows, FakePipeline(), writer, io.StringIO(), source="in")
    assert [r["unit"] for r in writer.records] == ["ED", "ICU"]
    assert writer.records[1]["warnings"] == [WARN_DUPLICATE_ID]
    assert summary.warnings == 1


def test_on_flushed_sees_running_counts():
    seen_counts = []
    run_batch(
        rows_of(["a"] * 5),
        FakePipeline(),
        ListWriter(),
        io.StringIO(),
        source="in",
        batch_size=2,
        on_flushed=lambda s: seen_counts.append(s.rows),
    )
    assert seen_counts == [2, 4, 5]


def test_skip_done_remembers_ids_and_refuses_a_short_input():
    seen = SeenIds()
    rest = skip_done(iter(rows_of(["a", "b", "c"])), 2, seen)
    assert [r.id for r in rest] == ["r3"]
    assert not seen.add("r1") and seen.add("r3")
    with pytest.raises(InputError, match="the input has 1 rows but the checkpoint says 2"):
        skip_done(iter(rows_of(["a"])), 2, SeenIds())


def test_analyse_items_matches_the_pipeline(pipeline):
    items = [("a", "Two call-outs were not replaced."), ("b", "")]
    assert analyse_items(pipeline, items) == [r.to_dict() for r in pipeline.analyze_many(items)]
