"""Fit a :class:`LinearFactorModel` on labelled narratives.

Protocol: the narratives are analysed once by the rule pipeline (tokens, sentences, rule
evidence, blame cues). Base scorers are fitted in K folds to get out-of-fold scores for every
training narrative; the per-label stacker is fitted on those out-of-fold scores (so its
probabilities are calibrated on data the base scorers did not see), and per-label thresholds
maximise F1 on the stacker's own out-of-fold probabilities. The base scorers are then refitted
on all the data. No test data is involved at any step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from syscause.learned.data import TrainExample
from syscause.learned.features import CUE_TYPES, DocTokens, HashedNgrams, rule_features
from syscause.learned.framing import (
    BLAMING,
    FramingModel,
    Restatements,
    framing_features,
    train_framing,
)
from syscause.learned.model import LinearFactorModel, LinearHead, logit
from syscause.schemas import FRAMINGS, Cue

log = logging.getLogger(__name__)

DOC_C = 4.0
SENT_C = 4.0
STACK_C = 0.5
MIN_SPAN_DOCS = 50  # fewer span-annotated narratives than this: no sentence scorer
MIN_FRAMED_DOCS = 50  # fewer narratives with a framing label: keep the cue-count scorer
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


@dataclass(slots=True)
class Analysed:
    """What the rule pipeline gives the trainer for each narrative."""

    tokens: list[DocTokens]
    rules: np.ndarray  # (docs, rule features)
    rule_labels: list[str]
    cues: list[list[Cue]] = field(default_factory=list)  # blame cues per narrative


@dataclass(slots=True)
class TrainResult:
    """The fitted model and its out-of-fold (held-out) probabilities."""

    model: LinearFactorModel
    oof_proba: np.ndarray
    y: np.ndarray
    framing_model: FramingModel | None = None
    framing_oof: np.ndarray | None = None  # (framed examples, 4) out-of-fold probabilities
    framing_index: np.ndarray | None = None  # which examples had a framing label


def analyse(texts: Sequence[str], *, batch_size: int = 128, char_ngrams: bool = True) -> Analysed:
    """Run the rule pipeline (no parser) over ``texts`` for training features."""
    from syscause.api import load
    from syscause.blame import collect_cues
    from syscause.classify import collect_evidence
    from syscause.text import clean_for_nlp

    pipe = load("default", use_parser=False)
    hasher = HashedNgrams(char_ngrams=char_ngrams)
    rule_labels = list(pipe.rule_labels)
    tokens: list[DocTokens] = []
    rows: list[np.ndarray] = []
    cues: list[list[Cue]] = []
    cleaned = (clean_for_nlp(t) for t in texts)
    for text, doc in zip(texts, pipe.nlp.pipe(cleaned, batch_size=batch_size), strict=True):
        tokens.append(hasher.tokens(doc))
        evidence = collect_evidence(doc, text, rule_labels, pipe.mention_rules)
        cues.append(collect_cues(doc, text))
        rows.append(rule_features(evidence, cues[-1], rule_labels))
    width = len(rule_labels) * 3 + 4
    return Analysed(tokens, np.vstack(rows) if rows else np.zeros((0, width)), rule_labels, cues)


@dataclass(slots=True)
class Rewritten:
    """Training narratives with their blame sentences restated by the rewriter.

    ``origin[k]`` is the index (into the training examples) of the narrative that
    ``texts[k]`` restates; ``complete[k]`` says every blame sentence of it was restated (no
    questions-only suggestion); ``spans[k]`` are the original's gold evidence spans moved
    onto the restated text (a span inside a rewritten sentence covers its rewrite).
    """

    texts: list[str]
    origin: np.ndarray
    complete: np.ndarray
    spans: list[dict[str, list[tuple[int, int]]] | None]


def _moved(pos: int, edits: Sequence[tuple[int, int, str]], *, is_end: bool) -> int:
    """Where offset ``pos`` of the original lands after the (start, end, rewrite) edits."""
    shift = 0
    for start, end, rewrite in edits:
        if pos < start or (is_end and pos == start):
            break
        if pos < end or (is_end and pos == end):
            return start + shift + (len(rewrite) if is_end else 0)
        shift += len(rewrite) - (end - start)
    return pos + shift


def rewrite_examples(examples: Sequence[TrainExample], cues: Sequence[Sequence[Cue]]) -> Rewritten:
    """Each training narrative with at least one blame sentence the rewriter restates.

    The rewrite adds no fact and keeps the rule evidence (see :mod:`syscause.reframe`), so
    the restated narrative keeps the original's factor labels; the English parser is used
    where installed, as in ``analyze``.
    """
    from syscause.api import load
    from syscause.pipeline.person_failure import load_parser
    from syscause.reframe import apply_edits, reframe_edits, suggest_reframes

    pipe = load("default", use_parser=False)
    parser = load_parser()
    out = Rewritten([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool), [])
    origin: list[int] = []
    complete: list[bool] = []
    for k, (ex, found) in enumerate(zip(examples, cues, strict=True)):
        if not found:
            continue
        refs = suggest_reframes(
            ex.text, found, [], taxonomy=pipe.taxonomy, parser=parser, rules=pipe.nlp
        )
        edits = reframe_edits(refs)
        if not edits:
            continue
        out.texts.append(apply_edits(ex.text, edits))
        origin.append(k)
        complete.append(all(r.rewrite is not None for r in refs))
        out.spans.append(
            None
            if ex.spans is None
            else {
                label: [(_moved(s, edits, is_end=False), _moved(e, edits, is_end=True))
                        for s, e in found_spans]
                for label, found_spans in ex.spans.items()
            }
        )  # fmt: skip
    out.origin = np.array(origin, dtype=np.int64)
    out.complete = np.array(complete, dtype=bool)
    return out


def framing_restatements(
    rewritten: Rewritten,
    tokens: Sequence[DocTokens],
    framing: Sequence[str | None],
    has_factors: Sequence[bool],
    framed: np.ndarray | None = None,
) -> Restatements:
    """The complete restatements of blame-framed narratives, labelled for the text scorer.

    ``framing`` and ``has_factors`` are indexed like ``rewritten.origin``; with ``framed``
    (the indices of the narratives the framing model trains on) only those are kept and
    ``origin`` becomes a position in ``framed``.
    """
    position = {int(i): n for n, i in enumerate(framed)} if framed is not None else None
    keep = [
        k
        for k, i in enumerate(rewritten.origin)
        if rewritten.complete[k]
        and framing[i] in BLAMING
        and (position is None or int(i) in position)
    ]
    origin = [int(rewritten.origin[k]) for k in keep]
    labels = ["system" if has_factors[i] or framing[i] == "mixed" else "neutral" for i in origin]
    if position is not None:
        origin = [position[i] for i in origin]
    return Restatements([tokens[k] for k in keep], np.array(origin, dtype=np.int64), labels)


def fit_head(x: sparse.csr_matrix | np.ndarray, y: np.ndarray, c: float) -> LinearHead:
    """Per-label logistic regressions (balanced classes); constant labels get a bias only."""
    from sklearn.linear_model import LogisticRegression

    n_labels = y.shape[1]
    # liblinear works in float64: convert once here rather than once per label
    x = sparse.csr_matrix(x, dtype=np.float64) if sparse.issparse(x) else np.asarray(x, float)
    weights = np.zeros((n_labels, x.shape[1]), dtype=np.float32)
    bias = np.zeros(n_labels, dtype=np.float32)
    for j in range(n_labels):
        col = y[:, j]
        if col.min() == col.max():
            bias[j] = float(logit(np.array([0.999 if col[0] else 0.001]))[0]) if len(col) else 0
            continue
        clf = LogisticRegression(
            C=c, class_weight="balanced", solver="liblinear", dual=True, max_iter=1000
        )
        clf.fit(x, col)
        weights[j] = clf.coef_[0]
        bias[j] = clf.intercept_[0]
    return LinearHead(weights, bias)


def sentence_targets(
    tokens: Sequence[DocTokens], examples: Sequence[TrainExample], labels: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Sentence rows of span-annotated narratives and whether each holds gold evidence."""
    keep_docs, ys = [], []
    for i, (tok, ex) in enumerate(zip(tokens, examples, strict=True)):
        if ex.spans is None or tok.n_sentences == 0:
            continue
        keep_docs.append(i)
        y = np.zeros((tok.n_sentences, len(labels)), dtype=np.int8)
        for j, label in enumerate(labels):
            for s, e in ex.spans.get(label, ()):
                for k, (cs, ce) in enumerate(tok.sentence_chars):
                    if s < ce and cs < e:
                        y[k, j] = 1
        ys.append(y)
    return np.array(keep_docs, dtype=np.int64), (
        np.vstack(ys) if ys else np.zeros((0, len(labels)), dtype=np.int8)
    )


def fit_bases(
    tokens: Sequence[DocTokens],
    examples: Sequence[TrainExample],
    y: np.ndarray,
    labels: Sequence[str],
    use_sentences: bool,
    char_ngrams: bool,
) -> tuple[HashedNgrams, LinearHead, LinearHead | None]:
    """Fit IDF, the document scorer and (with spans) the sentence scorer."""
    hasher = HashedNgrams(char_ngrams=char_ngrams)
    hasher.fit_idf(tokens)
    doc_head = fit_head(hasher.doc_matrix(tokens), y, DOC_C)
    sent_head = None
    if use_sentences:
        docs, ys = sentence_targets(tokens, examples, labels)
        smat, _ = hasher.sentence_matrix([tokens[i] for i in docs])
        sent_head = fit_head(smat, ys, SENT_C)
    return hasher, doc_head, sent_head


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The threshold on the grid that maximises F1 (ties: the lowest)."""
    best_f, best_t = -1.0, 0.5
    for t in THRESHOLD_GRID:
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        denom = float(np.sum(pred)) + float(np.sum(y == 1))
        f = 2 * tp / denom if denom else 0.0
        if f > best_f:
            best_f, best_t = f, float(t)
    return best_t


def fit_stacker(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-label logistic stacker on (docs, labels, features) input."""
    from sklearn.linear_model import LogisticRegression

    n_labels, n_feat = y.shape[1], x.shape[2]
    w = np.zeros((n_labels, n_feat), dtype=np.float32)
    b = np.zeros(n_labels, dtype=np.float32)
    for j in range(n_labels):
        col = y[:, j]
        if col.min() == col.max():
            b[j] = float(logit(np.array([0.999 if col[0] else 0.001]))[0])
            continue
        clf = LogisticRegression(C=STACK_C, max_iter=2000).fit(x[:, j, :], col)
        w[j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    return w, b


def _without_cue_counts(rules: np.ndarray) -> np.ndarray:
    """Rule feature rows with the blame-cue counts (the last columns) set to zero."""
    out = np.array(rules, dtype=float, copy=True)
    out[:, out.shape[1] - len(CUE_TYPES) :] = 0.0
    return out


def _folds(n: int, k: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def train(
    examples: Sequence[TrainExample],
    labels: Sequence[str],
    *,
    folds: int = 5,
    seed: int = 0,
    char_ngrams: bool = True,
    restate_blame: bool = True,
    progress: Callable[[str], None] | None = None,
) -> TrainResult:
    """Fit the stacked model on ``examples`` (all coded; see :mod:`syscause.learned.data`).

    ``restate_blame``: the rewriter restates the blame sentences of the examples (see
    :func:`rewrite_examples`). The factor base scorers also learn from every restated
    narrative, with its original's labels, so that restating blame does not move the
    factors; the framing text scorer learns from the system-framed restatements of the
    blame-framed examples (see :func:`framing_restatements`), so that a narrative restated
    without blame reads as such. The calibrating stackers never see restatements.
    """
    say = progress or (lambda _msg: None)
    labels = list(labels)
    y = np.array([[lb in (ex.labels or ()) for lb in labels] for ex in examples], dtype=np.int8)
    say(f"analysing {len(examples)} narratives")
    analysed = analyse([ex.text for ex in examples], char_ngrams=char_ngrams)
    tokens = analysed.tokens
    use_sentences = sum(ex.spans is not None for ex in examples) >= MIN_SPAN_DOCS
    rewritten: Rewritten | None = None
    rw_tokens: list[DocTokens] = []
    rw_examples: list[TrainExample] = []
    if restate_blame:
        say("restating the blame sentences of the training narratives")
        rewritten = rewrite_examples(examples, analysed.cues)
        rw_tokens = analyse(rewritten.texts, char_ngrams=char_ngrams).tokens
        rw_examples = [
            TrainExample(examples[i].id, text, examples[i].labels, spans)
            for i, text, spans in zip(
                rewritten.origin, rewritten.texts, rewritten.spans, strict=True
            )
        ]
        say(f"{len(rw_examples)} restated narratives")
    rw_origin = rewritten.origin if rewritten is not None else np.zeros(0, dtype=np.int64)

    def with_restated(idx: np.ndarray) -> tuple[list[DocTokens], list[TrainExample], np.ndarray]:
        # restatements keep their original's labels (a rewrite adds and drops no fact), so
        # the base scorers learn that blame wording, or its absence, is not a factor; a
        # fold takes only restatements of narratives it trains on
        extra = np.flatnonzero(np.isin(rw_origin, idx))
        return (
            [tokens[i] for i in idx] + [rw_tokens[k] for k in extra],
            [examples[i] for i in idx] + [rw_examples[k] for k in extra],
            np.concatenate([y[idx], y[rw_origin[extra]]]),
        )

    bases = ["doc", "sent"] if use_sentences else ["doc"]

    oof_base = {name: np.zeros(y.shape) for name in bases}
    for k, held in enumerate(_folds(len(examples), folds, seed)):
        say(f"fold {k + 1}/{folds}")
        train_idx = np.setdiff1d(np.arange(len(examples)), held)
        tr_tokens, tr_examples, tr_y = with_restated(train_idx)
        hasher, doc_head, sent_head = fit_bases(
            tr_tokens, tr_examples, tr_y, labels, use_sentences, char_ngrams
        )
        fold_model = LinearFactorModel(
            labels, hasher, doc_head, np.zeros((len(labels), 1)), np.zeros(len(labels)),
            np.full(len(labels), 0.5), bases, analysed.rule_labels, sent_head,
        )  # fmt: skip
        base, _ = fold_model.base_scores([tokens[i] for i in held])
        for name in bases:
            oof_base[name][held] = base[name]

    say("fitting the stacker and thresholds")
    probe = LinearFactorModel(
        labels, HashedNgrams(), LinearHead(np.zeros((len(labels), 1)), np.zeros(len(labels))),
        np.zeros((len(labels), 1)), np.zeros(len(labels)), np.full(len(labels), 0.5), bases,
        analysed.rule_labels,
    )  # fmt: skip
    # the factor stacker reads stated evidence, not blame framing: a narrative's factors must
    # not change when a blame sentence is restated without blame (the cue counts still feed
    # the framing model); zero columns get zero weights, so the saved layout is unchanged
    x_stack = probe.stack_input(oof_base, _without_cue_counts(analysed.rules))
    oof = np.zeros(y.shape)
    for held in _folds(len(examples), folds, seed + 1):
        train_idx = np.setdiff1d(np.arange(len(examples)), held)
        w, b = fit_stacker(x_stack[train_idx], y[train_idx])
        oof[held] = 1 / (1 + np.exp(-(np.einsum("dlf,lf->dl", x_stack[held], w) + b)))
    thresholds = np.array([best_threshold(y[:, j], oof[:, j]) for j in range(len(labels))])
    stack_w, stack_b = fit_stacker(x_stack, y)

    say("refitting on all the data")
    all_tokens, all_examples, all_y = with_restated(np.arange(len(examples)))
    hasher, doc_head, sent_head = fit_bases(
        all_tokens, all_examples, all_y, labels, use_sentences, char_ngrams
    )
    model = LinearFactorModel(
        labels, hasher, doc_head, stack_w, stack_b, thresholds, bases, analysed.rule_labels,
        sent_head,
    )  # fmt: skip
    result = TrainResult(model, oof, y)
    framed = np.array([i for i, ex in enumerate(examples) if ex.framing in FRAMINGS])
    if len(framed) >= MIN_FRAMED_DOCS:
        say(f"fitting the framing model on {len(framed)} narratives")
        feats = framing_features(analysed.rules[framed], oof[framed].sum(axis=1))
        fold_sets = _folds(len(framed), folds, seed + 2)
        restated = None
        if rewritten is not None:
            restated = framing_restatements(
                rewritten,
                rw_tokens,
                [ex.framing for ex in examples],
                [bool(ex.labels) for ex in examples],
                framed,
            )
            say(f"{len(restated.framing)} restatements for the framing text scorer")
        result.framing_model, result.framing_oof = train_framing(
            [tokens[i] for i in framed],
            feats,
            [str(examples[i].framing) for i in framed],
            fold_sets,
            hasher,
            restated=restated,
        )
        result.framing_index = framed
    return result
