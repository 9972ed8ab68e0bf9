"""A rule-data-driven span ruler: token and phrase patterns into a span group."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from syscause.pipeline.token_patterns import TokenPatternMatcher
from syscause.rules import Pattern

MAX_EXPANSION = 4000
# Patterns of more phrases than this go to the token matcher (all matches kept, the same
# set of hits): building a Doc per phrase made loading take seconds per process.
PHRASE_LIMIT = 256


def expand_to_phrases(pattern: list[dict[str, Any]]) -> list[list[str]] | None:
    """The word sequences a simple token pattern matches, or None if it is not simple.

    The Matcher checks every pattern at every token, which is slow with hundreds of rules;
    the PhraseMatcher looks phrases up in a trie. A pattern of lower-case words and word
    lists, with optional tokens, is the same as the finite set of its phrases.
    """
    options: list[list[str | None]] = []
    for tok in pattern:
        op = tok.get("OP")
        keys = set(tok) - {"OP"}
        if op not in (None, "?") or len(keys) != 1:
            return None
        (attr,) = keys
        value = tok[attr]
        if attr == "LOWER" and isinstance(value, str):
            words: list[str | None] = [value]
        elif attr == "LOWER" and isinstance(value, dict) and set(value) == {"IN"}:
            words = [w for w in value["IN"] if isinstance(w, str)]
        elif attr == "TEXT" and isinstance(value, str) and not value.isalpha():
            words = [value]  # punctuation has no case
        else:
            return None
        if any(w is not None and (w != w.lower() or not w or " " in w) for w in words):
            return None
        options.append([*words, None] if op == "?" else words)
    size = 1
    for opts in options:
        size *= len(opts)
        if size > MAX_EXPANSION:
            return None
    # itertools.product builds the combinations in C; the skipped optional tokens drop out.
    unique = {
        phrase
        for combo in itertools.product(*options)
        if (phrase := tuple(w for w in combo if w is not None))
    }
    return [list(c) for c in sorted(unique)]


class PatternRuler:
    """Match rules and write the hits, labelled and with their rule id, to ``doc.spans[key]``.

    Each rule is ``(rule_id, label, pattern)``; a string pattern is a phrase matched on
    lower-case tokens, a list pattern is a spaCy Matcher pattern. Per rule the longest match
    wins; overlapping hits of different rules are all kept, so that every source is visible.

    Three engines share the work, fastest first: the PhraseMatcher for patterns that are a
    small finite set of phrases (all their matches kept), the anchored
    :class:`TokenPatternMatcher` for larger phrase sets (all matches kept too) and the other
    simple token patterns (longest match per rule), and spaCy's Matcher
    for anything beyond those. Spans are ordered by start, longer first, then by rule order
    in the file, so equal spans of two rules always list the earlier rule first.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        spans_key: str,
        rules: Sequence[tuple[str, str, Pattern]] = (),
    ) -> None:
        self.name = name
        self.spans_key = spans_key
        self.nlp = nlp
        self._reset()
        self.add_rules(rules)

    def _reset(self) -> None:
        self.rules: list[tuple[str, str, Pattern]] = []
        self._matcher = Matcher(self.nlp.vocab, validate=True)
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._tokens = TokenPatternMatcher(self.nlp.vocab)
        # rule index -> (label hash, rule id hash); matcher key hash -> rule index
        self._ids: list[tuple[int, int]] = []
        self._index_of: dict[int, int] = {}

    def add_rules(self, rules: Iterable[tuple[str, str, Pattern]]) -> None:
        """Compile and add rules."""
        strings = self.nlp.vocab.strings
        for rule_id, label, pattern in rules:
            index = len(self.rules)
            key = strings.add(rule_id)
            self._index_of[key] = index
            self._ids.append((strings.add(label), key))
            self.rules.append((rule_id, label, pattern))
            if isinstance(pattern, str):
                self._phrases.add(rule_id, [self.nlp.make_doc(pattern)])
                continue
            phrases = expand_to_phrases(pattern)
            if phrases is not None and len(phrases) <= PHRASE_LIMIT:
                self._phrases.add(rule_id, [Doc(self.nlp.vocab, words=w) for w in phrases])
            elif phrases is not None and self._tokens.add(index, pattern, greedy=False):
                pass  # every match kept, as the phrase set would give
            elif not self._tokens.add(index, pattern, greedy=True):
                self._matcher.add(rule_id, [pattern], greedy="LONGEST")

    @property
    def n_fallback(self) -> int:
        """How many rules need spaCy's Matcher (slow: every token, every pattern)."""
        return len(self._matcher)

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Every ``(rule index, start, end)`` match in ``doc``, in span order, no repeats."""
        index_of = self._index_of
        hits = set(self._tokens(doc))
        hits.update((index_of[key], start, end) for key, start, end in self._phrases(doc))
        if len(self._matcher):
            hits.update((index_of[key], start, end) for key, start, end in self._matcher(doc))
        return sorted(hits, key=lambda h: (h[1], -h[2], h[0]))

    def __call__(self, doc: Doc) -> Doc:
        """Find every rule match in ``doc`` and store it in the span group."""
        ids = self._ids
        doc.spans[self.spans_key] = [
            Span(doc, start, end, label=ids[i][0], span_id=ids[i][1])
            for i, start, end in self.matches(doc)
        ]
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the rules as JSON Lines data."""
        import json

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with (path / "rules.jsonl").open("w", encoding="utf-8") as fh:
            for rule_id, label, pattern in self.rules:
                rec: dict[str, Any] = {"id": rule_id, "label": label, "pattern": pattern}
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PatternRuler:
        """Read rules written by :meth:`to_disk`."""
        import json

        lines = (Path(path) / "rules.jsonl").read_text(encoding="utf-8").splitlines()
        recs = [json.loads(line) for line in lines if line.strip()]
        self._reset()
        self.add_rules((r["id"], r["label"], r["pattern"]) for r in recs)
        return self
