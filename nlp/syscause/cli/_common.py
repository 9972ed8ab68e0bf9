"""Shared CLI plumbing: error handling that never shows narrative text, and logging."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

EXIT_OK = 0
EXIT_ROW_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

F = TypeVar("F", bound=Callable[..., Any])


def setup_logging(quiet: bool = False) -> None:
    """Log warnings (never narrative text) to stderr with a recognisable prefix."""
    logging.basicConfig(
        level=logging.ERROR if quiet else logging.WARNING,
        format="syscause: %(levelname)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print one clear line to stderr and return the Exit to raise."""
    typer.echo(f"syscause: error: {message}", err=True)
    return typer.Exit(code)


def guarded(func: F) -> F:
    """Turn syscause errors into one line and exit 2, anything else into exit 3.

    Exception messages from third-party code can quote the text being processed, so an
    unexpected error shows only its type unless SYSCAUSE_DEBUG=1 is set.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from syscause.errors import SyscauseError

        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except SyscauseError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except BrokenPipeError:
            raise typer.Exit(EXIT_OK) from None
        except Exception as exc:
            if os.environ.get("SYSCAUSE_DEBUG") == "1":
                raise
            raise fail(
                f"internal error ({type(exc).__name__}); no narrative text is shown. Rerun "
                "with SYSCAUSE_DEBUG=1 for a traceback (it may contain narrative text).",
                EXIT_INTERNAL,
            ) from None

    return wrapper  # type: ignore[return-value]
