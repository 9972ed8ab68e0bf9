"""Fuzz the analyze path, the input readers and the batch runner with Hypothesis.

Targets (each checks invariants, not just "no crash"):

- ``analyze``: ``syscause.load('default', use_parser=False).analyze_many`` on generated
  narratives: one result per input, in order, ids kept; every evidence, cue and reframe span
  lies inside the text and ``text[start:end]`` equals its quoted text; every score in [0, 1];
  the record serialises as strict JSON; no warning quotes the narrative.
- ``readers``: generated records written as CSV (several encodings), JSON Lines and XLSX
  bytes, read back: one row per record, numbered in order; JSONL texts round-trip.
- ``bytes-csv``, ``bytes-jsonl``, ``bytes-xlsx``: valid files with flipped bytes and
  truncations, and raw bytes: the readers either raise :class:`syscause.InputError` (one
  line, no narrative text) or yield rows numbered 1..n, each with a text or an error that
  quotes no narrative.
- ``redact``: :func:`syscause.redact.redact` spans are disjoint, in order, and rebuild the
  redacted text exactly.
- ``batch``: JSON Lines with odd cells (numbers, nulls, lists, escaped surrogates) through
  the readers and :func:`syscause.batch.run_batch`: exactly one result or one error row per
  input row, in order, and no error row quotes the narrative.

Generated narratives carry the marker :data:`CANARY`, so any message that quotes narrative
text is caught. Usage::

    python scripts/fuzz.py --minutes 30            # round-robin over every target
    python scripts/fuzz.py --minutes 2 --target analyze

Failures are printed with Hypothesis's falsifying example and saved (one text file per
distinct failure) under ``--crash-dir``; the exit code is 1 if any target failed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

CANARY = "ZQXJCANARY"
FORMATS = (".csv", ".jsonl", ".xlsx")

# Fragments in the style of incident narratives, so generated texts reach the rules
# (evidence, negation, blame cues) rather than only the tokenizer.
FRAGMENTS = (
    "Pt received 10 units of insulin instead of 1 unit.",
    "RN had 7 pts tonight, two call-outs were not replaced.",
    "RN failed to double check the dose with a second nurse.",
    "RN re-educated.",
    "The pump alarm was silenced because it alarms constantly.",
    "No staffing issues were noted.",
    "If the scanner had worked, the error might have been caught.",
    "Handoff from ED to floor was verbal only and the allergy was missed.",
    "Nurse was careless and should have known better.",
    "Pharmacy was closed overnight; the override was used.",
    "Bed 12 on 4 West, room 402.",
    "BP 90/60, HR 120, SpO2 88% on 2L.",
    "Dr. Smith was paged x3 with no answer.",
    "The EHR order screen defaulted to mg/kg.",
    "Resident was on hour 26 of a 28-hour shift.",
    "Pt fell while trying to reach the bathroom; bed alarm off.",
    "\n\n",
    " - ",
    "(",
    ")",
    '"',
    "=SUM(A1:A2)",
    "@cmd",
    "\t",
    "\r\n",
)

TARGETS = ("analyze", "readers", "bytes-csv", "bytes-jsonl", "bytes-xlsx", "batch", "redact")
_chars = st.characters(exclude_categories=("Cs",))  # lone surrogates: see --surrogates
_noise = st.text(_chars, max_size=30)
_word_soup = st.lists(st.one_of(st.sampled_from(FRAGMENTS), _noise), max_size=8).map(" ".join)


def narratives(surrogates: bool = False) -> st.SearchStrategy[str]:
    """Narrative-like texts: fragments, random unicode and a canary, in any mix."""
    alphabet = st.characters() if surrogates else _chars
    parts = st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.text(alphabet, max_size=40),
            st.just(CANARY),
            st.text(st.sampled_from(" \t\n\r.,;:!?-'\"()[]/"), max_size=6),
            st.integers(0, 10_000).map(str),
        ),
        max_size=12,
    ).map("".join)
    return st.one_of(parts, _word_soup, st.text(alphabet, max_size=200))


def _is_unit(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and 0.0 <= x <= 1.0


def _check_span(text: str, span: dict[str, Any], quote_key: str, what: str) -> None:
    start, end = span["start"], span["end"]
    assert isinstance(start, int) and isinstance(end, int), f"{what}: non-integer offsets"
    assert 0 <= start <= end <= len(text), f"{what}: offsets {start}:{end} outside the text"
    assert text[start:end] == span[quote_key], f"{what}: text[{start}:{end}] != {quote_key}"


def check_record(text: str, id_: str | None, record: dict[str, Any]) -> None:
    """Assert the output-record invariants for one analysed narrative."""
    json.dumps(record, allow_nan=False)  # strict JSON: no NaN or infinity anywhere
    assert record["id"] == id_, "result id differs from the input id"
    scores = record["scores"]
    assert scores, "no scores"
    for label, score in scores.items():
        assert _is_unit(score), f"score of {label} outside [0, 1]"
    for factor in record["factors"]:
        assert _is_unit(factor["score"]), "factor score outside [0, 1]"
        assert factor["evidence"], "asserted factor without evidence"
        for ev in factor["evidence"]:
            _check_span(text, ev, "text", f"evidence of {factor['label']}")
    blame = record["blame"]
    assert _is_unit(blame["score"]), "blame score outside [0, 1]"
    assert blame["framing"] in ("individual", "system", "mixed", "neutral"), "unknown framing"
    for cue in blame["cues"]:
        _check_span(text, cue, "text", "blame cue")
    for item in record["reframe"]:
        _check_span(text, item, "original", "reframe")
    for warning in record["warnings"]:
        assert CANARY not in warning, "a warning quotes the narrative"


def check_analyze_many(pipeline: Any, texts: list[str], batch_size: int) -> None:
    """Analyse ``texts`` as ``(id, text)`` pairs and check every record."""
    pairs = [(f"id-{i}", t) for i, t in enumerate(texts)]
    results = list(pipeline.analyze_many(pairs, batch_size=batch_size))
    assert len(results) == len(texts), "not one result per input"
    for (id_, text), result in zip(pairs, results, strict=True):
        check_record(text, id_, result.to_dict())


def check_redaction(text: str) -> None:
    """Redaction spans are disjoint, in order, and rebuild the redacted text exactly."""
    from syscause.redact import redact

    result = redact(text)
    cursor, pieces = 0, []
    for span in result.spans:
        assert cursor <= span.start < span.end <= len(text), "redaction spans overlap or escape"
        pieces += [text[cursor : span.start], f"[{span.type}]"]
        assert result.text[span.redacted_start : span.redacted_end] == f"[{span.type}]"
        cursor = span.end
    assert "".join([*pieces, text[cursor:]]) == result.text, "redacted text does not rebuild"


# --- readers -------------------------------------------------------------------------------

_cell = st.one_of(narratives(), st.just(""), st.sampled_from(["=1+1", "+41", "-x", "@A1"]))
_records = st.lists(
    st.fixed_dictionaries({"id": st.text(_chars, max_size=8), "text": _cell}),
    min_size=0,
    max_size=6,
)
_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
# XML 1.0 (and so XLSX) cannot hold these characters; openpyxl refuses them on write.
_XML_ILLEGAL = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)]} | {"\ufffe", "\uffff"}


def encode_csv(records: list[dict[str, str]], encoding: str, delimiter: str = ",") -> bytes:
    """CSV bytes with an ``id,text`` header; characters the encoding lacks become ``?``."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(["id", "text"])
    for rec in records:
        writer.writerow([rec["id"], rec["text"]])
    return buf.getvalue().encode(encoding, errors="replace")


def encode_jsonl(records: Iterable[dict[str, Any]], ensure_ascii: bool = False) -> bytes:
    """JSON Lines bytes, one object per record."""
    lines = (json.dumps(rec, ensure_ascii=ensure_ascii) for rec in records)
    return "".join(line + "\n" for line in lines).encode("utf-8", errors="surrogatepass")


def _xlsx_legal(value: str) -> str:
    return "".join(ch for ch in value if ch not in _XML_ILLEGAL)


def encode_xlsx(records: list[dict[str, str]]) -> bytes:
    """XLSX bytes (first sheet, ``id``/``text`` header), illegal XML characters dropped."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "text"])
    for rec in records:
        ws.append([_xlsx_legal(rec["id"]), _xlsx_legal(rec["text"])])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a user typed it
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_bytes(fmt: str, data: bytes, workdir: Path) -> list[Any]:
    """Write ``data`` as an input file of format ``fmt`` and read every row of it."""
    from syscause.io.readers import ReadOptions, read_rows

    path = workdir / f"input{fmt}"
    path.write_bytes(data)
    return list(read_rows(str(path), ReadOptions()))


def check_rows(rows: list[Any]) -> None:
    """Rows are numbered 1..n; each holds a text or an error that quotes no narrative."""
    for number, row in enumerate(rows, start=1):
        assert row.row == number, f"row numbers out of order at {number}"
        if row.ok:
            assert isinstance(row.text, str), f"row {number}: ok row without text"
        else:
            assert row.error and CANARY not in row.error, f"row {number}: error quotes text"


def check_reader_roundtrip(
    fmt: str, records: list[dict[str, str]], encoding: str, workdir: Path
) -> None:
    """Records written in ``fmt`` come back as one row each, in order."""
    if fmt == ".csv":
        data = encode_csv(records, encoding)
    elif fmt == ".jsonl":
        data = encode_jsonl(records)
    else:
        data = encode_xlsx(records)
    from syscause.errors import InputError

    try:
        rows = read_bytes(fmt, data, workdir)
    except InputError:
        # A CSV holding NUL bytes (as every UTF-16 file does) is refused as binary by design.
        assert fmt == ".csv" and b"\x00" in data, "a valid file was refused"
        return
    check_rows(rows)
    expected = records
    if fmt == ".xlsx":  # an empty string is an empty cell, and an empty row is no record
        expected = [r for r in records if _xlsx_legal(r["id"]) or _xlsx_legal(r["text"])]
    assert len(rows) == len(expected), f"{fmt}: {len(rows)} rows for {len(expected)} records"
    if fmt == ".jsonl":
        for row, rec in zip(rows, records, strict=True):
            assert row.ok and row.text == rec["text"], "JSONL text did not round-trip"


def check_reader_bytes(fmt: str, data: bytes, workdir: Path) -> None:
    """Arbitrary bytes: an InputError without narrative, or well-formed rows."""
    from syscause.errors import InputError

    try:
        rows = read_bytes(fmt, data, workdir)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message.strip(), "file-level error is not one line"
        assert CANARY not in message, "file-level error quotes narrative text"
        return
    check_rows(rows)


def mutate(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    """Overwrite bytes at the given positions (mod length) and optionally truncate."""
    buf = bytearray(data)
    if buf:
        for pos, value in flips:
            buf[pos % len(buf)] = value
    if cut is not None and buf:
        del buf[cut % len(buf) :]
    return bytes(buf)


# --- batch ---------------------------------------------------------------------------------

_odd_cell = st.one_of(
    narratives(),
    narratives(surrogates=True),
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_batch_record = st.one_of(
    st.fixed_dictionaries(
        {"id": st.one_of(st.text(_chars, max_size=6), st.integers(), st.none()), "text": _odd_cell}
    ),
    st.fixed_dictionaries({"id": st.text(_chars, max_size=6)}),  # text column missing
    st.fixed_dictionaries({"text": _odd_cell}),
)


class ListWriter:
    """A RecordWriter that keeps records in memory."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any]) -> None:
        """Keep one record."""
        self.records.append(record)

    def flush(self) -> None:
        """Nothing to flush."""

    def close(self) -> None:
        """Nothing to close."""


def check_batch(
    pipeline: Any, records: list[dict[str, Any]], workdir: Path, batch_size: int
) -> None:
    """JSONL records through readers and run_batch: one result or error row per record."""
    from syscause.batch import run_batch
    from syscause.io.readers import ReadOptions, read_rows

    data = encode_jsonl(records, ensure_ascii=True)
    path = workdir / "batch.jsonl"
    path.write_bytes(data)
    rows = list(read_rows(str(path), ReadOptions()))
    assert len(rows) == len(records), "reader dropped or added rows"
    writer = ListWriter()
    errors = io.StringIO()
    summary = run_batch(
        iter(rows), pipeline, writer, errors, source="fuzz.jsonl", batch_size=batch_size
    )
    # split on "\n" only: ids may hold U+0085 or U+2028, which str.splitlines also splits on
    error_rows = [json.loads(line) for line in errors.getvalue().split("\n") if line]
    assert summary.rows == len(records), "summary row count differs"
    assert len(writer.records) + len(error_rows) == len(records), "not one output per row"
    assert summary.ok == len(writer.records) and summary.errors == len(error_rows)
    failed = [e["row"] for e in error_rows]
    assert len(set(failed)) == len(failed), "a row has two error rows"
    analysed = [r for r in rows if r.row not in set(failed)]
    assert len(analysed) == len(writer.records), "results do not match the analysed rows"
    for row, record in zip(analysed, writer.records, strict=True):
        check_record(row.text or "", row.id, record)
    assert CANARY not in errors.getvalue(), "an error row quotes narrative text"


# --- runner --------------------------------------------------------------------------------


def _settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


Target = tuple[tuple[st.SearchStrategy[Any], ...], Callable[..., None], int]


def make_targets(pipeline: Any, workdir: Path, surrogates: bool) -> dict[str, Target]:
    """Per target: the argument strategies, the check, and examples per round."""
    encoders: dict[str, Callable[[list[dict[str, str]]], bytes]] = {
        ".csv": lambda r: encode_csv(r, "utf-8"),
        ".jsonl": encode_jsonl,
        ".xlsx": encode_xlsx,
    }

    def damaged(fmt: str) -> st.SearchStrategy[bytes]:
        mutated = st.tuples(
            _records.map(encoders[fmt]),
            st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=6),
            st.one_of(st.none(), st.integers(0, 1 << 20)),
        ).map(lambda v: mutate(*v))
        return st.one_of(mutated, st.binary(max_size=2000))

    def analyze(texts: list[str], batch_size: int) -> None:
        check_analyze_many(pipeline, texts, batch_size)

    def readers(fmt: str, records: list[dict[str, str]], encoding: str) -> None:
        check_reader_roundtrip(fmt, records, encoding, workdir)

    def bytes_check(fmt: str) -> Callable[[bytes], None]:
        def check(data: bytes) -> None:
            check_reader_bytes(fmt, data, workdir)

        check.__name__ = f"bytes_{fmt[1:]}"
        return check

    def redaction(text: str) -> None:
        check_redaction(text)

    def batch(records: list[dict[str, Any]], batch_size: int) -> None:
        check_batch(pipeline, records, workdir, batch_size)

    return {
        "analyze": (
            (st.lists(narratives(surrogates), min_size=1, max_size=5), st.integers(1, 4)),
            analyze,
            40,
        ),
        "readers": (
            (st.sampled_from(FORMATS), _records, st.sampled_from(_ENCODINGS)),
            readers,
            100,
        ),
        **{
            f"bytes-{fmt[1:]}": ((damaged(fmt),), bytes_check(fmt), 200 if fmt != ".xlsx" else 60)
            for fmt in FORMATS
        },
        "batch": ((st.lists(_batch_record, min_size=1, max_size=5), st.integers(1, 3)), batch, 30),
        "redact": ((narratives(surrogates=True),), redaction, 300),
    }


def hypothesis_test(target: Target, round_seed: int) -> Callable[[], None]:
    """A runnable Hypothesis test for one round of a target."""
    strategies, check, n = target
    return seed(round_seed)(_settings(n)(given(*strategies)(check)))  # type: ignore[no-any-return]


def run(minutes: float, targets: list[str], crash_dir: Path, surrogates: bool) -> int:
    """Fuzz round-robin until the time is up; return the number of distinct failures."""
    import syscause

    started = time.monotonic()
    pipeline = syscause.load("default", use_parser=False)
    print(f"fuzz: pipeline loaded in {time.monotonic() - started:.1f}s", flush=True)
    deadline = started + minutes * 60
    crash_dir.mkdir(parents=True, exist_ok=True)
    failures: dict[str, str] = {}
    examples = dict.fromkeys(targets, 0)
    with tempfile.TemporaryDirectory(prefix="syscause-fuzz-") as tmp:
        funcs = make_targets(pipeline, Path(tmp), surrogates)
        round_no = 0
        while time.monotonic() < deadline:
            for name in targets:
                if time.monotonic() >= deadline:
                    break
                test = hypothesis_test(funcs[name], round_no * 7919 + len(name))
                try:
                    test()
                    examples[name] += funcs[name][2]
                except Exception as exc:
                    detail = "".join(traceback.format_exception(exc))
                    key = f"{name}:{type(exc).__name__}:{_last_frame(exc)}"
                    if key not in failures:
                        failures[key] = detail
                        out = crash_dir / f"{name}-{len(failures):03d}.txt"
                        out.write_text(detail, encoding="utf-8", errors="backslashreplace")
                        print(
                            f"fuzz: FAILURE in {name} ({type(exc).__name__}); saved to {out}",
                            flush=True,
                        )
                        print(detail[-3000:], flush=True)
            round_no += 1
            elapsed = (time.monotonic() - started) / 60
            print(
                f"fuzz: round {round_no} done at {elapsed:.1f} min; examples {examples}; "
                f"distinct failures {len(failures)}",
                flush=True,
            )
    total = sum(examples.values())
    print(
        f"fuzz: finished {round_no} rounds in {(time.monotonic() - started) / 60:.1f} min, "
        f"{total} passing examples ({examples}), {len(failures)} distinct failures",
        flush=True,
    )
    for key in failures:
        print(f"fuzz: failure {key}", flush=True)
    return len(failures)


def _last_frame(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    if not tb:
        return "?"
    frame = tb[-1]
    return f"{Path(frame.filename).name}:{frame.lineno}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="total fuzzing time")
    parser.add_argument(
        "--target",
        action="append",
        choices=TARGETS,
        help="target(s) to run (default: all)",
    )
    parser.add_argument(
        "--crash-dir", type=Path, default=Path(tempfile.gettempdir()) / "syscause-fuzz-crashes"
    )
    parser.add_argument(
        "--surrogates",
        action="store_true",
        help="also feed lone surrogates to analyze (a known failure, see tests)",
    )
    args = parser.parse_args(argv)
    targets = args.target or list(TARGETS)
    if math.isnan(args.minutes) or args.minutes <= 0:
        parser.error("--minutes must be positive")
    return 1 if run(args.minutes, targets, args.crash_dir, args.surrogates) else 0


if __name__ == "__main__":
    sys.exit(main())
