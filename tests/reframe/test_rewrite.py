"""Rewrite grammar: parse-based transformations, the token fallback, judgement clauses."""

from __future__ import annotations

import pytest

from syscause.reframe.rewrite import (
    SentenceCue,
    finish,
    replace_judgement_clauses,
    rewrite_parsed,
    rewrite_tokens,
    soften,
)


def cue_at(sentence: str, phrase: str, type_: str = "person_failure") -> SentenceCue:
    start = sentence.index(phrase)
    return SentenceCue(start, start + len(phrase), type_, phrase)


@pytest.fixture(scope="module")
def parser():
    from syscause.pipeline.person_failure import load_parser

    nlp = load_parser()
    if nlp is None:
        pytest.skip("English parser not installed")
    return nlp


@pytest.mark.parser
@pytest.mark.parametrize(
    ("sentence", "cue", "style", "expected"),
    [
        (
            "RN failed to check allergies prior to administration.",
            "RN failed to check",
            "passive",
            "Allergies were not checked prior to administration.",
        ),
        (
            "RN failed to check allergies prior to administration.",
            "RN failed to check",
            "gerund",
            "Checking allergies was not done prior to administration.",
        ),
        (
            "Transporter should've locked the chair.",
            "should've",
            "passive",
            "The chair was not locked.",
        ),
        (
            "The RN should not have given the dose.",
            "should not have",
            "passive",
            "The dose was given.",
        ),
        (
            "RN did not verify the name on the paperwork with the pt at discharge.",
            "RN did not verify",
            "passive",
            "The name was not verified on the paperwork with the pt at discharge.",
        ),
        (
            "Night nurse did not document or change dressing per protocol.",
            "Night nurse did not document",
            "passive",
            "Documenting or changing dressing per protocol was not done.",
        ),
        (
            "RN hung a new NS bag without labeling the tubing.",
            "without labeling",
            "passive",
            "RN hung a new NS bag with the tubing not labeled.",
        ),
        (
            "Findings: the RN had done this transport many times before.",
            "the RN had done this transport",
            "passive",
            "Findings: this transport had been done many times before.",
        ),
        (
            "The RN did not know the pump had a bolus button.",
            "The RN did not know",
            "passive",
            "It was not clear the pump had a bolus button.",
        ),
        (
            "I don't understand why it took two hours.",
            "I don't understand",
            "passive",
            "It is not clear why it took two hours.",
        ),
        (
            "Dr H did not see the pt that day.",
            "Dr H did not see",
            "passive",
            "The pt was not seen that day.",
        ),
        (
            "Someone should have called the family.",
            "should have",
            "passive",
            "The family was not called.",
        ),
        (
            "I pulled the list forward and did not catch that the dose was old.",
            "did not catch",
            "passive",
            "I pulled the list forward and it was not caught that the dose was old.",
        ),
        (
            "I didn't know how to do the blood return.",
            "I didn't know",
            "passive",
            "It was not clear how to do the blood return.",
        ),
        (
            "She was rested, she just didn't think of it.",
            "she just didn't think",
            "passive",
            "She was rested, it was not thought of.",
        ),
        (
            "When I came back I started the infusion without rechecking.",
            "without rechecking",
            "passive",
            "When I came back I started the infusion with no recheck.",
        ),
        (
            "He ignored me.",
            "He ignored",
            "passive",
            "I was ignored.",
        ),
        (
            "The lab tech cancelled it without checking.",
            "without checking",
            "passive",
            "The lab tech cancelled it with no check.",
        ),
        (
            "The CRNA left the room without handing off to anyone.",
            "without handing",
            "passive",
            "The CRNA left the room with no handoff to anyone.",
        ),
        (
            "She left the unit without telling anyone.",
            "without telling",
            "passive",
            "She left the unit without anyone being told.",
        ),
        (
            "The resident overrode the alert without reading.",
            "without reading",
            "passive",
            "The resident overrode the alert with no reading.",
        ),
        (
            "She did not read the full sig, only the first line.",
            "did not read",
            "passive",
            "The full sig was not read, only the first line.",
        ),
        (
            "She did not read the full sig, only the first line.",
            "did not read",
            "gerund",
            "Reading the full sig was not done, only the first line.",
        ),
        (
            "Wrong pt taken to xray, transport didnt check armband.",
            "didnt check",
            "gerund",
            "Wrong pt taken to xray, checking armband was not done.",
        ),
        (
            "MA did not follow the posted lab guide.",
            "MA did not follow",
            "gerund",
            "What was done did not follow the posted lab guide.",
        ),
        (
            "RN did not use two identifiers, contrary to unit policy.",
            "RN did not use",
            "passive",
            "Two identifiers were not used, outside unit policy.",
        ),
        # the receiver of "gave X Y" is the subject of the passive, the thing stays after
        (
            "RN gave the pt the wrong dose.",
            "RN gave",
            "passive",
            "The pt was given the wrong dose.",
        ),
        (
            "I gave him the wrong insulin.",
            "I gave",
            "passive",
            "He was given the wrong insulin.",
        ),
        # the framing model's whole sentence: a person's plain past action is restated
        (
            "Aide gave NPO pt a breakfast tray, case delayed 6 hrs.",
            "Aide gave NPO pt a breakfast tray, case delayed 6 hrs.",
            "passive",
            "NPO pt was given a breakfast tray, case delayed 6 hrs.",
        ),
        (
            "RN hung the heparin bag and left the room.",
            "RN hung the heparin bag and left the room.",
            "passive",
            "The heparin bag was hung and the room was left.",
        ),
    ],
)
def test_parsed_rewrite(parser, sentence, cue, style, expected):
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, cue)], style)
    assert result is not None
    assert result[0][0].upper() + result[0][1:] == expected


@pytest.mark.parser
def test_a_missing_safeguard_is_looked_at_forward_but_a_named_person_is_not(parser):
    sentence = "A second nurse double check would have caught this."
    cue = cue_at(sentence, "would have caught", "counterfactual")
    result = rewrite_parsed(parser(sentence), [cue])
    assert result is not None and result[0] == "A second nurse double check could catch this."
    named = "The nurse would have caught it."
    cue = cue_at(named, "would have caught", "counterfactual")
    assert rewrite_parsed(parser(named), [cue]) is None
    outcome = "If I hadn't called, the pt would have been on a quarter of the dose."
    cue = cue_at(outcome, "would have been", "counterfactual")
    assert rewrite_parsed(parser(outcome), [cue]) is None


@pytest.mark.parser
@pytest.mark.parametrize(
    "sentence",
    [
        "She called me at home.",  # speaking and perceiving are no action to restate
        "RN was given the wrong chart.",  # a passive has no agent to take out
    ],
)
def test_a_whole_sentence_cue_leaves_these_alone(parser, sentence):
    assert rewrite_parsed(parser(sentence), [cue_at(sentence, sentence)]) is None


@pytest.mark.parser
def test_a_plain_action_is_restated_only_when_the_whole_sentence_is_the_cue(parser):
    sentence = "RN hung the heparin bag and did not check the rate."
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, "did not check")])
    assert result is not None
    assert result[0].startswith("RN hung the heparin bag")


@pytest.mark.parser
def test_no_gerund_of_a_verb_without_an_action(parser):
    sentence = "The nurse should have been there."
    assert rewrite_parsed(parser(sentence), [cue_at(sentence, "should have")], "gerund") is None


@pytest.mark.parser
def test_parsed_rewrite_leaves_a_non_person_subject(parser):
    sentence = "The inpatient MAR does not show on the ED tracking board."
    assert rewrite_parsed(parser(sentence), [cue_at(sentence, "MAR does not show")]) is None


@pytest.mark.parser
def test_parsed_rewrite_keeps_a_conjunct_of_another_tense(parser):
    sentence = "The RN did not follow the procedure and placed the pt at risk."
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, "RN did not follow")])
    assert result is not None
    assert "placed the pt at risk" in result[0] and "RN" not in result[0]


@pytest.mark.parametrize(
    ("sentence", "cue", "expected"),
    [
        (
            "RN failed to check allergies prior to administration.",
            "failed to",
            "Checking allergies prior to administration was not done.",
        ),
        ("Should have scanned.", "Should have", "Scanning was not done."),
        ("NURSE DID NOT SCAN.", "DID NOT SCAN", "Not done: scanning."),
        (
            "Tech did not double-check the concentration.",
            "did not double",
            "Not done: double-checking the concentration.",
        ),
        (
            "She should not have pushed it so fast.",
            "should not have",
            "pushing it so fast went ahead.",
        ),
        (
            "At 0200, RN did not check the pump.",
            "did not check",
            "At 0200, checking the pump was not done.",
        ),
    ],
)
def test_token_fallback(sentence, cue, expected):
    result = rewrite_tokens(sentence, [cue_at(sentence, cue)])
    assert result is not None
    assert result[0].lower() == expected.lower()


def test_token_fallback_leaves_verbs_without_an_action():
    sentence = "I should not have been there."
    assert rewrite_tokens(sentence, [cue_at(sentence, "should not have")]) is None


def test_token_fallback_needs_a_person_agent():
    sentence = "The scanner did not read the armband."
    assert rewrite_tokens(sentence, [cue_at(sentence, "did not read")]) is None


def test_judgement_clause_replaced_other_clauses_kept():
    sentence = "We are doing re-education on read-back, but I'm filing this as a system issue."
    text, replaced = replace_judgement_clauses(
        sentence, [cue_at(sentence, "re-education", "disciplinary")]
    )
    assert replaced
    assert text.startswith("Follow-up so far has been individual training on read-back, but I'm")
    assert "re-education" not in text


@pytest.mark.parametrize(
    ("sentence", "cue", "expected"),
    [
        (
            "Tech re-trained on restock procedure.",
            "re-trained",
            "Follow-up so far has been individual training on restock procedure",
        ),
        (
            "RN counseled per attendance policy and given written warning.",
            "counseled",
            "Follow-up so far has focused on the individual, per attendance policy",
        ),
        ("RN written up.", "written up", "Follow-up so far has focused on the individual"),
        (
            "Pharmacist counseled on reviewing the full profile.",
            "Pharmacist counseled on",
            "Follow-up so far has focused on the individual, on reviewing the full profile",
        ),
        (
            "RN written up and med pass competency repeated.",
            "written up",
            "Follow-up so far has focused on the individual; med pass competency repeated",
        ),
        ("RN re-educated.", "re-educated", "Follow-up so far has focused on the individual"),
        (
            "Resident counseled by program director.",
            "Resident counseled by",
            "Individual follow-up by program director",
        ),
        (
            "Week of 1/15: careless charting.",
            "careless",
            "Week of 1/15: any judgement of the person is set aside here",
        ),
    ],
)
def test_judgement_statement_keeps_the_topic(sentence, cue, expected):
    kind = "evaluative" if cue == "careless" else "disciplinary"
    cues = [cue_at(sentence, cue, kind)]
    if "written warning" in sentence:
        cues.append(cue_at(sentence, "written warning", "disciplinary"))
    text, replaced = replace_judgement_clauses(sentence, cues)
    assert replaced and text == expected


def test_evaluative_sentence_becomes_a_statement():
    sentence = "Careless charting."
    text, replaced = replace_judgement_clauses(
        sentence, [cue_at(sentence, "Careless", "evaluative")]
    )
    assert replaced and "careless" not in text.lower()


def test_soften_replaces_blame_phrases():
    result = soften("This was a clear violation of the alarm policy.")
    assert result is not None and "violation" not in result[0]
    assert "departure from the alarm policy" in result[0]


@pytest.mark.parametrize(
    ("body", "clause", "shouting", "expected"),
    [
        (
            "the scan was not done.",
            "what got in the way",
            False,
            "The scan was not done; what got in the way?",
        ),
        ("the scan was not done", "", False, "The scan was not done."),
        (
            "order was not read",
            "what got in the way",
            True,
            "ORDER WAS NOT READ; WHAT GOT IN THE WAY?",
        ),
    ],
)
def test_finish(body, clause, shouting, expected):
    assert finish(body, clause, shouting) == expected


@pytest.mark.parser
@pytest.mark.parametrize(
    ("sentence", "cue", "style", "expected"),
    [
        (
            "Therapist did not return bed to low position, which is expected at every visit.",
            "Therapist did not return",
            "gerund",
            "Returning bed to low position was not done, which is expected at every visit.",
        ),
        (
            "Triage RN did not complete the screening questions, assigned ESI 4, and sent her "
            "to the waiting room.",
            "Triage RN did not complete",
            "passive",
            "The screening questions were not completed, assigned ESI 4, and sent her to the "
            "waiting room.",
        ),
    ],
)
def test_parsed_rewrite_keeps_trailing_clauses_outside_the_statement(
    parser, sentence, cue, style, expected
):
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, cue)], style)
    assert result is not None
    assert result[0][0].upper() + result[0][1:] == expected


def test_token_fallback_inflects_a_hyphenated_verb():
    sentence = "Tech should have re-screened at the zone IV door."
    result = rewrite_tokens(sentence, [cue_at(sentence, "should have")])
    assert result is not None
    assert result[0].lower() == "re-screening at the zone iv door was not done."


def test_token_fallback_takes_no_article_for_a_verb():
    sentence = "We should have a separate tier for same-day findings."
    assert rewrite_tokens(sentence, [cue_at(sentence, "should have", "counterfactual")]) is None


def test_judged_clause_is_the_comma_piece_holding_the_cue():
    sentence = (
        "This is suspected diversion, RN removed from schedule pending investigation, "
        "reported to pharmacy per policy."
    )
    text, replaced = replace_judgement_clauses(
        sentence, [cue_at(sentence, "removed from schedule", "disciplinary")]
    )
    assert replaced
    assert text == (
        "This is suspected diversion, follow-up so far has focused on the individual, "
        "reported to pharmacy per policy."
    )


def test_collapsed_judged_clauses_leave_no_separator():
    sentence = "RN counseled, re-educated, and written up; unit to review staffing."
    cues = [cue_at(sentence, c, "disciplinary") for c in ("counseled", "re-educated", "written up")]
    text, replaced = replace_judgement_clauses(sentence, cues)
    assert replaced
    assert text == "Follow-up so far has focused on the individual; unit to review staffing."


def test_second_wording_of_the_statements():
    sentence = "RN counseled."
    text, _ = replace_judgement_clauses(
        sentence, [cue_at(sentence, "counseled", "disciplinary")], "_alt"
    )
    assert text == "The follow-up recorded so far is individual"


def test_softeners_leave_no_cue_phrase_and_keep_prepositions():
    assert soften("Pt was supposed to be NPO.") == ("Pt was to be NPO.", False)
    result = soften("This is a serious breach of the duty of care.")
    assert result == ("This is a departure from the duty of care.", False)
    assert soften("Tech error and pharmacist error.") == ("error and error.", False)


@pytest.mark.parser
def test_a_title_goes_with_the_name(parser):
    sentence = "Dr. Smith did not review the labs."
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, "did not review")])
    assert result is not None and result[0] == "the labs were not reviewed."


def test_token_fallback_agent_never_takes_a_conjunction():
    sentence = "The site is not approved for power injection and the tech should of checked it."
    result = rewrite_tokens(sentence, [cue_at(sentence, "should of", "counterfactual")])
    assert result is not None
    assert result[0] == (
        "The site is not approved for power injection and checking it was not done."
    )


@pytest.mark.parser
def test_a_second_participle_after_should_have_shares_the_statement(parser):
    sentence = "Tech should have stopped and checked the site."
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, "should have")], "gerund")
    assert result is not None
    assert result[0][0].upper() + result[0][1:] == "Stopping and checking the site was not done."


@pytest.mark.parser
def test_a_clause_hung_on_the_subject_after_the_verb_is_kept(parser):
    # the parser attaches ", which is required" to "RN": the subject phrase must not reach it
    sentence = (
        "Findings: The RN did not notify the office of the missed visits and did not "
        "reschedule, which is required."
    )
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, "The RN did not notify")])
    assert result is not None
    assert "which is required" in result[0] and "RN" not in result[0]
    assert "office of the missed visits was not notified" in result[0]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The RN was not paying close attention.", "The RN had attention on other things."),
        ("The sitter stopped paying attention.", "The sitter had attention on other things."),
        (
            "She was on her phone and not paying attention.",
            "She was on her phone and with attention on other things.",
        ),
    ],
)
def test_every_not_paying_attention_cue_has_a_softener(sentence, expected):
    assert soften(sentence) == (expected, False)


@pytest.mark.parser
def test_the_writer_s_own_and_was_not_is_no_sign_of_a_broken_rewrite(parsed_pipeline):
    text = (
        "Phleb states she was not interrupted and was not rushed on that draw, "
        "she just did the tubes in the wrong order."
    )
    (ref,) = parsed_pipeline.analyze(text).reframe
    assert ref.rewrite == (
        "Phleb states she was not interrupted and was not rushed on that draw, "
        "the tubes were done in the wrong order."
    )


@pytest.mark.parser
def test_a_wrong_thing_without_an_object_becomes_a_gerund(parser):
    sentence = "LPN pulled from the wrong card."
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, "LPN pulled")])
    assert result == ("pulling from the wrong card went ahead.", False)


@pytest.mark.parser
@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("The pt said she did not want the line.", "did not want"),
        ("It was a needle the nurse didn't like the look of.", "didn't like"),
    ],
)
def test_an_attitude_is_left_to_the_questions(parser, sentence, cue):
    assert rewrite_parsed(parser(sentence), [cue_at(sentence, cue)]) is None


@pytest.mark.parser
def test_an_emphatic_reflexive_goes_with_the_person(parser):
    sentence = "I should have read the PT note myself before moving her."
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, "should have", "counterfactual")])
    assert result is not None and "myself" not in result[0]


def test_a_judged_clause_is_found_without_the_comma_its_cue_took():
    text = "Counseled, and the PACU educator will review alarm response with all staff."
    body, judged = replace_judgement_clauses(text, [cue_at(text, "Counseled,", "disciplinary")])
    assert judged
    assert body == (
        "Follow-up so far has focused on the individual, and the PACU educator will review "
        "alarm response with all staff."
    )


@pytest.mark.parser
@pytest.mark.parametrize(
    ("sentence", "cue", "expected"),
    [
        # a closing "and I should have" says again what the restated clause says
        (
            "I did not mark the site, which is our policy, and I should have.",
            "I did not mark",
            "the site was not marked, which is our policy.",
        ),
        (
            "Findings: The RN did not read the PT evaluation before ambulating the pt, and "
            "should have.",
            "The RN did not read",
            "Findings: the PT evaluation was not read before ambulating the pt.",
        ),
        # "should of", where the parser takes "of" for a preposition of "should"
        (
            "LPN should of checked the banner and listened to mom.",
            "should of",
            "the banner was not checked and mom was not listened to.",
        ),
    ],
)
def test_should_have_said_twice_or_misspelt(parser, sentence, cue, expected):
    kind = "counterfactual" if cue.startswith("should") else "person_failure"
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, cue, kind)])
    assert result is not None and result[0] == expected


def test_the_softened_policy_wording_is_no_cue(pipeline):
    for text in (
        "This is a clear violation of policy.",
        "This was a knowing deviation from policy.",
    ):
        (ref,) = pipeline.analyze(text).reframe
        assert ref.rewrite is not None
        assert pipeline.analyze(ref.rewrite).blame.cues == ()


@pytest.mark.parser
@pytest.mark.parametrize(
    ("sentence", "cue", "expected"),
    [
        # what follows a comma in the object says more about it and stays after the verb
        (
            "At 0500 I hung the wrong bag, norepi instead of the maintenance fluid, both on the "
            "same pole, caught it when his pressure jumped.",
            "I hung",
            "At 0500 the wrong bag was hung, norepi instead of the maintenance fluid, both on the "
            "same pole, it was caught when his pressure jumped.",
        ),
        # a capitalised first word the parser took for a conjunction goes with the subject
        (
            "OR tech threw away the pt's dentures with the drapes.",
            "OR tech threw away the pt's dentures with the drapes.",
            "the pt's dentures were thrown away with the drapes.",
        ),
    ],
)
def test_the_object_phrase_and_the_subject_phrase_end_where_they_should(
    parser, sentence, cue, expected
):
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, cue)])
    assert result is not None and result[0] == expected


@pytest.mark.parser
def test_a_particle_read_as_an_adverb_stays_with_its_verb(parser):
    sentence = "Therapist should have handed back to the RN before leaving."
    result = rewrite_parsed(parser(sentence), [cue_at(sentence, "should have", "counterfactual")])
    assert result == ("handing back to the RN was not done before leaving.", False)
