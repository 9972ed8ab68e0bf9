"""Training data: label parsing (lists, separated strings, aliases, not coded) and bad rows."""

from __future__ import annotations

import json

import pytest

from syscause.errors import InputError
from syscause.learned.data import parse_labels, read_training_file
from syscause.taxonomy import load_taxonomy

V1 = load_taxonomy("default")
ASRS = load_taxonomy("asrs-hf")


def test_labels_as_list_string_and_alias():
    assert parse_labels(["fatigue", "understaffing"], V1) == ("fatigue", "understaffing")
    assert parse_labels("fatigue; understaffing", V1) == ("fatigue", "understaffing")
    assert parse_labels("Situational Awareness; Fatigue", ASRS) == (
        "fatigue",
        "situational_awareness",
    )


def test_null_is_not_coded_and_empty_is_no_factor():
    assert parse_labels(None, V1) is None
    assert parse_labels([], V1) == ()
    assert parse_labels("", V1) == ()


@pytest.mark.parametrize("bad", [["no_such_label"], 7, [3]])
def test_bad_labels_raise_value_error(bad):
    with pytest.raises(ValueError):
        parse_labels(bad, V1)


def test_jsonl_bad_rows_are_reported_by_row_and_field_and_skipped(tmp_path):
    rows = [
        {"id": "a", "text": "Two call-outs not replaced.", "labels": ["understaffing"]},
        {"id": "b", "text": "", "labels": []},
        {"id": "c", "text": "Pump screen confusing.", "labels": ["nope"]},
        {"id": "d", "text": "Not coded yet.", "labels": None},
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    examples, problems = read_training_file(path, V1)
    assert [e.id for e in examples] == ["a", "d"]
    assert examples[1].labels is None
    where = sorted((p.row, p.field) for p in problems)
    assert where == [(2, "text"), (3, "labels"), (5, "-")]
    # the messages never quote the narrative
    assert all("Pump screen" not in str(p) for p in problems)


def test_csv_labels_cells(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text(
        'id,text,labels\n1,"Short staffed, no float.",understaffing\n2,"Fine night.",\n'
        '3,"Unknown.",NA\n4,"Two things.","[""fatigue"", ""interruptions""]"\n',
        encoding="utf-8",
    )
    examples, problems = read_training_file(path, V1)
    assert not problems
    assert [e.labels for e in examples] == [
        ("understaffing",),
        (),
        None,
        ("fatigue", "interruptions"),
    ]


def test_missing_columns_are_file_level_errors(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps({"narrative": "x", "labels": []}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="text-column"):
        read_training_file(path, V1)
