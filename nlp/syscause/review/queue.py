"""The order in which items are reviewed.

- ``uncertain`` (default): items the model flagged ``needs_review`` first, then by lowest
  confidence. Confidence is the smallest distance of any label's score from 0.5,
  ``min |score - 0.5|``: a simple, model-independent stand-in for "closest to a decision
  boundary" (result records do not carry the fitted thresholds). Ties keep file order.
- ``random``: a seeded shuffle, for a QA sample that does not favour hard cases; the same
  seed gives the same order, so a reopened session resumes the same sample.
- ``all``: file order.

Items the reviewer already marked done are left out, which is how reopening resumes.
"""

from __future__ import annotations

import random
from collections.abc import Collection

from syscause.errors import InputError
from syscause.review.records import ReviewItem

QUEUES = ("uncertain", "random", "all")


def confidence(item: ReviewItem) -> float:
    """``min |score - 0.5|`` over the record's labels (0.5 for a record without scores)."""
    scores = item.record["scores"].values()
    return min((abs(float(s) - 0.5) for s in scores), default=0.5)


def build_queue(
    items: list[ReviewItem],
    kind: str = "uncertain",
    *,
    seed: int = 0,
    done: Collection[str] = (),
    limit: int | None = None,
) -> list[ReviewItem]:
    """Items to review in order, without those in ``done``, at most ``limit`` of them.

    ``limit`` cuts the ordered queue before done items are removed, so a random QA sample of
    N items stays the same N items across sessions.
    """
    if kind == "uncertain":
        ordered = sorted(items, key=lambda it: (not it.needs_review, confidence(it), it.position))
    elif kind == "random":
        ordered = list(items)
        random.Random(seed).shuffle(ordered)
    elif kind == "all":
        ordered = list(items)
    else:
        raise InputError(f"unknown queue {kind!r}; choose one of {', '.join(QUEUES)}")
    if limit is not None:
        ordered = ordered[:limit]
    return [it for it in ordered if it.item_id not in done]
