"""The no-new-facts guard."""

from __future__ import annotations

import pytest

from syscause.reframe.guard import adds_no_facts, fact_tokens, new_facts

ORIGINAL = "RN failed to check the heparin dose at 0200 with Dr. Okafor."


@pytest.mark.parametrize(
    ("rewrite", "kind"),
    [
        ("The heparin dose was not checked at 0300.", "time"),
        ("The 5 unit heparin dose was not checked.", "number"),
        ("The insulin dose was not checked at 0200.", "drug"),
        ("The pharmacist did not see the heparin dose.", "role"),
        ("The dose was not checked with Dr. Mensah.", "proper noun"),
        ("The dose was not checked on Tuesday.", "time"),
        ("Two checks of the heparin dose were missed.", "number"),
    ],
)
def test_new_fact_is_caught(rewrite, kind):
    found = new_facts(rewrite, ORIGINAL)
    assert found and found[0].kind == kind
    assert not adds_no_facts(rewrite, ORIGINAL)


@pytest.mark.parametrize(
    "rewrite",
    [
        "The heparin dose was not checked at 0200; what stood in the way at that moment?",
        "Checking the heparin dose with Dr. Okafor was not done.",
        "Follow-up so far has focused on the individual.",
    ],
)
def test_rewrite_from_the_original_words_passes(rewrite):
    assert adds_no_facts(rewrite, ORIGINAL)


def test_fact_elsewhere_in_the_narrative_is_allowed():
    narrative = "Pt on 7 West had 3 RNs for 30 pts. " + ORIGINAL
    assert adds_no_facts("The heparin dose was not checked on 7 West.", ORIGINAL, narrative)
    assert not adds_no_facts("The heparin dose was not checked on 7 West.", ORIGINAL)


def test_clause_initial_capital_is_not_a_proper_noun():
    assert fact_tokens("Checking was not done; What got in the way?") == []


def test_capitals_text_checks_words_not_case():
    original = "RN DID NOT READ ORDER FOR 2 MG."
    assert adds_no_facts("ORDER FOR 2 MG WAS NOT READ.", original)
    assert not adds_no_facts("ORDER FOR 4 MG WAS NOT READ.", original)
