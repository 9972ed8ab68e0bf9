"""Review items: result records of ``syscause analyze`` read back, with their narratives.

Result files hold no narrative text, so the reviewer may pass the original report file; its
texts are joined by id. Ids may repeat (``analyze`` keeps duplicate ids), so the n-th result
with an id takes the n-th report with that id, and its item id gets a ``#n`` suffix from the
second occurrence on, keeping item ids unique in the review database.

A malformed result row is reported (row and field, never text) and skipped; the rest load.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syscause.errors import InputError

FRAMINGS = ("individual", "system", "mixed", "neutral")
RESULT_FORMATS = (".jsonl", ".ndjson", ".parquet")

Warn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One result record to review, with its narrative where known."""

    item_id: str
    record: dict[str, Any]
    position: int
    text: str | None = None

    @property
    def model(self) -> str:
        """The model that produced the record."""
        return str(self.record.get("model") or "unknown")

    @property
    def taxonomy_version(self) -> str:
        """The taxonomy version of the record's labels."""
        return str(self.record.get("taxonomy_version") or "unknown")

    @property
    def asserted(self) -> tuple[str, ...]:
        """Labels the model asserted, highest score first."""
        return tuple(f["label"] for f in self.record["factors"])

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label of the taxonomy, in the record's order."""
        return tuple(self.record["scores"])

    @property
    def framing(self) -> str:
        """The model's framing class."""
        return str(self.record["blame"]["framing"])

    @property
    def needs_review(self) -> bool:
        """Whether the model flagged the record as unsure."""
        return bool(self.record.get("needs_review"))


@dataclass(slots=True)
class LoadReport:
    """What loading skipped, for a summary line."""

    bad_rows: int = 0
    missing_text: int = 0
    notes: list[str] = field(default_factory=list)


def _problem(record: Any) -> tuple[str, str] | None:
    """(field, problem) of the first thing wrong with a result record, or None."""
    if not isinstance(record, dict):
        return "(record)", "not a JSON object"
    if not isinstance(record.get("id"), str | int) or record.get("id") == "":
        return "id", "missing or not a string"
    scores = record.get("scores")
    if not isinstance(scores, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in scores.values()
    ):
        return "scores", "missing or not an object of numbers"
    factors = record.get("factors")
    if not isinstance(factors, list):
        return "factors", "missing or not a list"
    for i, f in enumerate(factors):
        if not isinstance(f, dict) or not isinstance(f.get("label"), str):
            return f"factors[{i}].label", "missing"
        if f["label"] not in scores:
            return f"factors[{i}].label", "not a label of the record's scores"
        if not isinstance(f.get("evidence", []), list):
            return f"factors[{i}].evidence", "not a list"
    blame = record.get("blame")
    if not isinstance(blame, dict) or blame.get("framing") not in FRAMINGS:
        return "blame.framing", f"missing or not one of {', '.join(FRAMINGS)}"
    if not isinstance(record.get("reframe", []), list):
        return "reframe", "not a list"
    return None


def _result_records(path: str) -> Iterator[tuple[int, Any]]:
    """(row number, decoded record or an exception marker) for every row of a result file."""
    suffix = Path(path).suffix.lower()
    if suffix not in RESULT_FORMATS:
        raise InputError(
            f"{path}: results must be .jsonl or .parquet as written by syscause analyze "
            f"(got {suffix or 'no suffix'!r})"
        )
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path)
        except Exception as exc:
            raise InputError(f"{path}: unreadable parquet ({type(exc).__name__})") from None
        for row, rec in enumerate(table.to_pylist(), start=1):
            yield row, rec
        return
    with open(path, "rb") as fh:
        row = 0
        for raw in fh:
            if not raw.strip():
                continue
            row += 1
            try:
                yield row, json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                yield row, _Undecodable()


class _Undecodable:
    """Marks a row that is not valid JSON."""


def load_results(path: str, warn: Warn, report: LoadReport | None = None) -> list[ReviewItem]:
    """Read a result file into review items in file order; bad rows are reported and skipped."""
    report = report if report is not None else LoadReport()
    items: list[ReviewItem] = []
    seen: Counter[str] = Counter()
    for row, record in _result_records(path):
        if isinstance(record, _Undecodable):
            problem: tuple[str, str] | None = ("(record)", "not valid JSON")
        else:
            problem = _problem(record)
        if problem is not None:
            report.bad_rows += 1
            warn(f"{path}: row {row}: field {problem[0]!r}: {problem[1]}; skipped")
            continue
        base = str(record["id"])
        seen[base] += 1
        item_id = base if seen[base] == 1 else f"{base}#{seen[base]}"
        items.append(ReviewItem(item_id, record, position=len(items)))
    return items


def join_texts(
    items: list[ReviewItem],
    data: str,
    *,
    text_column: str = "text",
    id_column: str = "id",
    encoding: str | None = None,
    redact: bool = False,
    warn: Warn,
    report: LoadReport | None = None,
) -> list[ReviewItem]:
    """Attach narratives from the original report file, matched by id (n-th to n-th).

    With ``redact``, each narrative is redacted exactly as ``analyze --redact`` did, so the
    stored text holds no identifiers and the results' offsets index it.
    """
    from syscause.io.readers import ReadOptions, read_rows

    report = report if report is not None else LoadReport()
    wanted = {str(it.record["id"]) for it in items}
    texts: dict[str, list[str]] = defaultdict(list)
    options = ReadOptions(text_column=text_column, id_column=id_column, encoding=encoding)
    for row in read_rows(data, options):
        # Only the narratives under review are kept: the archive may be large.
        if row.id not in wanted:
            continue
        if not row.ok or row.text is None:
            warn(f"{data}: {row.where()}: field {row.field or text_column!r}: {row.error}")
            texts[row.id].append("")  # keeps the n-th to n-th pairing of duplicate ids
            continue
        if redact:
            from syscause.redact import redact as redact_text

            texts[row.id].append(redact_text(row.text).text)
        else:
            texts[row.id].append(row.text)
    used: Counter[str] = Counter()
    out = []
    for it in items:
        base = str(it.record["id"])
        n = used[base]
        used[base] += 1
        found = texts.get(base, [])
        text = found[n] if n < len(found) and found[n] else None
        if text is None:
            report.missing_text += 1
        out.append(ReviewItem(it.item_id, it.record, it.position, text))
    if report.missing_text:
        warn(
            f"{data}: {report.missing_text} result(s) have no narrative in this file "
            f"(matched on {id_column!r}); they show evidence spans only"
        )
    return out
