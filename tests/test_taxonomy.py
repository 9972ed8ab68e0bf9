"""Taxonomy loading and validation."""

from __future__ import annotations

import json

import pytest

from syscause.errors import TaxonomyError
from syscause.taxonomy import load_taxonomy

V1_IDS = (
    "understaffing",
    "productivity_pressure",
    "fatigue",
    "fragmented_handoff",
    "teamwork_supervision",
    "alert_fatigue",
    "ehr_device_usability",
    "equipment_supplies",
    "policy_procedure",
    "training_orientation",
    "interruptions",
    "task_design",
    "physical_environment",
    "patient_factors",
    "safety_culture",
    "bed_flow",
)


def test_default_is_v1_with_the_16_contract_ids():
    tax = load_taxonomy("default")
    assert tax.version == "v1"
    assert tax.ids == V1_IDS


def test_every_v1_label_has_definition_cues_and_three_mappings():
    for label in load_taxonomy("v1").labels:
        assert label.definition and label.cues
        assert set(label.mappings) == {"ycff", "london_protocol", "asrs"}


def test_asrs_hf_has_12_slug_labels_with_asrs_aliases():
    tax = load_taxonomy("asrs-hf")
    assert len(tax.labels) == 12
    assert "communication_breakdown" in tax.ids and "training_qualification" in tax.ids
    assert tax.resolve("Training / Qualification") == "training_qualification"
    assert tax.resolve("human-machine interface") == "human_machine_interface"


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        (
            {"name": "x", "version": "1", "description": "", "labels": [], "extra": 1},
            "unknown keys",
        ),
        ({"name": "x", "version": "1", "description": "", "labels": []}, "'labels' is empty"),
        (
            {
                "name": "x",
                "version": "1",
                "description": "",
                "labels": [{"id": "Bad Id", "name": "n", "definition": "d"}],
            },
            "snake_case",
        ),
        (
            {
                "name": "x",
                "version": "1",
                "description": "",
                "labels": [{"id": "a", "name": "n", "definition": "d", "colour": "red"}],
            },
            r"labels\[0\]: unknown keys \['colour'\]",
        ),
        (
            {
                "name": "x",
                "version": "1",
                "description": "",
                "labels": [
                    {"id": "a", "name": "n", "definition": "d"},
                    {"id": "a", "name": "m", "definition": "e"},
                ],
            },
            "duplicate id 'a'",
        ),
    ],
)
def test_loader_rejects_malformed_taxonomies(tmp_path, doc, match):
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(TaxonomyError, match=match):
        load_taxonomy(str(path))


def test_custom_taxonomy_loads_from_a_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "name": "mine",
                "version": "m1",
                "description": "d",
                "labels": [
                    {"id": "noise", "name": "Noise", "definition": "Too loud.", "aliases": ["LOUD"]}
                ],
            }
        )
    )
    tax = load_taxonomy(str(path))
    assert tax.ids == ("noise",) and tax.resolve("loud") == "noise"


def test_unknown_name_says_what_is_shipped():
    with pytest.raises(TaxonomyError, match="asrs-hf"):
        load_taxonomy("nope")
