"""Reading results for review, joining narratives by id, and the queue order."""

from __future__ import annotations

import json

import pytest

from syscause.errors import InputError
from syscause.review.queue import build_queue, confidence
from syscause.review.records import ReviewItem, join_texts, load_results

from .conftest import CASES, write_jsonl

SECRET = "Ottoline Vexbridge"  # a marker that must never reach a message


def _load(path):
    messages: list[str] = []
    return load_results(str(path), messages.append), messages


def test_results_load_in_file_order(results_file):
    items, messages = _load(results_file)
    assert [it.item_id for it in items] == ["T1", "T2", "T3", "T4"]
    assert items[0].asserted == ("understaffing", "ehr_device_usability")
    assert messages == []


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (f'{{"id": "x", "note": "{SECRET}"', "(record)"),
        ('["not", "an", "object"]', "(record)"),
        ('{"id": "x", "factors": [], "blame": {"framing": "system"}}', "scores"),
        (
            '{"id": "x", "scores": {"fatigue": 0.1}, "factors": [{"label": "ghost"}], '
            '"blame": {"framing": "system"}}',
            "factors[0].label",
        ),
        (
            '{"id": "x", "scores": {}, "factors": [], "blame": {"framing": "' + SECRET + '"}}',
            "blame.framing",
        ),
    ],
)
def test_a_bad_result_row_is_named_and_skipped(tmp_path, records, bad, field):
    path = tmp_path / "results.jsonl"
    lines = [json.dumps(records[0]), bad, json.dumps(records[1])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items, messages = _load(path)
    assert [it.item_id for it in items] == ["T1", "T2"]
    assert len(messages) == 1
    assert f"row 2: field {field!r}" in messages[0]
    assert SECRET not in messages[0]


def test_unsupported_result_format_is_a_clear_error(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("id,labels\n")
    with pytest.raises(InputError, match=r"\.jsonl or \.parquet"):
        _load(path)


def test_parquet_results_load(tmp_path, records):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "results.parquet"
    pq.write_table(pa.Table.from_pylist(records), path)
    items, _ = _load(path)
    assert [it.item_id for it in items] == ["T1", "T2", "T3", "T4"]


def test_texts_join_by_id_whatever_the_order(tmp_path, results_file):
    rows = [{"id": c[0], "text": c[1]} for c in reversed(CASES)]
    data = write_jsonl(tmp_path / "reports.jsonl", rows)
    items, _ = _load(results_file)
    joined = join_texts(items, str(data), warn=lambda m: None)
    assert [it.text for it in joined] == [c[1] for c in CASES]


def test_redacted_join_stores_no_identifiers(tmp_path, results_file):
    from syscause.redact import redact

    rows = [{"id": c[0], "text": f"Dr. Helen Okafor, MRN 4471902. {c[1]}"} for c in CASES]
    data = write_jsonl(tmp_path / "reports.jsonl", rows)
    items, _ = _load(results_file)
    joined = join_texts(items, str(data), redact=True, warn=lambda m: None)
    assert [it.text for it in joined] == [redact(r["text"]).text for r in rows]
    assert all(
        "Okafor" not in (it.text or "") and "4471902" not in (it.text or "") for it in joined
    )


def test_duplicate_ids_pair_nth_to_nth_and_get_unique_item_ids(tmp_path, records):
    first, second = dict(records[0]), dict(records[2], id="T1")
    results = write_jsonl(tmp_path / "results.jsonl", [first, second])
    data = write_jsonl(
        tmp_path / "reports.jsonl",
        [{"id": "T1", "text": CASES[0][1]}, {"id": "T1", "text": CASES[2][1]}],
    )
    items, _ = _load(results)
    joined = join_texts(items, str(data), warn=lambda m: None)
    assert [it.item_id for it in joined] == ["T1", "T1#2"]
    assert [it.text for it in joined] == [CASES[0][1], CASES[2][1]]


def test_results_without_a_narrative_are_counted_not_dropped(tmp_path, results_file):
    data = write_jsonl(tmp_path / "reports.jsonl", [{"id": "T2", "text": CASES[1][1]}])
    messages: list[str] = []
    items, _ = _load(results_file)
    joined = join_texts(items, str(data), warn=messages.append)
    assert [it.text is not None for it in joined] == [False, True, False, False]
    assert len(messages) == 1 and "3 result(s) have no narrative" in messages[0]


def _item(i: int, needs_review: bool, scores: dict[str, float]) -> ReviewItem:
    record = {
        "id": f"q{i}",
        "scores": scores,
        "factors": [],
        "blame": {"framing": "neutral"},
        "needs_review": needs_review,
    }
    return ReviewItem(f"q{i}", record, position=i)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [({"a": 0.9, "b": 0.1}, 0.4), ({"a": 0.55, "b": 0.0}, 0.05), ({}, 0.5)],
)
def test_confidence_is_the_smallest_distance_from_one_half(scores, expected):
    assert confidence(_item(0, False, scores)) == pytest.approx(expected)


def test_uncertain_queue_puts_flagged_items_first_then_least_confident():
    items = [
        _item(0, False, {"a": 0.95}),
        _item(1, False, {"a": 0.52}),
        _item(2, True, {"a": 0.99}),
        _item(3, False, {"a": 0.70}),
        _item(4, True, {"a": 0.45}),
    ]
    order = [it.item_id for it in build_queue(items, "uncertain")]
    assert order == ["q4", "q2", "q1", "q3", "q0"]


def test_random_queue_is_a_seeded_permutation():
    items = [_item(i, False, {"a": 0.1}) for i in range(30)]
    first = [it.item_id for it in build_queue(items, "random", seed=7)]
    assert first == [it.item_id for it in build_queue(items, "random", seed=7)]
    assert first != [it.item_id for it in build_queue(items, "random", seed=8)]
    assert sorted(first) == sorted(it.item_id for it in items)


def test_done_items_are_left_out_and_the_limit_keeps_the_same_sample():
    items = [_item(i, False, {"a": 0.1}) for i in range(30)]
    sample = [it.item_id for it in build_queue(items, "random", seed=3, limit=5)]
    resumed = build_queue(items, "random", seed=3, limit=5, done={sample[0], sample[2]})
    assert [it.item_id for it in resumed] == [sample[1], sample[3], sample[4]]


def test_all_queue_keeps_file_order_and_unknown_queue_fails():
    items = [_item(i, i % 2 == 0, {"a": 0.3}) for i in range(4)]
    assert [it.item_id for it in build_queue(items, "all")] == ["q0", "q1", "q2", "q3"]
    with pytest.raises(InputError, match="unknown queue"):
        build_queue(items, "hardest")
