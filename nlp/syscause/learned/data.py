"""Labelled training data: read, validate and normalise it for ``syscause train``.

Accepted files (by suffix): JSONL, CSV (any common delimiter), Parquet. Each row has a text
column and a labels column. Labels come as a list or as a ``"; "``-separated string of label
ids, display names or aliases (so ASRS names work with the asrs-hf taxonomy). A null labels
field means "not coded": the row is left out of supervised training, unlike an empty list,
which says "no factor" (in CSV, an empty cell is "no factor" and ``null``/``NA`` is "not
coded"). Rows in the corpus format may also carry ``factors`` with evidence
spans, which train the sentence scorer. Bad rows are reported by row and field and skipped.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syscause.errors import InputError
from syscause.taxonomy import Taxonomy

LABEL_SEPARATOR = ";"
NOT_CODED_CELLS = frozenset({"null", "na", "n/a", "not coded"})


@dataclass(frozen=True, slots=True)
class TrainExample:
    """One labelled narrative (``labels`` None: not coded)."""

    id: str
    text: str
    labels: tuple[str, ...] | None
    spans: dict[str, list[tuple[int, int]]] | None = None
    framing: str | None = None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a training row was skipped."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, field {self.field!r}: {self.message}"


def _raw_rows(path: Path) -> Iterator[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    yield {"__problem__": f"line {n} is not valid JSON"}
                    continue
                yield obj if isinstance(obj, dict) else {"__problem__": "not a JSON object"}
    elif suffix in (".csv", ".tsv"):
        from syscause.io.encoding import guess_encoding

        encoding = guess_encoding(path.read_bytes()[: 1 << 16])
        with path.open(encoding=encoding, newline="") as fh:
            head = fh.read(1 << 14)
            fh.seek(0)
            delimiter = "\t" if suffix == ".tsv" or head.count("\t") > head.count(",") else ","
            yield from csv.DictReader(fh, delimiter=delimiter)
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
            yield from batch.to_pylist()
    else:
        raise InputError(
            f"{path.name}: unsupported training file type (use .jsonl, .csv, .parquet)"
        )


def parse_labels(value: Any, taxonomy: Taxonomy) -> tuple[str, ...] | None:
    """Label ids from a list or a separated string; None for a null field (not coded)."""
    if value is None:
        return None
    if isinstance(value, str):
        items = [v.strip() for v in value.split(LABEL_SEPARATOR)] if value.strip() else []
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise ValueError(f"expected a list or a '; '-separated string, got {type(value).__name__}")
    out = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"label entries must be strings, got {type(item).__name__}")
        label = taxonomy.resolve(item)
        if label is None:
            raise ValueError(f"unknown label (not in taxonomy {taxonomy.version!r})")
        out.append(label)
    return tuple(sorted(set(out)))


def _spans(row: dict[str, Any], text: str) -> dict[str, list[tuple[int, int]]] | None:
    factors = row.get("factors")
    if not isinstance(factors, list):
        return None
    spans: dict[str, list[tuple[int, int]]] = {}
    for f in factors:
        for ev in f.get("evidence", []) if isinstance(f, dict) else []:
            s, e = ev.get("start"), ev.get("end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text):
                spans.setdefault(str(f.get("label")), []).append((s, e))
    return spans


def read_training_file(
    path: str | Path,
    taxonomy: Taxonomy,
    *,
    text_column: str = "text",
    labels_column: str = "labels",
    id_column: str = "id",
) -> tuple[list[TrainExample], list[RowProblem]]:
    """All rows of a training file, and the problems of the rows that were skipped."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"training data {path} does not exist")
    examples: list[TrainExample] = []
    problems: list[RowProblem] = []
    for n, row in enumerate(_raw_rows(path), 1):
        if "__problem__" in row:
            problems.append(RowProblem(n, "-", row["__problem__"]))
            continue
        if n == 1 and text_column not in row:
            raise InputError(f"{path.name}: no column {text_column!r}; use --text-column")
        if n == 1 and labels_column not in row:
            raise InputError(f"{path.name}: no column {labels_column!r}; use --labels-column")
        text = row.get(text_column)
        if not isinstance(text, str) or not text.strip():
            problems.append(RowProblem(n, text_column, "missing or not text"))
            continue
        raw = row.get(labels_column)
        if isinstance(raw, str) and raw.strip().startswith("["):
            with contextlib.suppress(json.JSONDecodeError):
                raw = json.loads(raw)  # a list written into a CSV cell
        if isinstance(raw, str) and raw.strip().casefold() in NOT_CODED_CELLS:
            raw = None  # a spreadsheet cannot hold null; these spell it
        try:
            labels = parse_labels(raw, taxonomy)
        except ValueError as exc:
            problems.append(RowProblem(n, labels_column, str(exc)))
            continue
        framing = row.get("framing")
        examples.append(
            TrainExample(
                id=str(row.get(id_column) or n),
                text=text,
                labels=labels,
                spans=_spans(row, text),
                framing=framing if isinstance(framing, str) else None,
            )
        )
    return examples, problems
