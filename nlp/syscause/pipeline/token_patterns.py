"""Token patterns matched outward from one indexed token, with predicates cached per string.

spaCy's ``Matcher`` steps every pattern through every token and calls back into Python for
each REGEX, FUZZY or LIKE_NUM test, so with a few hundred rules it took nearly all of the
pipeline's time. This matcher handles the subset the rule files use and gives the same
``(key, start, end)`` matches:

1. every token test (an *atom*: ``{"LOWER": {"IN": [...]}}``, ``{"LIKE_NUM": true}``, ...)
   is answered once per distinct token string and cached, since archives repeat words; a
   regex that only spells out a finite word list is turned into that list;
2. every pattern is indexed by one required token, its *anchor*, preferably a rare word;
   a PhraseMatcher over the anchor words finds, in compiled code, the few places where a
   pattern could start growing, and a pattern whose other required words are absent from
   the document is skipped before any token is looked at;
3. a hit grows from the anchor to the left and to the right, optional tokens branching.

A first token may require ``IS_SENT_START`` (checked on each hit). Patterns outside the
subset (``*``, ``+``, ranges, other token-level attributes, extensions) are refused by
:meth:`TokenPatternMatcher.add`; callers give those to spaCy's ``Matcher``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import LOWER, ORTH, SENT_START
from spacy.lexeme import Lexeme
from spacy.matcher.levenshtein import levenshtein_compare
from spacy.tokens import Doc
from spacy.vocab import Vocab

from syscause.pipeline.finite_regex import finite_words

# Pattern keys answered by the string alone: the same for every token of that string.
STRING_ATTRS = {"LOWER": "lower_", "TEXT": "orth_", "ORTH": "orth_"}
FLAG_ATTRS = {
    "LIKE_NUM": "like_num",
    "LIKE_URL": "like_url",
    "LIKE_EMAIL": "like_email",
    "IS_ALPHA": "is_alpha",
    "IS_ASCII": "is_ascii",
    "IS_DIGIT": "is_digit",
    "IS_LOWER": "is_lower",
    "IS_UPPER": "is_upper",
    "IS_TITLE": "is_title",
    "IS_PUNCT": "is_punct",
    "IS_SPACE": "is_space",
    "IS_STOP": "is_stop",
    "IS_BRACKET": "is_bracket",
    "IS_QUOTE": "is_quote",
    "IS_CURRENCY": "is_currency",
}
_FUZZY = re.compile(r"^FUZZY[1-9]?$")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")
# How often words occur in narratives (per million tokens; the commonest only), so that a
# pattern is indexed by its rarest word. Only speed depends on it, never the matches.
FREQUENCY_FILE = Path(__file__).resolve().parents[1] / "resources/rules/token_frequencies.json"
_RARE = 1.0  # per-million frequency assumed for a word outside the table
# Per-million frequency added to a test atom's estimate for the strings outside the table.
_TEST_MARGIN = 500.0
# REGEX atoms joined per prefilter: a prefilter hit costs at most this many single tests.
_PREFILTER_GROUP = 12
# Cached answers kept at most; the cache restarts past this (a vocabulary is far smaller).
_CACHE_LIMIT = 2_000_000


@dataclass(frozen=True, slots=True)
class Atom:
    """One token test: a finite word set on one string attribute, or a lexeme predicate."""

    attr: str | None  # "lower_" / "orth_" for a word set, None for a predicate
    words: frozenset[str]
    test: Callable[[Lexeme], bool] | None
    regex: tuple[str, str] | None = None  # (attribute, pattern) of a lone REGEX predicate


@dataclass(frozen=True, slots=True)
class Step:
    """One pattern token: its atom, and whether it may be skipped or must fail."""

    atom: int
    optional: bool
    negated: bool


def _string_test(attr: str, op: str, value: Any) -> Callable[[Lexeme], bool] | None:
    """A predicate for ``{KEY: {op: value}}`` on a string attribute, or None if unsupported."""
    if op in ("IN", "NOT_IN") and isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            return None
        words = frozenset(value)
        if op == "IN":
            return lambda lex: getattr(lex, attr) in words
        return lambda lex: getattr(lex, attr) not in words
    if op == "REGEX" and isinstance(value, str):
        rx = re.compile(value)
        return lambda lex: rx.search(getattr(lex, attr)) is not None
    if _FUZZY.match(op) and isinstance(value, str):
        # spaCy's own comparison, so "FUZZY" allows exactly the edits the Matcher allows
        fuzzy = int(op[5:]) if len(op) > 5 else -1
        return lambda lex: (
            (s := getattr(lex, attr)) == value or levenshtein_compare(s, value, fuzzy)
        )
    return None


def _equals(attr: str, value: str) -> Callable[[Lexeme], bool]:
    return lambda lex: bool(getattr(lex, attr) == value)


def _flag(flag: str, value: bool) -> Callable[[Lexeme], bool]:
    return lambda lex: bool(getattr(lex, flag)) is value


def _word_set(attr: str, value: Any) -> frozenset[str] | None:
    """The words a ``{KEY: value}`` spec accepts, if it is a literal, IN list or finite regex."""
    if isinstance(value, str):
        return frozenset([value])
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op == "IN" and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
        return frozenset(arg)
    if op == "REGEX" and isinstance(arg, str):
        return finite_words(arg)
    return None


def compile_atom(spec: dict[str, Any]) -> Atom | None:
    """Compile one token spec (without ``OP``) into an atom, or None if unsupported."""
    words: tuple[str, frozenset[str]] | None = None
    tests: list[Callable[[Lexeme], bool]] = []
    regex: tuple[str, str] | None = None
    for key, value in spec.items():
        if key in STRING_ATTRS:
            attr = STRING_ATTRS[key]
            found = _word_set(attr, value)
            if found is not None and words is None:
                words = (attr, found)
                continue
            if isinstance(value, str):
                tests.append(_equals(attr, value))
                continue
            if not isinstance(value, dict) or not value:
                return None
            for op, arg in value.items():
                test = _string_test(attr, op, arg)
                if test is None:
                    return None
                tests.append(test)
                if op == "REGEX":
                    regex = (attr, arg)
        elif key in FLAG_ATTRS and isinstance(value, bool):
            flag = FLAG_ATTRS[key]
            tests.append(_flag(flag, value))
        else:
            return None
    if words is not None and not tests:
        attr, allowed = words
        if attr == "lower_":
            # A lower-case form is its own lower case: other words can never match.
            allowed = frozenset(w for w in allowed if w.lower() == w)
        return Atom(attr, allowed, None)
    if words is not None:
        attr, allowed = words
        tests.append(lambda lex: getattr(lex, attr) in allowed)
    if not tests:
        return Atom(None, frozenset(), lambda lex: True)  # {} matches any token
    if len(tests) == 1:
        return Atom(None, frozenset(), tests[0], regex)
    return Atom(None, frozenset(), lambda lex: all(t(lex) for t in tests))


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    try:
        table = json.loads(FREQUENCY_FILE.read_text(encoding="utf-8"))["per_million"]
    except (OSError, ValueError, KeyError):  # no table: every word counts as rare
        return {}
    return {str(w): float(f) for w, f in table.items()}


def _anchor_cost(atom: Atom, vocab: Vocab) -> float:
    """The expected frequency of an atom: a pattern's anchor should be its rarest token.

    A test (regex, fuzzy, flag) is tried on the frequent words of the table; whatever
    passes counts, plus a margin for strings the table lacks (numbers, misspellings).
    """
    freq = _frequencies()
    if atom.test is None:
        return sum(freq.get(w.lower(), _RARE) for w in atom.words)
    passing = sum(f for w, f in freq.items() if atom.test(vocab[w]))
    return passing + _TEST_MARGIN


@dataclass(slots=True)
class _Pattern:
    """A compiled pattern, split around its anchor."""

    key: int  # the caller's rule number
    before: tuple[Step, ...]  # steps left of the anchor, nearest first
    after: tuple[Step, ...]  # steps right of the anchor
    # lower-case hashes of each other required word list: one must occur in the document
    needs: list[frozenset[int]] = field(default_factory=list)


class TokenPatternMatcher:
    """Match many simple token patterns; see the module docstring for how and which."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._atoms: list[Atom] = []
        self._atom_ids: dict[str, int] = {}
        self._by_anchor: dict[int, list[_Pattern]] = {}
        self._greedy: set[int] = set()
        self._sent_start: set[int] = set()  # keys whose match must start a sentence
        self._costs: dict[int, float] = {}
        self._built = False
        # Built by _build() from the patterns:
        # attr -> (sorted hashes of anchor words, the patterns each anchors)
        self._anchor_words: dict[str, tuple[np.ndarray, list[tuple[_Pattern, ...]]]] = {}
        self._test_anchors: tuple[int, ...] = ()
        self._word_index: dict[tuple[str, str], tuple[int, ...]] = {}
        self._prefilters: list[tuple[str, re.Pattern[str], tuple[int, ...]]] = []
        self._other_tests: tuple[int, ...] = ()
        # orth -> every atom its string passes
        self._atoms_of: dict[int, frozenset[int]] = {}
        # strings tried against the test anchors, and those that pass one (with which)
        self._tested: set[int] = set()
        self._test_anchors_of: dict[int, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_anchor.values())

    def add(self, key: int, pattern: Sequence[dict[str, Any]], *, greedy: bool) -> bool:
        """Add ``pattern`` under ``key``; False (and nothing added) if it is unsupported.

        With ``greedy``, only the longest non-overlapping matches of ``key`` are kept, as
        spaCy's ``greedy="LONGEST"`` does; otherwise every match is.
        """
        sent_start = False
        if pattern and isinstance(pattern[0], dict) and "IS_SENT_START" in pattern[0]:
            # only a required first token that starts a sentence: checked on each hit
            first = pattern[0]
            if first["IS_SENT_START"] is not True or first.get("OP") is not None:
                return False
            pattern = [{k: v for k, v in first.items() if k != "IS_SENT_START"}, *pattern[1:]]
            sent_start = True
        steps = self._steps(pattern)
        if steps is None:
            return False
        required = [i for i, s in enumerate(steps) if not s.optional and not s.negated]
        k = min(required, key=lambda i: (self._cost(steps[i].atom), i))
        compiled = _Pattern(key, tuple(reversed(steps[:k])), tuple(steps[k + 1 :]))
        for i in required:
            atom = self._atoms[steps[i].atom]
            if i != k and atom.attr == "lower_":
                compiled.needs.append(frozenset(self.vocab.strings.add(w) for w in atom.words))
        self._by_anchor.setdefault(steps[k].atom, []).append(compiled)
        if greedy:
            self._greedy.add(key)
        if sent_start:
            self._sent_start.add(key)
        self._built = False
        return True

    def _cost(self, atom_id: int) -> float:
        cost = self._costs.get(atom_id)
        if cost is None:
            cost = self._costs[atom_id] = _anchor_cost(self._atoms[atom_id], self.vocab)
        return cost

    def _steps(self, pattern: Sequence[dict[str, Any]]) -> list[Step] | None:
        """Compile a token pattern into steps, adding new atoms; None if outside the subset."""
        steps: list[Step] = []
        for spec in pattern:
            if not isinstance(spec, dict):
                return None
            op = spec.get("OP")
            if op not in (None, "?", "!"):
                return None
            body = {k: v for k, v in spec.items() if k != "OP"}
            name = json.dumps(body, sort_keys=True)
            if name not in self._atom_ids:
                atom = compile_atom(body)
                if atom is None:
                    return None
                self._atom_ids[name] = len(self._atoms)
                self._atoms.append(atom)
            steps.append(Step(self._atom_ids[name], op == "?", op == "!"))
        if all(s.optional or s.negated for s in steps):
            return None  # nothing to anchor on, and a match could be empty
        return steps

    def _build(self) -> None:
        """Index atoms and anchors once all patterns are in."""
        words: dict[tuple[str, str], list[int]] = {}
        regexes: dict[str, list[tuple[int, str]]] = {}
        others: list[int] = []
        for a, atom in enumerate(self._atoms):
            if atom.test is None:
                assert atom.attr is not None
                for w in atom.words:
                    words.setdefault((atom.attr, w), []).append(a)
            elif atom.regex is not None and not _BACKREF.search(atom.regex[1]):
                regexes.setdefault(atom.regex[0], []).append((a, atom.regex[1]))
            else:
                others.append(a)
        self._word_index = {k: tuple(v) for k, v in words.items()}
        # A string that no REGEX of a group could match costs one C call for the group.
        self._prefilters = []
        for attr, items in regexes.items():
            for i in range(0, len(items), _PREFILTER_GROUP):
                group = items[i : i + _PREFILTER_GROUP]
                try:
                    combined = re.compile("|".join(f"(?:{rx})" for _, rx in group))
                except re.error:  # e.g. inline global flags: test each regex on its own
                    others.extend(a for a, _ in group)
                    continue
                self._prefilters.append((attr, combined, tuple(a for a, _ in group)))
        self._other_tests = tuple(others)

        # Anchor words as sorted hash arrays (one per attribute), each with the patterns it
        # anchors: a document's anchor tokens are found by one vectorised binary search.
        by_hash: dict[str, dict[int, list[_Pattern]]] = {}
        tests = []
        for a in sorted(self._by_anchor):
            atom = self._atoms[a]
            if atom.test is not None:
                tests.append(a)
                continue
            assert atom.attr is not None
            table = by_hash.setdefault(atom.attr, {})
            for w in atom.words:
                table.setdefault(self.vocab.strings.add(w), []).extend(self._by_anchor[a])
        self._anchor_words = {}
        for attr, table in by_hash.items():
            hashes = sorted(table)
            self._anchor_words[attr] = (
                np.array(hashes, dtype=np.uint64),
                [tuple(table[h]) for h in hashes],
            )
        self._test_anchors = tuple(tests)
        self._atoms_of = {}
        self._tested = set()
        self._test_anchors_of = {}
        self._built = True

    def _new_atoms(self, orth: int) -> frozenset[int]:
        """The atoms a string passes, computed once per distinct string and cached."""
        lex = self.vocab[orth]
        found: list[int] = []
        index = self._word_index
        found.extend(index.get(("lower_", lex.lower_), ()))
        found.extend(index.get(("orth_", lex.orth_), ()))
        atoms = self._atoms
        for attr, combined, group in self._prefilters:
            if combined.search(getattr(lex, attr)) is not None:
                found.extend(a for a in group if atoms[a].test(lex))  # type: ignore[misc]
        found.extend(a for a in self._other_tests if atoms[a].test(lex))  # type: ignore[misc]
        if len(self._atoms_of) > _CACHE_LIMIT:
            self._atoms_of.clear()
        result = self._atoms_of[orth] = frozenset(found)
        return result

    def _test_new_string(self, orth: int) -> None:
        """Remember which test anchors (regex, fuzzy) a string passes, if any."""
        if len(self._tested) > _CACHE_LIMIT:
            self._tested.clear()
            self._test_anchors_of.clear()
        self._tested.add(orth)
        atoms = self._atoms_of.get(orth)
        if atoms is None:
            atoms = self._new_atoms(orth)
        found = tuple(a for a in self._test_anchors if a in atoms)
        if found:
            self._test_anchors_of[orth] = found

    def _atoms_at(self, orths: list[int]) -> Callable[[int], frozenset[int]]:
        cache = self._atoms_of

        def atoms_at(i: int) -> frozenset[int]:
            found = cache.get(orths[i])
            return self._new_atoms(orths[i]) if found is None else found

        return atoms_at

    def _anchor_hits(self, arr: np.ndarray) -> list[tuple[int, tuple[_Pattern, ...]]]:
        """Each token position where some pattern's anchor holds, with those patterns.

        Word anchors come from one binary search of the token hashes (``arr``: the ORTH and
        LOWER columns) over the sorted anchor words; test anchors (regex, fuzzy) from set
        algebra over the document's distinct strings, so that only strings never seen
        before are tested in Python.
        """
        out: list[tuple[int, tuple[_Pattern, ...]]] = []
        for attr, (hashes, patterns_of) in self._anchor_words.items():
            values = arr[:, 1] if attr == "lower_" else arr[:, 0]
            idx = np.searchsorted(hashes, values)
            np.minimum(idx, len(hashes) - 1, out=idx)
            found = np.flatnonzero(hashes[idx] == values)
            pats = [patterns_of[i] for i in idx[found].tolist()]
            out.extend(zip(found.tolist(), pats, strict=True))
        if self._test_anchors:
            orths = arr[:, 0].tolist()
            present = set(orths)
            for orth in present - self._tested:
                self._test_new_string(orth)
            for orth in present.intersection(self._test_anchors_of):
                woken = tuple(p for a in self._test_anchors_of[orth] for p in self._by_anchor[a])
                out.extend((i, woken) for i, o in enumerate(orths) if o == orth)
        return out

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """All ``(key, start, end)`` matches in ``doc``, sorted by start, end and key."""
        if not self._by_anchor or not len(doc):
            return []
        if not self._built:
            self._build()
        arr = doc.to_array([ORTH, LOWER])
        anchor_hits = self._anchor_hits(arr)
        if not anchor_hits:
            return []
        lowers = set(arr[:, 1].tolist())
        atoms_at = self._atoms_at(arr[:, 0].tolist())
        n = len(arr)
        hits: set[tuple[int, int, int]] = set()
        possible: dict[int, bool] = {}  # id(pattern) -> all its required words occur
        for p, patterns in anchor_hits:
            for pat in patterns:
                if pat.needs:
                    ok = possible.get(id(pat))
                    if ok is None:
                        # In C: a required word list none of whose words occur rules it out.
                        ok = not any(w.isdisjoint(lowers) for w in pat.needs)
                        possible[id(pat)] = ok
                    if not ok:
                        continue
                ends = _reach(pat.after, atoms_at, n, p + 1, 1) if pat.after else [p + 1]
                if ends:
                    starts = _reach(pat.before, atoms_at, n, p - 1, -1) if pat.before else [p - 1]
                    for s in starts:
                        hits.update((pat.key, s + 1, e) for e in ends)
        if self._sent_start and hits:
            opens = doc.to_array([SENT_START])
            hits = {
                h for h in hits if h[0] not in self._sent_start or h[1] == 0 or opens[h[1]] == 1
            }
        if self._greedy and hits:
            hits = _longest(hits, self._greedy)
        return sorted(hits, key=lambda h: (h[1], h[2], h[0]))


def _reach(
    steps: Sequence[Step],
    atoms_at: Callable[[int], frozenset[int]],
    n: int,
    pos: int,
    direction: int,
) -> list[int]:
    """Positions just past a run of ``steps`` read from ``pos`` in ``direction`` (+1 or -1).

    Going right the result holds match ends; going left, one less than match starts.
    """
    frontier = [pos]
    for step in steps:
        nxt = [
            q + direction
            for q in frontier
            if 0 <= q < n and (step.atom in atoms_at(q)) is not step.negated
        ]
        if step.optional:
            nxt.extend(q for q in frontier if q not in nxt)
        if not nxt:
            return nxt
        frontier = nxt
    return frontier


def _longest(hits: set[tuple[int, int, int]], greedy: set[int]) -> set[tuple[int, int, int]]:
    """spaCy's ``greedy="LONGEST"``: per key, longest first (then earliest), no overlaps."""
    by_key: dict[int, list[tuple[int, int]]] = {}
    kept: set[tuple[int, int, int]] = set()
    for key, s, e in hits:
        if key in greedy:
            by_key.setdefault(key, []).append((s, e))
        else:
            kept.add((key, s, e))
    for key, pairs in by_key.items():
        pairs.sort(key=lambda x: (x[1] - x[0], -x[0]), reverse=True)
        taken: set[int] = set()
        for s, e in pairs:
            if taken.isdisjoint(range(s, e)):
                kept.add((key, s, e))
                taken.update(range(s, e))
    return kept
