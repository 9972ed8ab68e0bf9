"""Negation and hypothetical scope: a table others can add rows to.

Each row is (narrative, label, expected) where expected is one of:
- "asserted": the label has positive evidence, which raises its score above the no-evidence
  score (whether it crosses the fitted threshold is the model's business, not scope's);
- "negated": every evidence span of the label is negated, and it is not asserted;
- "hypothetical": the label's evidence is only hypothetical, and it is not asserted;
- "absent": a topic word is mentioned in passing, which neither asserts nor rules out.
"""

from __future__ import annotations

import pytest

from syscause.classify import collect_evidence
from syscause.text import clean_for_nlp

CASES = [
    # plain assertions: the control group
    ("Two call-outs were not replaced and we were short staffed.", "understaffing", "asserted"),
    ("RN had 7 pts tonight.", "understaffing", "asserted"),
    ("No float available, charge nurse took a full assignment.", "understaffing", "asserted"),
    ("Over 300 alarms this shift, most of them nuisance alarms.", "alert_fatigue", "asserted"),
    ("I was on my 4th night in a row and exhausted.", "fatigue", "asserted"),
    ("Med pass interrupted 6 times by phone calls.", "interruptions", "asserted"),
    ("Glucometer strips out of stock for two weeks.", "equipment_supplies", "asserted"),
    ("Pt confused and pulling at lines all night.", "patient_factors", "asserted"),
    ("ED boarding 14 patients with no beds upstairs.", "bed_flow", "asserted"),
    ("Not mentioned in handoff that pt was NPO.", "fragmented_handoff", "asserted"),
    ("Staff are afraid to report near misses here.", "safety_culture", "asserted"),
    ("Drug library not updated for the new pumps.", "ehr_device_usability", "asserted"),
    # negation, preceding trigger
    ("No alarms were involved in this event.", "alert_fatigue", "negated"),
    ("There were no interruptions during the med pass.", "interruptions", "negated"),
    ("Nurse denies being fatigued.", "fatigue", "negated"),
    ("RN denies being rushed.", "productivity_pressure", "negated"),
    ("Pt was not confused at the time.", "patient_factors", "negated"),
    ("We were not short staffed tonight.", "understaffing", "negated"),
    ("No language barrier; pt speaks English.", "patient_factors", "negated"),
    ("No equipment issues were identified.", "equipment_supplies", "negated"),
    ("Without any distractions the nurse prepared the dose.", "interruptions", "negated"),
    ("Staff did not feel rushed.", "productivity_pressure", "negated"),
    ("I was not tired, had slept well.", "fatigue", "negated"),
    ("Ruled out: equipment malfunction.", "equipment_supplies", "negated"),
    ("Never any alarm fatigue on this unit.", "alert_fatigue", "negated"),
    ("Nothing to do with the handoff, report was thorough.", "fragmented_handoff", "negated"),
    ("No boarding in the ED that night.", "bed_flow", "negated"),
    ("Pt not agitated, calm and cooperative.", "patient_factors", "negated"),
    ("Denies any fatigue, rested before shift.", "fatigue", "negated"),
    ("No noise or lighting problems in the room.", "physical_environment", "negated"),
    # negation, following trigger
    ("Staffing was adequate for the census.", "understaffing", "negated"),
    ("Fatigue was not a factor.", "fatigue", "negated"),
    ("The pump was working properly.", "equipment_supplies", "negated"),
    ("Interruptions were not an issue.", "interruptions", "negated"),
    ("Handoff was not a factor in this event.", "fragmented_handoff", "negated"),
    ("Alarm fatigue was ruled out by the review.", "alert_fatigue", "negated"),
    ("Equipment was not a contributing factor.", "equipment_supplies", "negated"),
    ("Understaffing did not contribute.", "understaffing", "negated"),
    ("Patient confusion was not present.", "patient_factors", "negated"),
    ("Time pressure was not an issue.", "productivity_pressure", "negated"),
    # hypothetical remedies
    ("A second nurse would have helped.", "understaffing", "hypothetical"),
    ("If we had a sitter this might have been prevented.", "understaffing", "hypothetical"),
    ("Recommend a hard stop alert in the EHR.", "ehr_device_usability", "hypothetical"),
    ("Consider adding a float nurse on nights.", "understaffing", "hypothetical"),
    ("Suggest training on the new pumps.", "training_orientation", "hypothetical"),
    ("Would benefit from a standard handoff tool.", "policy_procedure", "hypothetical"),
    ("In the future a bed alarm could prevent this.", "equipment_supplies", "hypothetical"),
    ("A quiet zone for med prep would help.", "interruptions", "hypothetical"),
    (
        "If there had been a sitter available she would not have fallen.",
        "understaffing",
        "hypothetical",
    ),
    ("Could have used more staff that night.", "understaffing", "hypothetical"),
    # scope stops at termination terms and sentence ends
    ("No float was requested, but we were short staffed.", "understaffing", "asserted"),
    ("Staffing was adequate. Pt was confused all night.", "patient_factors", "asserted"),
    ("The pump was fine; however the glucometer was broken.", "equipment_supplies", "asserted"),
    ("Not the first time: alarms going off all night again.", "alert_fatigue", "asserted"),
    ("Denies pain. Pt confused and agitated overnight.", "patient_factors", "asserted"),
    ("No injury. Nurse interrupted three times during the med pass.", "interruptions", "asserted"),
    ("No harm came to the pt although we were short staffed.", "understaffing", "asserted"),
    ("No injury, pt confused.", "patient_factors", "asserted"),
    # pseudo-triggers do not negate
    ("Not only were we short staffed, the float was pulled.", "understaffing", "asserted"),
    ("We no longer get a float and were short staffed again.", "understaffing", "asserted"),
    ("Pt has no longer been oriented; confused since surgery.", "patient_factors", "asserted"),
    # factor phrases that contain a negative word are not negated by it
    ("No float available tonight.", "understaffing", "asserted"),
    ("No orientation to the new pumps was given.", "training_orientation", "asserted"),
    ("Call-outs not replaced.", "understaffing", "asserted"),
    ("No bed available in ICU, pt boarded in ED.", "bed_flow", "asserted"),
    # naming a topic is not evidence of the factor
    ("The alarm sounded and the nurse responded at once.", "alert_fatigue", "absent"),
    ("Staffing for the shift: 5 RNs and 2 CNAs.", "understaffing", "absent"),
    ("Pt transferred to ICU with report given.", "fragmented_handoff", "absent"),
    ("The pump was programmed for 50 mL/hr.", "equipment_supplies", "absent"),
    # a passive negated action reads as the active one ("did not use the checklist")
    ("The pharmacist did not use the checklist.", "policy_procedure", "negated"),
    ("The checklist was not used.", "policy_procedure", "negated"),
    # ... but a handoff that was not communicated is still the handoff factor
    ("The potassium result was not communicated at handoff.", "fragmented_handoff", "asserted"),
]


def _evidence(pipeline, text):
    doc = pipeline.nlp(clean_for_nlp(text))
    return collect_evidence(doc, text, pipeline.labels, pipeline.mention_rules)


@pytest.mark.parametrize(("text", "label", "expected"), CASES)
def test_context_scope(rules_pipeline, text, label, expected):
    pipeline = rules_pipeline
    ev = _evidence(pipeline, text)[label]
    result = pipeline.analyze(text)
    if expected == "asserted":
        assert ev.positive, f"no positive evidence for {label}"
        assert result.scores[label] > pipeline.analyze("").scores[label]
    elif expected == "negated":
        assert ev.negated and not ev.positive, f"{label}: {ev}"
        assert label not in result.labels
    elif expected == "hypothetical":
        assert ev.hypothetical and not ev.positive, f"{label}: {ev}"
        assert label not in result.labels
    else:
        assert not ev.positive and label not in result.labels


def test_the_suite_has_at_least_60_cases():
    assert len(CASES) >= 60
