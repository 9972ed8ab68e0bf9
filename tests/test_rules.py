"""Rule data files: strict schema, and every rule's own examples match it."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.matcher import Matcher, PhraseMatcher

from syscause.errors import RuleFileError
from syscause.rules import load_context_rules, load_cue_rules, load_evidence_rules
from syscause.taxonomy import load_taxonomy

V1 = frozenset(load_taxonomy("v1").ids)
NLP = spacy.blank("en")


def _matches(rule_id: str, pattern, example: str) -> bool:
    doc = NLP.make_doc(example)
    if isinstance(pattern, str):
        pm = PhraseMatcher(NLP.vocab, attr="LOWER")
        pm.add(rule_id, [NLP.make_doc(pattern)])
        return bool(pm(doc))
    m = Matcher(NLP.vocab, validate=True)
    m.add(rule_id, [pattern])
    return bool(m(doc))


EVIDENCE = load_evidence_rules(labels=V1)
CUES = load_cue_rules()
CONTEXT = load_context_rules()


def test_at_least_12_evidence_patterns_per_label():
    per_label = {label: sum(r.label == label for r in EVIDENCE) for label in V1}
    assert min(per_label.values()) >= 12, per_label


def test_every_cue_family_has_patterns():
    assert {r.type for r in CUES} == {
        "person_failure",
        "evaluative",
        "counterfactual",
        "disciplinary",
    }


def test_context_has_both_categories_and_all_directions():
    assert {r.category for r in CONTEXT} == {"negation", "hypothetical"}
    assert {r.direction for r in CONTEXT} >= {"preceding", "following", "pseudo", "termination"}


@pytest.mark.parametrize("rule", EVIDENCE + CUES, ids=lambda r: r.id)
def test_rule_examples_match(rule):
    assert rule.examples, f"{rule.id} has no examples"
    for example in rule.examples:
        assert _matches(rule.id, rule.pattern, example), f"{rule.id} misses {example!r}"


@pytest.mark.parametrize("rule", CONTEXT, ids=lambda r: r.id)
def test_context_literal_occurs_in_examples(rule):
    for example in rule.examples:
        assert _matches(rule.id, rule.literal, example), f"{rule.id} misses {example!r}"


@pytest.mark.parametrize(
    ("line", "match"),
    [
        (
            {
                "id": "a.b",
                "label": "fatigue",
                "literal": "x",
                "pattern": "x",
                "examples": [],
                "colour": 1,
            },
            r"line 1: unknown keys \['colour'\]; allowed keys: \['examples', 'id'",
        ),
        (
            {"id": "a.b", "label": "fatigue", "literal": "x", "examples": []},
            r"missing \['pattern'\]",
        ),
        (
            {"id": "a.b", "label": "nope", "literal": "x", "pattern": "x", "examples": []},
            "label 'nope' is not one of",
        ),
        (
            {"id": "a.b", "label": "fatigue", "literal": "x", "pattern": 3, "examples": []},
            "'pattern' must be a phrase string or a list of token objects",
        ),
    ],
)
def test_evidence_loader_names_file_line_and_keys(tmp_path, line, match):
    path = tmp_path / "evidence.jsonl"
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(RuleFileError, match=match):
        load_evidence_rules(path, labels=V1)


def test_duplicate_ids_are_rejected(tmp_path):
    rule = {"id": "x", "type": "evaluative", "literal": "x", "pattern": "x", "examples": []}
    path = tmp_path / "cues.jsonl"
    path.write_text(json.dumps(rule) + "\n" + json.dumps(rule) + "\n")
    with pytest.raises(RuleFileError, match="line 2: duplicate id 'x'"):
        load_cue_rules(path)


def test_context_direction_is_checked(tmp_path):
    rule = {
        "id": "x",
        "category": "negation",
        "direction": "sideways",
        "literal": "no",
        "examples": [],
    }
    path = tmp_path / "context.jsonl"
    path.write_text(json.dumps(rule) + "\n")
    with pytest.raises(RuleFileError, match="direction 'sideways'"):
        load_context_rules(path)


def test_staff_roles_placeholder_expands_to_every_role(tmp_path):
    from syscause.rules import STAFF_ROLES, staff_roles

    roles = staff_roles()
    assert {"rn", "phlebotomist", "sonographer"} <= set(roles)
    assert not {"she", "patient", "mother"} & set(roles)  # each pattern names those itself
    rule = {
        "id": "t.role_counseled",
        "type": "disciplinary",
        "literal": "role counseled",
        "pattern": [{"LOWER": {"IN": ["someone", STAFF_ROLES]}}, {"LOWER": "counseled"}],
        "examples": ["phlebotomist counseled"],
    }
    path = tmp_path / "cues.jsonl"
    path.write_text(json.dumps(rule) + "\n")
    (loaded,) = load_cue_rules(path)
    words = loaded.pattern[0]["LOWER"]["IN"]
    assert STAFF_ROLES not in words and words[0] == "someone" and set(roles) <= set(words)
    assert _matches(loaded.id, loaded.pattern, "The phlebotomist counseled.")
    # no shipped pattern keeps the placeholder
    assert all(STAFF_ROLES not in json.dumps(r.pattern) for r in CUES)


def test_a_person_not_scanning_is_no_scanner_fault(pipeline):
    from syscause.pipeline.extensions import EVIDENCE_KEY

    def scanner_fault(text: str) -> bool:
        doc = pipeline.nlp(text)
        return any(sp.label_ == "ehr_device_usability" for sp in doc.spans[EVIDENCE_KEY])

    assert scanner_fault("The armband did not scan.")
    assert scanner_fault("The barcode would not scan.")
    assert scanner_fault("The label wont scan.")
    assert not scanner_fault("RN did not scan the bag.")
    assert not scanner_fault("She didn't scan it.")
    assert not scanner_fault("The phlebotomist did not scan the armband.")
    assert not scanner_fault("It would scan now.")


@pytest.mark.parametrize(
    "text",
    [
        "Pt 71 y/o with back pain seen in triage.",
        "Each sonographer is expected to complete 16 exams a shift.",
        "Outside pharmacy fill data doesn't reconcile.",
        "I did check the armband.",
        "The scanner kept failing to read the barcode.",
        "The check had been done twice.",
        "The order came with no call to the unit.",
        "I raised it at the staff meeting when the schedule came out.",
    ],
)
def test_no_blame_cue_in_system_statements(pipeline, text):
    doc = pipeline.nlp(text)
    assert [sp.text for sp in doc.spans["syscause_blame_cues"]] == []


@pytest.mark.parametrize(
    "text",
    [
        "In hindsight the nurse should have called.",
        "Looking back, she should have called.",
        "The nurse is supposed to scan every bag.",
        "RN was expected to verify.",
        "RN did not check the armband.",
        "Failure to follow the protocol.",
    ],
)
def test_blame_cues_still_found(pipeline, text):
    doc = pipeline.nlp(text)
    assert list(doc.spans["syscause_blame_cues"])
