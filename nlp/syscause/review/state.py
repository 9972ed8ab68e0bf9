"""Decisions reduced to one current review per (item, reviewer).

The decision log is append-only; the current state is the latest decision (highest id) per
(item, reviewer, kind, label). The UI restores an item from this on reopening, and export and
statistics read the same reduction, so all three agree on what a reviewer decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from syscause.review.store import (
    COMMENT,
    DONE,
    FACTOR,
    FRAMING,
    PRESENT,
    RATING,
    SKIP,
    Decision,
)


@dataclass(slots=True)
class ItemReview:
    """What one reviewer currently says about one item."""

    item_id: str
    reviewer: str
    model: str = ""
    factors: dict[str, bool] = field(default_factory=dict)  # label -> present, explicit only
    framing: str | None = None
    rating: int | None = None
    comment: str | None = None
    done: bool = False
    skipped: bool = False
    last_id: int = 0

    def labels(self, asserted: Iterable[str]) -> list[str]:
        """The reviewed label set: the model's asserted labels, minus rejected, plus added."""
        out = [lb for lb in asserted if self.factors.get(lb, True)]
        out += [lb for lb, present in self.factors.items() if present and lb not in out]
        return out


def apply(review: ItemReview, d: Decision) -> None:
    """Fold one decision into a review (decisions must come in id order)."""
    review.last_id = d.id
    review.model = d.model
    if d.kind == FACTOR:
        review.factors[d.label] = d.after == PRESENT
    elif d.kind == FRAMING:
        review.framing = d.after
    elif d.kind == RATING:
        review.rating = int(d.after) if d.after and d.after.isdigit() else None
    elif d.kind == COMMENT:
        review.comment = d.after
    elif d.kind == DONE:
        review.done = True
    elif d.kind == SKIP:
        review.skipped = True


def reduce(decisions: Iterable[Decision]) -> dict[tuple[str, str], ItemReview]:
    """Current reviews keyed by (item id, reviewer), from decisions in id order."""
    out: dict[tuple[str, str], ItemReview] = {}
    for d in decisions:
        key = (d.item_id, d.reviewer)
        if key not in out:
            out[key] = ItemReview(d.item_id, d.reviewer)
        apply(out[key], d)
    return out
