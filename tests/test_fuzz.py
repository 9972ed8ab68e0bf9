"""Short property-based runs of the fuzz targets in scripts/fuzz.py, and the crashes it found.

The long run is ``python scripts/fuzz.py --minutes 30``; here each target gets a fixed budget
of examples so the suite stays fast. Crashes found by fuzzing are kept below as regression
tests; each was fixed where it arose and is kept here so that it stays fixed.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syscause.errors import InputError
from syscause.io.encoding import guess_encoding
from syscause.io.readers import ReadOptions, read_rows

from .conftest import ROOT


def _load_fuzz() -> Any:
    spec = importlib.util.spec_from_file_location("fuzz", ROOT / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()
SHORT = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every CI run
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.slow
@settings(SHORT, max_examples=60)
@given(st.lists(fuzz.narratives(), min_size=1, max_size=4), st.integers(1, 3))
def test_analyze_many_invariants(pipeline, texts: list[str], batch_size: int) -> None:  # type: ignore[no-untyped-def]
    fuzz.check_analyze_many(pipeline, texts, batch_size)


@SHORT
@given(
    st.sampled_from([".csv", ".jsonl"]),
    fuzz._records,
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_readers_one_row_per_record(
    tmp_path_factory: pytest.TempPathFactory, fmt: str, records: list[dict[str, str]], enc: str
) -> None:
    fuzz.check_reader_roundtrip(fmt, records, enc, tmp_path_factory.mktemp("r"))


@SHORT
@given(
    st.sampled_from([".csv", ".jsonl"]),
    fuzz._records,
    st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=6),
    st.one_of(st.none(), st.integers(0, 1 << 16)),
)
def test_damaged_text_files_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory,
    fmt: str,
    records: list[dict[str, str]],
    flips: list[tuple[int, int]],
    cut: int | None,
) -> None:
    data = fuzz.encode_csv(records, "utf-8") if fmt == ".csv" else fuzz.encode_jsonl(records)
    fuzz.check_reader_bytes(fmt, fuzz.mutate(data, flips, cut), tmp_path_factory.mktemp("b"))


@pytest.mark.slow
@settings(SHORT, max_examples=40)
@given(st.lists(fuzz._batch_record, min_size=1, max_size=4), st.integers(1, 3))
def test_batch_one_output_per_row(
    pipeline,  # type: ignore[no-untyped-def]
    tmp_path_factory: pytest.TempPathFactory,
    records: list[dict[str, Any]],
    batch_size: int,
) -> None:
    fuzz.check_batch(pipeline, records, tmp_path_factory.mktemp("batch"), batch_size)


def test_invariant_checker_catches_a_bad_offset() -> None:
    """The checks are not vacuous: a record whose span does not match its text fails."""
    record = {
        "id": "x",
        "scores": {"a": 0.5},
        "factors": [
            {"label": "a", "score": 0.9, "evidence": [{"start": 0, "end": 3, "text": "abd"}]}
        ],
        "blame": {"score": 0.1, "framing": "system", "cues": []},
        "reframe": [],
        "warnings": [],
    }
    with pytest.raises(AssertionError, match="text\\[0:3\\]"):
        fuzz.check_record("abc", "x", record)
    record["factors"] = []
    record["scores"] = {"a": float("nan")}
    with pytest.raises(ValueError, match="not JSON compliant"):
        fuzz.check_record("abc", "x", record)


# --- crashes found by scripts/fuzz.py (kept as regression tests) --------------------------


def test_lone_surrogate_is_analysed_with_a_warning(pipeline) -> None:  # type: ignore[no-untyped-def]
    result = pipeline.analyze("RN had 7 pts \ud800 tonight", id="s")
    assert result.warnings and 0.0 <= result.blame.score <= 1.0


def test_lone_surrogate_row_becomes_an_error_row_in_a_batch(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Through the CLI path the same input never crashes: one error row, the batch goes on."""
    records = [{"id": "a", "text": "\ud800 x"}, {"id": "b", "text": "RN had 7 pts."}]
    fuzz.check_batch(pipeline, records, tmp_path, 2)


def _damaged_xlsx(position: int) -> bytes:
    data = bytearray(fuzz.encode_xlsx([{"id": "1", "text": "RN had 7 pts."}]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.infolist()[0]
    # damage the first member's compressed data, past its local header
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + position % max(1, info.compress_size)] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize("position", [0, 3, 7, 11, 20])
def test_damaged_xlsx_is_an_input_error(tmp_path: Path, position: int) -> None:
    path = tmp_path / "in.xlsx"
    path.write_bytes(_damaged_xlsx(position))
    # openpyxl skips some damaged members; what must never happen is any other exception
    try:
        rows = list(read_rows(str(path), ReadOptions()))
    except InputError as exc:
        assert "not a readable .xlsx workbook" in str(exc)
    else:
        assert len(rows) <= 1


def test_short_cp1252_csv_is_not_read_as_utf16(tmp_path: Path) -> None:
    sample = b"id,text\r\n0000000\xa0,\r\n"
    assert not guess_encoding(sample).replace("-", "_").startswith(("utf_16", "utf_32"))
    path = tmp_path / "in.csv"
    path.write_bytes(sample)
    assert len(list(read_rows(str(path), ReadOptions()))) == 1
