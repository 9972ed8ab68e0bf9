"""The Textual UI driven by its pilot: keys map to decisions written at once, and the screen
shows the narrative, factors, framing and rewrite."""

from __future__ import annotations

import asyncio

import pytest

from syscause.review.app import ReviewApp
from syscause.review.records import join_texts, load_results
from syscause.review.session import ReviewSession
from syscause.review.store import ReviewStore

from .conftest import CASES

SIZE = (120, 40)


@pytest.fixture
def items(results_file, data_file):
    loaded = load_results(str(results_file), lambda m: None)
    return join_texts(loaded, str(data_file), warn=lambda m: None)


def decisions(store):
    return [(d.item_id, d.kind, d.label, d.after) for d in store.decisions()]


def drive(session, keys, check=None):
    """Press keys (strings, or lists typed one key at a time) in a headless app."""

    async def run():
        app = ReviewApp(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(*key) if isinstance(key, list) else await pilot.press(key)
                await pilot.pause()
            if check is not None:
                check(app)

    asyncio.run(run())


def test_keys_accept_reject_relabel_and_move_on(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        session = ReviewSession(store, items, "ana")
        keys = [
            "a",  # T1: accept understaffing (cursor moves to the next factor)
            "r",  # reject ehr_device_usability
            "enter",  # done
            "n",
            list("patient"),
            "enter",  # T2: add patient_factors
            "k",
            "r",  # up to physical_environment, reject it
            "f",
            list("indiv"),
            "enter",  # framing -> individual
            "enter",  # done
            "s",  # T3: skip
            "c",
            list("see handoff policy"),
            "enter",  # T4: comment
            "b",  # back to T3
        ]
        shown = {}
        drive(session, keys, lambda app: shown.update(index=app.session.index))
        assert decisions(store) == [
            ("T1", "factor", "understaffing", "present"),
            ("T1", "factor", "ehr_device_usability", "absent"),
            ("T1", "done", "", None),
            ("T2", "factor", "patient_factors", "present"),
            ("T2", "factor", "physical_environment", "absent"),
            ("T2", "framing", "", "individual"),
            ("T2", "done", "", None),
            ("T3", "skip", "", None),
            ("T4", "comment", "", "see handoff policy"),
        ]
        assert shown["index"] == 2


def test_escape_cancels_a_dialog_without_writing(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        drive(ReviewSession(store, items, "ana"), ["n", list("fat"), "escape", "c", "escape"])
        assert store.count() == 0


def test_digits_rate_the_rewrite_and_q_quits(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        session = ReviewSession(store, items, "ana")
        result = {}
        drive(session, ["4", "q"], lambda app: result.update(running=app.is_running))
        assert decisions(store) == [("T1", "rating", "", "4")]
        assert result["running"] is False


def test_screen_shows_narrative_factors_framing_and_rewrite(tmp_path, items):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        session = ReviewSession(store, items, "ana", {"understaffing": "Understaffing"})
        svg = {}

        def grab(app):
            svg["text"] = app.export_screenshot()

        drive(session, ["a"], grab)
    shot = svg["text"].replace("&#160;", " ")
    for visible in (
        "item 1/4",
        "id T1",
        "had 7 patients",  # narrative
        "understaffing",
        "accepted",
        "Understaffing",  # label name
        "model individual",  # framing
        "failed to verify",  # cue
        "The rate was not verified",  # rewrite
        "a accept",  # help footer
    ):
        assert visible in shot, visible
    assert CASES[0][1].split(" had")[0] in shot  # the narrative outside any highlight


def test_a_crash_in_the_ui_reports_the_error_type_only(tmp_path, items, monkeypatch, capfd):
    monkeypatch.delenv("SYSCAUSE_DEBUG", raising=False)
    secret = CASES[0][1]

    class Exploding(ReviewSession):
        def accept(self) -> str:
            raise RuntimeError(f"cannot handle {secret}")

    with ReviewStore(tmp_path / "r.sqlite") as store:
        app = ReviewApp(Exploding(store, items, "ana"))

        async def run():
            async with app.run_test(size=SIZE) as pilot:
                await pilot.press("a")
                await pilot.pause()

        with pytest.raises(RuntimeError):  # the pilot re-raises for the test
            asyncio.run(run())
    captured = capfd.readouterr()
    shown = " ".join((captured.out + captured.err).split())
    assert "internal error in the review UI (RuntimeError)" in shown
    assert secret not in shown and "had 7 patients" not in shown
    assert app.return_code == 1
