"""``review export``: reviewed items as training data for ``syscause train --data``.

One JSON object per item that at least one reviewer marked done:
``{"id", "text", "labels", "framing"}`` where ``labels`` are the model's asserted labels minus
those rejected plus those added, and ``framing`` is the reviewer's framing (the model's where
nobody changed it). Where several reviewers judged an item, the latest decision per label
wins (``review stats`` shows how often reviewers disagree); ``reviewer`` restricts the export
to one reviewer's judgements.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from typing import IO, Any

from syscause.review.state import ItemReview, apply, reduce
from syscause.review.store import Decision, ReviewStore


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote and left out."""

    written: int
    without_text: int


def reviewed_examples(
    store: ReviewStore, reviewer: str | None = None
) -> list[tuple[dict[str, Any], bool]]:
    """(training record, has text) for every done item, in first-reviewed order."""
    decisions = store.decisions(reviewer=reviewer)
    done_by = defaultdict(set)
    for (item_id, who), review in reduce(decisions).items():
        if review.done:
            done_by[item_id].add(who)
    by_item: dict[str, list[Decision]] = defaultdict(list)
    for d in decisions:
        if d.reviewer in done_by.get(d.item_id, ()):
            by_item[d.item_id].append(d)
    out = []
    snapshots = {(it.item_id, it.model): it for it in store.items()}
    for item_id, item_decisions in by_item.items():
        merged = ItemReview(item_id, reviewer="*")
        for d in item_decisions:
            apply(merged, d)
        snap = snapshots.get((item_id, merged.model))
        if snap is None:  # decisions written without a snapshot (store API use): skip
            continue
        asserted = [f["label"] for f in snap.record["factors"]]
        example = {
            "id": item_id,
            "text": snap.text,
            "labels": merged.labels(asserted),
            "framing": merged.framing or snap.record["blame"]["framing"],
        }
        out.append((example, snap.text is not None))
    return out


def export_labels(store: ReviewStore, output: str, reviewer: str | None = None) -> ExportSummary:
    """Write the training JSONL to ``output`` (``-`` for stdout)."""
    examples = reviewed_examples(store, reviewer)
    fh: IO[str] = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    written = without_text = 0
    try:
        for example, has_text in examples:
            if not has_text:
                without_text += 1
                continue
            fh.write(json.dumps(example, ensure_ascii=False) + "\n")
            written += 1
    finally:
        if fh is not sys.stdout:
            fh.close()
    return ExportSummary(written, without_text)
