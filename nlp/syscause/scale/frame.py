"""One pandas batch function for every cluster engine: a frame of reports in, results out.

Dask (``map_partitions``), Spark (``mapInPandas``) and Ray (``map_batches``) all call
:func:`analyze_frame` on one partition at a time; it validates rows like the file readers
and analyses them with the same chunk function as ``syscause analyze``, so every engine gives
the records a single process gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from syscause.api import DEFAULT_BATCH_SIZE
from syscause.errors import InputError
from syscause.io.rows import InputRow, make_row
from syscause.io.writers import RECORD_KEYS

if TYPE_CHECKING:
    import pandas as pd

# The flat result schema (kept columns follow ``id``). ``record`` is the full output record
# as JSON, exactly the line ``syscause analyze`` writes; the other columns are handy views.
RESULT_DTYPES: dict[str, str] = {
    "id": "object",
    "labels": "object",
    "framing": "object",
    "blame_score": "float64",
    "needs_review": "boolean",
    "warnings": "object",
    "error": "object",
    "record": "object",
}


def result_meta(keep_columns: Sequence[str] = (), kept_dtypes: dict[str, Any] | None = None) -> Any:
    """An empty frame with :func:`analyze_frame`'s columns and dtypes (Dask's ``meta``)."""
    import pandas as pd

    kept_dtypes = kept_dtypes or {}
    columns = {"id": pd.Series(dtype="object")}
    for column in keep_columns:
        columns[column] = pd.Series(dtype=kept_dtypes.get(column, "object"))
    for column, dtype in RESULT_DTYPES.items():
        if column != "id":
            columns[column] = pd.Series(dtype=dtype)
    return pd.DataFrame(columns)


def _check_columns(pdf: pd.DataFrame, text_column: str, keep_columns: Sequence[str]) -> None:
    names = [str(c) for c in pdf.columns]
    if text_column not in names:
        shown = ", ".join(repr(c) for c in names[:20]) or "none"
        raise InputError(f"no column {text_column!r} (columns: {shown}); choose text_column")
    missing = [c for c in keep_columns if c not in names]
    if missing:
        raise InputError(f"no column {', '.join(map(repr, missing))} to keep")
    clash = [c for c in keep_columns if c in RESULT_DTYPES or c in RECORD_KEYS]
    if clash:
        raise InputError(
            f"keep_columns: {', '.join(map(repr, clash))} would overwrite a result column"
        )


def _input_rows(
    pdf: pd.DataFrame, text_column: str, id_column: str, keep_columns: Sequence[str]
) -> Iterator[InputRow]:
    import pandas as pd

    has_id = id_column in pdf.columns
    ids = pdf[id_column] if has_id else pd.Series([None] * len(pdf), index=pdf.index)
    kept = [pdf[c] for c in keep_columns]
    for position, (label, text, raw_id, *values) in enumerate(
        zip(pdf.index, pdf[text_column], ids, *kept, strict=True), start=1
    ):
        missing_id = (
            raw_id is None or raw_id is pd.NA or (isinstance(raw_id, float) and raw_id != raw_id)
        )
        record = {
            text_column: None if text is pd.NA else text,
            # Without an id, the row's index label names it (a partition has no global row).
            id_column: str(label) if missing_id else raw_id,
            **dict(zip(keep_columns, values, strict=True)),
        }
        yield make_row(
            position,
            record,
            text_column=text_column,
            id_column=id_column,
            keep_columns=keep_columns,
        )


def analyze_frame(
    pdf: pd.DataFrame,
    *,
    text_column: str = "text",
    id_column: str = "id",
    model: str = "default",
    use_parser: bool | None = None,
    keep_columns: Sequence[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> pd.DataFrame:
    """Analyse every row of ``pdf``; one result row per input row, same index, same order.

    A row that cannot be analysed (missing or non-text narrative) gets ``error`` set and
    nulls elsewhere, never an exception. The id is ``id_column``'s value, or the row's index
    label where the column is absent or empty. Duplicate ids are not flagged (a partition
    cannot see the others); ``syscause analyze`` flags them.
    """
    import pandas as pd

    from syscause.api import load
    from syscause.batch import analysed_chunks

    keep_columns = list(keep_columns)
    _check_columns(pdf, text_column, keep_columns)
    kept_dtypes = {c: pdf[c].dtype for c in keep_columns}
    if len(pdf) == 0:
        return result_meta(keep_columns, kept_dtypes).set_axis(pdf.index[:0])
    pipeline = load(model, use_parser=use_parser)
    out: dict[str, list[Any]] = {column: [] for column in RESULT_DTYPES}
    rows = _input_rows(pdf, text_column, id_column, keep_columns)
    for chunk, outcomes in analysed_chunks(rows, pipeline, batch_size=batch_size):
        results = iter(outcomes)
        for row in chunk:
            outcome = next(results) if row.ok else (row.error or "invalid row")
            out["id"].append(row.id)
            if isinstance(outcome, str):
                for column in ("labels", "framing", "blame_score", "needs_review"):
                    out[column].append(None)
                out["warnings"].append(None)
                out["error"].append(outcome)
                out["record"].append(None)
                continue
            record = {**outcome, **(row.kept or {})}
            out["labels"].append("; ".join(f["label"] for f in record["factors"]))
            out["framing"].append(record["blame"]["framing"])
            out["blame_score"].append(record["blame"]["score"])
            out["needs_review"].append(record["needs_review"])
            out["warnings"].append("; ".join(record["warnings"]))
            out["error"].append(None)
            out["record"].append(json.dumps(record, ensure_ascii=False))
    frame = pd.DataFrame(
        {c: pd.Series(v, dtype=RESULT_DTYPES[c], index=pdf.index) for c, v in out.items()}
    )
    for position, column in enumerate(keep_columns, start=1):
        frame.insert(position, column, pdf[column])
    return frame
