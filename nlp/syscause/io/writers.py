"""Result writers: JSON Lines (also stdout), CSV (flattened) and Parquet (nested).

Writers take output records (``Analysis.to_dict()``) one at a time and flush by batch, so
memory stays constant. CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from syscause.errors import InputError

OUTPUT_FORMATS = (".jsonl", ".ndjson", ".csv", ".parquet")
# OWASP CSV injection: a leading = + - @ (or tab / carriage return) starts a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Prefix a cell that a spreadsheet would evaluate with a single quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


class RecordWriter(Protocol):
    """Anything that takes output records in order."""

    def write(self, record: dict[str, Any]) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class JsonlWriter:
    """One JSON object per line; ``-`` writes to stdout."""

    def __init__(self, path: str) -> None:
        self._fh: IO[str]
        if path == "-":
            self._fh = sys.stdout
        else:
            self._fh = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115

    def write(self, record: dict[str, Any]) -> None:
        """Write one record."""
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        """Flush to the OS."""
        self._fh.flush()

    def close(self) -> None:
        """Flush, and close unless writing to stdout."""
        self._fh.flush()
        if self._fh is not sys.stdout:
            self._fh.close()


def flatten_record(record: dict[str, Any], labels: Sequence[str]) -> dict[str, Any]:
    """One flat row per record: labels, blame and per-label scores as columns."""
    flat: dict[str, Any] = {
        "id": record["id"],
        "schema_version": record["schema_version"],
        "taxonomy_version": record["taxonomy_version"],
        "model": record["model"],
        "labels": "; ".join(f["label"] for f in record["factors"]),
        "blame_score": record["blame"]["score"],
        "framing": record["blame"]["framing"],
        "needs_review": record["needs_review"],
        "warnings": "; ".join(record["warnings"]),
    }
    for label in labels:
        flat[f"score_{label}"] = record["scores"].get(label, 0.0)
    flat["factors_json"] = json.dumps(record["factors"], ensure_ascii=False)
    flat["cues_json"] = json.dumps(record["blame"]["cues"], ensure_ascii=False)
    flat["reframe_json"] = json.dumps(record["reframe"], ensure_ascii=False)
    return flat


class CsvWriter:
    """Flattened records with a fixed header (see :func:`flatten_record`)."""

    def __init__(self, path: str, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self._fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer: csv.DictWriter[str] | None = None

    def write(self, record: dict[str, Any]) -> None:
        """Write one record as a row."""
        flat = flatten_record(record, self.labels)
        if self._writer is None:
            self._writer = csv.DictWriter(self._fh, fieldnames=list(flat))
            self._writer.writeheader()
        self._writer.writerow(
            {k: neutralise_formula(v) if isinstance(v, str) else v for k, v in flat.items()}
        )

    def flush(self) -> None:
        """Flush to the OS."""
        self._fh.flush()

    def close(self) -> None:
        """Flush and close."""
        self._fh.close()


def _parquet_schema(labels: Sequence[str]) -> Any:
    import pyarrow as pa

    evidence = pa.struct(
        [("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()), ("source", pa.string())]
    )
    cue = pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("type", pa.string()),
            ("source", pa.string()),
        ]
    )
    return pa.schema(
        [
            ("id", pa.string()),
            ("schema_version", pa.int32()),
            ("taxonomy_version", pa.string()),
            ("model", pa.string()),
            (
                "factors",
                pa.list_(
                    pa.struct(
                        [
                            ("label", pa.string()),
                            ("score", pa.float64()),
                            ("evidence", pa.list_(evidence)),
                        ]
                    )
                ),
            ),
            ("scores", pa.struct([(label, pa.float64()) for label in labels])),
            (
                "blame",
                pa.struct(
                    [("score", pa.float64()), ("framing", pa.string()), ("cues", pa.list_(cue))]
                ),
            ),
            (
                "reframe",
                pa.list_(
                    pa.struct(
                        [
                            ("start", pa.int64()),
                            ("end", pa.int64()),
                            ("original", pa.string()),
                            ("rewrite", pa.string()),
                            ("questions", pa.list_(pa.string())),
                        ]
                    )
                ),
            ),
            ("needs_review", pa.bool_()),
            ("warnings", pa.list_(pa.string())),
        ]
    )


class ParquetWriter:
    """Nested records with an explicit schema, written in row groups."""

    def __init__(self, path: str, labels: Sequence[str], row_group_size: int = 4096) -> None:
        import pyarrow.parquet as pq

        self.schema = _parquet_schema(labels)
        self._writer = pq.ParquetWriter(path, self.schema)
        self._buffer: list[dict[str, Any]] = []
        self.row_group_size = row_group_size

    def write(self, record: dict[str, Any]) -> None:
        """Buffer one record; a full buffer becomes a row group."""
        self._buffer.append(record)
        if len(self._buffer) >= self.row_group_size:
            self.flush()

    def flush(self) -> None:
        """Write buffered records as a row group."""
        import pyarrow as pa

        if self._buffer:
            self._writer.write_table(pa.Table.from_pylist(self._buffer, schema=self.schema))
            self._buffer = []

    def close(self) -> None:
        """Write what is buffered and the file footer."""
        self.flush()
        self._writer.close()


def open_writer(path: str, labels: Sequence[str]) -> RecordWriter:
    """A writer for ``path`` chosen by suffix; ``-`` is JSON Lines on stdout."""
    if path == "-":
        return JsonlWriter(path)
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise InputError(
            f"{path}: unsupported output format {suffix or '(no suffix)'!r}; use .jsonl, .csv, "
            ".parquet or - for JSON Lines on stdout"
        )
    try:
        if suffix == ".csv":
            return CsvWriter(path, labels)
        if suffix == ".parquet":
            return ParquetWriter(path, labels)
        return JsonlWriter(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write output ({exc.strerror})") from None
