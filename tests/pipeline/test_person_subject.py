"""The parse-based person-failure cue needs a staff person as subject and a past lapse."""

from __future__ import annotations

import pytest


def _dep_cues(result):
    return [c.text for c in result.blame.cues if c.source.startswith("dep:")]


@pytest.mark.parametrize(
    "text",
    [
        "Our EHR does not flag weights outside the curve.",
        "THE STROKE ORDER SET DOES NOT CALCULATE THE DOSE.",
        "Agency staff on this unit do not get a walk-through.",
        "I do not want her taking care of him again.",
        "The pt did not need oxygen.",
        "The pump alarmed and did not stop.",
    ],
)
def test_things_habits_and_patients_are_no_person_failure(parsed_pipeline, text):
    assert not _dep_cues(parsed_pipeline.analyze(text))


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The RN did not check the armband.", "The RN did not check"),
        ("The phlebotomist did not label the tube.", "The phlebotomist did not label"),
        ("Nurse Kim forgot the dose.", "Nurse Kim forgot"),
        ("Dr H did not see the pt that day.", "Dr H did not see"),
        ("The resident took the page but did not come until 0300.", "did not come"),
        ("THE AGENCY NURSE DID NOT GIVE THE 2100 INSULIN.", "THE AGENCY NURSE DID NOT GIVE"),
    ],
)
def test_a_staff_persons_lapse_is_one(parsed_pipeline, text, cue):
    assert _dep_cues(parsed_pipeline.analyze(text)) == [cue]
