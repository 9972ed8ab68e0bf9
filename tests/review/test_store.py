"""The decision store: append-only, WAL, snapshots of reviewed items only, and no lost writes
from concurrent reviewer processes."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from syscause.errors import InputError
from syscause.review.store import FACTOR, ReviewStore

PER_PROCESS = 500


def _write(store: ReviewStore, item_id: str = "x", reviewer: str = "ana", **kw: object) -> int:
    args: dict[str, object] = {
        "item_id": item_id,
        "reviewer": reviewer,
        "kind": FACTOR,
        "model": "m-1",
        "taxonomy_version": "v1",
        "label": "fatigue",
        "before": "absent",
        "after": "present",
    }
    args.update(kw)
    return store.record(**args)  # type: ignore[arg-type]


def test_decisions_round_trip_in_order(tmp_path):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        first = _write(store)
        second = _write(store, after="absent", comment="on reflection")
        got = store.decisions()
    assert [d.id for d in got] == [first, second]
    assert (got[1].after, got[1].comment, got[1].model, got[1].taxonomy_version) == (
        "absent",
        "on reflection",
        "m-1",
        "v1",
    )
    assert got[0].ts <= got[1].ts


def test_database_is_in_wal_mode(tmp_path):
    path = tmp_path / "r.sqlite"
    ReviewStore(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("statement", ["UPDATE decisions SET after = 'x'", "DELETE FROM decisions"])
def test_decisions_cannot_be_changed_or_deleted(tmp_path, statement):
    path = tmp_path / "r.sqlite"
    with ReviewStore(path) as store:
        _write(store)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)


def test_snapshot_is_stored_once_and_text_filled_in_later(tmp_path):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        _write(store, snapshot={"id": "x", "v": 1}, text=None)
        _write(store, snapshot={"id": "x", "v": 2}, text="A later session had the narrative.")
        items = list(store.items())
    assert len(items) == 1
    assert items[0].record == {"id": "x", "v": 1}
    assert items[0].text == "A later session had the narrative."


def test_decision_without_snapshot_stores_no_item(tmp_path):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        _write(store)
        assert list(store.items()) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"kind": "delete"}, "unknown decision kind"), ({"reviewer": ""}, "needs a reviewer")],
)
def test_invalid_decisions_are_refused(tmp_path, kwargs, message):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        with pytest.raises(InputError, match=message):
            _write(store, **kwargs)
        assert store.count() == 0


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are not the decisions you are looking for\n" * 50)
    with pytest.raises(InputError, match="not a usable review database"):
        ReviewStore(path)


def test_opening_a_missing_database_for_reading_fails(tmp_path):
    with pytest.raises(InputError, match="no such review database"):
        ReviewStore(tmp_path / "absent.sqlite", create=False)


def _reviewer_process(path: str, reviewer: str, start: multiprocessing.synchronize.Event) -> None:
    store = ReviewStore(path)
    start.wait()
    for i in range(PER_PROCESS):
        label = "fatigue" if i % 2 else "understaffing"
        _write(store, item_id=f"item-{i % 37}", reviewer=reviewer, label=label)
    store.close()


def test_two_concurrent_reviewer_processes_lose_no_decision(tmp_path):
    path = str(tmp_path / "shared.sqlite")
    ReviewStore(path).close()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_reviewer_process, args=(path, name, start)) for name in "AB"]
    for p in procs:
        p.start()
    start.set()  # both write at once, contending for the same database
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    with ReviewStore(path) as store:
        decisions = store.decisions()
    assert len(decisions) == 2 * PER_PROCESS
    for name in "AB":
        mine = [d for d in decisions if d.reviewer == name]
        assert len(mine) == PER_PROCESS
        assert [d.item_id for d in mine] == [f"item-{i % 37}" for i in range(PER_PROCESS)]
    assert len({d.id for d in decisions}) == 2 * PER_PROCESS
