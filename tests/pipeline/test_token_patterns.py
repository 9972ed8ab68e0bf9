"""The anchored token-pattern matcher gives exactly spaCy Matcher's matches, faster."""

from __future__ import annotations

import pytest
import spacy
from spacy.matcher import Matcher

from syscause.pipeline.finite_regex import finite_words
from syscause.pipeline.pattern_ruler import PatternRuler, expand_to_phrases
from syscause.pipeline.token_patterns import TokenPatternMatcher
from syscause.rules import load_cue_rules, load_evidence_rules

NLP = spacy.blank("en")

# (pattern, text): each row is matched by both engines, with and without greedy="LONGEST".
PARITY = [
    ([{"LOWER": "short"}, {"LOWER": {"REGEX": r"^\d+$"}}, {"LOWER": "rns"}], "We were short 3 RNs"),
    ([{"LOWER": {"IN": ["a", "b"]}}, {"LOWER": "b", "OP": "?"}], "a b b a"),
    ([{"LOWER": "x", "OP": "?"}, {"LOWER": "a"}, {"LOWER": "y", "OP": "?"}], "x a y a x a"),
    ([{"LIKE_NUM": True}, {"LOWER": {"IN": ["pts", "patients"]}}], "had 7 pts and ten patients"),
    ([{"LOWER": {"FUZZY": "fatigue"}}], "Fatigeu and fatigue, fatgiue, figure"),
    ([{"LOWER": {"FUZZY1": "barrier"}}, {"LOWER": "noted"}], "barier noted, barrrierr noted"),
    ([{"LOWER": "not"}, {"LOWER": "a", "OP": "!"}, {"LOWER": "staff"}], "not a staff, not 1 staff"),
    ([{"TEXT": "-"}, {"LOWER": "up"}], "follow - up, follow-up"),
    ([{"TEXT": {"REGEX": r"^1:[4-9]$"}}, {"LOWER": "ratio"}], "1:5 ratio, 1:3 ratio"),
    ([{"LOWER": {"REGEX": "^(re-?educated|retrained)$"}}], "RN re-educated and RETRAINED"),
    ([{"LOWER": {"NOT_IN": ["the"]}}, {"LOWER": "alarm"}], "the alarm, bed alarm"),
    ([{"LOWER": "a"}, {"LOWER": "a", "OP": "?"}, {"LOWER": "a", "OP": "?"}], "a a a a"),
    ([{"LOWER": "call"}, {"LOWER": {"IN": ["light", "bell"]}}, {"LOWER": "on", "OP": "?"}], "call"),
    ([{"IS_DIGIT": True}, {"LOWER": "hours"}], "worked 16 hours, sixteen hours"),
]


def _spacy(pattern, doc, greedy):
    m = Matcher(NLP.vocab, validate=True)
    m.add("r", [pattern], greedy="LONGEST" if greedy else None)
    return sorted((s, e) for _, s, e in m(doc))


def _ours(pattern, doc, greedy):
    m = TokenPatternMatcher(NLP.vocab)
    assert m.add(0, pattern, greedy=greedy)
    return sorted((s, e) for _, s, e in m(doc))


@pytest.mark.parametrize("greedy", [True, False])
@pytest.mark.parametrize(("pattern", "text"), PARITY)
def test_same_matches_as_spacy(pattern, text, greedy):
    doc = NLP.make_doc(text)
    assert _ours(pattern, doc, greedy) == _spacy(pattern, doc, greedy)


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "a", "OP": "+"}],
        [{"LOWER": "a", "OP": "*"}, {"LOWER": "b"}],
        [{"POS": "NOUN"}],
        [{"LOWER": "a", "OP": "?"}],  # nothing required: could match nothing
        [{"_": {"flag": True}}],
    ],
)
def test_unsupported_patterns_are_refused(pattern):
    assert not TokenPatternMatcher(NLP.vocab).add(0, pattern, greedy=True)


def test_ruler_falls_back_to_spacy_matcher_for_unsupported_patterns():
    ruler = PatternRuler(
        NLP,
        "r",
        spans_key="sc",
        rules=[("r.plus", "lab", [{"LOWER": "very", "OP": "+"}, {"LOWER": "busy"}])],
    )
    assert ruler.n_fallback == 1
    doc = ruler(NLP.make_doc("a very very busy night"))
    assert [(s.text, s.id_, s.label_) for s in doc.spans["sc"]] == [
        ("very very busy", "r.plus", "lab")
    ]


def test_every_shipped_rule_takes_a_fast_path(pipeline):
    """A rule that needs spaCy's Matcher slows every document: keep the rules in the subset."""
    for name in ("syscause_evidence_ruler", "syscause_blame_cues"):
        assert pipeline.nlp.get_pipe(name).n_fallback == 0, name


@pytest.fixture(scope="module")
def shipped_rules():
    return [
        (r.id, r.pattern)
        for r in [*load_evidence_rules(), *load_cue_rules()]
        if not isinstance(r.pattern, str) and expand_to_phrases(r.pattern) is None
    ]


def test_shipped_rules_match_like_spacy_on_their_examples(shipped_rules):
    examples = " \n".join(
        ex for r in [*load_evidence_rules(), *load_cue_rules()] for ex in r.examples
    )
    doc = NLP.make_doc(examples)
    ours = TokenPatternMatcher(NLP.vocab)
    theirs = Matcher(NLP.vocab)
    keys = {}
    for i, (rule_id, pattern) in enumerate(shipped_rules):
        assert ours.add(i, pattern, greedy=True)
        theirs.add(rule_id, [pattern], greedy="LONGEST")
        keys[NLP.vocab.strings[rule_id]] = i
    expected = sorted((keys[k], s, e) for k, s, e in theirs(doc))
    assert sorted(ours(doc)) == expected
    assert len(expected) > 300  # the examples really exercise the rules


def test_ruler_orders_equal_spans_by_rule_order():
    rules = [
        ("b.second", "x", [{"LOWER": {"REGEX": "^naps?$"}}]),
        ("a.first", "x", [{"LOWER": {"IN": ["nap", "naps"]}}]),
    ]
    doc = PatternRuler(NLP, "r", spans_key="sc", rules=rules)(NLP.make_doc("no nap"))
    assert [s.id_ for s in doc.spans["sc"]] == ["b.second", "a.first"]


@pytest.mark.parametrize(
    ("regex", "words"),
    [
        ("^(re-?educated|retrained)$", {"reeducated", "re-educated", "retrained"}),
        ("^1:[4-6]$", {"1:4", "1:5", "1:6"}),
        ("^a$|^bc?$", {"a", "b", "bc"}),
    ],
)
def test_finite_regex_becomes_its_words(regex, words):
    # "$" also matches before a final line break, so those variants come along
    assert finite_words(regex) == frozenset(words | {w + "\n" for w in words})


@pytest.mark.parametrize(
    "regex",
    [r"^\d+$", "^a+$", "abc", "^abc", "(?i)^abc$", "^a.c$", "^[^a]$", r"^(a)\1$"],
)
def test_open_ended_regex_stays_a_regex(regex):
    assert finite_words(regex) is None


@pytest.mark.parametrize("greedy", [True, False])
def test_sentence_start_first_token_matches_like_spacy(greedy):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    pattern = [{"IS_SENT_START": True, "LOWER": "did"}, {"LOWER": "not"}, {"IS_ALPHA": True}]
    doc = nlp("Did not scan. The RN did not call. Did not chart, did not call.")
    assert _ours(pattern, doc, greedy) == _spacy(pattern, doc, greedy)
    assert _ours(pattern, doc, greedy) == [(0, 3), (10, 13)]


def test_sentence_start_only_on_a_required_first_token():
    m = TokenPatternMatcher(NLP.vocab)
    assert not m.add(0, [{"LOWER": "a"}, {"IS_SENT_START": True, "LOWER": "b"}], greedy=True)
    assert not m.add(1, [{"IS_SENT_START": True, "LOWER": "b", "OP": "?"}], greedy=True)
