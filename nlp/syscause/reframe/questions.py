"""Investigator questions: from the detected factors' definitions, or from event priors.

Where the narrative states factors, the questions come from those labels (the shipped
questions for taxonomy v1, or one built from the label's definition for other taxonomies).
Where it states none, they come from the factors most often behind that kind of event in
the corpus train split (``event_priors.json``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from syscause.reframe.data import event_priors, label_questions, templates
from syscause.taxonomy import Taxonomy

MAX_QUESTIONS = 3


@lru_cache(maxsize=1)
def _kind_patterns() -> dict[str, re.Pattern[str]]:
    out = {}
    for kind, words in event_priors().keywords.items():
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        out[kind] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return out


@lru_cache(maxsize=64)  # asked once per blamed sentence, with the same narrative
def event_kind(text: str) -> str | None:
    """The kind of event whose keywords occur most often in ``text``; None if none occurs."""
    best, best_hits = None, 0
    for kind, pattern in _kind_patterns().items():
        hits = len(pattern.findall(text))
        if hits > best_hits:
            best, best_hits = kind, hits
    return best


def _definition_question(taxonomy: Taxonomy, label_id: str) -> str:
    """A question built from a label's definition (labels without shipped questions)."""
    label = taxonomy.get(label_id)
    definition = label.definition.rstrip(". ")
    head = re.split(r"[:;]", definition, maxsplit=1)[0].strip()
    return f"Did {label.name[0].lower()}{label.name[1:]} play a part ({head[0].lower()}{head[1:]})?"


def factor_questions(
    labels: Sequence[str], taxonomy: Taxonomy, *, limit: int = MAX_QUESTIONS
) -> list[str]:
    """Up to ``limit`` questions, the first question of each label in turn, then the second."""
    shipped = label_questions()
    per_label: list[tuple[str, ...]] = []
    for label in labels:
        if label in shipped and label in taxonomy.ids:
            per_label.append(shipped[label])
        elif label in taxonomy.ids:
            per_label.append((_definition_question(taxonomy, label),))
    out: list[str] = []
    depth = max((len(qs) for qs in per_label), default=0)
    for i in range(depth):
        for qs in per_label:
            if i < len(qs) and qs[i] not in out:
                out.append(qs[i])
    return out[:limit]


def prior_labels(narrative: str, taxonomy: Taxonomy) -> list[str]:
    """The factors most often behind this kind of event (train split), in the taxonomy."""
    priors = event_priors()
    kind = event_kind(narrative)
    labels = priors.factors.get(kind, priors.default) if kind else priors.default
    return [label for label in labels if label in taxonomy.ids]


def questions_for(
    cue_types: Sequence[str],
    factor_labels: Sequence[str],
    narrative: str,
    taxonomy: Taxonomy,
) -> tuple[str, ...]:
    """1-3 questions: one about the blamed step's conditions, then factor questions."""
    cue_questions = templates().cue_questions
    first = next((cue_questions[t] for t in cue_types if t in cue_questions), None)
    out = [first] if first else []
    labels = list(factor_labels) or prior_labels(narrative, taxonomy)
    out.extend(q for q in factor_questions(labels, taxonomy) if q not in out)
    if not out:
        out.append(cue_questions["person_failure"])
    return tuple(out[:MAX_QUESTIONS])
