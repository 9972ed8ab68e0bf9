"""The review loop without a UI: each action writes one decision, and reopening resumes."""

from __future__ import annotations

import pytest

from syscause.review.queue import build_queue
from syscause.review.records import join_texts, load_results
from syscause.review.session import ReviewSession
from syscause.review.state import reduce
from syscause.review.store import ReviewStore


@pytest.fixture
def items(results_file, data_file):
    loaded = load_results(str(results_file), lambda m: None)
    return join_texts(loaded, str(data_file), warn=lambda m: None)


def rows(store):
    return [(d.item_id, d.kind, d.label, d.before, d.after) for d in store.decisions()]


def test_accept_reject_add_and_done_write_one_decision_each(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        s = ReviewSession(store, items, "ana")
        assert s.accept() == "accepted understaffing"
        assert s.reject() == "rejected ehr_device_usability"
        assert s.add("fatigue") == "added fatigue"
        assert s.cursor == 2
        assert s.done() == "item done"
        assert s.item is not None and s.item.item_id == "T2"
        assert rows(store) == [
            ("T1", "factor", "understaffing", "present", "present"),
            ("T1", "factor", "ehr_device_usability", "present", "absent"),
            ("T1", "factor", "fatigue", "absent", "present"),
            ("T1", "done", "", None, None),
        ]
        assert s.written == 4


def test_framing_rating_comment_skip_and_back(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        s = ReviewSession(store, items, "ana")
        assert s.set_framing("system") == "framing set to system"
        assert s.rate(4) == "rewrite rated 4/5"
        assert s.comment("  check the pump build  ") == "comment saved"
        assert s.skip() == "skipped"
        assert s.rate(5) == "this item has no rewrite suggestion to rate"
        assert s.set_framing("heroic").startswith("framing must be one of")
        assert s.comment("   ") == "empty comment not saved"
        assert s.back() == "back"
        assert s.back() == "already at the first item"
        assert rows(store) == [
            ("T1", "framing", "", "individual", "system"),
            ("T1", "rating", "", None, "4"),
            ("T1", "comment", "", None, "check the pump build"),
            ("T1", "skip", "", None, None),
        ]


def test_rejecting_an_added_factor_removes_it_from_the_list(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        s = ReviewSession(store, items[3:], "ana")  # T4: no asserted factor
        assert s.accept() == "no factor here; press n to add one"
        s.add("fatigue")
        assert [r.label for r in s.factor_rows()] == ["fatigue"]
        s.reject()
        assert s.factor_rows() == []
        assert "fatigue" in s.missing_labels()
        assert s.add("not_a_label") == "'not_a_label' is not a label of this taxonomy"


def test_cursor_stays_within_the_factor_list(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        s = ReviewSession(store, items, "ana")
        s.move(5)
        assert s.cursor == 1
        s.move(-9)
        assert s.cursor == 0


def test_reopening_restores_partial_work_and_skips_done_items(tmp_path, items):
    path = tmp_path / "r.sqlite"
    with ReviewStore(path) as store:
        s = ReviewSession(store, items, "ana")
        s.reject()
        s.done()
        s.add("patient_factors")  # T2: partial, not done
    with ReviewStore(path) as store:
        done = {k[0] for k, r in reduce(store.decisions(reviewer="ana")).items() if r.done}
        queue = build_queue(items, "all", done=done)
        s = ReviewSession(store, queue, "ana")
        assert s.item is not None and s.item.item_id == "T2"
        assert {r.label: r.decision for r in s.factor_rows()}["patient_factors"] is True
        other = ReviewSession(store, build_queue(items, "all"), "bo")
        assert all(r.decision is None for r in other.factor_rows())


def test_finished_queue_refuses_decisions(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        s = ReviewSession(store, items[:1], "ana")
        s.done()
        assert s.finished and s.item is None
        assert s.done() == "queue finished"
        assert s.set_framing("system") == "queue finished"
        assert store.count() == 1
