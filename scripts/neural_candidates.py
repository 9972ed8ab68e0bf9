"""Neural factor-model candidates for scripts/compare_models.py, on the shared splits.

Candidates (each writes build/candidates/<dataset>/<candidate>.npz with held-out and test
probabilities; see scripts/_neural/output.py):

- minilm_frozen_lr: mean-pooled all-MiniLM-L6-v2 embeddings (first 256-token window, or the
  mean over up to four windows, whichever scores better out-of-fold on the pool) plus a
  balanced per-label logistic regression; C tuned by out-of-fold macro AP; 5-fold OOF on the
  pool for held-out, refit on the pool for test.
- static_lr: the static embedding in models/minilm-static (scripts/distill_static.py) plus the
  same head and protocol.
- minilm_finetuned: MiniLM's top layer (layer 5), mean pooling and a multi-label head
  fine-tuned (BCE; AdamW lr 5e-5, head 1e-2; 4 epochs healthcare, 2 ASRS; first 256 tokens)
  on 85% of the pool; held-out = the other 15%. Layers 0-4 stay frozen because a full
  end-to-end pass does not fit two shared CPU cores (see scripts/_neural/finetune.py). The
  head LR and ASRS epochs were chosen on held-out macro AP over a 2e-3 head LR (and 1 epoch).

MiniLM windows and layer-4 states are cached under build/cache/minilm (first run embeds).
Set OMP_NUM_THREADS=1 on a shared machine: with 2 threads, OpenMP spin-waits cost ~25x CPU.

Usage: python scripts/neural_candidates.py [--candidate NAME ...] [--dataset NAME ...] [--force]
Existing outputs are skipped unless --force. Prints a self-check per run: test macro/micro-F1
with per-label thresholds maximising F1 on the held-out predictions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _neural.data import DATASETS, Dataset, load_dataset
from _neural.embed_cache import STATE_LAYER, embed_seconds, ensure_windows
from _neural.linear_head import fit_predict, make_folds, tune_and_oof
from _neural.minilm import MiniLMEncoder, doc_vectors, set_threads
from _neural.output import npz_path, save
from _neural.selfcheck import check

CANDIDATES = ("minilm_frozen_lr", "static_lr", "minilm_finetuned")
STATIC_DIR = Path("models/minilm-static")
EPOCHS = {"healthcare": 4, "asrs": 2}
RATE_SAMPLE = 96  # test documents timed for MiniLM throughput
SEED = 0


class Encoders:
    """The MiniLM encoder, loaded once and only when a cache miss or a timing needs it."""

    def __init__(self) -> None:
        self.box: list[MiniLMEncoder] = []

    def get(self) -> MiniLMEncoder:
        if not self.box:
            self.box.append(MiniLMEncoder(bf16=True))
        return self.box[0]


def minilm_rate(enc: Encoders, ds: Dataset, *, chunked: bool) -> float:
    """MiniLM documents/s (bf16 autocast) on a fixed sample of test documents, head excluded."""
    sample = ds.test.texts[:RATE_SAMPLE]
    encoder = enc.get()
    t0 = time.perf_counter()
    encoder.windows(sample, max_windows=4 if chunked else 1)
    return len(sample) / (time.perf_counter() - t0)


def report(
    name: str,
    ds: Dataset,
    y_held: np.ndarray,
    p_held: np.ndarray,
    p_test: np.ndarray,
    fit_s: float,
    rate: float,
) -> None:
    """Print the self-check line for one candidate on one dataset."""
    per, macro, micro = check(y_held, p_held, ds.test.y, p_test)
    worst = ", ".join(f"{ds.labels[j]} {per[j]:.2f}" for j in np.argsort(per)[:3])
    print(
        f"[{ds.name}/{name}] test macro-F1 {macro:.3f} micro-F1 {micro:.3f} "
        f"(weakest: {worst}); fit {fit_s:.0f}s; predict {rate:.1f} docs/s",
        flush=True,
    )


def run_frozen(ds: Dataset, enc: Encoders, name: str = "minilm_frozen_lr") -> None:
    """minilm_frozen_lr: frozen MiniLM embeddings + per-label LR."""
    win_pool = ensure_windows(enc.box, ds.name, "pool", ds.pool)
    win_test = ensure_windows(enc.box, ds.name, "test", ds.test)
    folds = make_folds(ds.pool.y, 5, SEED)
    best: tuple[float, bool, float, np.ndarray] | None = None
    variants = (False, True) if len(win_pool.owner) > len(ds.pool.ids) else (False,)
    for chunked in variants:
        x = doc_vectors(win_pool, len(ds.pool.ids), chunked=chunked)
        c, oof, scores = tune_and_oof(x, ds.pool.y, folds)
        shown = " ".join(f"C={k:g}:{v:.3f}" for k, v in scores.items())
        print(f"  {ds.name} {'chunked' if chunked else 'first window'}: OOF macro AP {shown}")
        if best is None or scores[c] > best[0]:
            best = (scores[c], chunked, c, oof)
    assert best is not None
    _, chunked, c, oof = best
    x_pool = doc_vectors(win_pool, len(ds.pool.ids), chunked=chunked)
    x_test = doc_vectors(win_test, len(ds.test.ids), chunked=chunked)
    t0 = time.perf_counter()
    p_test = fit_predict(x_pool, ds.pool.y, x_test, c)
    head_s = time.perf_counter() - t0
    firsts = len(ds.pool.ids) / len(win_pool.owner)
    pool_embed_s, _ = embed_seconds(ds.name, "pool")
    fit_s = pool_embed_s * (1.0 if chunked else firsts) + head_s
    rate = minilm_rate(enc, ds, chunked=chunked)
    mode = "mean over <=4 windows of 256" if chunked else "first 256-token window"
    save(
        ds.name,
        name,
        labels=ds.labels,
        heldout_ids=ds.pool.ids,
        heldout_proba=oof,
        test_ids=ds.test.ids,
        test_proba=p_test,
        fit_seconds=fit_s,
        predict_docs_per_s=rate,
        notes=f"all-MiniLM-L6-v2 mean-pooled ({mode}, bf16 autocast), StandardScaler + "
        f"LogisticRegression(C={c:g}, balanced) per label; heldout = 5-fold OOF on the pool; "
        "fit_seconds = pool embedding + final fit (2 shared, heavily loaded CPU cores)",
    )
    report(name, ds, ds.pool.y, oof, p_test, fit_s, rate)


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lowercase tokens from spaCy's blank English tokenizer (as the pipeline tokenises)."""
    import spacy

    tokenizer: Any = spacy.blank("en").tokenizer
    return [[t.lower_ for t in doc] for doc in tokenizer.pipe(texts, batch_size=256)]


def run_static(ds: Dataset, name: str = "static_lr") -> None:
    """static_lr: the distilled static embedding + per-label LR."""
    from syscause.static_embed import StaticEmbedder

    emb = StaticEmbedder.load(STATIC_DIR)
    t0 = time.perf_counter()
    x_pool = emb.embed_tokens(tokenize(ds.pool.texts))
    pool_embed_s = time.perf_counter() - t0
    folds = make_folds(ds.pool.y, 5, SEED)
    c, oof, scores = tune_and_oof(x_pool, ds.pool.y, folds)
    print("  OOF macro AP " + " ".join(f"C={k:g}:{v:.3f}" for k, v in scores.items()))
    t0 = time.perf_counter()
    tokens = tokenize(ds.test.texts)
    t_tok = time.perf_counter() - t0
    x_test = emb.embed_tokens(tokens)
    t_emb = time.perf_counter() - t0 - t_tok
    t1 = time.perf_counter()
    p_test = fit_predict(x_pool, ds.pool.y, x_test, c)
    fit_s = pool_embed_s + time.perf_counter() - t1
    rate = len(ds.test.ids) / (t_tok + t_emb)
    print(
        f"  static embedding alone: {len(tokens) / t_emb:.0f} docs/s on tokens; "
        f"vocabulary coverage {emb.coverage(tokens):.1%} of test tokens"
    )
    save(
        ds.name,
        name,
        labels=ds.labels,
        heldout_ids=ds.pool.ids,
        heldout_proba=oof,
        test_ids=ds.test.ids,
        test_proba=p_test,
        fit_seconds=fit_s,
        predict_docs_per_s=rate,
        notes=f"models/minilm-static ({emb.dim}-d, {len(emb.words)} words) weighted mean, "
        f"StandardScaler + LogisticRegression(C={c:g}, balanced) per label; heldout = 5-fold "
        f"OOF; docs/s includes spaCy tokenisation ({len(tokens) / t_emb:.0f} docs/s without; "
        "the head's predict time is excluded)",
    )
    report(name, ds, ds.pool.y, oof, p_test, fit_s, rate)


def run_finetuned(
    ds: Dataset, enc: Encoders, epochs: int, first: int, head_lr: float, name: str
) -> None:
    """minilm_finetuned: top-layer fine-tuning on 85% of the pool, held-out 15%."""
    from sklearn.model_selection import StratifiedShuffleSplit

    from _neural.finetune import FinetuneConfig, advance_states, train
    from _neural.linear_head import loose_strata

    win_pool = ensure_windows(enc.box, ds.name, "pool", ds.pool)
    win_test = ensure_windows(enc.box, ds.name, "test", ds.test)
    assert win_pool.states is not None and win_test.states is not None
    sss = StratifiedShuffleSplit(n_splits=1, test_size=0.15, random_state=SEED)
    tr, ho = next(sss.split(np.zeros(len(ds.pool.y)), loose_strata(ds.pool.y, 2)))
    tr, ho = np.sort(tr), np.sort(ho)
    config = FinetuneConfig(epochs=epochs, head_lr=head_lr, seed=SEED)
    bert = enc.get().model
    t0 = time.perf_counter()
    pool_states = advance_states(bert, win_pool.states, win_pool.lengths, STATE_LAYER, first)
    test_states = advance_states(bert, win_test.states, win_test.lengths, STATE_LAYER, first)
    print(f"  frozen layers {STATE_LAYER}-{first - 1} run in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    model = train(bert, first, pool_states[tr], win_pool.lengths[tr], ds.pool.y[tr], config)
    train_s = time.perf_counter() - t0
    p_held = model.predict(pool_states[ho], win_pool.lengths[ho])
    p_test = model.predict(test_states, win_test.lengths)
    # Inference is a full 6-layer pass over the first window plus a negligible head.
    rate = minilm_rate(enc, ds, chunked=False)
    save(
        ds.name,
        name,
        labels=ds.labels,
        heldout_ids=[ds.pool.ids[i] for i in ho],
        heldout_proba=p_held,
        test_ids=ds.test.ids,
        test_proba=p_test,
        fit_seconds=train_s,
        predict_docs_per_s=rate,
        notes=f"all-MiniLM-L6-v2, layers 0-{first - 1} frozen (cached, bf16), layers "
        f"{first}-5 + mean pooling + linear head trained with BCE, AdamW lr 5e-5 "
        f"(head {head_lr:g}), {epochs} epochs, batch 16, first 256 tokens, seed {SEED}; "
        "heldout = a 15% stratified split of the pool; "
        "fit_seconds = training only (2 shared CPU cores)",
    )
    report(name, ds, ds.pool.y[ho], p_held, p_test, train_s, rate)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidate", nargs="+", choices=CANDIDATES, default=list(CANDIDATES))
    parser.add_argument("--dataset", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument("--force", action="store_true", help="recompute existing outputs")
    # One thread: on the shared, oversubscribed 2-core box, 2 OpenMP threads spin-wait and
    # burned ~25x the CPU time for the same training step.
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, help="fine-tuning epochs (default per dataset)")
    parser.add_argument(
        "--train-from-layer",
        type=int,
        default=5,
        choices=range(STATE_LAYER, 6),
        help="first MiniLM layer fine-tuned; lower ones stay frozen (default 5: the top layer)",
    )
    parser.add_argument("--head-lr", type=float, default=1e-2, help="fine-tuning head LR")
    parser.add_argument(
        "--suffix", default="", help="append to the output name (keeps variants apart)"
    )
    args = parser.parse_args()
    set_threads(args.threads)
    enc = Encoders()
    for candidate in args.candidate:
        for name in args.dataset:
            out_name = candidate + args.suffix
            if npz_path(name, out_name).exists() and not args.force:
                print(f"[{name}/{out_name}] exists; skipped (use --force to recompute)")
                continue
            ds = load_dataset(name)
            if candidate == "minilm_frozen_lr":
                run_frozen(ds, enc, out_name)
            elif candidate == "static_lr":
                run_static(ds, out_name)
            else:
                epochs = args.epochs or EPOCHS[name]
                run_finetuned(ds, enc, epochs, args.train_from_layer, args.head_lr, out_name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
