"""Factor scorers behind one interface, so a pipeline can run a rule or a learned model.

A scorer takes a batch of analysed documents with their rule evidence and returns, per
document, every label's calibrated score and the evidence each asserted label would show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from spacy.tokens import Doc

from syscause.classify import LabelEvidence, RuleFactorScorer
from syscause.learned.features import DocTokens
from syscause.modelstore import ModelDir
from syscause.schemas import FRAMINGS, Cue, Evidence


@dataclass(slots=True)
class Scored:
    """Scores and evidence for one narrative."""

    scores: dict[str, float]
    evidence: dict[str, list[Evidence]]  # per label: what an assertion would cite
    disagreements: int = 0  # labels where rules and model disagree
    tokens: DocTokens | None = None  # the learned model's features, reused for framing
    rules: np.ndarray | None = None


class FactorScorer(Protocol):
    """What :class:`syscause.api.Pipeline` needs from a factor model."""

    labels: list[str]
    thresholds: dict[str, float]

    def score_batch(
        self,
        docs: Sequence[Doc],
        texts: Sequence[str],
        rule_evidence: Sequence[dict[str, LabelEvidence]],
        cues: Sequence[Sequence[Cue]],
    ) -> list[Scored]:
        """Score a batch of analysed narratives."""
        ...


class RuleScorer:
    """The evidence-count model: a label can be asserted only with stated rule evidence."""

    def __init__(self, inner: RuleFactorScorer) -> None:
        self.inner = inner
        self.labels = inner.labels
        self.thresholds = inner.thresholds

    def score_batch(
        self,
        docs: Sequence[Doc],
        texts: Sequence[str],
        rule_evidence: Sequence[dict[str, LabelEvidence]],
        cues: Sequence[Sequence[Cue]],
    ) -> list[Scored]:
        """Score each narrative from its rule evidence counts."""
        return [
            Scored(self.inner.score(ev), {lb: list(ev[lb].positive) for lb in self.labels})
            for ev in rule_evidence
        ]


class LearnedScorer:
    """The stacked linear model of :mod:`syscause.learned.model`.

    An asserted label cites its stated rule evidence where the rules know the label, and
    otherwise the sentence that drives its score.
    """

    def __init__(self, model_dir: ModelDir) -> None:
        from syscause.learned.model import LinearFactorModel

        meta = model_dir.meta
        self.labels = list(meta["labels"])
        self.model = LinearFactorModel.load(
            model_dir.file("weights"), self.labels, meta["linear_model"]
        )
        self.thresholds = {
            lb: float(t) for lb, t in zip(self.labels, self.model.thresholds, strict=True)
        }
        self.hasher = self.model.hasher
        self.source = f"model:{meta['name']}-{meta['version']}:sentence"
        self.rule_labels = set(self.model.rule_labels)

    def score_batch(
        self,
        docs: Sequence[Doc],
        texts: Sequence[str],
        rule_evidence: Sequence[dict[str, LabelEvidence]],
        cues: Sequence[Sequence[Cue]],
    ) -> list[Scored]:
        """Score the batch in one pass of sparse matrix products."""
        from syscause.learned.features import rule_features

        tokens = [self.hasher.tokens(doc) for doc in docs]
        rules = np.vstack(
            [
                rule_features(ev, cs, self.model.rule_labels)
                for ev, cs in zip(rule_evidence, cues, strict=True)
            ]
        )
        pred = self.model.predict(tokens, rules)
        out = []
        for i, text in enumerate(texts):
            scores = {lb: float(p) for lb, p in zip(self.labels, pred.proba[i], strict=True)}
            evidence: dict[str, list[Evidence]] = {}
            disagree = 0
            for j, label in enumerate(self.labels):
                stated = rule_evidence[i][label].positive if label in self.rule_labels else []
                asserted = scores[label] >= self.thresholds[label]
                if label in self.rule_labels and bool(stated) != asserted:
                    disagree += 1
                if stated:
                    evidence[label] = list(stated)
                elif (span := pred.best_sentence[i][j]) is not None:
                    s, e = span
                    evidence[label] = [Evidence(s, e, text[s:e], self.source)]
                else:
                    evidence[label] = []
            out.append(Scored(scores, evidence, disagree, tokens[i], rules[i : i + 1]))
        return out

    def asserted_with_sentences(
        self,
        scored: Scored,
        sentences: dict[int, DocTokens],
        rules: np.ndarray,
        stated: set[str],
        margin: float = 0.0,
        before: frozenset[str] = frozenset(),
    ) -> frozenset[str]:
        """The labels asserted for a scored narrative with some sentences replaced.

        ``sentences`` maps a sentence's number in ``scored.tokens`` to the hashed n-grams of
        its replacement (one sentence); ``rules`` are the rule features of the narrative
        with them (one row) and ``stated`` the labels with stated rule evidence there.
        N-grams never cross a sentence and are counted per document, so this equals
        scoring the rewritten narrative. With a ``margin``, a label whose score ends within
        ``margin`` of its threshold keeps the decision it had before (asserted where it is
        in ``before``).
        """
        base = scored.tokens
        if base is None:
            raise ValueError("this narrative was not scored by the learned model")
        keep = ~np.isin(base.sentence, list(sentences))
        spliced = DocTokens(
            np.concatenate([base.buckets[keep], *(t.buckets for t in sentences.values())]),
            np.concatenate(
                [
                    base.sentence[keep],
                    *(np.full(len(t.buckets), k) for k, t in sentences.items()),
                ]
            ),
            base.n_sentences,
            base.sentence_chars,
        )
        pred = self.model.predict([spliced], rules)
        out = set()
        for j, label in enumerate(self.labels):
            proba, threshold = float(pred.proba[0][j]), self.thresholds[label]
            near = abs(proba - threshold) < margin
            asserted = label in before if near else proba >= threshold
            if asserted and (label in stated or pred.best_sentence[0][j] is not None):
                out.add(label)
        return frozenset(out)


class LearnedBlameScorer:
    """The learned framing model (see :mod:`syscause.learned.framing`)."""

    def __init__(self, model_dir: ModelDir, hasher_source: LearnedScorer) -> None:
        from syscause.learned.framing import FramingModel

        self.model = FramingModel.load(model_dir.file("framing"), hasher_source.hasher)

    def score_batch(self, scored: Sequence[Scored]) -> list[tuple[float, str]]:
        """(blame score, framing class) per narrative, from the factor scorer's features."""
        from syscause.learned.framing import framing_features

        tokens = [s.tokens for s in scored]
        if any(t is None for t in tokens):
            raise TypeError("the learned framing model needs the learned factor features")
        rules = np.vstack([s.rules for s in scored if s.rules is not None])
        mass = np.array([sum(s.scores.values()) for s in scored])
        blame, framing = self.model.predict(
            [t for t in tokens if t is not None], framing_features(rules, mass)
        )
        return [(float(b), f) for b, f in zip(blame, framing, strict=True)]

    def leaning_sentences(self, tokens: DocTokens) -> list[tuple[int, int]]:
        """The (start, end) of each sentence whose words the text scorer reads as framing
        the event as an individual's failing rather than system conditions, the most
        leaning first."""
        if tokens.n_sentences == 0:
            return []
        model = self.model
        lean = model.text_w[FRAMINGS.index("individual")] - model.text_w[FRAMINGS.index("system")]
        smat, _ = model.hasher.sentence_matrix([tokens])
        score = np.asarray(smat @ lean).ravel()
        order = np.argsort(-score, kind="stable")
        return [tokens.sentence_chars[k] for k in order.tolist() if score[k] > 0]


def make_scorer(model_dir: ModelDir) -> FactorScorer:
    """The scorer a model directory asks for (``kind`` in meta.json)."""
    from syscause.errors import ModelError

    kind = model_dir.meta.get("kind")
    if kind == "rules":
        return RuleScorer(RuleFactorScorer.from_meta(model_dir.meta))
    if kind == "linear":
        return LearnedScorer(model_dir)
    raise ModelError(f"model kind {kind!r} is not supported by this version of syscause")
