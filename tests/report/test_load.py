"""Reading analyze results: three formats, chosen columns, and bad rows named by row and field."""

from __future__ import annotations

import csv
import dataclasses
import json

import pytest

from syscause.errors import InputError
from syscause.io.writers import flatten_record, neutralise_formula
from syscause.report.load import ResultColumns, ResultRow, ResultsSource, RowProblem

from .conftest import LABELS, RECORDS, SECRET, record

COLUMNS = ResultColumns(date="date", group="unit")


def write_csv(path, records):
    """Results as `syscause analyze -o x.csv` writes them, plus the kept date/unit columns."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = None
        for rec in records:
            flat = flatten_record(rec, LABELS) | {"date": rec["date"], "unit": rec["unit"]}
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(flat))
                writer.writeheader()
            writer.writerow(
                {k: neutralise_formula(v) if isinstance(v, str) else v for k, v in flat.items()}
            )
    return path


def write_xlsx(path, records):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("results")
    for i, rec in enumerate(records):
        flat = flatten_record(rec, LABELS) | {"date": rec["date"], "unit": rec["unit"]}
        if i == 0:
            ws.append(list(flat))
        ws.append([neutralise_formula(v) if isinstance(v, str) else v for v in flat.values()])
    wb.save(path)
    return path


def write_parquet(path, records):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(records), path)
    return path


def blank_as_none(row):
    # A spreadsheet has no empty string: an empty cell reads as None. Both mean "blank".
    return dataclasses.replace(row, date=row.date or None, group=row.group or None)


def rows_of(source):
    return [r for r in source if isinstance(r, ResultRow)]


def test_jsonl_rows_carry_labels_evidence_framing_and_columns(results):
    source = ResultsSource(str(results), COLUMNS)
    rows = rows_of(source)
    assert source.labels == LABELS
    assert [r.id for r in rows] == [f"r{i}" for i in range(1, 8)]
    first = rows[0]
    assert first.labels == ("understaffing", "fatigue")
    assert first.evidence == (
        ("understaffing", "Had 7 pts"),
        ("understaffing", "two call-outs"),
        ("fatigue", "Double shift"),
    )
    assert (first.framing, first.date, first.group, first.row) == (
        "individual",
        "2026-01-04",
        "ED",
        1,
    )


WRITERS = {".csv": write_csv, ".parquet": write_parquet, ".xlsx": write_xlsx}


@pytest.mark.parametrize("suffix", list(WRITERS))
def test_other_formats_read_the_same_as_jsonl(tmp_path, results, suffix):
    other = WRITERS[suffix](tmp_path / f"results{suffix}", RECORDS)
    expected = rows_of(ResultsSource(str(results), COLUMNS))
    source = ResultsSource(str(other), COLUMNS)
    assert [blank_as_none(r) for r in rows_of(source)] == [blank_as_none(r) for r in expected]
    assert source.labels == LABELS


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_flat_formats_undo_the_formula_guard_on_ids_and_groups(tmp_path, suffix):
    recs = [record("-12", {"fatigue": ["tired"]}, unit="=cmd|x")]
    path = WRITERS[suffix](tmp_path / f"r{suffix}", recs)
    rows = rows_of(ResultsSource(str(path), COLUMNS))
    assert (rows[0].id, rows[0].group) == ("-12", "=cmd|x")


@pytest.mark.parametrize(
    ("columns", "missing", "option"),
    [
        (ResultColumns(date="when"), "when", "--date-column"),
        (ResultColumns(group="ward"), "ward", "--group-column"),
    ],
)
@pytest.mark.parametrize("fmt", [".jsonl", *WRITERS])
def test_a_missing_column_is_named(tmp_path, results, columns, missing, option, fmt):
    path = results if fmt == ".jsonl" else WRITERS[fmt](tmp_path / f"r{fmt}", RECORDS)
    with pytest.raises(InputError, match=rf"no column '{missing}'.*--keep-columns.*{option}"):
        ResultsSource(str(path), columns)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.txt", "x", "unsupported results format '.txt'"),
        ("r.csv", "", "empty file"),
        ("r.csv", "a,b\n1,2\n", "not a syscause results CSV"),
        ("r.parquet", "not parquet", "not a readable Parquet file"),
        ("r.xlsx", "not a workbook", "not a readable .xlsx workbook"),
    ],
)
def test_unusable_files_raise_one_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        ResultsSource(str(path))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match="no such results file"):
        ResultsSource(str(tmp_path / "nope.jsonl"))


def test_bad_rows_become_problems_naming_row_and_field_and_the_rest_is_read(tmp_path):
    good = record("ok", {"fatigue": ["tired"]})
    no_framing = record("x", {}) | {"blame": {"framing": SECRET}}
    path = tmp_path / "r.jsonl"
    path.write_text(
        "\n".join(
            [
                f"{{not json {SECRET}",
                json.dumps(good),
                "[1, 2]",
                "",  # a blank line is not a row
                json.dumps(record("y", {}) | {"factors": SECRET}),
                json.dumps(no_framing),
                json.dumps(record("z", {}) | {"factors": [{"score": 1}]}),
                json.dumps(record("", {})),
                json.dumps(good),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    items = list(ResultsSource(str(path)))
    problems = [str(p) for p in items if isinstance(p, RowProblem)]
    assert [r.row for r in items if isinstance(r, ResultRow)] == [2, 8]
    assert problems == [
        "row 1: invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        "row 3: a results line must be a JSON object",
        "row 4, field 'factors': is missing or not a list",
        "row 5, field 'blame.framing': must be one of individual, system, mixed, neutral",
        "row 6, field 'factors': holds an entry without a text 'label'",
        "row 7, field 'id': is missing",
    ]
    assert not any(SECRET in p for p in problems)


def test_csv_without_factors_json_still_gives_labels(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,labels,framing\na,fatigue; bed_flow,system\nb,,neutral\n")
    rows = rows_of(ResultsSource(str(path)))
    assert [(r.id, r.labels, r.evidence) for r in rows] == [
        ("a", ("fatigue", "bed_flow"), ()),
        ("b", (), ()),
    ]
