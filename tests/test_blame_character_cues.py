"""Character judgements phrased as omissions ("she did not care") are evaluative cues: their
clause is restated as a judgement set aside, while a real omission stays an action."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "Pt fell at 0200. She just did not care.",
        "Pt fell at 0200. She knows better and she just didnt bother.",
        "Pt fell at 0200. The aide doesn't care.",
    ],
)
def test_character_judgements_are_evaluative_and_set_aside(pipeline, text):
    result = pipeline.analyze(text)
    assert "evaluative" in {c.type for c in result.blame.cues}
    (reframe,) = result.reframe
    assert reframe.rewrite is not None
    assert "care" not in reframe.rewrite and "bother" not in reframe.rewrite
    assert "judgement" in reframe.rewrite.lower()


def test_not_bothering_to_act_is_still_the_omitted_action(pipeline):
    result = pipeline.analyze("The tech didnt bother to scan the armband.")
    assert {c.type for c in result.blame.cues} == {"person_failure"}
    rewrite = result.reframe[0].rewrite
    assert rewrite is not None and "armband" in rewrite and "bother" not in rewrite
