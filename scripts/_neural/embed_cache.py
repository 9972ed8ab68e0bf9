"""Cached MiniLM window embeddings (and mid-layer states) per dataset split, as .npy files."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from _neural.data import Split
from _neural.minilm import MiniLMEncoder, Windows

CACHE = Path("build/cache/minilm")
STATE_LAYER = 4  # layers 0-3 stay frozen when fine-tuning; their output is cached here
# Windows of 254 wordpieces embedded per document. Four cover > 99% of reports, but on the
# shared 2-core machine ASRS (~450 wordpieces a report) only got its first window in time.
MAX_WINDOWS = {"healthcare": 4, "asrs": 1}
PARTS = ("vectors", "owner", "states", "lengths", "ids")


def _paths(dataset: str, part: str) -> dict[str, Path]:
    return {p: CACHE / f"{dataset}_{part}_{p}.npy" for p in PARTS}


def load_windows(dataset: str, part: str, split: Split) -> Windows | None:
    """The cached windows of one split, or None when absent or built for other ids."""
    paths = _paths(dataset, part)
    if not all(p.is_file() for p in paths.values()):
        return None
    if np.load(paths["ids"], allow_pickle=False).tolist() != split.ids:
        return None
    arr = {p: np.load(paths[p], allow_pickle=False, mmap_mode="r") for p in PARTS if p != "ids"}
    return Windows(
        np.asarray(arr["vectors"]), np.asarray(arr["owner"]), arr["states"], arr["lengths"]
    )


def build_windows(encoder: MiniLMEncoder, dataset: str, part: str, split: Split) -> Windows:
    """Embed one split's windows, save them to the cache and return them."""
    t0 = time.perf_counter()
    win = encoder.windows(
        split.texts, max_windows=MAX_WINDOWS[dataset], state_layer=STATE_LAYER, progress=True
    )
    seconds = time.perf_counter() - t0
    CACHE.mkdir(parents=True, exist_ok=True)
    paths = _paths(dataset, part)
    assert win.states is not None
    np.save(paths["vectors"], win.vectors)
    np.save(paths["owner"], win.owner)
    np.save(paths["states"], win.states)
    np.save(paths["lengths"], win.lengths)
    np.save(paths["ids"], np.asarray(split.ids, dtype=str))
    (CACHE / f"{dataset}_{part}_seconds.txt").write_text(f"{seconds:.2f} {len(split.ids)}\n")
    print(
        f"embedded {dataset}/{part}: {len(split.ids)} docs, {len(win.owner)} windows "
        f"in {seconds:.0f}s ({len(split.ids) / seconds:.1f} docs/s)",
        flush=True,
    )
    return win


def embed_seconds(dataset: str, part: str) -> tuple[float, int]:
    """Seconds and document count recorded when the split was embedded."""
    seconds, n = (CACHE / f"{dataset}_{part}_seconds.txt").read_text().split()
    return float(seconds), int(n)


def ensure_windows(
    encoder_box: list[MiniLMEncoder], dataset: str, part: str, split: Split
) -> Windows:
    """Cached windows, building them (and the encoder, once) when missing."""
    win = load_windows(dataset, part, split)
    if win is not None:
        return win
    if not encoder_box:
        encoder_box.append(MiniLMEncoder(bf16=True))
    return build_windows(encoder_box[0], dataset, part, split)
