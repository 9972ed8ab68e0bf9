"""Streaming reader of ``syscause analyze`` results (JSON Lines, Parquet, flattened CSV/XLSX).

Yields one :class:`ResultRow` per usable record, or a :class:`RowProblem` naming the row and
field of a record that cannot be used; a bad record never stops the report. File-level
problems (missing file, unknown format, a missing date or group column) raise
:class:`~syscause.errors.InputError` before anything is written. Memory is constant in the
number of rows. Narrative text is never read into a message: problems name rows and fields.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from syscause.errors import InputError

RESULT_FORMATS = (".jsonl", ".ndjson", ".csv", ".parquet", ".xlsx")
FRAMINGS = ("individual", "system", "mixed", "neutral")
# The CSV writer prefixes cells that a spreadsheet would run as a formula with a quote.
_NEUTRALISED_START = ("'=", "'+", "'-", "'@", "'\t", "'\r")
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True, slots=True)
class ResultRow:
    """What the report needs from one result record: no narrative text.

    ``evidence`` pairs a label with one evidence span's text (a short phrase). ``date`` and
    ``group`` hold the raw values of the chosen columns (``None`` when no column was chosen).
    """

    row: int
    id: str
    labels: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]
    framing: str
    model: str | None
    date: Any = None
    group: Any = None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A record that cannot be used: its 1-based row number, the field and what is wrong."""

    row: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", field {self.field!r}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ResultColumns:
    """Which top-level keys carry the date and group values (``None``: not used)."""

    date: str | None = None
    group: str | None = None


class ResultsSource:
    """An opened results file: its label order and an iterator over its records.

    Opening checks the file and the chosen columns; iterating streams the records once.
    """

    def __init__(self, path: str, columns: ResultColumns | None = None) -> None:
        self.path = path
        self.columns = columns or ResultColumns()
        self.format = results_format(path)
        if not Path(path).is_file():
            raise InputError(f"{path}: no such results file")
        self.labels: list[str] = []
        self._rows: Iterator[ResultRow | RowProblem]
        if self.format == ".csv":
            self._rows = self._open_csv()
        elif self.format == ".parquet":
            self._rows = self._open_parquet()
        elif self.format == ".xlsx":
            self._rows = self._open_xlsx()
        else:
            self._rows = self._open_jsonl()

    def __iter__(self) -> Iterator[ResultRow | RowProblem]:
        return self._rows

    def _missing_column(self, column: str, available: list[str]) -> InputError:
        option = "--date-column" if column == self.columns.date else "--group-column"
        shown = ", ".join(repr(c) for c in available[:25]) or "none"
        return InputError(
            f"{self.path}: the results have no column {column!r} (top-level keys: {shown}); "
            f"run `syscause analyze ... --keep-columns {column}` to carry it from the input, "
            f"or choose another column with {option}"
        )

    def _check_columns(self, available: list[str]) -> None:
        for column in (self.columns.date, self.columns.group):
            if column is not None and column not in available:
                raise self._missing_column(column, available)

    # JSON Lines ---------------------------------------------------------------------------

    def _open_jsonl(self) -> Iterator[ResultRow | RowProblem]:
        fh = open(self.path, "rb")  # noqa: SIM115 - closed by the generator
        try:
            first: tuple[int, dict[str, Any]] | None = None
            pending: list[RowProblem] = []
            row = 0
            for raw in fh:
                if not raw.strip():
                    continue
                row += 1
                obj = _decode_json_line(raw, row)
                if isinstance(obj, RowProblem):
                    pending.append(obj)
                    continue
                first = (row, obj)
                break
        except BaseException:
            fh.close()
            raise
        if first is not None:
            self.labels = _score_labels(first[1].get("scores"))
            self._check_columns(list(first[1]))
        return self._iter_jsonl(fh, first, pending, row)

    def _iter_jsonl(
        self,
        fh: IO[bytes],
        first: tuple[int, dict[str, Any]] | None,
        pending: list[RowProblem],
        row: int,
    ) -> Iterator[ResultRow | RowProblem]:
        with fh:
            yield from pending
            if first is not None:
                yield self._from_record(*first)
            for raw in fh:
                if not raw.strip():
                    continue
                row += 1
                obj = _decode_json_line(raw, row)
                yield obj if isinstance(obj, RowProblem) else self._from_record(row, obj)

    def _from_record(self, row: int, record: dict[str, Any]) -> ResultRow | RowProblem:
        factors = record.get("factors")
        blame = record.get("blame")
        framing = blame.get("framing") if isinstance(blame, dict) else None
        return self._make_row(row, record, factors, framing)

    # CSV (flattened by the analyze writer) ------------------------------------------------

    def _open_csv(self) -> Iterator[ResultRow | RowProblem]:
        fh = open(self.path, encoding="utf-8-sig", errors="replace", newline="")  # noqa: SIM115
        try:
            reader = csv.reader(fh)
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise InputError(f"{self.path}: empty file (no header row)") from None
            except csv.Error as exc:
                raise InputError(f"{self.path}: unreadable CSV header ({exc})") from None
            self._check_flat_header(header, "CSV")
        except BaseException:
            fh.close()
            raise
        return self._iter_csv(fh, reader, header)

    def _iter_csv(
        self, fh: IO[str], reader: Any, header: list[str]
    ) -> Iterator[ResultRow | RowProblem]:
        with fh:
            row = 0
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    row += 1
                    yield RowProblem(row, None, f"malformed CSV ({exc})")
                    continue
                if not values:
                    continue
                row += 1
                record = {k: _unneutralise(v) for k, v in zip(header, values, strict=False)}
                yield self._from_flat(row, record)

    def _check_flat_header(self, header: list[str], kind: str) -> None:
        if "id" not in header or not {"factors_json", "labels"} & set(header):
            raise InputError(
                f"{self.path}: not a syscause results {kind} (needs the columns 'id', "
                f"'factors_json' and 'framing' that `syscause analyze -o FILE{self.format}` "
                "writes)"
            )
        self.labels = [h.removeprefix("score_") for h in header if h.startswith("score_")]
        self._check_columns(header)

    def _from_flat(self, row: int, record: dict[str, Any]) -> ResultRow | RowProblem:
        factors: Any
        if record.get("factors_json"):
            try:
                factors = json.loads(record["factors_json"])
            except json.JSONDecodeError:
                return RowProblem(row, "factors_json", "is not valid JSON")
        else:  # only the label list: prevalence works, evidence phrases do not
            names = [x.strip() for x in str(record.get("labels") or "").split(";")]
            factors = [{"label": name, "evidence": []} for name in names if name]
        return self._make_row(row, record, factors, record.get("framing"))

    # XLSX (flattened like CSV) ----------------------------------------------------------

    def _open_xlsx(self) -> Iterator[ResultRow | RowProblem]:
        import zipfile

        from openpyxl import load_workbook

        try:
            wb = load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise InputError(
                f"{self.path}: not a readable .xlsx workbook ({type(exc).__name__})"
            ) from None
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            first = next(rows, None)
            if first is None:
                raise InputError(f"{self.path}: empty workbook (no header row)")
            header = ["" if h is None else str(h).strip() for h in first]
            self._check_flat_header(header, "workbook")
        except BaseException:
            wb.close()
            raise
        return self._iter_xlsx(wb, rows, header)

    def _iter_xlsx(self, wb: Any, rows: Any, header: list[str]) -> Iterator[ResultRow | RowProblem]:
        try:
            row = 0
            for values in rows:
                if all(v is None for v in values):
                    continue
                row += 1
                record = {
                    k: _unneutralise(v) if isinstance(v, str) else v
                    for k, v in zip(header, values, strict=False)
                }
                yield self._from_flat(row, record)
        finally:
            wb.close()

    # Parquet ------------------------------------------------------------------------------

    def _open_parquet(self) -> Iterator[ResultRow | RowProblem]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(self.path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(
                f"{self.path}: not a readable Parquet file ({type(exc).__name__})"
            ) from None
        schema = pf.schema_arrow
        names = list(schema.names)
        if not {"id", "factors", "blame"} <= set(names):
            raise InputError(
                f"{self.path}: not a syscause results Parquet file (needs the columns 'id', "
                "'factors' and 'blame' that `syscause analyze -o FILE.parquet` writes)"
            )
        self._check_columns(names)
        if "scores" in names and pa.types.is_struct(schema.field("scores").type):
            self.labels = [f.name for f in schema.field("scores").type]
        wanted = ["id", "model", "factors", "blame", self.columns.date, self.columns.group]
        columns = list(dict.fromkeys(c for c in wanted if c is not None and c in names))
        return self._iter_parquet(pf, columns)

    def _iter_parquet(self, pf: Any, columns: list[str]) -> Iterator[ResultRow | RowProblem]:
        row = 0
        for batch in pf.iter_batches(batch_size=2048, columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield self._from_record(row, record)

    # Shared validation --------------------------------------------------------------------

    def _make_row(
        self, row: int, record: dict[str, Any], factors: Any, framing: Any
    ) -> ResultRow | RowProblem:
        raw_id = record.get("id")
        if raw_id is None or raw_id == "":
            return RowProblem(row, "id", "is missing")
        if not isinstance(factors, list):
            return RowProblem(row, "factors", "is missing or not a list")
        if framing not in FRAMINGS:
            return RowProblem(row, "blame.framing", f"must be one of {', '.join(FRAMINGS)}")
        labels: list[str] = []
        evidence: list[tuple[str, str]] = []
        for factor in factors:
            label = factor.get("label") if isinstance(factor, dict) else None
            if not isinstance(label, str) or not label:
                return RowProblem(row, "factors", "holds an entry without a text 'label'")
            if label in labels:
                continue
            labels.append(label)
            for span in factor.get("evidence") or ():
                text = span.get("text") if isinstance(span, dict) else None
                if isinstance(text, str) and text.strip():
                    evidence.append((label, text))
        model = record.get("model")
        return ResultRow(
            row=row,
            id=str(raw_id),
            labels=tuple(labels),
            evidence=tuple(evidence),
            framing=framing,
            model=model if isinstance(model, str) else None,
            date=record.get(self.columns.date) if self.columns.date else None,
            group=record.get(self.columns.group) if self.columns.group else None,
        )


def results_format(path: str) -> str:
    """The reader for a results path, by suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in RESULT_FORMATS:
        raise InputError(
            f"{path}: unsupported results format {suffix or '(no suffix)'!r}; give the .jsonl, "
            ".csv, .parquet or .xlsx file that `syscause analyze` wrote"
        )
    return suffix


def _decode_json_line(raw: bytes, row: int) -> dict[str, Any] | RowProblem:
    try:
        obj = json.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except UnicodeDecodeError:
        return RowProblem(row, None, "invalid UTF-8")
    except json.JSONDecodeError as exc:
        return RowProblem(row, None, f"invalid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(obj, dict):
        return RowProblem(row, None, "a results line must be a JSON object")
    return obj


def _score_labels(scores: Any) -> list[str]:
    return [str(k) for k in scores] if isinstance(scores, dict) else []


def _unneutralise(value: str) -> str:
    # Undo the writer's formula guard so ids and units read as they were given.
    return value[1:] if value.startswith(_NEUTRALISED_START) else value
