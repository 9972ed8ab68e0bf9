"""Batch analysis: rows in, one result or one error row per input row, in order."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from syscause.api import DEFAULT_BATCH_SIZE, Pipeline
from syscause.io.rows import InputRow
from syscause.io.writers import RecordWriter
from syscause.schemas import Analysis

logger = logging.getLogger("syscause")

WARN_DUPLICATE_ID = "duplicate id"


@dataclass(slots=True)
class BatchSummary:
    """Counts for the final summary line and the exit code."""

    rows: int = 0
    ok: int = 0
    errors: int = 0
    warnings: int = 0

    @property
    def exit_code(self) -> int:
        """0 when every row was analysed, 1 when some became error rows."""
        return 1 if self.errors else 0


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


def _chunks(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    chunk: list[InputRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _analyse_chunk(pipeline: Pipeline, rows: list[InputRow]) -> list[Analysis | InputRow]:
    """Analyse the valid rows of a chunk; a row whose analysis raises becomes an error row."""
    good = [r for r in rows if r.ok]
    try:
        results = dict(
            zip(
                (r.row for r in good),
                pipeline.analyze_many(
                    [(r.id, r.text or "") for r in good], batch_size=max(1, len(good))
                ),
                strict=True,
            )
        )
    except Exception:  # one bad row must not sink the batch: retry row by row
        results = {}
        for r in good:
            try:
                results[r.row] = pipeline.analyze(r.text or "", id=r.id)
            except Exception as exc:  # the message may quote text: keep only the type
                results[r.row] = dataclasses.replace(  # type: ignore[assignment]
                    r, error=f"analysis failed ({type(exc).__name__})"
                )
    return [results.get(r.row, r) if r.ok else r for r in rows]


def run_batch(
    rows: Iterable[InputRow],
    pipeline: Pipeline,
    writer: RecordWriter,
    errors: IO[str],
    *,
    source: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Analyse every row, writing results in input order and error rows to ``errors``."""
    summary = BatchSummary()
    seen_ids: set[str] = set()
    for chunk in _chunks(rows, batch_size):
        for item in _analyse_chunk(pipeline, chunk):
            summary.rows += 1
            if isinstance(item, InputRow):
                summary.errors += 1
                errors.write(json.dumps(error_record(item, source), ensure_ascii=False) + "\n")
                continue
            result = item
            if result.id is not None and result.id in seen_ids:
                result = dataclasses.replace(result, warnings=(*result.warnings, WARN_DUPLICATE_ID))
            elif result.id is not None:
                seen_ids.add(result.id)
            summary.ok += 1
            summary.warnings += bool(result.warnings)
            writer.write(result.to_dict())
        writer.flush()
        errors.flush()
        if on_progress is not None:
            on_progress(len(chunk))
    return summary
