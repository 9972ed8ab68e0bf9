"""XLSX output: flattened like CSV, formula-neutralised, streamed in write-only mode."""

from __future__ import annotations

import pytest

from syscause.io.writers import XLSX_CELL_LIMIT, flat_header, open_writer

from .test_writers import _record


def _read(path):
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    return rows


@pytest.mark.parametrize(
    ("id_", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-3", "'-3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\n=1"),  # guarded; XML reads a carriage return back as a line feed
        ("\x01=1", "'=1"),  # a control character XLSX cannot hold is dropped, then guarded
        ("r-7", "r-7"),
    ],
)
def test_xlsx_cells_are_formula_neutralised(tmp_path, id_, expected):
    path = tmp_path / "out.xlsx"
    w = open_writer(str(path), ["a"])
    w.write(_record(id_))
    w.close()
    header, row = _read(path)
    assert header == flat_header(["a"])
    assert row[0] == expected and row[header.index("score_a")] == 0.9


def test_xlsx_keeps_columns_and_cuts_long_cells(tmp_path):
    path = tmp_path / "out.xlsx"
    w = open_writer(str(path), ["a"], ["unit"])
    rec = _record("x") | {"unit": "u" * (XLSX_CELL_LIMIT + 10)}
    w.write(rec)
    w.close()
    header, row = _read(path)
    assert header[-1] == "unit" and len(row[-1]) == XLSX_CELL_LIMIT


def test_empty_run_still_writes_a_header_row(tmp_path):
    path = tmp_path / "out.xlsx"
    open_writer(str(path), ["a"]).close()
    assert _read(path) == [flat_header(["a"])]
