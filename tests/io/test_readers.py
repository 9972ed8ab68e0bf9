"""Readers: every bad input becomes an error row or one clear file-level error."""

from __future__ import annotations

import json

import pytest

from syscause.errors import InputError
from syscause.io.readers import ReadOptions, read_rows


def rows_of(path, **kw):
    return list(read_rows(str(path), ReadOptions(**kw)))


def test_jsonl_rows_keep_order_and_ids(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text('{"id": "a", "text": "one"}\n\n{"id": "b", "text": "two"}\n')
    rows = rows_of(p)
    assert [(r.row, r.id, r.text, r.line) for r in rows] == [(1, "a", "one", 1), (2, "b", "two", 3)]


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ('{"id": "x", "text": ', None, "invalid JSON"),
        ('["not", "an", "object"]', None, "must be an object"),
        ('{"id": "x"}', "text", "field 'text' is missing"),
        ('{"id": "x", "text": null}', "text", "field 'text' is null"),
        ('{"id": "x", "text": 42}', "text", "must be text, got number"),
        ('{"id": "x", "text": ["a"]}', "text", "must be text, got list"),
    ],
)
def test_bad_jsonl_lines_become_error_rows_naming_row_and_field(tmp_path, line, field, message):
    p = tmp_path / "in.jsonl"
    p.write_text('{"id": "ok1", "text": "fine"}\n' + line + '\n{"id": "ok2", "text": "fine"}\n')
    rows = rows_of(p)
    assert [r.ok for r in rows] == [True, False, True]
    bad = rows[1]
    assert bad.row == 2 and bad.field == field and message in (bad.error or "")


def test_invalid_utf8_in_one_jsonl_line_is_an_error_row(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n{"text": "ok"}\n')
    rows = rows_of(p)
    assert [r.ok for r in rows] == [True, False, True]
    assert "invalid UTF-8" in (rows[1].error or "")


def test_empty_and_whitespace_text_pass_to_analysis(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text('{"text": ""}\n{"text": "   \\n "}\n')
    assert all(r.ok for r in rows_of(p))


def test_missing_id_column_falls_back_to_row_number(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("text\nfirst\nsecond\n")
    assert [r.id for r in rows_of(p)] == ["1", "2"]


def test_csv_with_bom_quoted_newlines_and_semicolons(tmp_path):
    p = tmp_path / "in.csv"
    p.write_bytes('\ufeffid;text\nr1;"line one\nline two"\nr2;plain\n'.encode())
    rows = rows_of(p)
    assert [(r.id, r.text) for r in rows] == [("r1", "line one\nline two"), ("r2", "plain")]
    assert rows[1].line == 4  # the physical line, after the quoted newline


def test_cp1252_csv_is_detected_and_decoded(tmp_path):
    p = tmp_path / "in.csv"
    p.write_bytes("id,text\n1,Pt's caf\u00e9 \u2013 \u201cfell\u201d\n".encode("cp1252"))
    [row] = rows_of(p)
    assert row.ok and row.text == "Pt's caf\u00e9 \u2013 \u201cfell\u201d"


def test_explicit_encoding_wins(tmp_path):
    p = tmp_path / "in.csv"
    p.write_bytes("id,text\n1,na\u00efve\n".encode("latin-1"))
    [row] = rows_of(p, encoding="latin-1")
    assert row.text == "na\u00efve"


def test_invalid_utf8_row_in_a_utf8_csv_is_an_error_row(tmp_path):
    p = tmp_path / "in.csv"
    p.write_bytes("id,text\n1,caf\u00e9 ok\n".encode() + b"2,bad \xff\xfe byte\n3,fine\n")
    rows = rows_of(p)
    assert [r.ok for r in rows] == [True, False, True]
    assert rows[1].field == "text" and "--encoding" in (rows[1].error or "")


def test_missing_text_column_is_a_file_level_error_listing_columns(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("id,narrative\n1,x\n")
    with pytest.raises(InputError, match=r"no column 'text' among the 2 header cells"):
        rows_of(p)


def test_text_column_option(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("id,narrative\n1,x\n")
    assert rows_of(p, text_column="narrative")[0].text == "x"


def test_short_csv_row_is_an_error_row(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("id,unit,text\n1,ED,fine\n2,ICU\n")
    rows = rows_of(p)
    assert rows[1].error == "field 'text' is missing"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_binary_file_is_a_file_level_error(tmp_path, suffix):
    p = tmp_path / f"in{suffix}"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match="binary content"):
        rows_of(p)


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_corrupt_parquet_and_xlsx_are_file_level_errors(tmp_path, suffix):
    p = tmp_path / f"in{suffix}"
    p.write_bytes(b"this is not a real file" * 10)
    with pytest.raises(InputError, match="not a readable"):
        rows_of(p)


def test_unsupported_suffix(tmp_path):
    p = tmp_path / "in.txt"
    p.write_text("x")
    with pytest.raises(InputError, match=r"unsupported input format '\.txt'"):
        rows_of(p)


def test_parquet_rows_with_nulls(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "c"], "text": ["one", None, "three"]}), p)
    rows = rows_of(p)
    assert [r.ok for r in rows] == [True, False, True]
    assert rows[1].error == "field 'text' is null"


def test_xlsx_rows_and_non_text_cell(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "text"])
    ws.append(["a", "narrative one"])
    ws.append(["b", 12345])
    ws.append([None, None])
    ws.append(["c", "narrative three"])
    p = tmp_path / "in.xlsx"
    wb.save(p)
    rows = rows_of(p)
    assert [(r.id, r.ok) for r in rows] == [("a", True), ("b", False), ("c", True)]
    assert rows[1].line == 3 and "got number" in (rows[1].error or "")


def test_megabyte_csv_field_is_read(tmp_path):
    big = "word " * 250_000
    p = tmp_path / "in.csv"
    p.write_text("id,text\n1," + big + "\n")
    [row] = rows_of(p)
    assert row.ok and len(row.text or "") == len(big)


def test_jsonl_from_stdin(monkeypatch):
    import io
    import sys

    data = json.dumps({"id": "s", "text": "from stdin"}).encode() + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [row] = list(read_rows("-"))
    assert row.text == "from stdin"
