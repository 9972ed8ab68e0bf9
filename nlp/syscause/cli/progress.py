"""A progress bar on stderr with rows done, rate and ETA; silent where nobody watches."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def progress_wanted(quiet: bool) -> bool:
    """Show progress only on an interactive stderr, and never with --quiet."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_bar(
    total: int | None, *, enabled: bool, completed: int = 0
) -> Iterator[Callable[[int], None]]:
    """Yield a callback that advances the bar by a number of rows (a no-op when disabled)."""
    if not enabled:
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Rows per second over rich's recent window."""

        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("-- rows/s" if speed is None else f"{speed:,.0f} rows/s")

    with Progress(
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    ) as progress:
        task = progress.add_task("rows", total=total, completed=completed)
        yield lambda n: progress.advance(task, n)
