"""A rewrite keeps the narrative's factors: the rule evidence and the factor model's labels.

The rule check compares the evidence that counts (topic mentions that assert nothing are
left out); the pipeline also asks its factor model, through ``keeps_factors``, and tries
the statements' second wording when the first would change the labels.
"""

from __future__ import annotations

from syscause.reframe import LABEL_MARGIN, apply_reframes, reframe_edits, suggest_reframes
from syscause.reframe.signals import acceptable, evidence_keys
from syscause.text import clean_for_nlp

NARRATIVE = (
    "Pt received 10 units of insulin instead of 1 unit. RN had 7 pts tonight, two call-outs "
    "were not replaced. RN failed to double check the dose with a second nurse. RN re-educated."
)


def _suggest(pipeline, text, keeps_factors=None):
    result = pipeline.analyze(text)
    return suggest_reframes(
        text,
        result.blame.cues,
        result.labels,
        taxonomy=pipeline.taxonomy,
        rules=pipeline.nlp,
        keeps_factors=keeps_factors,
    )


def test_inert_topic_mentions_are_not_evidence_to_keep(pipeline):
    # "Staff" names a topic and asserts nothing; "staffing was adequate" negates the factor
    assert evidence_keys(pipeline.nlp(clean_for_nlp("Staff careless."))) == []
    keys = [ev.key for ev in evidence_keys(pipeline.nlp(clean_for_nlp("Staffing was adequate.")))]
    assert keys and all(k == "understaffing:10" for k in keys)


def test_a_rejecting_check_leaves_questions_only(pipeline):
    seen: list[tuple[int, int, str]] = []

    def never(edits, margin=0.0) -> bool:
        assert len(edits) == 1  # nothing accepted before: only the candidate
        seen.append(edits[-1])
        return False

    out = _suggest(pipeline, NARRATIVE, never)
    assert len(out) >= 2 and all(r.rewrite is None and r.questions for r in out)
    # each call names a blamed sentence and a candidate for it
    assert seen
    spans = {(r.start, r.end) for r in out}
    for start, end, rewrite in seen:
        assert (start, end) in spans and rewrite != NARRATIVE[start:end]


def test_a_borderline_label_is_moved_only_for_the_narrative_s_one_rewrite(pipeline):
    margins: list[float] = []

    def borderline(edits, margin=0.0) -> bool:
        margins.append(margin)
        return margin > 0  # every candidate moves a label that sits near its threshold

    out = _suggest(pipeline, NARRATIVE, borderline)
    assert len(out) >= 2
    # strict first for every sentence, then one sentence with the margin, and no more
    assert [r.rewrite is not None for r in out].count(True) == 1
    assert margins[-1] == LABEL_MARGIN and margins.count(LABEL_MARGIN) == 1
    assert margins.index(LABEL_MARGIN) == len(margins) - 1

    def always(edits, margin=0.0) -> bool:
        margins.append(margin)
        return True

    margins.clear()
    strict = _suggest(pipeline, NARRATIVE, always)
    assert sum(r.rewrite is not None for r in strict) >= 2 and set(margins) == {0.0}


def test_the_second_wording_is_tried_when_the_first_is_rejected(pipeline):
    first = "Follow-up so far has focused on the individual"

    def not_first(edits, margin=0.0) -> bool:
        return all(first not in rewrite for _, _, rewrite in edits)

    plain = {r.original: r.rewrite for r in _suggest(pipeline, "RN counseled. Pump alarmed.")}
    alt = {
        r.original: r.rewrite for r in _suggest(pipeline, "RN counseled. Pump alarmed.", not_first)
    }
    assert plain["RN counseled."] == f"{first}."
    assert alt["RN counseled."] == "The follow-up recorded so far is individual."

    def short_only(edits, margin=0.0) -> bool:
        return all("so far" not in rewrite for _, _, rewrite in edits)

    short = {
        r.original: r.rewrite for r in _suggest(pipeline, "RN counseled. Pump alarmed.", short_only)
    }
    assert short["RN counseled."] == "Individual follow-up."


def test_spliced_scores_equal_rescoring(pipeline):
    """The check scores the narrative with one sentence's n-grams swapped: as rescoring."""
    from syscause.scoring import LearnedScorer

    scorer = pipeline.factor_scorer
    assert isinstance(scorer, LearnedScorer)
    text = NARRATIVE
    result = pipeline.analyze(text)
    doc, scored = _scored(pipeline, text)
    cues = list(result.blame.cues)
    check = pipeline._factor_check(text, cues, doc, scored, frozenset(result.labels))
    assert check is not None
    sentence = "RN failed to double check the dose with a second nurse."
    start = text.index(sentence)
    rewrites = (
        "The dose was not double checked with a second nurse.",
        "Pump alarmed.",
        "Two call-outs were not replaced.",
    )
    for rewrite in rewrites:
        rewritten = text[:start] + rewrite + text[start + len(sentence) :]
        same = set(pipeline.analyze(rewritten).labels) == set(result.labels)
        assert check([(start, start + len(sentence), rewrite)]) == same


def test_the_check_counts_the_cues_the_rewritten_narrative_has(pipeline, monkeypatch):
    """Not the framing model's sentence cue (it comes after the factor scores), and not the
    cues of a rewritten sentence: as analysing the rewritten narrative counts them."""
    import syscause.learned.features as features
    from syscause.schemas import Cue

    counted: list[list[Cue]] = []
    real = features.rule_features

    def spy(evidence, cues, rule_labels):
        counted.append(list(cues))
        return real(evidence, cues, rule_labels)

    text = NARRATIVE
    result = pipeline.analyze(text)
    doc, scored = _scored(pipeline, text)
    model_cue = Cue(0, 10, text[:10], "person_failure", "model:x:framing_sentence")
    cues = [*result.blame.cues, model_cue]
    monkeypatch.setattr(features, "rule_features", spy)
    check = pipeline._factor_check(text, cues, doc, scored, frozenset(result.labels))
    assert check is not None
    sentence = "RN failed to double check the dose with a second nurse."
    start = text.index(sentence)
    check([(start, start + len(sentence), "The dose was not double checked.")])
    (seen,) = counted
    assert model_cue not in seen
    assert not any(start <= c.start < start + len(sentence) for c in seen)
    assert any(c.type == "disciplinary" for c in seen)  # "RN re-educated." stays


def _scored(pipeline, text):
    from syscause.blame import collect_cues
    from syscause.classify import collect_evidence

    doc = pipeline.nlp(clean_for_nlp(text))
    evidence = collect_evidence(doc, text, pipeline.rule_labels, pipeline.mention_rules)
    cues = collect_cues(doc, text)
    return doc, pipeline.factor_scorer.score_batch([doc], [text], [evidence], [cues])[0]


def test_the_check_sees_the_rewrites_accepted_before(pipeline):
    calls: list[int] = []

    def count(edits, margin=0.0) -> bool:
        calls.append(len(edits))
        return True

    out = _suggest(pipeline, NARRATIVE, count)
    rewritten = [r for r in out if r.rewrite is not None]
    assert len(rewritten) >= 2
    # each accepted rewrite is in place when the next sentence's candidates are checked
    assert calls == list(range(1, len(rewritten) + 1))


def test_pipeline_rewrites_keep_the_labels(pipeline):
    from syscause.corpora import read_records

    texts = [
        r["text"]
        for r in read_records("healthcare", "test")
        if r.get("framing") in ("individual", "mixed")
    ][:25]
    checked = moved = 0
    for text, result in zip(texts, pipeline.analyze_many(texts), strict=True):
        checked += len(reframe_edits(result.reframe))
        if result.reframe:
            # applied together, as the evaluation applies them
            together = apply_reframes(text, result.reframe)
            if set(pipeline.analyze(together).labels) != set(result.labels):
                # only a narrative's one rewrite may move a borderline label
                moved += 1
                assert len(reframe_edits(result.reframe)) == 1
    assert checked >= 10
    assert moved <= 2


def test_quotations_are_not_rewritten(pipeline):
    text = "The doctor asked why the steroid was missed and the nurse said she 'forgot'."
    for ref in pipeline.analyze(text).reframe:
        assert ref.rewrite is None or "'forgot'" in ref.rewrite


def _checked(pipeline, text, rewrite, cue, blame=True):
    evidence = evidence_keys(pipeline.nlp(clean_for_nlp(text)))
    start = text.index(cue)
    spans = [(start, start + len(cue))] if blame else None
    return evidence, acceptable(
        rewrite, 0, len(text), evidence, rules=pipeline.nlp, blame_spans=spans
    )


def test_evidence_read_in_the_blame_phrase_may_change_when_the_model_checks(pipeline):
    text = "Wrong dose given. Tech error."
    rewrite = "Error."
    start = text.index("Tech error")
    evidence = evidence_keys(pipeline.nlp(clean_for_nlp(text)))
    # the rules read the technician's error as a technical (device) error; "Error." does not
    assert any(ev.key.startswith("ehr_device_usability") for ev in evidence)
    span = [(start, start + len("Tech error"))]
    sentence = (start, len(text))
    assert acceptable(rewrite, *sentence, evidence, rules=pipeline.nlp, blame_spans=span)
    # the rules-only pipeline has no factor model to ask: the evidence must stay as it was
    assert not acceptable(rewrite, *sentence, evidence, rules=pipeline.nlp)


def test_evidence_outside_the_blame_phrase_must_stay(pipeline):
    text = "A careless error on a night with two nurses for 30 patients."
    evidence, loose = _checked(
        pipeline, text, "Any judgement of the person is set aside here.", "careless error"
    )
    assert any(ev.key.startswith("understaffing") for ev in evidence)
    assert not loose  # the collapsed clause would lose the staffing the narrative states


def test_a_restated_counterfactual_keeps_its_mentions_in_another_mood(pipeline):
    text = "Day staff should have escalated after the first refusal per policy."
    rewrite = "Escalating after the first refusal per policy was not done."
    evidence, loose = _checked(pipeline, text, rewrite, "should have")
    assert any(ev.key == "policy_procedure:01" for ev in evidence)  # hypothetical here
    assert loose  # stated in the rewrite: the policy is still named
