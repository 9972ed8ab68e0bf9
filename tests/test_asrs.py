"""ASRS export conversion and the ASRS-to-v1 mapping."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from syscause.asrs import load_mapping, map_to_v1, read_export, to_corpus_shape
from syscause.errors import InputError
from syscause.taxonomy import load_taxonomy

from .conftest import ASRS, ROOT

# A made-up export in ASRS's two-row-header layout (group row, then field row).
EXPORT = (
    ",Time,,Person 1,,Person 2,Assessments,,Report 1,,Report 2,Report 1\n"
    "ACN,Date,Local Time Of Day,Function,Human Factors,Human Factors,"
    "Contributing Factors / Situations,Primary Problem,Narrative,Callback,Narrative,Synopsis\n"
    ",,,,,,,,,,,\n"
    '9000001,201901,0601-1200,Captain,Fatigue; Workload,Time Pressure,"Human Factors; Staffing",'
    'Human Factors,"We were on our 4th leg; tired.",,"FO: agreed.",Crew fatigue.\n'
    "9000002,201902,1201-1800,Dispatcher,,,,Company Policy,Narrative two.,,,Syn two.\n"
)


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "ASRS_DBOnline.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def test_read_export_combines_persons_and_reports(export):
    first, second = list(read_export(export))
    assert first["acn"] == "9000001" and first["date"] == "201901"
    assert first["reporter"] == "Captain"
    assert first["human_factors"] == ["Fatigue", "Time Pressure", "Workload"]
    assert first["contributing_factors"] == ["Human Factors", "Staffing"]
    assert first["narrative"] == "We were on our 4th leg; tired.\n\nFO: agreed."
    assert second["human_factors"] is None and second["primary_problem"] == "Company Policy"


def test_corpus_shape_maps_codes_to_v1(export):
    first, second = (to_corpus_shape(r) for r in read_export(export))
    assert first["id"] == "asrs-9000001"
    assert first["labels"] == ["fatigue", "productivity_pressure", "understaffing"]
    assert second["labels"] is None  # not coded is unknown, not "no factor"


def test_not_an_export_is_rejected(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\nc,d\n")
    with pytest.raises(InputError, match="not an ASRS export"):
        list(read_export(path))


def test_mapping_targets_exist_in_v1():
    ids = set(load_taxonomy("v1").ids)
    mapping = load_mapping()
    for field in ("human_factors", "contributing_factors"):
        for entry in mapping[field].values():
            assert set(entry["labels"]) <= ids


def test_mapping_partial_only_on_request():
    assert map_to_v1(["Confusion"], None) == []
    assert map_to_v1(["Confusion"], None, include_partial=True) == ["task_design"]


def test_mapping_covers_every_asrs_hf_label():
    names = {a for label in load_taxonomy("asrs-hf").labels for a in label.aliases}
    assert names == set(load_mapping()["human_factors"])


def test_convert_script_writes_jsonl(export, tmp_path):
    out = tmp_path / "out.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "asrs_convert.py"),
            str(export),
            str(export),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["asrs-9000001", "asrs-9000002"]  # duplicates dropped


@pytest.mark.asrs
@pytest.mark.skipif(not ASRS.exists(), reason="../shared/data/asrs is not present")
def test_every_code_in_the_shared_asrs_data_has_a_mapping_entry():
    mapping = load_mapping()
    for line in ASRS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for code in rec["human_factors"] or []:
            assert code in mapping["human_factors"], code
        for code in rec["contributing_factors"] or []:
            assert code in mapping["contributing_factors"], code
