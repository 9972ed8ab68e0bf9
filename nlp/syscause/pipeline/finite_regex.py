"""The finite word list a whole-token regex stands for, so it can be looked up, not run.

Most REGEX token predicates in the rule files are spelling lists written compactly
(``^(re-?educated|retrained)$``). A regex anchored at both ends whose language is finite
matches a token exactly when the token is one of its words, so it can be indexed like an
``IN`` list. Anything unbounded (``\\d``, ``+``, ``*``), case-insensitive, or not anchored
at both ends gives ``None`` and stays a regex.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

sre_c: Any
sre_parse: Any
try:  # the regex parser is private; without it every regex simply stays a regex
    sre_c = importlib.import_module("re._constants")
    sre_parse = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python < 3.11
    sre_c = sre_parse = None

MAX_WORDS = 5000
_BEGIN, _END = "\x00", "\x01"  # stand-ins for ^ and $ while expanding


def _expand(items: Any) -> set[str] | None:
    """All strings a parsed (sub)pattern matches, with ^/$ as stand-ins; None if too many."""
    out = {""}
    for op, av in items:
        if op is sre_c.LITERAL:
            alts: set[str] | None = {chr(av)}
        elif op is sre_c.AT:
            if av in (sre_c.AT_BEGINNING, sre_c.AT_BEGINNING_STRING):
                alts = {_BEGIN}
            elif av in (sre_c.AT_END, sre_c.AT_END_STRING):
                alts = {_END}
            else:
                return None
        elif op is sre_c.IN:
            alts = _char_class(av)
        elif op is sre_c.BRANCH:
            alts = set()
            for branch in av[1]:
                sub = _expand(branch)
                if sub is None:
                    return None
                alts |= sub
        elif op is sre_c.SUBPATTERN:
            _group, add_flags, del_flags, sub_pattern = av
            alts = None if add_flags or del_flags else _expand(sub_pattern)
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            low, high, sub_pattern = av
            body = _expand(sub_pattern)
            if body is None or high == sre_c.MAXREPEAT or high > 8:
                return None
            alts = set()
            for times in range(low, high + 1):
                reps = {""}
                for _ in range(times):
                    reps = {r + b for r in reps for b in body}
                    if len(reps) > MAX_WORDS:
                        return None
                alts |= reps
        else:
            return None
        if alts is None:
            return None
        out = {o + a for o in out for a in alts}
        if len(out) > MAX_WORDS:
            return None
    return out


def _char_class(items: Any) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_c.LITERAL:
            chars.add(chr(av))
        elif op is sre_c.RANGE and av[1] - av[0] < 256:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # negated classes, \d, \w ...: unbounded for our purpose
            return None
    return chars


def finite_words(regex: str) -> frozenset[str] | None:
    """The strings ``regex`` matches by ``re.search`` if that is a small finite set, else None.

    ``$`` also matches before a final newline, so each word comes with that variant too.
    """
    if sre_parse is None or _BEGIN in regex or _END in regex:
        return None
    try:
        parsed = sre_parse.parse(regex)
    except re.error:
        return None
    if parsed.state.flags & ~(re.UNICODE | re.ASCII):
        return None
    expanded = _expand(parsed)
    if expanded is None:
        return None
    words: set[str] = set()
    for s in expanded:
        # search() may match anywhere: only "^word$" pins the whole token
        if not (s.startswith(_BEGIN) and s.endswith(_END)):
            return None
        word = s[1:-1]
        if _BEGIN in word or _END in word:  # "a$b": rare enough to leave to the regex
            return None
        words.add(word)
        words.add(word + "\n")
    compiled = re.compile(regex)
    if not all(compiled.search(w) for w in words):  # a parser surprise: keep the regex
        return None
    return frozenset(words)
