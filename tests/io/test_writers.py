"""Writers: formats by suffix, flattening, and formula-injection safety."""

from __future__ import annotations

import csv

import pytest

from syscause.errors import InputError
from syscause.io.writers import neutralise_formula, open_writer


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_neutralise_formula(cell, expected):
    assert neutralise_formula(cell) == expected


def test_unknown_output_suffix_is_rejected(tmp_path):
    with pytest.raises(InputError, match="unsupported output format"):
        open_writer(str(tmp_path / "out.xml"), ["a"])


def _record(id_: str) -> dict:
    return {
        "id": id_,
        "schema_version": 1,
        "taxonomy_version": "v1",
        "model": "m",
        "factors": [
            {
                "label": "a",
                "score": 0.9,
                "evidence": [{"start": 0, "end": 1, "text": "x", "source": "r"}],
            }
        ],
        "scores": {"a": 0.9},
        "blame": {"score": 0.1, "framing": "system", "cues": []},
        "reframe": [],
        "needs_review": False,
        "warnings": [],
    }


def test_csv_writer_flattens_and_neutralises(tmp_path):
    path = tmp_path / "out.csv"
    w = open_writer(str(path), ["a"])
    w.write(_record("=cmd|' /C calc'!A0"))
    w.close()
    [row] = list(csv.DictReader(path.open()))
    assert row["id"].startswith("'=") and row["labels"] == "a" and row["score_a"] == "0.9"


def test_parquet_writer_round_trips_nested_records(tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "out.parquet"
    w = open_writer(str(path), ["a"])
    for i in range(3):
        w.write(_record(str(i)))
    w.close()
    table = pq.read_table(path)
    assert table.num_rows == 3
    assert table.to_pylist()[0]["factors"][0]["evidence"][0]["text"] == "x"
