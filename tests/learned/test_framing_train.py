"""Framing model training: restatements feed only the text scorer, fold by fold; the factor
stacker ignores blame-cue counts."""

from __future__ import annotations

import numpy as np
import pytest

import syscause.learned.framing as framing_mod
from syscause.learned.data import TrainExample
from syscause.learned.features import CUE_TYPES, HashedNgrams
from syscause.learned.framing import Restatements, train_framing
from syscause.learned.train import (
    _without_cue_counts,
    analyse,
    framing_restatements,
    rewrite_examples,
)
from syscause.schemas import Cue


def test_cue_counts_are_zeroed_for_the_factor_stacker():
    rules = np.arange(2 * (3 * 2 + len(CUE_TYPES)), dtype=float).reshape(2, -1)
    out = _without_cue_counts(rules)
    assert not out[:, -len(CUE_TYPES) :].any()
    assert np.array_equal(out[:, : -len(CUE_TYPES)], rules[:, : -len(CUE_TYPES)])
    assert rules[:, -1].all()  # the input is left as it was


def test_restatements_train_only_folds_holding_their_original(monkeypatch):
    """A restatement of a held-out narrative never trains that fold's text scorer."""
    from spacy.lang.en import English

    nlp = English()
    nlp.add_pipe("sentencizer")
    hasher = HashedNgrams(n_features=2**10, char_ngrams=False)
    texts = [f"narrative {i} the nurse did not check" for i in range(8)]
    tokens = [hasher.tokens(nlp(t)) for t in texts]
    hasher.fit_idf(tokens)
    extra = [hasher.tokens(nlp("restated text was not checked"))] * 2
    restated = Restatements(extra, np.array([0, 5]), ["system", "neutral"])
    sizes: list[int] = []
    real = framing_mod._text_head

    def spy(x, y, c):
        sizes.append(x.shape[0])
        return real(x, y, c)

    monkeypatch.setattr(framing_mod, "_text_head", spy)
    folds = [np.array([0, 1, 2, 3]), np.array([4, 5, 6, 7])]
    framing = ["individual", "system"] * 4
    feats = np.zeros((8, 6), dtype=np.float32)
    model, oof = train_framing(tokens, feats, framing, folds, hasher, restated=restated)
    # fold 1 holds out 0 (its restatement is left out), fold 2 holds out 5
    assert sizes == [4 + 1, 4 + 1]
    assert oof.shape == (8, 4)
    assert np.allclose(oof.sum(axis=1), 1.0)
    assert model.text_w.shape[0] == 4


@pytest.mark.slow
def test_restate_labels_what_is_left():
    text = "RN failed to double check the dose with a second nurse. RN re-educated."
    cues = [
        Cue(3, 12, "failed to", "person_failure", "rule:blame.failed_to"),
        Cue(59, 70, "re-educated", "disciplinary", "rule:blame.re_educated"),
    ]
    texts = [text, text, "Pump failed.", text]
    rewritten = rewrite_examples(
        [TrainExample(str(k), t, None) for k, t in enumerate(texts)], [cues, cues, [], cues]
    )
    out = framing_restatements(
        rewritten,
        analyse(rewritten.texts, char_ngrams=False).tokens,
        ["individual", "individual", "system", "mixed"],
        [False, True, True, False],
    )
    assert list(out.origin) == [0, 1, 3]
    assert out.framing == ["neutral", "system", "system"]
    assert len(out.tokens) == 3


def test_gold_spans_move_with_the_rewrites():
    from syscause.learned.train import _moved

    # "RN failed to check." (0-19) became "Checking was not done." (22 characters)
    edits = [(0, 19, "Checking was not done.")]
    assert _moved(25, edits, is_end=False) == 28  # after the rewrite: shifted by 3
    assert _moved(5, edits, is_end=False) == 0  # inside it: the rewrite's start
    assert _moved(19, edits, is_end=True) == 22  # ending with it: the rewrite's end
    assert _moved(0, [(10, 20, "x")], is_end=False) == 0  # before: unchanged
