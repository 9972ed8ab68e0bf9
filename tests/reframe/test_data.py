"""Reframing data files: schema checks and the priors file being current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from syscause.errors import RuleFileError
from syscause.reframe.data import _check_keys, label_questions, lexicon, templates

ROOT = Path(__file__).resolve().parents[2]


def test_unknown_key_is_named_with_the_allowed_ones():
    with pytest.raises(RuleFileError, match=r"lexicon.json: unknown keys \['colour'\]; allowed"):
        _check_keys("lexicon.json", {"roles": [], "colour": 1}, {"roles"}, {"roles"})


def test_missing_key_is_named():
    with pytest.raises(RuleFileError, match=r"missing keys \['roles'\]"):
        _check_keys("lexicon.json", {}, {"roles"}, {"roles"})


def test_every_v1_label_has_questions():
    from syscause.taxonomy import load_taxonomy

    assert set(label_questions()) == set(load_taxonomy("default").ids)


def test_templates_state_no_facts():
    from syscause.reframe.guard import fact_tokens

    phrases = [*templates().cue_clauses.values(), *templates().statements.values()]
    for phrase in phrases:
        assert fact_tokens(phrase) == [], phrase
    assert "nurse" in lexicon().roles


def test_event_priors_match_the_train_split():
    spec = importlib.util.spec_from_file_location(
        "build_reframe_priors", ROOT / "scripts" / "build_reframe_priors.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import json

    shipped = json.loads(module.OUT.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(module.build(3)))
