"""Background job: fill the MiniLM window cache for both datasets (healthcare first)."""

from __future__ import annotations

import sys

from _neural.data import DATASETS, load_dataset
from _neural.embed_cache import ensure_windows
from _neural.minilm import MiniLMEncoder, set_threads


def main() -> int:
    set_threads(1)  # see neural_candidates.py: 2 threads spin-wait on the shared box
    box: list[MiniLMEncoder] = []
    for name in sys.argv[1:] or DATASETS:
        ds = load_dataset(name)
        ensure_windows(box, name, "pool", ds.pool)
        ensure_windows(box, name, "test", ds.test)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
