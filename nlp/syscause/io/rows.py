"""The row record every reader yields, valid or not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from syscause.io.encoding import has_undecodable


@dataclass(frozen=True, slots=True)
class InputRow:
    """One input record: its position, id and text, or the problem that stops it.

    ``row`` is the 1-based record number (the output order); ``line`` is the physical line
    where the record starts, where the format has lines. ``kept`` holds the values of the
    ``--keep-columns`` pass-through columns, already JSON-ready.
    """

    row: int
    id: str
    text: str | None
    line: int | None = None
    field: str | None = None
    error: str | None = None
    kept: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True when the row can be analysed."""
        return self.error is None

    def where(self) -> str:
        """``row N`` (and ``line L`` where it differs) for messages."""
        if self.line is not None and self.line != self.row:
            return f"row {self.row} (line {self.line})"
        return f"row {self.row}"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def jsonable(value: Any) -> Any:
    """A pass-through cell as a JSON value: dates as ISO text, NaN as null, bytes replaced.

    Spreadsheet and Parquet cells arrive as dates, numpy scalars or decimals; JSON Lines and
    CSV outputs need plain values, and undecodable bytes could not be written as UTF-8.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return None if value != value else value
    if isinstance(value, str):
        if has_undecodable(value):
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return value
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    item = getattr(value, "item", None)  # numpy and pandas scalars
    if callable(item):
        try:
            return jsonable(item())
        except (TypeError, ValueError):
            pass
    isoformat = getattr(value, "isoformat", None)  # pandas Timestamp and friends
    if callable(isoformat):
        return str(isoformat())
    return str(value)


def make_row(
    row: int,
    record: dict[str, Any],
    *,
    text_column: str,
    id_column: str,
    line: int | None = None,
    keep_columns: Sequence[str] = (),
) -> InputRow:
    """Validate the text and id fields of one decoded record, keeping pass-through columns."""
    raw_id = record.get(id_column)
    id_ = str(row) if raw_id is None or raw_id == "" else str(raw_id)
    kept = {c: jsonable(record.get(c)) for c in keep_columns} if keep_columns else None

    def problem(message: str) -> InputRow:
        return InputRow(row, id_, None, line, text_column, f"field '{text_column}' {message}", kept)

    if text_column not in record:
        return problem("is missing")
    value = record[text_column]
    if value is None:
        return problem("is null")
    if isinstance(value, float) and value != value:  # NaN from a dataframe
        return problem("is empty (NaN)")
    if not isinstance(value, str):
        return problem(f"must be text, got {_type_name(value)}")
    if has_undecodable(value):
        return problem(
            "holds bytes that are not valid in the file's encoding; pass --encoding "
            "(e.g. cp1252) if the file is not UTF-8"
        )
    return InputRow(row, id_, value, line, kept=kept)
