"""Distil a static word embedding from all-MiniLM-L6-v2 (model2vec-style) into models/minilm-static.

Vocabulary: lowercase tokens of spaCy's blank English tokenizer over the development pools of
both datasets (healthcare train+dev, ASRS reports up to 2018; never a test text) that occur at
least ``--min-count`` times and hold a letter or digit, plus MiniLM's whole-word WordPiece
entries as a general English word list (offline). Each word is embedded alone with MiniLM
(mean-pooled, L2-normalised), the table is reduced with PCA to ``--dim`` dimensions and each row
is multiplied by its SIF weight a / (a + p(word)), p from pool-text frequency, then stored as
float16. ``syscause.static_embed.StaticEmbedder`` reads the result.

Usage: python scripts/distill_static.py [-o models/minilm-static] [--dim 256] [--min-count 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _neural.data import load_dataset
from _neural.minilm import MiniLMEncoder, model_dir, set_threads
from syscause.modelstore import sha256_file

SIF_A = 1e-3
VERSION = "1"


def pool_token_counts() -> Counter[str]:
    """Lowercase token counts over both datasets' development pools (no test text)."""
    import spacy

    tokenizer: Any = spacy.blank("en").tokenizer
    counts: Counter[str] = Counter()
    for name in ("healthcare", "asrs"):
        for doc in tokenizer.pipe(load_dataset(name).pool.texts, batch_size=256):
            counts.update(t.lower_ for t in doc)
    return counts


def wordpiece_words() -> list[str]:
    """MiniLM's whole-word vocabulary entries: a general English word list available offline."""
    lines = (model_dir() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    return [w for w in lines if w.isascii() and w.isalpha() and len(w) >= 2]


def build_vocab(counts: Counter[str], min_count: int) -> list[str]:
    """Pool words by descending frequency, then general words the pool lacks."""
    pool = [w for w, c in counts.most_common() if c >= min_count and any(ch.isalnum() for ch in w)]
    seen = set(pool)
    extra = [w for w in wordpiece_words() if w not in seen]
    return pool + extra


def embed_words(words: list[str]) -> np.ndarray:
    """Each word alone through MiniLM: mean-pooled, L2-normalised (n x 384, float32)."""
    encoder = MiniLMEncoder(batch_size=256)
    win = encoder.windows(words, max_windows=1, progress=True)
    return win.vectors


def pca(x: np.ndarray, dim: int) -> tuple[np.ndarray, float]:
    """Project centred rows on their top ``dim`` principal axes; also the variance kept."""
    centred = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    kept = float((s[:dim] ** 2).sum() / (s**2).sum())
    return centred @ vt[:dim].T, kept


def sif_weights(words: list[str], counts: Counter[str]) -> np.ndarray:
    """a / (a + p(word)); words absent from the pool get p = 0 (weight 1)."""
    total = sum(counts.values())
    p = np.array([counts.get(w, 0) / total for w in words], dtype=np.float64)
    return SIF_A / (SIF_A + p)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=Path("models/minilm-static"))
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--min-count", type=int, default=2)
    # One thread: on the shared, oversubscribed 2-core box, 2 OpenMP threads spin-wait and
    # burned ~25x the CPU time for the same training step.
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    set_threads(args.threads)
    t0 = time.perf_counter()
    counts = pool_token_counts()
    words = build_vocab(counts, args.min_count)
    n_pool = sum(1 for w in words if counts.get(w, 0) >= args.min_count)
    print(f"vocabulary: {len(words)} words ({n_pool} from the pools)", flush=True)
    raw = embed_words(words)
    reduced, kept = pca(raw, args.dim)
    weights = sif_weights(words, counts)
    table = (reduced * weights[:, None]).astype(np.float16)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "vocab.json").write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    np.save(args.out / "vectors.npy", table, allow_pickle=False)
    meta = {
        "name": "minilm-static",
        "version": VERSION,
        "kind": "static-embedding",
        "source_model": "sentence-transformers/all-MiniLM-L6-v2",
        "source_weights_sha256": sha256_file(model_dir() / "model.safetensors"),
        "tokenizer": "spacy.blank('en') tokenizer, lowercased (Token.lower_)",
        "dim": args.dim,
        "vocab_size": len(words),
        "vocab_from_pools": n_pool,
        "min_count": args.min_count,
        "pools": ["healthcare train+dev", "ASRS human factors train (<= 2018)"],
        "pca_variance_kept": round(kept, 4),
        "weighting": f"SIF a/(a+p(w)), a={SIF_A}, p from pool token frequency; in the rows",
        "dtype": "float16",
        "files": {
            "vocab": {"path": "vocab.json", "sha256": sha256_file(args.out / "vocab.json")},
            "vectors": {"path": "vectors.npy", "sha256": sha256_file(args.out / "vectors.npy")},
        },
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in args.out.iterdir()) / 1e6
    print(
        f"wrote {args.out}: {len(words)} x {args.dim} float16, PCA keeps {kept:.1%} of the "
        f"variance, {size:.1f} MB, {time.perf_counter() - t0:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
