"""The static word embedding: loading with integrity checks and weighted-mean document vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from syscause.errors import ModelError
from syscause.modelstore import sha256_file
from syscause.static_embed import StaticEmbedder

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "minilm-static"
WORDS = ["the", "nurse", "pump", "alarm", "short", "staffed", "night", "shift"]


def write_embedding(directory: Path, words: list[str], vectors: np.ndarray) -> Path:
    """A static embedding directory in the layout scripts/distill_static.py writes."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vocab.json").write_text(json.dumps(words), encoding="utf-8")
    np.save(directory / "vectors.npy", vectors, allow_pickle=True)
    files = {
        key: {"path": name, "sha256": sha256_file(directory / name)}
        for key, name in (("vocab", "vocab.json"), ("vectors", "vectors.npy"))
    }
    meta = {"name": "tiny-static", "version": "1", "kind": "static-embedding", "files": files}
    (directory / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return directory


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, np.ndarray]:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(len(WORDS), 6)).astype(np.float16)
    return write_embedding(tmp_path / "emb", WORDS, vectors), vectors.astype(np.float32)


def naive_embed(words: list[str], vectors: np.ndarray, doc: list[str]) -> np.ndarray:
    """Reference: mean of known words' rows, L2-normalised, zero when none is known."""
    rows = [vectors[words.index(t)] for t in doc if t in words]
    if not rows:
        return np.zeros(vectors.shape[1], dtype=np.float32)
    mean = np.mean(rows, axis=0)
    return mean / np.linalg.norm(mean)


def test_embed_tokens_matches_the_weighted_mean(tiny: tuple[Path, np.ndarray]) -> None:
    path, vectors = tiny
    emb = StaticEmbedder.load(path)
    docs = [
        ["the", "nurse", "was", "short", "staffed"],
        ["pump", "pump", "alarm"],
        ["night", "shift", "unknownword", "the"],
    ]
    got = emb.embed_tokens(docs)
    expected = np.stack([naive_embed(WORDS, vectors, d) for d in docs])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "docs",
    [[[]], [["zzz", "qqq"]], [["nurse"], [], ["zzz"], ["alarm", "the"]]],
    ids=["empty-doc", "all-unknown", "mixed"],
)
def test_documents_without_known_words_get_the_zero_vector(
    tiny: tuple[Path, np.ndarray], docs: list[list[str]]
) -> None:
    emb = StaticEmbedder.load(tiny[0])
    out = emb.embed_tokens(docs)
    assert out.shape == (len(docs), emb.dim)
    for doc, row in zip(docs, out, strict=True):
        known = any(t in WORDS for t in doc)
        assert np.linalg.norm(row) == pytest.approx(1.0 if known else 0.0, abs=1e-5)


def test_no_documents_gives_an_empty_matrix(tiny: tuple[Path, np.ndarray]) -> None:
    emb = StaticEmbedder.load(tiny[0])
    assert emb.embed_tokens([]).shape == (0, emb.dim)


def test_many_random_documents_match_the_reference(tiny: tuple[Path, np.ndarray]) -> None:
    path, vectors = tiny
    emb = StaticEmbedder.load(path)
    rng = np.random.default_rng(3)
    pool = [*WORDS, "oov1", "oov2"]
    docs = [list(rng.choice(pool, size=rng.integers(0, 12))) for _ in range(200)]
    expected = np.stack([naive_embed(WORDS, vectors, d) for d in docs])
    np.testing.assert_allclose(emb.embed_tokens(docs), expected, rtol=1e-5, atol=1e-6)


def test_coverage_counts_known_tokens(tiny: tuple[Path, np.ndarray]) -> None:
    emb = StaticEmbedder.load(tiny[0])
    assert emb.coverage([["nurse", "zzz"], ["pump", "alarm"]]) == pytest.approx(0.75)
    assert emb.coverage([[]]) == 0.0


def test_a_tampered_vectors_file_is_refused(tiny: tuple[Path, np.ndarray]) -> None:
    path, vectors = tiny
    np.save(path / "vectors.npy", vectors * 2)
    with pytest.raises(ModelError, match="fails its integrity check"):
        StaticEmbedder.load(path)


def test_a_missing_file_is_named(tiny: tuple[Path, np.ndarray]) -> None:
    path, _ = tiny
    (path / "vocab.json").unlink()
    with pytest.raises(ModelError, match=r"'vocab'.*is missing"):
        StaticEmbedder.load(path)


def test_meta_must_list_the_files(tiny: tuple[Path, np.ndarray]) -> None:
    path, _ = tiny
    (path / "meta.json").write_text(json.dumps({"name": "x"}), encoding="utf-8")
    with pytest.raises(ModelError, match="'files' must list vocab, vectors"):
        StaticEmbedder.load(path)


def test_pickled_arrays_are_never_loaded(tmp_path: Path) -> None:
    # An object array needs pickle to load; the loader must refuse it even with a valid hash.
    vectors = np.empty((len(WORDS), 2), dtype=object)
    path = write_embedding(tmp_path / "obj", WORDS, vectors)
    with pytest.raises(ModelError, match="unreadable static embedding files"):
        StaticEmbedder.load(path)


def test_vocabulary_and_table_must_agree(tmp_path: Path) -> None:
    path = write_embedding(tmp_path / "bad", WORDS[:3], np.zeros((5, 4), dtype=np.float16))
    with pytest.raises(ModelError, match="3 words but a vectors table of shape"):
        StaticEmbedder.load(path)


shipped = pytest.mark.skipif(
    not (SHIPPED / "meta.json").is_file(), reason="models/minilm-static not built"
)


@shipped
def test_shipped_embedding_is_small_float16_and_verified() -> None:
    emb = StaticEmbedder.load(SHIPPED)
    size = sum(f.stat().st_size for f in SHIPPED.iterdir() if f.is_file())
    assert size <= 20_000_000
    assert np.load(SHIPPED / "vectors.npy", allow_pickle=False).dtype == np.float16
    assert emb.dim == emb.meta["dim"] == 256
    assert len(emb.words) == emb.meta["vocab_size"]
    assert (SHIPPED / "NOTICE").is_file()


@shipped
@pytest.mark.parametrize(
    ("anchor", "near", "far"),
    [
        (["exhausted"], ["tired"], ["syringe"]),
        (["understaffed"], ["short", "staffed"], ["wristband"]),
        (["alarm"], ["alert"], ["tired"]),
    ],
)
def test_shipped_embedding_keeps_word_similarity(
    anchor: list[str], near: list[str], far: list[str]
) -> None:
    emb = StaticEmbedder.load(SHIPPED)
    a, n, f = emb.embed_tokens([anchor, near, far])
    assert float(a @ n) > float(a @ f)
