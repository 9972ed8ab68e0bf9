"""Taxonomies as versioned data: loading, validation and lookup.

A taxonomy is a JSON file (``resources/taxonomies/<name>.json`` for the shipped ones, or any
path) with ``name``, ``version``, ``description`` and ``labels``; each label has ``id``,
``name``, ``definition``, ``cues``, ``aliases`` and ``mappings``. The loader rejects unknown
keys and names the file and the offending label.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from syscause.errors import TaxonomyError

SHIPPED = {"default": "v1", "v1": "v1", "asrs-hf": "asrs-hf"}
_TOP_KEYS = {"name", "version", "description", "labels"}
_LABEL_KEYS = {"id", "name", "definition", "cues", "aliases", "mappings"}
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Label:
    """One label of a taxonomy."""

    id: str
    name: str
    definition: str
    cues: tuple[str, ...]
    aliases: tuple[str, ...]
    mappings: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A named, versioned set of labels."""

    name: str
    version: str
    description: str
    labels: tuple[Label, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """Label ids in taxonomy order."""
        return tuple(label.id for label in self.labels)

    def get(self, label_id: str) -> Label:
        """Return the label with this id."""
        for label in self.labels:
            if label.id == label_id:
                return label
        raise TaxonomyError(f"label {label_id!r} is not in taxonomy {self.version!r}")

    def resolve(self, name: str) -> str | None:
        """Map a label id, display name or alias (case-insensitive) to its id; None if unknown."""
        key = name.strip().casefold()
        for label in self.labels:
            if key == label.id or key == label.name.casefold():
                return label.id
            if any(key == alias.casefold() for alias in label.aliases):
                return label.id
        return None


def _require(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise TaxonomyError(f"{where}: {message}")


def _str_list(value: Any, where: str, field: str) -> tuple[str, ...]:
    _require(
        isinstance(value, list) and all(isinstance(v, str) for v in value),
        where,
        f"{field!r} must be a list of strings",
    )
    return tuple(value)


def parse_taxonomy(data: Any, where: str) -> Taxonomy:
    """Validate a decoded taxonomy document and build a :class:`Taxonomy`."""
    _require(isinstance(data, dict), where, "a taxonomy is a JSON object")
    unknown = set(data) - _TOP_KEYS
    _require(not unknown, where, f"unknown keys {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}")
    missing = _TOP_KEYS - set(data)
    _require(not missing, where, f"missing keys {sorted(missing)}")
    _require(isinstance(data["labels"], list) and bool(data["labels"]), where, "'labels' is empty")
    labels: list[Label] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["labels"]):
        at = f"{where}, labels[{i}]"
        _require(isinstance(raw, dict), at, "a label is a JSON object")
        unknown = set(raw) - _LABEL_KEYS
        _require(not unknown, at, f"unknown keys {sorted(unknown)}; allowed: {sorted(_LABEL_KEYS)}")
        for key in ("id", "name", "definition"):
            _require(isinstance(raw.get(key), str) and raw[key], at, f"{key!r} must be a string")
        label_id = raw["id"]
        _require(bool(_ID_RE.match(label_id)), at, f"id {label_id!r} must be snake_case")
        _require(label_id not in seen, at, f"duplicate id {label_id!r}")
        seen.add(label_id)
        mappings = raw.get("mappings", {})
        _require(isinstance(mappings, dict), at, "'mappings' must be an object")
        labels.append(
            Label(
                id=label_id,
                name=raw["name"],
                definition=raw["definition"],
                cues=_str_list(raw.get("cues", []), at, "cues"),
                aliases=_str_list(raw.get("aliases", []), at, "aliases"),
                mappings={k: _str_list(v, at, f"mappings.{k}") for k, v in mappings.items()},
            )
        )
    for key in ("name", "version", "description"):
        _require(isinstance(data[key], str), where, f"{key!r} must be a string")
    return Taxonomy(data["name"], data["version"], data["description"], tuple(labels))


@lru_cache(maxsize=16)
def load_taxonomy(name_or_path: str = "default") -> Taxonomy:
    """Load a shipped taxonomy by name (``default``, ``v1``, ``asrs-hf``) or from a JSON file."""
    if name_or_path in SHIPPED:
        ref = resources.files("syscause") / "resources" / "taxonomies"
        text = (ref / f"{SHIPPED[name_or_path]}.json").read_text(encoding="utf-8")
        where = f"shipped taxonomy {name_or_path!r}"
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise TaxonomyError(
                f"taxonomy {name_or_path!r} is neither a shipped taxonomy "
                f"({', '.join(sorted(SHIPPED))}) nor a file"
            )
        text = path.read_text(encoding="utf-8")
        where = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TaxonomyError(f"{where}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    return parse_taxonomy(data, where)
