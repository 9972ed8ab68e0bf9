"""Result writers: JSON Lines (also stdout), CSV and XLSX (flattened), Parquet (nested).

Writers take output records (``Analysis.to_dict()`` plus any pass-through columns) one at a
time and flush by batch, so memory stays constant. CSV and XLSX cells that a spreadsheet
would run as a formula are neutralised. JSON Lines and CSV can be appended to, which is what
``--resume`` needs.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from syscause.errors import InputError

OUTPUT_FORMATS = (".jsonl", ".ndjson", ".csv", ".parquet", ".xlsx")
# Line-oriented formats: a record is whole once its line is flushed, so a run can append.
RESUMABLE_FORMATS = (".jsonl", ".ndjson", ".csv")
RECORD_KEYS = (
    "id",
    "schema_version",
    "taxonomy_version",
    "model",
    "factors",
    "scores",
    "blame",
    "reframe",
    "needs_review",
    "warnings",
)
FLAT_KEYS = ("labels", "blame_score", "framing", "factors_json", "cues_json", "reframe_json")
# Excel's limit on one cell's characters.
XLSX_CELL_LIMIT = 32767
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


def output_format(path: str) -> str:
    """The writer for a path: its suffix, or ``.jsonl`` for ``-`` (stdout)."""
    if path == "-":
        return ".jsonl"
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise InputError(
            f"{path}: unsupported output format {suffix or '(no suffix)'!r}; use .jsonl, .csv, "
            ".parquet, .xlsx or - for JSON Lines on stdout"
        )
    return suffix


def check_keep_columns(keep_columns: Sequence[str], labels: Sequence[str]) -> None:
    """Reject pass-through columns whose names would overwrite an output field."""
    taken = {*RECORD_KEYS, *FLAT_KEYS, *(f"score_{label}" for label in labels)}
    clash = [c for c in keep_columns if c in taken]
    if clash:
        shown = ", ".join(repr(c) for c in clash)
        raise InputError(
            f"--keep-columns: {shown} would overwrite an output field of the same name; "
            "rename the column in the input"
        )
    if len(set(keep_columns)) != len(keep_columns):
        raise InputError("--keep-columns: a column is named twice")


class JsonlWriter:
    """One JSON object per line; ``-`` writes to stdout; ``append`` continues a file."""

    def __init__(self, path: str, append: bool = False) -> None:
        self._fh: IO[str]
        if path == "-":
            self._fh = sys.stdout
        else:
            mode = "a" if append else "w"
            self._fh = open(path, mode, encoding="utf-8", newline="\n")  # noqa: SIM115

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


def flatten_record(
    record: dict[str, Any], labels: Sequence[str], keep_columns: Sequence[str] = ()
) -> dict[str, Any]:
    """One flat row per record: labels, blame, per-label scores and kept columns as columns."""
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
    for column in keep_columns:
        flat[column] = record.get(column)
    return flat


def flat_header(labels: Sequence[str], keep_columns: Sequence[str] = ()) -> list[str]:
    """The column names :func:`flatten_record` produces, in order."""
    return [
        "id",
        "schema_version",
        "taxonomy_version",
        "model",
        "labels",
        "blame_score",
        "framing",
        "needs_review",
        "warnings",
        *(f"score_{label}" for label in labels),
        "factors_json",
        "cues_json",
        "reframe_json",
        *keep_columns,
    ]


class CsvWriter:
    """Flattened records with a fixed header (see :func:`flatten_record`).

    The header is written with the first record; with ``append`` a non-empty file already
    has it and rows are added after the existing ones.
    """

    def __init__(
        self,
        path: str,
        labels: Sequence[str],
        keep_columns: Sequence[str] = (),
        append: bool = False,
    ) -> None:
        self.labels = list(labels)
        self.keep_columns = list(keep_columns)
        has_header = append and Path(path).is_file() and Path(path).stat().st_size > 0
        self._fh = open(path, "a" if append else "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = csv.DictWriter(self._fh, fieldnames=flat_header(labels, keep_columns))
        self._header_written = has_header

    def write(self, record: dict[str, Any]) -> None:
        """Write one record as a row."""
        if not self._header_written:
            self._writer.writeheader()
            self._header_written = True
        flat = flatten_record(record, self.labels, self.keep_columns)
        self._writer.writerow(
            {k: neutralise_formula(v) if isinstance(v, str) else v for k, v in flat.items()}
        )

    def flush(self) -> None:
        """Flush to the OS."""
        self._fh.flush()

    def close(self) -> None:
        """Flush and close."""
        self._fh.close()


class XlsxWriter:
    """Flattened records (as in CSV) in one worksheet, streamed by openpyxl's write-only mode.

    Text cells are formula-neutralised like CSV cells, stripped of the control characters
    that XLSX cannot hold, and cut at Excel's 32,767-character cell limit. The workbook is
    complete only after :meth:`close`.
    """

    def __init__(self, path: str, labels: Sequence[str], keep_columns: Sequence[str] = ()) -> None:
        from openpyxl import Workbook

        self.path = path
        self.labels = list(labels)
        self.keep_columns = list(keep_columns)
        self._wb = Workbook(write_only=True)
        self._ws = self._wb.create_sheet("results")
        self._ws.append(flat_header(labels, keep_columns))
        # Fail now, not after the whole archive, where the path cannot be written.
        with open(path, "wb"):
            pass

    def write(self, record: dict[str, Any]) -> None:
        """Append one record as a row."""
        flat = flatten_record(record, self.labels, self.keep_columns)
        self._ws.append([_xlsx_cell(v) for v in flat.values()])

    def flush(self) -> None:
        """Nothing to do: write-only worksheets spool rows to a temporary file."""

    def close(self) -> None:
        """Write the workbook."""
        self._wb.save(self.path)


def _xlsx_cell(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Strip first, so a formula start hidden behind a control character is still caught.
    cell = neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return cell[:XLSX_CELL_LIMIT]


def _parquet_schema(labels: Sequence[str], keep_columns: Sequence[str] = ()) -> Any:
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
            *((column, pa.string()) for column in keep_columns),
        ]
    )


class ParquetWriter:
    """Nested records with an explicit schema, written in row groups.

    Kept pass-through columns are stored as text (null stays null): their types vary by row
    in CSV and JSON Lines inputs, and a Parquet column has one type.
    """

    def __init__(
        self,
        path: str,
        labels: Sequence[str],
        keep_columns: Sequence[str] = (),
        row_group_size: int = 4096,
    ) -> None:
        import pyarrow.parquet as pq

        self.schema = _parquet_schema(labels, keep_columns)
        self.keep_columns = list(keep_columns)
        self._writer = pq.ParquetWriter(path, self.schema)
        self._buffer: list[dict[str, Any]] = []
        self.row_group_size = row_group_size

    def write(self, record: dict[str, Any]) -> None:
        """Buffer one record; a full buffer becomes a row group."""
        if self.keep_columns:
            record = dict(record)
            for column in self.keep_columns:
                value = record.get(column)
                record[column] = None if value is None else str(value)
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


def open_writer(
    path: str,
    labels: Sequence[str],
    keep_columns: Sequence[str] = (),
    *,
    append: bool = False,
) -> RecordWriter:
    """A writer for ``path`` chosen by suffix; ``-`` is JSON Lines on stdout.

    ``append`` continues an existing JSON Lines or CSV file (see ``--resume``).
    """
    suffix = output_format(path)
    check_keep_columns(keep_columns, labels)
    if path == "-":
        return JsonlWriter(path)
    if append and suffix not in RESUMABLE_FORMATS:
        raise InputError(f"{path}: only .jsonl and .csv outputs can be appended to")
    try:
        if suffix == ".csv":
            return CsvWriter(path, labels, keep_columns, append=append)
        if suffix == ".parquet":
            return ParquetWriter(path, labels, keep_columns)
        if suffix == ".xlsx":
            return XlsxWriter(path, labels, keep_columns)
        return JsonlWriter(path, append=append)
    except OSError as exc:
        raise InputError(f"{path}: cannot write output ({exc.strerror})") from None
