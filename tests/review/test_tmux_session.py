"""A scripted review session in a real terminal: ``syscause review`` runs in a detached tmux
session and is driven with send-keys; the database must then hold exactly the decisions made,
and reopening must resume at the first item not done."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

SYSCAUSE = Path(sys.executable).with_name("syscause")
TIMEOUT = 30.0


class Tmux:
    """One private tmux server (own socket) with one detached session."""

    def __init__(self, socket: Path) -> None:
        self.socket = str(socket)
        self.target = ""

    def __call__(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, check=True
        )
        return out.stdout

    def start(self, name: str, command: str) -> None:
        """A new detached session of fixed size; later calls address it."""
        self("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
        self.target = name

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", self.target)

    def keys(self, *keys: str, literal: bool = False) -> None:
        self("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)

    def kill(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


def wait_for(what: str, predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=10)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        conn.close()


@pytest.fixture
def tmux(tmp_path):
    if not SYSCAUSE.exists():
        pytest.skip("syscause console script not installed beside this Python")
    server = Tmux(tmp_path / "tmux.sock")
    yield server
    server.kill()


def test_scripted_session_records_exactly_the_decisions_made(
    tmp_path, tmux, results_file, data_file
):
    db = tmp_path / "review.sqlite"
    command = (
        f"{SYSCAUSE} review {results_file} --db {db} --reviewer tess --queue all "
        f"--data {data_file}; echo REVIEW-EXIT-$?; sleep 60"
    )
    tmux.start("first", command)
    wait_for("the first item", lambda: "item 1/4" in tmux.screen())

    made = 0

    def decide(*keys: str) -> None:
        nonlocal made
        tmux.keys(*keys)
        made += 1
        wait_for(f"decision {made}", lambda: count(db) == made)

    def dialog(key: str, title: str, typed: str) -> None:
        tmux.keys(key)
        wait_for(title, lambda: title in tmux.screen())
        tmux.keys(typed, literal=True)
        wait_for("the typed filter", lambda: typed in tmux.screen())
        decide("Enter")

    decide("a")  # T1: accept understaffing
    decide("r")  # reject ehr_device_usability (the cursor moved down)
    decide("Enter")  # done
    wait_for("item 2", lambda: "id T2" in tmux.screen())
    dialog("n", "Add a missing factor", "patient")  # relabel: add patient_factors
    tmux.keys("k")  # up to physical_environment
    decide("r")  # reject it
    dialog("f", "Framing of the narrative", "indiv")  # framing -> individual
    decide("Enter")  # done
    decide("s")  # T3: skip
    wait_for("item 4", lambda: "id T4" in tmux.screen())
    tmux.keys("q")
    wait_for("exit", lambda: "REVIEW-EXIT-0" in tmux.screen())

    conn = sqlite3.connect(db)
    got = conn.execute(
        "SELECT item_id, reviewer, kind, label, before, after FROM decisions ORDER BY id"
    ).fetchall()
    assert got == [
        ("T1", "tess", "factor", "understaffing", "present", "present"),
        ("T1", "tess", "factor", "ehr_device_usability", "present", "absent"),
        ("T1", "tess", "done", "", None, None),
        ("T2", "tess", "factor", "patient_factors", "absent", "present"),
        ("T2", "tess", "factor", "physical_environment", "present", "absent"),
        ("T2", "tess", "framing", "", "system", "individual"),
        ("T2", "tess", "done", "", None, None),
        ("T3", "tess", "skip", "", None, None),
    ]
    stored = {row[0] for row in conn.execute("SELECT item_id FROM items")}
    assert stored == {"T1", "T2", "T3"}  # T4 was shown but not decided: no narrative kept
    conn.close()

    # Reopening resumes: T1 and T2 are done, so the queue starts at the skipped T3.
    tmux.start(
        "second",
        f"{SYSCAUSE} review {results_file} --db {db} --reviewer tess --queue all"
        "; echo REVIEW-EXIT-$?; sleep 60",
    )
    wait_for("the resumed queue", lambda: "item 1/2  id T3" in tmux.screen())
    tmux.keys("q")
    wait_for("exit", lambda: "REVIEW-EXIT-0" in tmux.screen())
    assert count(db) == made
