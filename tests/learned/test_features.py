"""Hashed n-gram features: deterministic, sentence-aware, normalised."""

from __future__ import annotations

import numpy as np

from syscause.learned.features import HashedNgrams


def test_tokens_are_deterministic_and_sentence_spans_index_the_text(pipeline):
    text = "Two RNs called out. The pump screen was confusing!\nNo float available."
    doc = pipeline.nlp(text)
    hasher = HashedNgrams(char_ngrams=True)
    a, b = hasher.tokens(doc), HashedNgrams(char_ngrams=True).tokens(pipeline.nlp(text))
    assert np.array_equal(a.buckets, b.buckets)
    assert a.n_sentences == 3
    assert [text[s:e] for s, e in a.sentence_chars] == [
        "Two RNs called out.",
        "The pump screen was confusing!",
        "No float available.",
    ]
    assert a.buckets.min() >= 0 and a.buckets.max() < hasher.n_features


def test_rows_are_l2_normalised_and_empty_docs_are_safe(pipeline):
    docs = [pipeline.nlp(t) for t in ("Short staffed tonight. Pump alarm.", "", "...")]
    hasher = HashedNgrams()
    toks = [hasher.tokens(d) for d in docs]
    hasher.fit_idf(toks)
    mat = hasher.doc_matrix(toks)
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    assert np.allclose(norms[0], 1.0)
    assert norms[1] == 0.0
    smat, owner = hasher.sentence_matrix(toks)
    assert smat.shape[0] == len(owner) == sum(t.n_sentences for t in toks)


def test_bigrams_do_not_cross_sentences(pipeline):
    hasher = HashedNgrams()
    joined = hasher.tokens(pipeline.nlp("alpha beta"))
    split = hasher.tokens(pipeline.nlp("alpha. beta"))
    assert len(joined.buckets) == 3  # two unigrams and one bigram
    assert len(split.buckets) == 2
