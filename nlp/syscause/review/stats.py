"""``review stats``: how the model fares as judged by reviewers, and how reviewers agree.

Computed over items a reviewer marked done. On such an item every label has a judgement:
an explicit accept / reject / add, or else the model's call stands (the reviewer saw it and
did not change it).

- per label: precision = accepted / (accepted + rejected) among the model's asserted labels;
  recall = accepted / (accepted + added), i.e. the share of reviewer-confirmed labels the
  model found;
- reviewer vs model: Cohen's kappa over all (item, reviewer, label) present/absent pairs, and
  over framing classes;
- between reviewers: for each pair of reviewers with items in common, kappa over
  (item, label) pairs and over framing.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from syscause.metrics import cohen_kappa
from syscause.review.state import ItemReview, reduce
from syscause.review.store import ReviewStore, StoredItem


@dataclass(slots=True)
class LabelCounts:
    """Reviewer judgements of one label."""

    accepted: int = 0
    rejected: int = 0
    added: int = 0

    @property
    def precision(self) -> float | None:
        """Accepted share of the model's assertions (None without any)."""
        n = self.accepted + self.rejected
        return self.accepted / n if n else None

    @property
    def recall(self) -> float | None:
        """Share of reviewer-confirmed labels the model asserted (None without any)."""
        n = self.accepted + self.added
        return self.accepted / n if n else None


@dataclass(slots=True)
class PairAgreement:
    """Agreement between two reviewers on the items both completed."""

    reviewers: tuple[str, str]
    items: int
    label_kappa: float
    framing_kappa: float


@dataclass(slots=True)
class ReviewStats:
    """Everything ``review stats`` reports."""

    decisions: int = 0
    reviewers: list[str] = field(default_factory=list)
    items_done: int = 0
    reviews_done: int = 0
    labels: dict[str, LabelCounts] = field(default_factory=dict)
    model_label_kappa: float | None = None
    model_framing_kappa: float | None = None
    mean_rating: float | None = None
    pairs: list[PairAgreement] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, with precision and recall per label."""
        out = asdict(self)
        out["labels"] = {
            lb: {**asdict(c), "precision": c.precision, "recall": c.recall}
            for lb, c in self.labels.items()
        }
        return out


def _judgement(review: ItemReview, snap: StoredItem) -> tuple[dict[str, tuple[bool, bool]], str]:
    """label -> (model present, reviewer present) over every label; and the reviewer framing."""
    asserted = {f["label"] for f in snap.record["factors"]}
    labels = list(snap.record["scores"]) + [lb for lb in review.factors if lb not in asserted]
    out = {}
    for lb in dict.fromkeys(labels):
        model = lb in asserted
        out[lb] = (model, review.factors.get(lb, model))
    return out, review.framing or snap.record["blame"]["framing"]


def compute_stats(store: ReviewStore) -> ReviewStats:
    """Reviewer-judged quality and agreement from a review database."""
    decisions = store.decisions()
    snapshots = {(it.item_id, it.model): it for it in store.items()}
    stats = ReviewStats(decisions=len(decisions))
    stats.reviewers = sorted({d.reviewer for d in decisions})
    judged: dict[str, dict[str, tuple[dict[str, tuple[bool, bool]], str]]] = defaultdict(dict)
    model_bits: list[bool] = []
    reviewer_bits: list[bool] = []
    model_framing: list[str] = []
    reviewer_framing: list[str] = []
    ratings: list[int] = []
    for (item_id, reviewer), review in sorted(reduce(decisions).items()):
        snap = snapshots.get((item_id, review.model))
        if not review.done or snap is None:
            continue
        per_label, framing = _judgement(review, snap)
        judged[item_id][reviewer] = (per_label, framing)
        for lb, (m, r) in per_label.items():
            counts = stats.labels.setdefault(lb, LabelCounts())
            if m:
                counts.accepted += r
                counts.rejected += not r
            elif r:
                counts.added += 1
            model_bits.append(m)
            reviewer_bits.append(r)
        model_framing.append(snap.record["blame"]["framing"])
        reviewer_framing.append(framing)
        if review.rating is not None:
            ratings.append(review.rating)
    stats.items_done = len(judged)
    stats.reviews_done = len(model_framing)
    if model_bits:
        stats.model_label_kappa = cohen_kappa(model_bits, reviewer_bits)
        stats.model_framing_kappa = cohen_kappa(model_framing, reviewer_framing)
    if ratings:
        stats.mean_rating = statistics.fmean(ratings)
    stats.pairs = _pairs(judged)
    return stats


def _pairs(
    judged: dict[str, dict[str, tuple[dict[str, tuple[bool, bool]], str]]],
) -> list[PairAgreement]:
    by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item_id, by_reviewer in judged.items():
        for pair in itertools.combinations(sorted(by_reviewer), 2):
            by_pair[pair].append(item_id)
    out = []
    for (a, b), item_ids in sorted(by_pair.items()):
        a_bits, b_bits, a_fr, b_fr = [], [], [], []
        for item_id in item_ids:
            (la, fa), (lb_, fb) = judged[item_id][a], judged[item_id][b]
            for lb in la.keys() | lb_.keys():
                a_bits.append(la.get(lb, (False, False))[1])
                b_bits.append(lb_.get(lb, (False, False))[1])
            a_fr.append(fa)
            b_fr.append(fb)
        out.append(
            PairAgreement(
                (a, b), len(item_ids), cohen_kappa(a_bits, b_bits), cohen_kappa(a_fr, b_fr)
            )
        )
    return out
