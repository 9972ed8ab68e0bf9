"""Parse-based person-subject + failure-verb cues, on hand-built parses."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from syscause.pipeline.person_failure import failure_cues


def parsed(words, heads, deps, pos, lemmas, tags=None):
    vocab = spacy.blank("en").vocab
    return Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas, tags=tags)


def cue_texts(doc):
    return [doc.text[s:e] for s, e in failure_cues(doc)]


def test_rn_failed_to_verify():
    doc = parsed(
        ["The", "RN", "failed", "to", "verify", "the", "armband"],
        [1, 2, 2, 4, 2, 6, 4],
        ["det", "nsubj", "ROOT", "aux", "xcomp", "det", "dobj"],
        ["DET", "NOUN", "VERB", "PART", "VERB", "DET", "NOUN"],
        ["the", "rn", "fail", "to", "verify", "the", "armband"],
    )
    assert cue_texts(doc) == ["The RN failed to verify"]


def test_i_forgot_to_restart():
    doc = parsed(
        ["I", "forgot", "to", "restart", "the", "drip"],
        [1, 1, 3, 1, 5, 3],
        ["nsubj", "ROOT", "aux", "xcomp", "det", "dobj"],
        ["PRON", "VERB", "PART", "VERB", "DET", "NOUN"],
        ["I", "forget", "to", "restart", "the", "drip"],
    )
    assert cue_texts(doc) == ["I forgot to restart"]


def test_pharmacist_did_not_catch():
    doc = parsed(
        ["Pharmacist", "did", "not", "catch", "the", "duplicate"],
        [3, 3, 3, 3, 5, 3],
        ["nsubj", "aux", "neg", "ROOT", "det", "dobj"],
        ["NOUN", "AUX", "PART", "VERB", "DET", "NOUN"],
        ["pharmacist", "do", "not", "catch", "the", "duplicate"],
    )
    assert cue_texts(doc) == ["Pharmacist did not catch"]


@pytest.mark.parametrize(
    ("words", "heads", "deps", "pos", "lemmas", "tags"),
    [
        # a device, not a person, as the subject
        (
            ["The", "pump", "failed", "to", "alarm"],
            [1, 2, 2, 4, 2],
            ["det", "nsubj", "ROOT", "aux", "xcomp"],
            ["DET", "NOUN", "VERB", "PART", "VERB"],
            ["the", "pump", "fail", "to", "alarm"],
            None,
        ),
        # a person subject with a neutral verb
        (
            ["The", "RN", "checked", "the", "armband"],
            [1, 2, 2, 4, 2],
            ["det", "nsubj", "ROOT", "det", "dobj"],
            ["DET", "NOUN", "VERB", "DET", "NOUN"],
            ["the", "rn", "check", "the", "armband"],
            None,
        ),
        # passive: the dose was missed (no agent)
        (
            ["The", "dose", "was", "missed"],
            [1, 3, 3, 3],
            ["det", "nsubjpass", "auxpass", "ROOT"],
            ["DET", "NOUN", "AUX", "VERB"],
            ["the", "dose", "be", "miss"],
            None,
        ),
        # the wrong thing received in the passive: no agent
        (
            ["RN", "was", "given", "the", "wrong", "chart"],
            [2, 2, 2, 5, 5, 2],
            ["nsubjpass", "auxpass", "ROOT", "det", "amod", "dobj"],
            ["NOUN", "AUX", "VERB", "DET", "ADJ", "NOUN"],
            ["rn", "be", "give", "the", "wrong", "chart"],
            ["NN", "VBD", "VBN", "DT", "JJ", "NN"],
        ),
        # a wrong thing done by a capitalised word, which names no one for sure
        (
            ["Troponin", "resulted", "to", "wrong", "pt"],
            [1, 1, 1, 4, 2],
            ["nsubj", "ROOT", "prep", "amod", "pobj"],
            ["PROPN", "VERB", "ADP", "ADJ", "NOUN"],
            ["troponin", "result", "to", "wrong", "pt"],
            ["NNP", "VBD", "IN", "JJ", "NN"],
        ),
        # an attitude is no lapse
        (
            ["I", "did", "not", "want", "to", "pull", "her"],
            [3, 3, 3, 3, 5, 3, 5],
            ["nsubj", "aux", "neg", "ROOT", "aux", "xcomp", "dobj"],
            ["PRON", "AUX", "PART", "VERB", "PART", "VERB", "PRON"],
            ["I", "do", "not", "want", "to", "pull", "she"],
            None,
        ),
    ],
)
def test_no_cue(words, heads, deps, pos, lemmas, tags):
    assert cue_texts(parsed(words, heads, deps, pos, lemmas, tags)) == []


def test_a_past_action_on_the_wrong_thing():
    doc = parsed(
        ["Circulator", "gave", "the", "wrong", "allergy", "information"],
        [1, 1, 5, 5, 5, 1],
        ["nsubj", "ROOT", "det", "amod", "compound", "dobj"],
        ["NOUN", "VERB", "DET", "ADJ", "NOUN", "NOUN"],
        ["circulator", "give", "the", "wrong", "allergy", "information"],
        ["NN", "VBD", "DT", "JJ", "NN", "NN"],
    )
    assert cue_texts(doc) == ["Circulator gave"]


@pytest.mark.parser
def test_didnt_tokenised_apart_still_triggers_the_parse(parsed_pipeline):
    text = "The nurse on days didnt do mouth checks after meds."
    cues = [c for c in parsed_pipeline.analyze(text).blame.cues if c.type == "person_failure"]
    assert [c.text for c in cues] == ["The nurse on days didnt do"]
