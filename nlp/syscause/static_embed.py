"""Static word embeddings distilled from all-MiniLM-L6-v2: a document vector without a transformer.

A static embedder is a table: one float16 vector per lowercase word (spaCy's blank English
tokenizer, lowercased), with the word's frequency weight already multiplied in. A document's
vector is the mean of its known words' rows, L2-normalised; unknown words are skipped and a
document with no known word gets the zero vector. Lookup is a dictionary pass over the tokens
and one sparse product (numpy and scipy, both already dependencies; no torch, no transformers).

The directory (written by ``scripts/distill_static.py``) holds ``vocab.json`` (the words, in
row order), ``vectors.npy`` (float16, words x dim) and ``meta.json``, whose ``files`` map gives
each file's sha256; both are verified before anything is read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np

from syscause.errors import ModelError
from syscause.modelstore import listed_file, sha256_file

FILES = ("vocab", "vectors")


class StaticEmbedder:
    """Weighted-mean static document embeddings over a fixed lowercase word vocabulary."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray, meta: dict[str, Any]) -> None:
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ModelError(
                f"static embedding has {len(words)} words but a vectors table of shape "
                f"{vectors.shape}; rebuild it with scripts/distill_static.py"
            )
        self.words = tuple(words)
        self.index = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ModelError("static embedding vocabulary has duplicate words; rebuild it")
        # Summing in float32 keeps precision; the table on disk stays float16 (half the size).
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.meta = meta

    @classmethod
    def load(cls, directory: str | Path) -> StaticEmbedder:
        """Read and verify a static embedding directory; fail closed on any mismatch."""
        path = Path(directory)
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(f"{path / 'meta.json'}: unreadable static embedding ({exc})") from None
        files = meta.get("files") if isinstance(meta, dict) else None
        if not isinstance(files, dict) or any(k not in files for k in FILES):
            raise ModelError(f"{path / 'meta.json'}: 'files' must list {', '.join(FILES)}")
        resolved = {}
        for key in FILES:
            fpath = listed_file(path, key, files[key])
            if not fpath.is_file():
                raise ModelError(f"static embedding file {key!r} ({fpath}) is missing")
            actual = sha256_file(fpath)
            if actual != files[key]["sha256"]:
                raise ModelError(
                    f"static embedding file {fpath} fails its integrity check (sha256 "
                    f"{actual[:12]}... does not match meta.json); refusing to load it"
                )
            resolved[key] = fpath
        try:
            words = json.loads(resolved["vocab"].read_text(encoding="utf-8"))
            vectors = np.load(resolved["vectors"], allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: unreadable static embedding files ({exc})") from None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ModelError(f"{resolved['vocab']}: expected a JSON list of words")
        return cls(words, vectors, meta)

    @property
    def dim(self) -> int:
        """Length of every document vector."""
        return int(self.vectors.shape[1])

    def token_ids(self, tokens: Sequence[str]) -> np.ndarray:
        """Row of each token in the table, -1 for a word outside the vocabulary."""
        get = self.index.get
        return np.fromiter(map(get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))

    def embed_tokens(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """One L2-normalised float32 vector per document of lowercase tokens (n x dim)."""
        from scipy import sparse

        if not docs:
            return np.zeros((0, self.dim), dtype=np.float32)
        lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
        ids = self.token_ids(list(chain.from_iterable(docs)))
        known = ids >= 0
        # A documents x words count matrix times the table is the segment sum in one sparse
        # product: no per-token float rows are ever materialised (that gather is the slow part).
        owner = np.repeat(np.arange(len(docs)), lengths)[known]
        indptr = np.r_[0, np.cumsum(np.bincount(owner, minlength=len(docs)))]
        counts = sparse.csr_matrix(
            (np.ones(len(owner), dtype=np.float32), ids[known], indptr),
            shape=(len(docs), len(self.words)),
        )
        out = np.asarray(counts @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def coverage(self, docs: Sequence[Sequence[str]]) -> float:
        """Share of tokens found in the vocabulary (a quick out-of-domain signal)."""
        ids = self.token_ids(list(chain.from_iterable(docs)))
        return float((ids >= 0).mean()) if len(ids) else 0.0
