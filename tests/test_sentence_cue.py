"""Where the framing model reads a narrative as blaming and no rule finds a blame cue, the
sentence its text scorer leans on is reported as a cue (the model as its source), so the
narrative still gets a suggestion."""

from __future__ import annotations

import numpy as np

from syscause.learned.features import DocTokens

BLAMED = (
    "Circulator told PACU the pt was NKDA. PACU RN gave morphine 2 mg, hives. "
    "Circulator gave the wrong allergy information in report."
)


def _model_cues(result):
    return [c for c in result.blame.cues if c.source.endswith(":framing_sentence")]


def test_a_blaming_narrative_without_rule_cues_gets_the_models_sentence(pipeline):
    result = pipeline.analyze(BLAMED)
    assert result.blame.framing in ("individual", "mixed")
    (cue,) = result.blame.cues
    assert cue in _model_cues(result) and cue.type == "person_failure"
    assert BLAMED[cue.start : cue.end] == cue.text
    assert cue.source == f"model:{result.model}:framing_sentence"
    # it is one of the narrative's sentences, and it gets a suggestion
    assert cue.text.endswith(".") and cue.text in BLAMED
    (suggestion,) = result.reframe
    assert (suggestion.start, suggestion.end) == (cue.start, cue.end) and suggestion.questions


def test_system_narratives_and_rule_cues_get_no_model_sentence(pipeline):
    system = pipeline.analyze("Pump alarm for occlusion at 0300, cleared. Two nurses for 30 pts.")
    assert system.blame.framing not in ("individual", "mixed")
    assert not system.blame.cues and not system.reframe
    ruled = pipeline.analyze("RN failed to check the armband. " + BLAMED)
    assert ruled.blame.cues and not _model_cues(ruled)


def test_no_sentence_leans_nowhere(pipeline):
    nothing = np.zeros(0, dtype=np.int64)
    empty = DocTokens(nothing, nothing, 0, ())
    assert pipeline.learned_blame.leaning_sentences(empty) == []


def test_a_sentence_naming_no_one_is_never_the_models_cue(pipeline):
    result = pipeline.analyze("The armband did not scan.")
    assert not _model_cues(result) and not result.reframe


def test_a_wrong_object_under_a_compound_is_restated(parsed_pipeline):
    result = parsed_pipeline.analyze(BLAMED)
    assert [r.rewrite for r in result.reframe] == [
        "The wrong allergy information was given in report."
    ]
