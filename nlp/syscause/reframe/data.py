"""Reframing data files (``resources/reframe/*.json``), loaded once with a strict schema.

- ``lexicon.json``: role, drug, time and number words (fact-bearing, used by the guard) and
  the word lists of the rewrite grammar (irregular participles, nominals, ...).
- ``templates.json``: the fixed phrases rewrites and questions are assembled from.
- ``questions.json``: investigator questions per factor label of taxonomy v1.
- ``event_kinds.json``: keywords per kind of event; ``event_priors.json``: the factors most
  often behind each kind in the corpus train split (built by scripts/build_reframe_priors.py).

The loader rejects unknown or missing keys and names the file and the allowed keys.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from syscause.errors import RuleFileError

_LEXICON_KEYS = {
    "about",
    "roles",
    "drugs",
    "time_words",
    "number_words",
    "irregular_verbs",
    "doubling_verbs",
    "nominals",
    "failure_passives",
    "knowledge_verbs",
    "drop_adverbs",
    "object_pronouns",
}
_TEMPLATE_KEYS = {"about", "cue_clauses", "cue_questions", "statements", "softeners"}
_SOFTENER_KEYS = {"id", "pattern", "replacement"}
_QUESTION_KEYS = {"about", "labels"}
_KINDS_KEYS = {"about", "kinds"}
_PRIOR_KEYS = {"about", "source", "kinds", "default"}
CUE_CLAUSE_KEYS = {
    "person_failure",
    "counterfactual",
    "counterfactual_negative",
    "evaluative",
    "disciplinary",
}
CUE_QUESTION_KEYS = {"person_failure", "counterfactual", "evaluative", "disciplinary"}
STATEMENT_KEYS = {
    "disciplinary",
    "disciplinary_training",
    "evaluative",
    "not_happen",
    "went_ahead",
    "generic_subject",
    "practice_subject",
    "not_done_lead",
}
# second and third (short) wordings of the fixed statements, tried in this order when the
# first would change the factors: a short one dilutes the narrative's words the least
STATEMENT_VARIANTS = ("_alt", "_short")
ALT_STATEMENT_KEYS = {
    key + variant
    for key in ("disciplinary", "disciplinary_training", "evaluative")
    for variant in STATEMENT_VARIANTS
}


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word lists of the rewrite grammar and the guard (all lower case)."""

    roles: frozenset[str]
    drugs: frozenset[str]
    time_words: frozenset[str]
    number_words: frozenset[str]
    irregular_verbs: dict[str, str]
    doubling_verbs: frozenset[str]
    nominals: dict[str, str]
    failure_passives: dict[str, str]
    knowledge_verbs: frozenset[str]
    drop_adverbs: frozenset[str]
    object_pronouns: dict[str, str]


@dataclass(frozen=True, slots=True)
class Templates:
    """Fixed phrases: a question clause and a question per cue type, and statements."""

    cue_clauses: dict[str, str]
    cue_questions: dict[str, str]
    statements: dict[str, str]
    softeners: tuple[tuple[str, re.Pattern[str], str], ...]


@dataclass(frozen=True, slots=True)
class EventPriors:
    """Event-kind keywords and the factor labels most often behind each kind (train split)."""

    keywords: dict[str, tuple[str, ...]]
    factors: dict[str, tuple[str, ...]]
    default: tuple[str, ...]


def _read(name: str, allowed: set[str], required: set[str] | None = None) -> dict[str, Any]:
    where = f"resources/reframe/{name}"
    ref = resources.files("syscause") / "resources" / "reframe" / name
    try:
        data = json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleFileError(f"{where}: file missing from the package") from None
    except json.JSONDecodeError as exc:
        raise RuleFileError(f"{where}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise RuleFileError(f"{where}: expected a JSON object")
    _check_keys(where, data, allowed, required if required is not None else allowed - {"about"})
    return data


def _check_keys(where: str, data: dict[str, Any], allowed: set[str], required: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise RuleFileError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = required - set(data)
    if missing:
        raise RuleFileError(f"{where}: missing keys {sorted(missing)}")


def _words(where: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleFileError(f"{where}: expected a list of strings")
    return frozenset(v.lower() for v in value)


def _mapping(where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise RuleFileError(f"{where}: expected an object of strings")
    return dict(value)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped lexicon."""
    d = _read("lexicon.json", _LEXICON_KEYS)
    w = "resources/reframe/lexicon.json"
    return Lexicon(
        roles=_words(f"{w}: roles", d["roles"]),
        drugs=_words(f"{w}: drugs", d["drugs"]),
        time_words=_words(f"{w}: time_words", d["time_words"]),
        number_words=_words(f"{w}: number_words", d["number_words"]),
        irregular_verbs=_mapping(f"{w}: irregular_verbs", d["irregular_verbs"]),
        doubling_verbs=_words(f"{w}: doubling_verbs", d["doubling_verbs"]),
        nominals=_mapping(f"{w}: nominals", d["nominals"]),
        failure_passives=_mapping(f"{w}: failure_passives", d["failure_passives"]),
        knowledge_verbs=_words(f"{w}: knowledge_verbs", d["knowledge_verbs"]),
        drop_adverbs=_words(f"{w}: drop_adverbs", d["drop_adverbs"]),
        object_pronouns=_mapping(f"{w}: object_pronouns", d["object_pronouns"]),
    )


@lru_cache(maxsize=1)
def templates() -> Templates:
    """The shipped rewrite and question phrases."""
    d = _read("templates.json", _TEMPLATE_KEYS)
    w = "resources/reframe/templates.json"
    clauses = _mapping(f"{w}: cue_clauses", d["cue_clauses"])
    questions = _mapping(f"{w}: cue_questions", d["cue_questions"])
    statements = _mapping(f"{w}: statements", d["statements"])
    _check_keys(f"{w}: cue_clauses", clauses, CUE_CLAUSE_KEYS, CUE_CLAUSE_KEYS)
    _check_keys(f"{w}: cue_questions", questions, CUE_QUESTION_KEYS, CUE_QUESTION_KEYS)
    _check_keys(f"{w}: statements", statements, STATEMENT_KEYS | ALT_STATEMENT_KEYS, STATEMENT_KEYS)
    softeners = []
    for i, raw in enumerate(d["softeners"]):
        where = f"{w}: softeners[{i}]"
        if not isinstance(raw, dict):
            raise RuleFileError(f"{where}: expected an object")
        _check_keys(where, raw, _SOFTENER_KEYS, _SOFTENER_KEYS)
        try:
            pattern = re.compile(raw["pattern"], re.IGNORECASE)
        except re.error as exc:
            raise RuleFileError(f"{where}: invalid pattern ({exc})") from None
        softeners.append((str(raw["id"]), pattern, str(raw["replacement"])))
    return Templates(clauses, questions, statements, tuple(softeners))


@lru_cache(maxsize=1)
def label_questions() -> dict[str, tuple[str, ...]]:
    """Investigator questions per taxonomy v1 label id."""
    d = _read("questions.json", _QUESTION_KEYS)
    labels = d["labels"]
    if not isinstance(labels, dict):
        raise RuleFileError("resources/reframe/questions.json: 'labels' must be an object")
    out: dict[str, tuple[str, ...]] = {}
    for label, qs in labels.items():
        where = f"resources/reframe/questions.json: labels.{label}"
        if not isinstance(qs, list) or not qs or not all(isinstance(q, str) for q in qs):
            raise RuleFileError(f"{where}: expected a non-empty list of strings")
        out[label] = tuple(qs)
    return out


@lru_cache(maxsize=1)
def event_priors() -> EventPriors:
    """Event-kind keywords and the train-split factor priors per kind."""
    kinds = _read("event_kinds.json", _KINDS_KEYS)["kinds"]
    priors = _read("event_priors.json", _PRIOR_KEYS)
    w = "resources/reframe/event_priors.json"
    keywords: dict[str, tuple[str, ...]] = {}
    for kind, words in kinds.items():
        keywords[kind] = tuple(sorted(_words(f"event_kinds.json: {kind}", words)))
    factors: dict[str, tuple[str, ...]] = {}
    for kind, entry in priors["kinds"].items():
        if not isinstance(entry, dict) or set(entry) != {"n", "factors"}:
            raise RuleFileError(f"{w}: kinds.{kind} must have exactly the keys ['factors', 'n']")
        factors[kind] = tuple(str(f[0]) for f in entry["factors"])
    default = tuple(str(f[0]) for f in priors["default"])
    return EventPriors(keywords, factors, default)
