"""A judgement or a disciplinary step that the narrative says did not happen is no cue."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("Escalated to regional quality, no disciplinary action.", []),
        ("This was not careless.", []),
        ("No one is at fault here.", []),
        ("RN counseled.", ["disciplinary"]),
        ("Careless charting.", ["evaluative"]),
        ("RN did not check the armband.", ["person_failure"]),
    ],
)
def test_denied_judgements_are_not_cues(pipeline, text, types):
    assert [c.type for c in pipeline.analyze(text).blame.cues] == types


def test_a_negation_inside_the_cue_is_no_denial(pipeline):
    # "not doing their job" is the judgement itself, not a judgement said not to apply
    cues = pipeline.analyze("SOMEONE DOWN THERE IS NOT DOING THEIR JOB.").blame.cues
    assert [(c.type, c.text) for c in cues] == [("evaluative", "NOT DOING THEIR JOB")]


def test_every_cue_rule_example_gives_a_cue_of_its_type(pipeline):
    from syscause.rules import load_cue_rules

    missed = [
        (rule.id, example)
        for rule in load_cue_rules()
        for example in rule.examples
        if rule.type not in {c.type for c in pipeline.analyze(example).blame.cues}
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("I think we should have a swab count like theatres.", []),
        ("Fever pts should have a separate pathway.", []),
        ("RN should have checked the armband.", ["counterfactual"]),
        ("I should have had the consent in my hand.", ["counterfactual"]),
    ],
)
def test_a_recommendation_is_no_counterfactual(pipeline, text, types):
    cues = pipeline.analyze(text).blame.cues
    assert [c.type for c in cues if c.source.startswith("rule:")] == types
