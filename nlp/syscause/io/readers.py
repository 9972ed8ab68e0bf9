"""Streaming readers for CSV, JSON Lines, Parquet and XLSX inputs (and JSONL on stdin).

Each reader yields :class:`InputRow` records in input order and never stops on a bad row;
file-level problems (unreadable, binary, missing column) raise :class:`InputError` with one
clear line. Memory stays constant in the number of rows.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from syscause.errors import InputError
from syscause.io.encoding import SAMPLE_BYTES, guess_encoding, is_binary
from syscause.io.rows import InputRow, make_row

INPUT_FORMATS = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".xlsx")
# Narratives can be megabytes long; the csv module's default cap is 128 KiB.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to find the text and id of each record, and which columns to pass through."""

    text_column: str = "text"
    id_column: str = "id"
    id_column_required: bool = False
    encoding: str | None = None
    keep_columns: tuple[str, ...] = ()


def input_format(path: str) -> str:
    """The reader for a path: its suffix, or ``.jsonl`` for ``-`` (stdin)."""
    if path == "-":
        return ".jsonl"
    suffix = Path(path).suffix.lower()
    if suffix not in INPUT_FORMATS:
        raise InputError(
            f"{path}: unsupported input format {suffix or '(no suffix)'!r}; use .csv, .jsonl, "
            ".parquet, .xlsx or - for JSON Lines on stdin"
        )
    return suffix


def read_rows(path: str, options: ReadOptions | None = None) -> Iterator[InputRow]:
    """Yield every record of ``path`` as an :class:`InputRow`."""
    options = options or ReadOptions()
    fmt = input_format(path)
    if path != "-" and not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    if fmt in (".csv", ".tsv"):
        return _read_csv(path, options)
    if fmt in (".jsonl", ".ndjson"):
        return _read_jsonl(path, options)
    if fmt == ".parquet":
        return _read_parquet(path, options)
    return _read_xlsx(path, options)


def _check_columns(path: str, columns: list[str], options: ReadOptions) -> None:
    if options.text_column not in columns:
        # header cells are not shown: in a file without a header they are a narrative
        raise InputError(
            f"{path}: no column {options.text_column!r} among the {len(columns)} header cells; "
            "choose the narrative column with --text-column"
        )
    if options.id_column_required and options.id_column not in columns:
        raise InputError(f"{path}: no id column {options.id_column!r}; check --id-column")
    missing = [c for c in options.keep_columns if c not in columns]
    if missing:
        shown = ", ".join(repr(c) for c in missing)
        raise InputError(f"{path}: no column {shown} to keep; check --keep-columns")


def _read_csv(path: str, options: ReadOptions) -> Iterator[InputRow]:
    with open(path, "rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
        if is_binary(sample):
            raise InputError(f"{path}: binary content, not a CSV text file")
        encoding = options.encoding or guess_encoding(sample)
        raw.seek(0)
        try:
            text = io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")
        except LookupError:
            raise InputError(f"{path}: unknown encoding {encoding!r}") from None
        head = sample[:65536].decode(encoding, errors="replace").lstrip("\ufeff")
        delimiter = "\t" if path.lower().endswith(".tsv") else _sniff_delimiter(head)
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: empty file (no header row)") from None
        except csv.Error as exc:
            raise InputError(f"{path}: unreadable CSV header ({exc})") from None
        header = [h.lstrip("\ufeff").strip() for h in header]
        _check_columns(path, header, options)
        row = 0
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row += 1
                yield InputRow(row, str(row), None, line, None, f"malformed CSV ({exc})")
                continue
            if not values:
                continue  # a blank line is not a record
            row += 1
            record = dict(zip(header, values, strict=False))
            yield _make_row(row, record, options, line)


def _make_row(row: int, record: dict[str, Any], options: ReadOptions, line: int | None) -> InputRow:
    return make_row(
        row,
        record,
        text_column=options.text_column,
        id_column=options.id_column,
        line=line,
        keep_columns=options.keep_columns,
    )


def _sniff_delimiter(head: str) -> str:
    try:
        return csv.Sniffer().sniff(head.split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _jsonl_lines(path: str) -> Iterator[tuple[int, bytes]]:
    fh: IO[bytes]
    fh = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    try:
        peek = getattr(fh, "peek", None)
        if peek is not None and is_binary(peek(8192)[:8192]):
            raise InputError(f"{path}: binary content, not a JSON Lines text file")
        for lineno, raw in enumerate(fh, start=1):
            if lineno == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            yield lineno, raw
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def _read_jsonl(path: str, options: ReadOptions) -> Iterator[InputRow]:
    row = 0
    for lineno, raw in _jsonl_lines(path):
        if not raw.strip():
            continue
        row += 1
        try:
            line = raw.decode(options.encoding or "utf-8")
        except UnicodeDecodeError as exc:
            yield InputRow(
                row, str(row), None, lineno, None, f"invalid UTF-8 at byte {exc.start} of the line"
            )
            continue
        try:
            obj: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputRow(
                row, str(row), None, lineno, None, f"invalid JSON ({exc.msg} at column {exc.colno})"
            )
            continue
        if not isinstance(obj, dict):
            yield InputRow(row, str(row), None, lineno, None, "a JSON line must be an object")
            continue
        yield _make_row(row, obj, options, lineno)


def _read_parquet(path: str, options: ReadOptions) -> Iterator[InputRow]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({type(exc).__name__})") from None
    names = list(pf.schema_arrow.names)
    _check_columns(path, names, options)
    wanted = [options.text_column, options.id_column, *options.keep_columns]
    columns = [c for c in dict.fromkeys(wanted) if c in names]
    row = 0
    for batch in pf.iter_batches(batch_size=2048, columns=columns):
        for record in batch.to_pylist():
            row += 1
            yield _make_row(row, record, options, None)


def _read_xlsx(path: str, options: ReadOptions) -> Iterator[InputRow]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged or encrypted files
        raise InputError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__})") from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header_cells = next(rows)
        except StopIteration:
            raise InputError(f"{path}: empty workbook (no header row)") from None
        header = ["" if h is None else str(h).strip() for h in header_cells]
        _check_columns(path, header, options)
        row = 0
        for line, values in enumerate(rows, start=2):
            if all(v is None for v in values):
                continue
            row += 1
            record = dict(zip(header, values, strict=False))
            yield _make_row(row, record, options, line)
    except InputError:
        raise
    except Exception as exc:  # a damaged sheet fails part-way through the rows
        raise InputError(f"{path}: not a readable .xlsx workbook ({type(exc).__name__})") from None
    finally:
        wb.close()


def count_rows(path: str, options: ReadOptions | None = None) -> int | None:
    """How many records ``path`` holds, for a progress bar's total; ``None`` where unknown.

    A quick pass (Parquet metadata, a line count, a CSV scan, a sheet's dimension); stdin
    and unreadable files give ``None`` and the real read reports any problem.
    """
    options = options or ReadOptions()
    if path == "-":
        return None
    try:
        fmt = input_format(path)
        if fmt == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if fmt in (".jsonl", ".ndjson"):
            with open(path, "rb") as fh:
                return sum(1 for line in fh if line.strip())
        if fmt == ".xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            try:
                max_row = wb.worksheets[0].max_row
            finally:
                wb.close()
            return None if max_row is None else max(0, max_row - 1)
        return sum(1 for _ in read_rows(path, options))
    except Exception:  # a count is only a hint; the real read reports the problem
        return None
