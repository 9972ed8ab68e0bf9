"""Building the report streams the results: memory does not grow with the number of rows."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from syscause.errors import InputError
from syscause.report import ReportOptions, build_report

from .conftest import RECORDS


def _write_many(path, n):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            rec = RECORDS[i % len(RECORDS)] | {"id": f"x{i}", "date": f"2026-{i % 12 + 1:02d}-01"}
            fh.write(json.dumps(rec) + "\n")
    return path


def _peak(results, tmp_path, name):
    options = ReportOptions(date_column="date", group_column="unit")
    tracemalloc.start()
    try:
        summary = build_report(str(results), tmp_path / f"{name}.html", options)
        return summary, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_rows(tmp_path):
    small = _write_many(tmp_path / "small.jsonl", 1_000)
    large = _write_many(tmp_path / "large.jsonl", 10_000)
    _, small_peak = _peak(small, tmp_path, "small")
    summary, large_peak = _peak(large, tmp_path, "large")
    assert summary.used == 10_000
    assert large_peak < 1.3 * small_peak


def test_output_write_failure_is_an_input_error(results, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write the report"):
        build_report(str(results), blocker / "report.html")


@pytest.mark.parametrize(
    ("options", "message"),
    [(ReportOptions(period="week"), "unknown period"),  # type: ignore[arg-type]
     (ReportOptions(examples=0), "at least 1")],
)  # fmt: skip
def test_bad_options_are_input_errors(results, tmp_path, options, message):
    with pytest.raises(InputError, match=message):
        build_report(str(results), tmp_path / "r.html", options)
