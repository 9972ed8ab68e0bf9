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
