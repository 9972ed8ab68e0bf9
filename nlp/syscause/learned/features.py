"""Features for the learned factor model, computed from the analysed spaCy ``Doc``.

Text features are hashed word unigrams and bigrams of the lowercased tokens, taken from the
token hashes spaCy already holds (``LOWER``): the archive path tokenises once and never
builds n-gram strings, which keeps featurisation a few numpy operations per document.
Weighting is sublinear TF times IDF, L2-normalised, for the whole narrative and for each
sentence (sentence rows let the model point at the sentence that drives a label).

Rule features are the per-label counts of the rule evidence (stated, negated, hypothetical)
and of the blame cues, so the learned model can lean on what the rules already know.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, SENT_START
from spacy.tokens import Doc

from syscause.classify import LabelEvidence
from syscause.schemas import Cue

# A large odd multiplier spreads bigram hashes; uint64 arithmetic wraps, which is the point.
_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)
_BIGRAM_SALT = np.uint64(0x5BD1E995)
_CHAR_SALT = 0x2545F491
_CHAR_CACHE_MAX = 500_000  # distinct token strings kept; beyond that, recomputed
CUE_TYPES = ("person_failure", "evaluative", "counterfactual", "disciplinary")
RULE_COUNT_CAP = 3.0


@dataclass(frozen=True, slots=True)
class DocTokens:
    """Per-document hashed n-gram buckets and their sentence numbers."""

    buckets: np.ndarray  # int64 bucket index per n-gram
    sentence: np.ndarray  # sentence number per n-gram
    n_sentences: int
    sentence_chars: tuple[tuple[int, int], ...]  # (start_char, end_char) per sentence


class HashedNgrams:
    """Word 1-2 gram (and optionally in-word character 3-5 gram) hashing into ``n_features``
    buckets, with IDF weights once fitted.

    Character n-grams catch spelling variants and abbreviations ("understaffed", "short-
    staffed", "ATC"); they are computed once per distinct token string and cached, so their
    cost grows with the vocabulary, not with the archive.
    """

    def __init__(
        self, n_features: int = 1 << 18, idf: np.ndarray | None = None, char_ngrams: bool = False
    ) -> None:
        self.n_features = n_features
        self.idf = idf
        self.char_ngrams = char_ngrams
        self._char_cache: dict[int, np.ndarray] = {}
        self._last: tuple[np.ndarray | None, tuple[DocTokens, ...], sparse.csr_matrix] | None = None

    def _chars_of(self, key: int, doc: Doc) -> np.ndarray:
        """Buckets of the character 3-5 grams of one token (cached by its LOWER hash)."""
        cached = self._char_cache.get(key)
        if cached is None:
            word = f" {doc.vocab.strings[key]} "
            grams = {word[i : i + k] for k in (3, 4, 5) for i in range(len(word) - k + 1)}
            hashes = [zlib.crc32(g.encode("utf-8")) ^ _CHAR_SALT for g in grams]
            cached = np.array(hashes, dtype=np.int64) % self.n_features
            if len(self._char_cache) < _CHAR_CACHE_MAX:
                self._char_cache[key] = cached
        return cached

    def tokens(self, doc: Doc) -> DocTokens:
        """Hash the n-grams of one document, keeping each one's sentence number."""
        n = len(doc)
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return DocTokens(empty, empty, 0, ())
        arr = doc.to_array([LOWER, IS_PUNCT, SENT_START, IDX, LENGTH, IS_SPACE])
        lower = arr[:, 0].astype(np.uint64)
        punct = arr[:, 1].astype(bool)
        starts = arr[:, 2] == 1
        starts[0] = True
        sent = np.cumsum(starts) - 1
        keep = ~punct
        uni = lower[keep]
        uni_sent = sent[keep]
        same = uni_sent[:-1] == uni_sent[1:]  # bigrams never cross a sentence boundary
        with np.errstate(over="ignore"):
            bi = (uni[:-1] * _BIGRAM_MIX + uni[1:]) ^ _BIGRAM_SALT
        parts = [uni % np.uint64(self.n_features), bi[same] % np.uint64(self.n_features)]
        sent_parts = [uni_sent, uni_sent[:-1][same]]
        if self.char_ngrams and len(uni):
            grams = [self._chars_of(int(k), doc) for k in uni.tolist()]
            parts.append(np.concatenate(grams).astype(np.uint64))
            sent_parts.append(np.repeat(uni_sent, [len(g) for g in grams]))
        buckets = np.concatenate(parts)
        sentence = np.concatenate(sent_parts)
        chars = sentence_chars(np.flatnonzero(starts), arr[:, 3], arr[:, 4], arr[:, 5] == 1)
        return DocTokens(buckets.astype(np.int64), sentence, len(chars), chars)

    def fit_idf(self, docs: Sequence[DocTokens]) -> None:
        """Smoothed IDF over documents, as scikit-learn's ``smooth_idf`` computes it."""
        df = np.zeros(self.n_features, dtype=np.float64)
        for d in docs:
            df[np.unique(d.buckets)] += 1
        n = len(docs)
        self.idf = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)

    def _weighted(
        self, indptr: np.ndarray, indices: np.ndarray, counts: np.ndarray
    ) -> sparse.csr_matrix:
        """Sublinear TF times IDF, L2-normalised per row, from canonical CSR counts."""
        if self.idf is None:
            raise RuntimeError("IDF weights are not fitted")
        n_rows = len(indptr) - 1
        data = (np.float32(1.0) + np.log(counts.astype(np.float32))) * self.idf[indices]
        row_of = np.repeat(np.arange(n_rows), np.diff(indptr))
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n_rows))
        norms[norms == 0] = 1.0
        data *= (1.0 / norms).astype(np.float32)[row_of]
        mat = sparse.csr_matrix(
            (data, indices.astype(np.int32), indptr.astype(np.int32)),
            shape=(n_rows, self.n_features),
        )
        mat.has_sorted_indices = True  # np.unique sorted each row's columns
        return mat

    def doc_matrix(self, docs: Sequence[DocTokens]) -> sparse.csr_matrix:
        """One TF-IDF row per document.

        The last batch's matrix is kept: the factor and framing models read the same batch
        one after the other. One attribute holds (IDF, documents, matrix), so that threads
        sharing the hasher see either a whole entry or a miss, and new IDF weights miss.
        """
        last = self._last
        if (
            last is not None
            and last[0] is self.idf
            and len(last[1]) == len(docs)
            and all(a is b for a, b in zip(last[1], docs, strict=True))
        ):
            return last[2]
        mat = self._doc_matrix(docs)
        self._last = (self.idf, tuple(docs), mat)
        return mat

    def _doc_matrix(self, docs: Sequence[DocTokens]) -> sparse.csr_matrix:
        # Counting each document's buckets on its own (a small sort) is several times
        # cheaper than letting scipy sort and merge the duplicates of the whole batch.
        counted = [np.unique(d.buckets, return_counts=True) for d in docs]
        indptr = np.cumsum([0, *(len(u) for u, _ in counted)])
        return self._weighted(
            indptr, _concat([u for u, _ in counted]), _concat([c for _, c in counted])
        )

    def sentence_matrix(self, docs: Sequence[DocTokens]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """One TF-IDF row per sentence, and the document index of each row."""
        width = np.int64(self.n_features)
        indices, counts, lengths = [], [], []
        for d in docs:
            keys, c = np.unique(d.sentence.astype(np.int64) * width + d.buckets, return_counts=True)
            indices.append(keys % width)
            counts.append(c)
            lengths.append(np.bincount(keys // width, minlength=d.n_sentences))
        indptr = np.cumsum([0, *_concat(lengths).tolist()])
        owner = np.repeat(np.arange(len(docs)), [d.n_sentences for d in docs])
        return self._weighted(indptr, _concat(indices), _concat(counts)), owner


def sentence_chars(
    starts: np.ndarray, idx: np.ndarray, length: np.ndarray, space: np.ndarray
) -> tuple[tuple[int, int], ...]:
    """(start_char, end_char) of each sentence without its leading and trailing whitespace
    tokens (line breaks); a sentence of whitespace only keeps its full extent.

    Computed from token offsets, not from ``doc.text``, which builds a Python object for
    every token: a cost as large as the tokenizer's.
    """
    n = len(idx)
    ends = np.append(starts[1:], n)
    solid = np.flatnonzero(~space)
    first = np.searchsorted(solid, starts)
    last = np.searchsorted(solid, ends) - 1
    out = []
    for s, e, f, la in zip(
        starts.tolist(), ends.tolist(), first.tolist(), last.tolist(), strict=True
    ):
        if f <= la:  # some non-whitespace token in the sentence
            a, b = int(solid[f]), int(solid[la])
        else:
            a, b = s, e - 1
        out.append((int(idx[a]), int(idx[b] + length[b])))
    return tuple(out)


def _concat(parts: Sequence[np.ndarray]) -> np.ndarray:
    """Concatenate int64 arrays; an empty list gives an empty array."""
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def rule_features(
    evidence: Mapping[str, LabelEvidence], cues: Sequence[Cue], rule_labels: Sequence[str]
) -> np.ndarray:
    """Capped counts of stated, negated and hypothetical evidence per rule label, and cues."""
    out = np.zeros(len(rule_labels) * 3 + len(CUE_TYPES), dtype=np.float32)
    for j, label in enumerate(rule_labels):
        ev = evidence.get(label)
        if ev is None:
            continue
        out[3 * j] = len(ev.positive)
        out[3 * j + 1] = len(ev.negated)
        out[3 * j + 2] = len(ev.hypothetical)
    base = len(rule_labels) * 3
    for k, kind in enumerate(CUE_TYPES):
        out[base + k] = sum(c.type == kind for c in cues)
    return np.minimum(out, RULE_COUNT_CAP)
