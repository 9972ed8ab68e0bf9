"""A rule-data-driven span ruler: token and phrase patterns into a span group."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from syscause.rules import Pattern

MAX_EXPANSION = 4000


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
    combos: list[list[str]] = [[]]
    for opts in options:
        combos = [[*c, w] if w is not None else c for c in combos for w in opts]
        if len(combos) > MAX_EXPANSION:
            return None
    unique = {tuple(c) for c in combos if c}
    return [list(c) for c in sorted(unique)]


class PatternRuler:
    """Match rules and write the hits, labelled and with their rule id, to ``doc.spans[key]``.

    Each rule is ``(rule_id, label, pattern)``; a string pattern is a phrase matched on
    lower-case tokens, a list pattern is a spaCy Matcher pattern. Per rule the longest match
    wins; overlapping hits of different rules are all kept, so that every source is visible.
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
        self._labels: dict[int, tuple[str, str]] = {}

    def add_rules(self, rules: Iterable[tuple[str, str, Pattern]]) -> None:
        """Compile and add rules."""
        for rule_id, label, pattern in rules:
            key = self.nlp.vocab.strings.add(rule_id)
            self._labels[key] = (rule_id, label)
            self.rules.append((rule_id, label, pattern))
            if isinstance(pattern, str):
                self._phrases.add(rule_id, [self.nlp.make_doc(pattern)])
                continue
            phrases = expand_to_phrases(pattern)
            if phrases is None:
                self._matcher.add(rule_id, [pattern], greedy="LONGEST")
            else:
                self._phrases.add(rule_id, [Doc(self.nlp.vocab, words=w) for w in phrases])

    def __call__(self, doc: Doc) -> Doc:
        """Find every rule match in ``doc`` and store it in the span group."""
        spans: list[Span] = []
        seen: set[tuple[int, int, int]] = set()
        for key, start, end in list(self._matcher(doc)) + list(self._phrases(doc)):
            if (key, start, end) in seen:
                continue
            seen.add((key, start, end))
            rule_id, label = self._labels[key]
            spans.append(Span(doc, start, end, label=label, span_id=rule_id))
        spans.sort(key=lambda s: (s.start, -s.end))
        doc.spans[self.spans_key] = spans
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
