"""The ``--resume`` checkpoint: how far a run got, kept beside its output.

After every batch the results and errors files are flushed and then ``OUTPUT.progress.json``
is replaced atomically (write a temporary file, ``os.replace``) with the number of input rows
done and the byte length of both files at that point. A kill can therefore leave at most
some bytes past the recorded lengths (a partial batch, perhaps a partial line); resuming cuts
both files back to the recorded lengths, skips the rows done and appends the rest, so every
input row ends up in the output exactly once, in input order.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from syscause.errors import InputError

CHECKPOINT_VERSION = 1
CHECKPOINT_SUFFIX = ".progress.json"


def checkpoint_path(output: str) -> str:
    """Where the checkpoint of ``output`` lives: ``OUTPUT.progress.json``."""
    return output + CHECKPOINT_SUFFIX


def input_fingerprint(path: str) -> dict[str, Any]:
    """The input's resolved path, size and modification time: a resume needs the same file."""
    stat = Path(path).stat()
    return {"path": str(Path(path).resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Progress of one run: the job it belongs to, rows done and file lengths at that point."""

    job: dict[str, Any]
    rows_done: int
    output_bytes: int
    errors_bytes: int
    ok: int
    errors: int
    warnings: int
    version: int = CHECKPOINT_VERSION


def write_checkpoint(path: str, checkpoint: Checkpoint) -> None:
    """Replace the checkpoint at ``path`` atomically: readers see the old or the new one."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(asdict(checkpoint), fh)
    os.replace(tmp, path)


def read_checkpoint(path: str) -> Checkpoint | None:
    """The checkpoint at ``path``, or ``None`` where there is none."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the checkpoint ({exc.strerror})") from None
    try:
        data = json.loads(raw)
        checkpoint = Checkpoint(**data)
    except (json.JSONDecodeError, TypeError):
        raise InputError(
            f"{path}: not a syscause checkpoint; delete it and rerun without --resume"
        ) from None
    if checkpoint.version != CHECKPOINT_VERSION:
        raise InputError(
            f"{path}: checkpoint version {checkpoint.version} is not supported; rerun "
            "without --resume"
        )
    return checkpoint


def file_size(path: str) -> int:
    """The length of ``path`` in bytes (0 where it does not exist)."""
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0


def truncate_to(path: str, size: int) -> None:
    """Cut ``path`` back to ``size`` bytes, dropping whatever a killed run left past it."""
    if size == 0 and not os.path.exists(path):
        return  # nothing was written yet; the run creates the file
    if file_size(path) < size:
        raise InputError(
            f"{path}: shorter than its checkpoint says ({file_size(path)} < {size} bytes); "
            "the file was changed since the interrupted run. Rerun without --resume"
        )
    with open(path, "r+b") as fh:
        fh.truncate(size)


def check_job(path: str, checkpoint: Checkpoint, job: dict[str, Any]) -> None:
    """Refuse to resume a different job: another input, changed input, or other options."""
    changed = sorted(
        k for k in set(job) | set(checkpoint.job) if job.get(k) != checkpoint.job.get(k)
    )
    if changed:
        raise InputError(
            f"{path}: the interrupted run used a different {', '.join(changed)}; resume with "
            "the same input file and options, or rerun without --resume"
        )


class CheckpointWriter:
    """Saves the checkpoint of one run after each flushed batch, and removes it at the end."""

    def __init__(self, output: str, errors: str, job: dict[str, Any]) -> None:
        self.path = checkpoint_path(output)
        self.output = output
        self.errors = errors
        self.job = job

    def save(self, rows_done: int, ok: int, errors: int, warnings: int) -> None:
        """Record progress; call only after the results and errors files are flushed."""
        write_checkpoint(
            self.path,
            Checkpoint(
                job=self.job,
                rows_done=rows_done,
                output_bytes=file_size(self.output),
                errors_bytes=file_size(self.errors),
                ok=ok,
                errors=errors,
                warnings=warnings,
            ),
        )

    def remove(self) -> None:
        """Delete the checkpoint (the run finished, or a fresh run starts)."""
        Path(self.path).unlink(missing_ok=True)
