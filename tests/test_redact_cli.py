"""``syscause analyze --redact``: identifiers never reach the output, offsets index the
redacted text."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from syscause.cli.main import app
from syscause.redact import redact

TEXT = (
    "RN Maria Delgado had 7 pts tonight, two call-outs were not replaced. "
    "Pt MRN 4471902 got the dose late on 03/14/2025; call 555-201-7788."
)


def test_redacted_run_writes_no_identifier_and_valid_offsets(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app, ["analyze", str(src), "-o", str(out), "--redact", "--no-parser", "-q"]
    )
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    for secret in ("Delgado", "4471902", "03/14/2025", "555-201-7788"):
        assert secret not in written
    redacted = redact(TEXT).text
    record = json.loads(written)
    spans = [e for f in record["factors"] for e in f["evidence"]] + record["blame"]["cues"]
    for span in spans:
        assert redacted[span["start"] : span["end"]] == span["text"]
