"""Batch analysis: rows in, one result or one error row per input row, in input order.

Rows are cut into chunks. Each chunk is analysed in this process, or with an executor (a
process pool from :func:`process_pool`, or a Dask client's executor) in parallel, a bounded
number of chunks at a time so memory stays constant; results are written in input order
either way, so every engine writes the same output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import IO, Any

from syscause.api import DEFAULT_BATCH_SIZE, Pipeline, PipelineRef, load
from syscause.errors import InputError
from syscause.io.rows import InputRow
from syscause.io.writers import RecordWriter

logger = logging.getLogger("syscause")

WARN_DUPLICATE_ID = "duplicate id"
# A record, or why its analysis failed (the exception type only: messages may quote text).
Outcome = dict[str, Any] | str


@dataclass(slots=True)
class BatchSummary:
    """Counts for the final summary line, the exit code and the checkpoint."""

    rows: int = 0
    ok: int = 0
    errors: int = 0
    warnings: int = 0

    @property
    def exit_code(self) -> int:
        """0 when every row was analysed, 1 when some became error rows."""
        return 1 if self.errors else 0


class SeenIds:
    """The ids written so far, as 64-bit digests, to flag duplicates.

    Digests keep an archive of millions of ids to a few tens of megabytes; a false
    "duplicate id" needs a 64-bit collision (about one in 10^7 at a million ids).
    """

    def __init__(self) -> None:
        self._digests: set[bytes] = set()

    def add(self, id_: str) -> bool:
        """Remember ``id_``; False when it was seen before."""
        digest = hashlib.blake2b(id_.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        if digest in self._digests:
            return False
        self._digests.add(digest)
        return True


def error_record(row: InputRow, source: str) -> dict[str, Any]:
    """The errors-file record for a row: where, which field, what went wrong; never text."""
    return {
        "row": row.row,
        "line": row.line,
        "id": row.id,
        "field": row.field,
        "error": row.error,
        "input": source,
    }


def analyse_items(pipeline: Pipeline | PipelineRef, items: list[tuple[str, str]]) -> list[Outcome]:
    """Analyse ``(id, text)`` pairs into output records, in order.

    A pair whose analysis raises gives an error message instead of a record, so one bad
    narrative never sinks its chunk. Module-level and picklable: worker processes and Dask
    workers run it, the pipeline arriving as a reference loaded once per process.
    """
    if not items:
        return []
    if isinstance(pipeline, PipelineRef):  # not pickled on the way (a thread pool)
        pipeline = load(pipeline.model_ref, use_parser=pipeline.use_parser)
    try:
        return [a.to_dict() for a in pipeline.analyze_many(items, batch_size=len(items))]
    except Exception:  # one bad row must not sink the batch: retry row by row
        outcomes: list[Outcome] = []
        for id_, text in items:
            try:
                outcomes.append(pipeline.analyze(text, id=id_).to_dict())
            except Exception as exc:  # the message may quote text: keep only the type
                outcomes.append(f"analysis failed ({type(exc).__name__})")
        return outcomes


def _items(chunk: list[InputRow]) -> list[tuple[str, str]]:
    return [(r.id, r.text or "") for r in chunk if r.ok]


def _chunks(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    chunk: list[InputRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analysed_chunks(
    rows: Iterable[InputRow],
    pipeline: Pipeline | PipelineRef,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    executor: Executor | None = None,
    in_flight: int = 2,
) -> Iterator[tuple[list[InputRow], list[Outcome]]]:
    """Yield each chunk of rows with the outcomes of its valid rows, in input order.

    With an executor, up to ``in_flight`` chunks are analysed at once and the oldest is
    yielded first: order is kept and at most ``in_flight`` chunks are held in memory.
    """
    chunks = _chunks(rows, batch_size)
    if executor is None:
        for chunk in chunks:
            yield chunk, analyse_items(pipeline, _items(chunk))
        return
    pending: deque[tuple[list[InputRow], Future[list[Outcome]]]] = deque()
    try:
        for chunk in chunks:
            pending.append((chunk, executor.submit(analyse_items, pipeline, _items(chunk))))
            if len(pending) >= max(1, in_flight):
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        for _, future in pending:  # an interrupted run leaves no work queued
            future.cancel()


def run_batch(
    rows: Iterable[InputRow],
    pipeline: Pipeline | PipelineRef,
    writer: RecordWriter,
    errors: IO[str],
    *,
    source: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    executor: Executor | None = None,
    in_flight: int = 2,
    on_progress: Callable[[int], None] | None = None,
    on_flushed: Callable[[BatchSummary], None] | None = None,
    summary: BatchSummary | None = None,
    seen: SeenIds | None = None,
) -> BatchSummary:
    """Analyse every row, writing results in input order and error rows to ``errors``.

    Both files are flushed after each chunk, then ``on_flushed`` runs (the checkpoint).
    ``summary`` and ``seen`` carry counts and ids over from an interrupted run.
    """
    summary = summary if summary is not None else BatchSummary()
    seen = seen if seen is not None else SeenIds()
    for chunk, outcomes in analysed_chunks(
        rows, pipeline, batch_size=batch_size, executor=executor, in_flight=in_flight
    ):
        _write_chunk(chunk, outcomes, writer, errors, source, summary, seen)
        writer.flush()
        errors.flush()
        if on_flushed is not None:
            on_flushed(summary)
        if on_progress is not None:
            on_progress(len(chunk))
    return summary


def _write_chunk(
    chunk: list[InputRow],
    outcomes: list[Outcome],
    writer: RecordWriter,
    errors: IO[str],
    source: str,
    summary: BatchSummary,
    seen: SeenIds,
) -> None:
    results = iter(outcomes)
    for row in chunk:
        summary.rows += 1
        outcome = next(results) if row.ok else None
        if outcome is None or isinstance(outcome, str):
            bad = row if outcome is None else dataclasses.replace(row, error=outcome)
            summary.errors += 1
            errors.write(json.dumps(error_record(bad, source), ensure_ascii=False) + "\n")
            continue
        record = outcome
        if record["id"] is not None and not seen.add(record["id"]):
            record["warnings"] = [*record["warnings"], WARN_DUPLICATE_ID]
        summary.ok += 1
        summary.warnings += bool(record["warnings"])
        if row.kept:
            record.update(row.kept)
        writer.write(record)


def skip_done(rows: Iterator[InputRow], done: int, seen: SeenIds) -> Iterator[InputRow]:
    """Pass over the first ``done`` rows (written by an interrupted run), noting their ids.

    The ids of valid rows are remembered so duplicates are flagged as in one run. (A row
    whose analysis itself failed counts as seen here, where one run would not count it:
    such rows are rare, and the only effect is on the duplicate-id warning.)
    """
    for skipped in range(done):
        row = next(rows, None)
        if row is None:
            raise InputError(
                f"the input has {skipped} rows but the checkpoint says {done} were done; "
                "rerun without --resume"
            )
        if row.ok:
            seen.add(row.id)
    return rows


def _init_worker(model: str, use_parser: bool | None, log_level: int) -> None:
    """Process-pool initializer: quiet logging as in the parent, then load the model once."""
    import signal

    # Ctrl-C reaches the whole process group; the parent stops the pool, so workers need
    # not print their own interrupted tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=log_level, format="syscause: %(levelname)s: %(message)s", force=True)
    from syscause.api import load

    load(model, use_parser=use_parser)


def process_pool(pipeline: Pipeline | PipelineRef, workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, each loading ``pipeline``'s model once at start.

    Workers are spawned (not forked): a fresh interpreter per worker is safe with threads
    and behaves the same on Linux, macOS and Windows.
    """
    import multiprocessing

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(pipeline.model_ref, pipeline.use_parser, logging.getLogger().level),
    )
