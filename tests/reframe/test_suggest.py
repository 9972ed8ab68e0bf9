"""suggest_reframes end to end through the public API (no parser: the archive path)."""

from __future__ import annotations

import pytest

import syscause.reframe as reframe_pkg
from syscause.reframe import apply_reframes, suggest_reframes
from syscause.reframe.questions import event_kind, factor_questions, prior_labels
from syscause.schemas import Cue

NARRATIVE = (
    "Pt received 10 units of insulin instead of 1 unit. RN had 7 pts tonight, two call-outs "
    "were not replaced. RN failed to double check the dose with a second nurse. RN re-educated."
)


def suggest(pipeline, text, parser=None):
    result = pipeline.analyze(text)
    return result, suggest_reframes(
        text,
        result.blame.cues,
        result.labels,
        taxonomy=pipeline.taxonomy,
        parser=parser,
        rules=pipeline.nlp,
    )


def test_one_suggestion_per_blame_sentence_with_offsets(pipeline):
    _, refs = suggest(pipeline, NARRATIVE)
    assert [r.original for r in refs] == [
        "RN failed to double check the dose with a second nurse.",
        "RN re-educated.",
    ]
    for r in refs:
        assert NARRATIVE[r.start : r.end] == r.original
        assert 1 <= len(r.questions) <= 3


def test_rewrites_drop_the_blame_and_add_no_facts(pipeline):
    result, refs = suggest(pipeline, NARRATIVE)
    assert all(r.rewrite for r in refs)
    assert "failed" not in refs[0].rewrite and "RN" not in refs[0].rewrite
    assert "re-educated" not in refs[1].rewrite
    rescored = pipeline.analyze(apply_reframes(NARRATIVE, refs))
    assert rescored.blame.score < result.blame.score
    assert not rescored.blame.cues
    assert rescored.labels == result.labels


def test_questions_follow_the_detected_factors(pipeline):
    result, refs = suggest(pipeline, NARRATIVE)
    assert result.labels == ["understaffing"]
    assert any("staff" in q for q in refs[0].questions)


def test_no_blame_no_suggestion(pipeline):
    assert suggest(pipeline, "Pt was comfortable overnight, no events.")[1] == ()
    assert suggest_reframes("", [], [], taxonomy=pipeline.taxonomy) == ()


def test_system_cues_are_not_blame(pipeline):
    cue = Cue(0, 3, "Pt was", "system_evidence", "rule:x")
    assert suggest_reframes("Pt was fine.", [cue], [], taxonomy=pipeline.taxonomy) == ()


def test_guard_failure_falls_back_to_questions_only(pipeline, monkeypatch):
    text = "RN failed to check the armband."
    monkeypatch.setattr(
        reframe_pkg, "_candidates", lambda *a: ["The armband was not checked at 0400."]
    )
    _, refs = suggest(pipeline, text)
    assert len(refs) == 1 and refs[0].rewrite is None and refs[0].questions


def test_narrative_text_never_in_a_bad_cue_error(pipeline):
    # a cue beyond the end of the text is ignored, not an exception quoting the text
    cue = Cue(500, 510, "x", "person_failure", "rule:x")
    assert suggest_reframes("Short text.", [cue], [], taxonomy=pipeline.taxonomy) == ()


def test_apply_reframes_keeps_questions_only_sentences():
    from syscause.schemas import Reframe

    text = "A one. B two. C three."
    refs = [Reframe(0, 6, "A one.", None, ("q?",)), Reframe(7, 13, "B two.", "B2.", ("q?",))]
    assert apply_reframes(text, refs) == "A one. B2. C three."


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Pt found on the floor after a fall, bed alarm was off.", "fall"),
        ("Insulin 10 units given instead of 1 unit, wrong dose from the pyxis.", "medication"),
        ("Nothing here says what kind of event this was.", None),
    ],
)
def test_event_kind(text, kind):
    assert event_kind(text) == kind


def test_priors_when_no_factor_is_stated(pipeline):
    labels = prior_labels("Pt found on the floor after a fall.", pipeline.taxonomy)
    assert labels and set(labels) <= set(pipeline.taxonomy.ids)


def test_questions_from_definition_for_other_taxonomies():
    from syscause.taxonomy import load_taxonomy

    tax = load_taxonomy("asrs-hf")
    qs = factor_questions([tax.ids[0]], tax)
    assert len(qs) == 1 and qs[0].startswith("Did ") and qs[0].endswith("?")


@pytest.mark.parser
def test_parser_rewrite_end_to_end(parsed_pipeline):
    from syscause.pipeline.person_failure import load_parser

    text = "Pt had a documented allergy. RN failed to check allergies prior to administration."
    result, refs = suggest(parsed_pipeline, text, parser=load_parser())
    assert len(refs) == 1 and refs[0].rewrite is not None
    assert "allergies" in refs[0].rewrite.lower() and "RN" not in refs[0].rewrite
    rescored = parsed_pipeline.analyze(apply_reframes(text, refs))
    assert rescored.blame.score < result.blame.score
