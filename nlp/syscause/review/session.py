"""The review loop's logic, independent of any UI: a queue, a cursor, and decisions that are
written to the store the moment they are made.

The Textual app is a view over this class; tests drive it directly as well as through the
app. Every method returns a short status message for the reviewer (never narrative text).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from syscause.review.highlight import factor_order
from syscause.review.records import FRAMINGS, ReviewItem
from syscause.review.state import ItemReview, apply, reduce
from syscause.review.store import (
    ABSENT,
    COMMENT,
    DONE,
    FACTOR,
    FRAMING,
    PRESENT,
    RATING,
    SKIP,
    Decision,
    ReviewStore,
)


@dataclass(frozen=True, slots=True)
class FactorRow:
    """One line of the factor list."""

    label: str
    score: float
    asserted: bool
    decision: bool | None  # True accepted/added, False rejected, None undecided


class ReviewSession:
    """A reviewer's walk through a queue of items."""

    def __init__(
        self,
        store: ReviewStore,
        queue: list[ReviewItem],
        reviewer: str,
        label_names: dict[str, str] | None = None,
    ) -> None:
        self.store = store
        self.queue = queue
        self.reviewer = reviewer
        self.label_names = label_names or {}
        self.index = 0
        self.cursor = 0
        ids = {it.item_id for it in queue}
        # Resume partial work: decisions made before on items still in the queue.
        self.reviews: dict[str, ItemReview] = {
            item_id: review
            for (item_id, _), review in reduce(store.decisions(reviewer=reviewer)).items()
            if item_id in ids
        }
        self.written = 0

    # -- what is shown ---------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        """True past the last item."""
        return self.index >= len(self.queue)

    @property
    def item(self) -> ReviewItem | None:
        """The item under review, or None when the queue is finished."""
        return None if self.finished else self.queue[self.index]

    def review(self, item: ReviewItem | None = None) -> ItemReview:
        """This reviewer's current review of ``item`` (the current one by default)."""
        item = item or self.item
        assert item is not None, "no item under review"
        if item.item_id not in self.reviews:
            self.reviews[item.item_id] = ItemReview(item.item_id, self.reviewer)
        return self.reviews[item.item_id]

    def factor_rows(self) -> list[FactorRow]:
        """Asserted factors, then reviewer-added ones, with the reviewer's decision."""
        item = self.item
        if item is None:
            return []
        review = self.review()
        added = [lb for lb, present in review.factors.items() if present]
        rows = []
        for lb in factor_order(item.record, added):
            asserted = lb in item.asserted
            rows.append(
                FactorRow(
                    lb, float(item.record["scores"].get(lb, 0.0)), asserted, review.factors.get(lb)
                )
            )
        return rows

    def missing_labels(self) -> list[str]:
        """Labels that can be added: in the taxonomy, not currently in the factor list."""
        item = self.item
        if item is None:
            return []
        shown = {r.label for r in self.factor_rows()}
        return [lb for lb in item.labels if lb not in shown]

    # -- decisions -------------------------------------------------------------------------

    def _write(
        self, kind: str, label: str = "", before: str | None = None, after: str | None = None
    ) -> str | None:
        """Append one decision; returns an error message when the database refuses it."""
        item = self.item
        assert item is not None
        try:
            decision_id = self.store.record(
                item_id=item.item_id,
                reviewer=self.reviewer,
                kind=kind,
                model=item.model,
                taxonomy_version=item.taxonomy_version,
                label=label,
                before=before,
                after=after,
                snapshot=item.record,
                text=item.text,
            )
        except sqlite3.Error as exc:
            return f"not saved: review database error ({type(exc).__name__}); try again"
        self.written += 1
        apply(
            self.review(),
            Decision(
                decision_id,
                item.item_id,
                self.reviewer,
                "",
                item.model,
                item.taxonomy_version,
                kind,
                label,
                before,
                after,
                None,
            ),
        )
        return None

    def _set_factor(self, present: bool) -> str:
        rows = self.factor_rows()
        if not rows:
            return "no factor here; press n to add one"
        row = rows[min(self.cursor, len(rows) - 1)]
        error = self._write(
            FACTOR, row.label, PRESENT if row.asserted else ABSENT, PRESENT if present else ABSENT
        )
        if error:
            return error
        # A rejected reviewer-added factor leaves the list; keep the cursor in range.
        self.cursor = min(self.cursor + 1, max(len(self.factor_rows()) - 1, 0))
        return f"{'accepted' if present else 'rejected'} {row.label}"

    def accept(self) -> str:
        """Accept the factor under the cursor (confirm it applies)."""
        return self._set_factor(True)

    def reject(self) -> str:
        """Reject the factor under the cursor (it does not apply)."""
        return self._set_factor(False)

    def add(self, label: str) -> str:
        """Add a factor the model missed."""
        item = self.item
        if item is None:
            return "queue finished"
        if label not in item.labels:
            return f"{label!r} is not a label of this taxonomy"
        error = self._write(FACTOR, label, PRESENT if label in item.asserted else ABSENT, PRESENT)
        if error:
            return error
        self.cursor = [r.label for r in self.factor_rows()].index(label)
        return f"added {label}"

    def set_framing(self, framing: str) -> str:
        """Correct (or confirm) the framing class."""
        item = self.item
        if item is None:
            return "queue finished"
        if framing not in FRAMINGS:
            return f"framing must be one of {', '.join(FRAMINGS)}"
        return self._write(FRAMING, "", item.framing, framing) or f"framing set to {framing}"

    def rate(self, stars: int) -> str:
        """Rate the rewrite suggestions 1 (harmful) to 5 (use as is)."""
        item = self.item
        if item is None:
            return "queue finished"
        if not item.record.get("reframe"):
            return "this item has no rewrite suggestion to rate"
        if not 1 <= stars <= 5:
            return "rate from 1 to 5"
        return self._write(RATING, "", None, str(stars)) or f"rewrite rated {stars}/5"

    def comment(self, text: str) -> str:
        """Attach a free-text comment to the item."""
        if self.item is None:
            return "queue finished"
        if not text.strip():
            return "empty comment not saved"
        return self._write(COMMENT, "", None, text.strip()) or "comment saved"

    def done(self) -> str:
        """Mark the item reviewed (undecided factors stand as the model had them); next."""
        if self.item is None:
            return "queue finished"
        error = self._write(DONE)
        if error:
            return error
        self._goto(self.index + 1)
        return "item done"

    def skip(self) -> str:
        """Leave the item for later (it comes back when the queue is reopened); next."""
        if self.item is None:
            return "queue finished"
        error = self._write(SKIP)
        if error:
            return error
        self._goto(self.index + 1)
        return "skipped"

    def back(self) -> str:
        """Go back to the previous item."""
        if self.index == 0:
            return "already at the first item"
        self._goto(self.index - 1)
        return "back"

    def move(self, delta: int) -> None:
        """Move the factor cursor up (-1) or down (+1)."""
        n = len(self.factor_rows())
        self.cursor = min(max(self.cursor + delta, 0), max(n - 1, 0))

    def _goto(self, index: int) -> None:
        self.index = min(max(index, 0), len(self.queue))
        self.cursor = 0
