"""Loading rule and lexicon data files (JSON Lines) with a strict schema.

Three kinds ship in ``resources/rules``: ``evidence.jsonl`` (factor evidence patterns),
``context.jsonl`` (negation and hypothetical triggers) and ``blame_cues.jsonl`` (blame-framing
cues). Each line is one rule with a stable ``id`` and a human-readable ``literal``; the loader
rejects unknown or missing keys and names the file, the line and the allowed keys.

A cue or evidence pattern may list ``"$STAFF_ROLES"`` among a token's ``IN`` (or
``NOT_IN``) values: the loader puts the staff role words of ``staff_roles.txt`` there, so
that every person-subject pattern knows every role ("Phlebotomist was counseled" as well as
"RN was counseled").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from syscause.errors import RuleFileError

Pattern = str | list[dict[str, Any]]
STAFF_ROLES = "$STAFF_ROLES"

CUE_TYPES = ("person_failure", "evaluative", "counterfactual", "disciplinary")
CONTEXT_CATEGORIES = ("negation", "hypothetical")
CONTEXT_DIRECTIONS = ("preceding", "following", "pseudo", "termination")
# "assert" evidence states the factor; a "mention" only names its topic ("staffing",
# "alarms") and counts solely when negated or hypothetical ("staffing was adequate").
EVIDENCE_KINDS = ("assert", "mention")


@dataclass(frozen=True, slots=True)
class EvidenceRule:
    """A pattern whose match is evidence for one factor label."""

    id: str
    label: str
    literal: str
    pattern: Pattern
    examples: tuple[str, ...]
    kind: str = "assert"


@dataclass(frozen=True, slots=True)
class ContextRule:
    """A negation or hypothetical trigger phrase and the direction of its scope."""

    id: str
    category: str
    direction: str
    literal: str
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CueRule:
    """A pattern whose match is a blame-framing cue of one family."""

    id: str
    type: str
    literal: str
    pattern: Pattern
    examples: tuple[str, ...]


_OPTIONAL: dict[str, set[str]] = {"evidence": {"kind"}, "context": set(), "blame_cues": set()}
_SCHEMAS: dict[str, set[str]] = {
    "evidence": {"id", "label", "literal", "pattern", "examples"},
    "context": {"id", "category", "direction", "literal", "examples"},
    "blame_cues": {"id", "type", "literal", "pattern", "examples"},
}


def _rules_dir() -> Path:
    return Path(str(resources.files("syscause") / "resources" / "rules"))


def _read_lines(path: Path, kind: str) -> list[tuple[int, dict[str, Any]]]:
    required = _SCHEMAS[kind]
    allowed = required | _OPTIONAL[kind]
    out: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read rule file ({exc.strerror})") from None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name}, line {lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"{where}: invalid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise RuleFileError(f"{where}: a rule is a JSON object")
        unknown = set(obj) - allowed
        missing = required - set(obj)
        if unknown or missing:
            detail = f"unknown keys {sorted(unknown)}" if unknown else f"missing {sorted(missing)}"
            raise RuleFileError(f"{where}: {detail}; allowed keys: {sorted(allowed)}")
        if not isinstance(obj["id"], str) or not obj["id"]:
            raise RuleFileError(f"{where}: 'id' must be a non-empty string")
        if obj["id"] in seen:
            raise RuleFileError(f"{where}: duplicate id {obj['id']!r}")
        seen.add(obj["id"])
        if not isinstance(obj["literal"], str) or not obj["literal"]:
            raise RuleFileError(f"{where}: 'literal' must be a non-empty string")
        ex = obj["examples"]
        if not isinstance(ex, list) or not all(isinstance(e, str) for e in ex):
            raise RuleFileError(f"{where}: 'examples' must be a list of strings")
        if "pattern" in obj:
            pat = obj["pattern"]
            ok = (isinstance(pat, str) and pat.strip()) or (
                isinstance(pat, list) and pat and all(isinstance(t, dict) for t in pat)
            )
            if not ok:
                raise RuleFileError(
                    f"{where}: 'pattern' must be a phrase string or a list of token objects"
                )
        out.append((lineno, obj))
    return out


def _choice(value: Any, allowed: tuple[str, ...] | frozenset[str], where: str, key: str) -> str:
    if value not in allowed:
        raise RuleFileError(f"{where}: {key} {value!r} is not one of {sorted(allowed)}")
    return str(value)


def load_evidence_rules(
    path: Path | None = None, *, labels: frozenset[str] | None = None
) -> list[EvidenceRule]:
    """Load evidence patterns; with ``labels``, reject rules for labels outside that set."""
    path = path or _rules_dir() / "evidence.jsonl"
    rules = []
    for lineno, obj in _read_lines(path, "evidence"):
        where = f"{path.name}, line {lineno}"
        if labels is not None:
            _choice(obj["label"], labels, where, "label")
        kind = _choice(obj.get("kind", "assert"), EVIDENCE_KINDS, where, "kind")
        rules.append(
            EvidenceRule(
                obj["id"],
                obj["label"],
                obj["literal"],
                _with_roles(obj["pattern"]),
                tuple(obj["examples"]),
                kind,
            )
        )
    return rules


@lru_cache(maxsize=1)
def mention_rule_ids() -> frozenset[str]:
    """Ids of the shipped topic-mention rules ("staffing"): evidence only when negated or
    hypothetical (see ``syscause.classify.collect_evidence``)."""
    return frozenset(r.id for r in load_evidence_rules() if r.kind == "mention")


def load_context_rules(path: Path | None = None) -> list[ContextRule]:
    """Load negation and hypothetical trigger terms."""
    path = path or _rules_dir() / "context.jsonl"
    rules = []
    for lineno, obj in _read_lines(path, "context"):
        where = f"{path.name}, line {lineno}"
        rules.append(
            ContextRule(
                obj["id"],
                _choice(obj["category"], CONTEXT_CATEGORIES, where, "category"),
                _choice(obj["direction"], CONTEXT_DIRECTIONS, where, "direction"),
                obj["literal"],
                tuple(obj["examples"]),
            )
        )
    return rules


@lru_cache(maxsize=1)
def staff_roles() -> tuple[str, ...]:
    """The staff role words of ``staff_roles.txt`` (comments and blank lines skipped)."""
    text = (_rules_dir() / "staff_roles.txt").read_text(encoding="utf-8")
    words = (line.strip() for line in text.splitlines())
    return tuple(w for w in words if w and not w.startswith("#"))


def _with_roles(value: Any) -> Any:
    """``value`` with each ``"$STAFF_ROLES"`` list entry replaced by the staff role words."""
    if isinstance(value, dict):
        return {k: _with_roles(v) for k, v in value.items()}
    if isinstance(value, list):
        if STAFF_ROLES in value:
            own = [v for v in value if v != STAFF_ROLES]
            return own + [w for w in staff_roles() if w not in own]
        return [_with_roles(v) for v in value]
    return value


def load_cue_rules(path: Path | None = None) -> list[CueRule]:
    """Load blame-framing cue patterns (``"$STAFF_ROLES"`` expanded)."""
    path = path or _rules_dir() / "blame_cues.jsonl"
    rules = []
    for lineno, obj in _read_lines(path, "blame_cues"):
        where = f"{path.name}, line {lineno}"
        rules.append(
            CueRule(
                obj["id"],
                _choice(obj["type"], CUE_TYPES, where, "type"),
                obj["literal"],
                _with_roles(obj["pattern"]),
                tuple(obj["examples"]),
            )
        )
    return rules
