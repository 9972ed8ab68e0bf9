"""The progress bar: rows done, rate and ETA on stderr, only where someone watches."""

from __future__ import annotations

import time

from syscause.cli.progress import progress_bar, progress_wanted


def test_bar_shows_rows_rate_and_eta_on_stderr(capsys):
    with progress_bar(10, enabled=True) as advance:
        for _ in range(5):
            advance(2)
            time.sleep(0.01)
    err = capsys.readouterr().err
    assert "10/10" in err and "rows/s" in err and "ETA" in err


def test_disabled_bar_prints_nothing(capsys):
    with progress_bar(10, enabled=False) as advance:
        advance(10)
    assert capsys.readouterr() == ("", "")


def test_progress_is_off_when_quiet_or_stderr_is_not_a_terminal():
    assert progress_wanted(quiet=True) is False
    assert progress_wanted(quiet=False) is False  # pytest captures stderr: not a TTY
