"""The library API: cheap import, records, offsets, order, pickling."""

from __future__ import annotations

import csv
import json
import pickle
import subprocess
import sys

import pytest

import syscause
from syscause.schemas import FRAMINGS

from .conftest import SAMPLE

FIXTURES = [
    "Pt received 10 units of insulin instead of 1 unit. RN had 7 pts, two call-outs not "
    "replaced. RN failed to double check. Re-educated.",
    "Central monitor alarming all night, over 300 alarms, real alarm silenced.",
    "",
    "   \n\t ",
    "PT FOUND ON FLOOR. NO INJURY. BED ALARM NOT ON.",
    "Pt\x00 fell\x07 in the bathroom; control characters in the export.",
    "El paciente se cayó en el baño durante la noche y la enfermera no estaba disponible.",
    "Handoff did not mention the allergy; \u201csmart\u201d quotes and emoji \U0001f600 too.",
]


def test_import_loads_no_spacy_model_torch_or_transformers():
    code = (
        "import sys, syscause; "
        "bad = [m for m in ('torch', 'transformers', 'spacy', 'sklearn') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_record_has_exactly_the_contract_keys(pipeline):
    rec = pipeline.analyze(FIXTURES[0], id="r-1").to_dict()
    assert list(rec) == [
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
    ]
    assert rec["id"] == "r-1" and rec["schema_version"] == 1 and rec["taxonomy_version"] == "v1"
    assert rec["model"].startswith("default-")
    assert set(rec["scores"]) == set(pipeline.labels) and len(rec["scores"]) == 16
    assert all(0.0 <= s <= 1.0 for s in rec["scores"].values())
    assert rec["blame"]["framing"] in FRAMINGS and 0.0 <= rec["blame"]["score"] <= 1.0
    json.dumps(rec)


def _all_texts():
    with SAMPLE.open(encoding="utf-8") as fh:
        return FIXTURES + [row["text"] for row in csv.DictReader(fh)]


def test_every_span_indexes_the_input_text(pipeline):
    for text in _all_texts():
        rec = pipeline.analyze(text).to_dict()
        spans = [e for f in rec["factors"] for e in f["evidence"]] + rec["blame"]["cues"]
        for sp in spans:
            assert 0 <= sp["start"] < sp["end"] <= len(text)
            assert text[sp["start"] : sp["end"]] == sp["text"]


def test_every_asserted_factor_has_evidence_and_is_sorted(pipeline):
    for text in _all_texts():
        result = pipeline.analyze(text)
        assert all(f.evidence for f in result.factors)
        scores = [f.score for f in result.factors]
        assert scores == sorted(scores, reverse=True)


def test_sample_archive_finds_the_three_named_themes(pipeline):
    labels = set()
    for text in _all_texts():
        labels.update(pipeline.analyze(text).labels)
    assert {"understaffing", "alert_fatigue", "fragmented_handoff"} <= labels


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("", "empty narrative"),
        ("  \n ", "empty narrative"),
        (FIXTURES[5], "control characters replaced by spaces"),
        (FIXTURES[6], "not English"),
    ],
)
def test_warnings_never_drop_the_row(pipeline, text, warning):
    result = pipeline.analyze(text)
    assert warning in result.warnings
    assert set(result.scores) == set(pipeline.labels)


def test_english_narratives_are_not_flagged(pipeline):
    for text in _all_texts()[:2] + _all_texts()[8:]:
        assert "not English" not in pipeline.analyze(text).warnings


def test_megabyte_narrative_is_analysed_with_offsets_intact(pipeline):
    text = ("Two call-outs were not replaced. " * 40_000)[:1_100_000]
    result = pipeline.analyze(text)
    assert "understaffing" in result.labels
    ev = result.factors[0].evidence[-1]
    assert text[ev.start : ev.end] == ev.text


def test_analyze_many_keeps_order_and_ids(pipeline):
    items = [(f"id-{i}", t) for i, t in enumerate(FIXTURES * 3)]
    out = list(pipeline.analyze_many(items, batch_size=4))
    assert [r.id for r in out] == [i for i, _ in items]


def test_module_level_functions(pipeline):
    # The parser only adds blame cues, so factor labels agree with the parser-free pipeline.
    assert syscause.analyze(FIXTURES[0]).labels == pipeline.analyze(FIXTURES[0]).labels
    results = list(syscause.analyze_many(FIXTURES[:3], batch_size=2))
    assert [r.labels for r in results] == [pipeline.analyze(t).labels for t in FIXTURES[:3]]


def test_pipeline_pickles_by_reference(pipeline):
    clone = pickle.loads(pickle.dumps(pipeline))
    assert clone.analyze(FIXTURES[0]).to_dict() == pipeline.analyze(FIXTURES[0]).to_dict()


def test_non_string_input_is_an_input_error():
    with pytest.raises(syscause.InputError, match="text must be a string"):
        syscause.analyze(42)  # type: ignore[arg-type]
