"""Narrative text never reaches stdout, stderr, logs, warnings, exceptions or errors files.

Every bad input below carries a unique canary inside its narratives. The CLI runs on it and
everything it says is captured: stdout, stderr, log records, Python warnings, the exception
it ended with (and its traceback) and the errors file. Only the results file may quote
narrative text (evidence spans), so only it is exempt.
"""

from __future__ import annotations

import io
import json
import logging
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app

CANARY = "Qzxv7Canary"
NARRATIVE = f"Pt {CANARY} received 10 units of insulin. RN had 7 pts; {CANARY} again."


def _csv(body: str, encoding: str = "utf-8") -> bytes:
    return body.encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _damaged_xlsx() -> bytes:
    data = bytearray(_xlsx([["id", "text"], ["1", NARRATIVE]]))
    data[len(data) // 3 : len(data) // 3 + 8] = b"\x00" * 8
    return bytes(data)


def _parquet(table: dict[str, list[object]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.table(table), buf)
    return buf.getvalue()


# (case id, input file name, content factory, extra CLI args)
CASES: list[tuple[str, str, Callable[[], bytes], list[str]]] = [
    (
        "malformed-csv-quote",
        "in.csv",
        lambda: _csv(f'id,text\n1,"{NARRATIVE}\n2,"{NARRATIVE}" trailing "junk\n3,ok {CANARY}\n'),
        [],
    ),
    (
        "csv-nul-in-row",
        "in.csv",
        lambda: b"id,text\n1," + NARRATIVE.encode() + b"\x00\n",
        [],
    ),
    (
        "bad-utf8-in-row",
        "in.csv",
        lambda: ("id,text\n1,caf\u00e9 ok\n2,").encode() + b"caf\xe9 " + NARRATIVE.encode(),
        [],
    ),
    (
        "wrong-forced-encoding",
        "in.csv",
        lambda: _csv(f"id,text\n1,{NARRATIVE} \u2014 \u00e9\n"),
        ["--encoding", "ascii"],
    ),
    (
        "unknown-encoding",
        "in.csv",
        lambda: _csv(f"id,text\n1,{NARRATIVE}\n"),
        ["--encoding", "no-such-codec"],
    ),
    ("missing-column", "in.csv", lambda: _csv(f"id,narrative\n1,{NARRATIVE}\n"), []),
    (
        "missing-id-column",
        "in.csv",
        lambda: _csv(f"id,text\n1,{NARRATIVE}\n"),
        ["--id-column", "rid"],
    ),
    (
        "headerless-csv",
        "in.csv",
        lambda: _csv("\n".join([NARRATIVE.replace(",", "").replace(";", "")] * 2) + "\n"),
        [],
    ),
    (
        "non-string-cells",
        "in.jsonl",
        lambda: "\n".join(
            json.dumps(r)
            for r in [
                {"id": "a", "text": 5},
                {"id": "b", "text": [NARRATIVE]},
                {"id": "c", "text": {"note": NARRATIVE}},
                {"id": "d", "text": None},
                {"id": "e", "note": NARRATIVE},
                {"id": "f", "text": True},
            ]
        ).encode(),
        [],
    ),
    (
        "invalid-json-lines",
        "in.jsonl",
        lambda: (
            f'{{"id": "a", "text": "{NARRATIVE}\n[1, "{NARRATIVE}"]\n"{NARRATIVE}"\n'
        ).encode(),
        [],
    ),
    (
        "escaped-surrogate",
        "in.jsonl",
        lambda: json.dumps({"id": "s", "text": "\ud800 " + NARRATIVE}).encode(),
        [],
    ),
    (
        "huge-cell",
        "in.jsonl",
        lambda: json.dumps({"id": "h", "text": (NARRATIVE + " ") * 20_000}).encode(),
        ["--batch-size", "1"],
    ),
    ("binary-csv", "in.csv", lambda: b"\x00\x01\x02" + NARRATIVE.encode(), []),
    (
        "xlsx-non-string-cells",
        "in.xlsx",
        lambda: _xlsx([["id", "text"], ["1", 42], ["2", 3.5], ["3", NARRATIVE]]),
        [],
    ),
    ("xlsx-damaged", "in.xlsx", _damaged_xlsx, []),
    ("xlsx-not-a-zip", "in.xlsx", lambda: NARRATIVE.encode(), []),
    (
        "parquet-wrong-type",
        "in.parquet",
        lambda: _parquet({"id": ["1", "2"], "text": [1, 2]}),
        [],
    ),
    ("parquet-garbage", "in.parquet", lambda: b"PAR1" + NARRATIVE.encode(), []),
]


def _bad_model_dir(tmp_path: Path) -> list[str]:
    model = tmp_path / "model"
    model.mkdir()
    (model / "meta.json").write_text("{broken", encoding="utf-8")
    return ["--model", str(model)]


def _run_captured(args: list[str], caplog: pytest.LogCaptureFixture) -> str:
    """Run the CLI; return everything it said anywhere except the results file."""
    runner = CliRunner()
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = runner.invoke(app, args)
    said = [result.stdout, result.stderr]
    said += [rec.getMessage() for rec in caplog.records]
    said += [str(w.message) for w in caught]
    if result.exception is not None:
        said.append(repr(result.exception))
        said += traceback.format_exception(result.exception)
    assert result.exit_code in (0, 1, 2, 3), result.exit_code
    return "\n".join(said)


@pytest.mark.parametrize(
    ("name", "filename", "content", "extra"),
    [pytest.param(*case, id=case[0]) for case in CASES],
)
def test_bad_input_never_echoes_narrative(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    name: str,
    filename: str,
    content: Callable[[], bytes],
    extra: list[str],
) -> None:
    src = tmp_path / filename
    src.write_bytes(content())
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "errors.jsonl"
    args = ["analyze", str(src), "-o", str(out), "--errors", str(errors), "--no-parser", *extra]
    said = _run_captured(args, caplog)
    assert CANARY not in said, f"{name}: narrative text in CLI output"
    if errors.exists():
        assert CANARY not in errors.read_text(encoding="utf-8", errors="replace")


def test_bad_model_dir_never_echoes_narrative(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    src = tmp_path / "in.csv"
    src.write_text(f"id,text\n1,{NARRATIVE}\n", encoding="utf-8")
    args = ["analyze", str(src), "-o", str(tmp_path / "o.jsonl"), *_bad_model_dir(tmp_path)]
    said = _run_captured(args, caplog)
    assert "unreadable model metadata" in said and CANARY not in said


def test_stdin_errors_on_stderr_never_echo_narrative(caplog: pytest.LogCaptureFixture) -> None:
    lines = [{"id": "a", "text": NARRATIVE}, {"id": "b", "text": 7}, {"id": "c"}]
    runner = CliRunner()
    caplog.set_level(logging.DEBUG)
    result = runner.invoke(
        app,
        ["analyze", "-", "--no-parser"],
        input="\n".join(json.dumps(x) for x in lines) + "\n{bad " + NARRATIVE + "\n",
    )
    assert result.exit_code == 1
    assert CANARY not in result.stderr
    assert all(CANARY not in r.getMessage() for r in caplog.records)
    # stdout is the results stream: one record per good row, and nothing else
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a"]


@pytest.mark.parametrize(
    "call",
    [
        lambda p: p.analyze_many([("id", 5)]),
        lambda p: p.analyze_many([(NARRATIVE, NARRATIVE, NARRATIVE)]),
        lambda p: p.analyze_many([[NARRATIVE]]),
    ],
    ids=["number", "triple", "list"],
)
def test_library_input_errors_never_echo_narrative(pipeline, call) -> None:  # type: ignore[no-untyped-def]
    from syscause.errors import InputError

    with pytest.raises(InputError) as info:
        list(call(pipeline))
    assert CANARY not in str(info.value)
    assert CANARY not in "".join(traceback.format_exception(info.value))
