"""Pass-through columns: read beside the narrative, JSON-ready, checked against the header."""

from __future__ import annotations

import datetime as dt

import pytest

from syscause.errors import InputError
from syscause.io.readers import ReadOptions, read_rows
from syscause.io.rows import jsonable, make_row


def test_csv_keeps_named_columns_for_valid_and_error_rows(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("id,date,unit,text\na,2026-01-04,4 West,hello\nb,2026-01-05,ED,\n")
    rows = list(read_rows(str(p), ReadOptions(keep_columns=("date", "unit"))))
    assert [r.kept for r in rows] == [
        {"date": "2026-01-04", "unit": "4 West"},
        {"date": "2026-01-05", "unit": "ED"},
    ]


def test_missing_keep_column_is_a_file_level_error(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("id,text\na,hello\n")
    with pytest.raises(InputError, match="no column 'unit' to keep"):
        list(read_rows(str(p), ReadOptions(keep_columns=("unit",))))


def test_jsonl_row_without_the_kept_key_keeps_null(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text('{"text": "a", "unit": "ICU"}\n{"text": "b"}\n')
    rows = list(read_rows(str(p), ReadOptions(keep_columns=("unit",))))
    assert [r.kept for r in rows] == [{"unit": "ICU"}, {"unit": None}]


def test_parquet_reads_kept_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": ["x"], "day": [dt.date(2026, 2, 1)], "n": [3]}), p)
    [row] = read_rows(str(p), ReadOptions(keep_columns=("day", "n")))
    assert row.kept == {"day": "2026-02-01", "n": 3}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (float("nan"), None),
        (2.5, 2.5),
        (True, True),
        (dt.datetime(2026, 1, 2, 3, 4), "2026-01-02T03:04:00"),
        ("caf\udce9", "caf\ufffd"),
        (b"x", "b'x'"),
    ],
)
def test_jsonable(value, expected):
    assert jsonable(value) == expected


def test_make_row_keeps_columns_on_a_null_text_row():
    row = make_row(
        1, {"text": None, "unit": "ED"}, text_column="text", id_column="id", keep_columns=("unit",)
    )
    assert not row.ok and row.kept == {"unit": "ED"}
