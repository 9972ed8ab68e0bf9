"""Compare factor-model candidates on the same splits, in one table.

Datasets (see nlp/syscause/splits.py): ``healthcare`` (pool = train + dev, test = test) and
``asrs`` (human factors; pool = coded reports up to 2018, test = 2019). Every candidate gives
held-out probabilities on the pool (out-of-fold, or a held-out fold for fine-tuning) and
probabilities on the test split; per-label thresholds are tuned on the held-out
probabilities only, then applied to test. Candidates:

- ``rules``: the rule model (models/rules) (healthcare only: the rules speak taxonomy v1);
- ``tfidf_lr``: TF-IDF word 1-2 + char 2-5 grams, per-label logistic regression, C tuned
  on the held-out folds;
- ``rules_tfidf``: ``tfidf_lr`` logits stacked with the rule-evidence counts;
- ``syscause_linear``: the model ``syscause train`` fits (hashed n-grams, sentence scorer
  where spans exist, rule counts, stacked and calibrated);
- neural candidates from scripts/neural_candidates.py (build/candidates/<dataset>/*.npz):
  frozen MiniLM + LR, static (model2vec-style) MiniLM + LR, fine-tuned MiniLM;
- ``ensemble:<a>+<b>``: mean probability of candidates, thresholds tuned the same way.

Usage: python scripts/compare_models.py [--dataset healthcare|asrs|both] [--force]
Results are cached in build/candidates/<dataset>/<candidate>.npz; the table is printed and
written to build/candidates/<dataset>/table.md.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np

from syscause import splits
from syscause.learned.train import best_threshold
from syscause.metrics import expected_calibration_error, multilabel_report
from syscause.splits import LabelledText
from syscause.taxonomy import load_taxonomy

OUT = Path("build/candidates")
FOLDS = 5
SEED = 0


def dataset(name: str) -> tuple[list[LabelledText], list[LabelledText], list[str]]:
    """(pool, test, labels) of a dataset."""
    if name == "healthcare":
        pool = splits.healthcare("train") + splits.healthcare("dev")
        return pool, splits.healthcare("test"), list(load_taxonomy("default").ids)
    return (
        splits.asrs_human_factors("train"),
        splits.asrs_human_factors("test"),
        list(load_taxonomy("asrs-hf").ids),
    )


def targets(rows: list[LabelledText], labels: list[str]) -> np.ndarray:
    """0/1 label matrix."""
    return np.array([[lb in (r.labels or ()) for lb in labels] for r in rows], dtype=int)


def folds(n: int) -> list[np.ndarray]:
    """The same shuffled folds for every candidate."""
    order = np.random.default_rng(SEED).permutation(n)
    return [order[i::FOLDS] for i in range(FOLDS)]


def save(path: Path, heldout: np.ndarray, test: np.ndarray, fit_s: float, dps: float) -> None:
    """Cache one candidate's probabilities."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        heldout_proba=heldout,
        test_proba=test,
        fit_seconds=fit_s,
        predict_docs_per_s=dps,
    )


# -- candidates -----------------------------------------------------------------------------


def run_rules(pool: list[LabelledText], test: list[LabelledText], labels: list[str]) -> tuple:
    """The bundled rule model: fixed rules, so held-out = its scores on the pool."""
    import syscause

    pipe = syscause.load(
        str(Path(__file__).resolve().parents[1] / "models" / "rules"), use_parser=False
    )
    start = time.perf_counter()
    test_p = np.array(
        [[a.scores[lb] for lb in labels] for a in pipe.analyze_many([r.text for r in test])]
    )
    dps = len(test) / (time.perf_counter() - start)
    pool_p = np.array(
        [[a.scores[lb] for lb in labels] for a in pipe.analyze_many([r.text for r in pool])]
    )
    return pool_p, test_p, 0.0, dps


def _tfidf_features(train_txt: list[str], others: list[list[str]]) -> tuple:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    x = hstack([word.fit_transform(train_txt), char.fit_transform(train_txt)]).tocsr()
    return x, [hstack([word.transform(o), char.transform(o)]).tocsr() for o in others]


def _lr_probs(x, y: np.ndarray, xs: list, c: float) -> list[np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    outs = [np.zeros((xx.shape[0], y.shape[1])) for xx in xs]
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():
            for o in outs:
                o[:, j] = y[0, j]
            continue
        clf = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=1000)
        clf.fit(x, y[:, j])
        for o, xx in zip(outs, xs, strict=True):
            o[:, j] = clf.predict_proba(xx)[:, 1]
    return outs


def run_tfidf(pool: list[LabelledText], test: list[LabelledText], labels: list[str]) -> tuple:
    """TF-IDF + LR with C chosen by held-out macro-F1 (thresholds tuned per fold set)."""
    y = targets(pool, labels)
    texts = [r.text for r in pool]
    start = time.perf_counter()
    best = (-1.0, 0.0, np.zeros(y.shape))
    for c in (1.0, 4.0, 16.0):
        oof = np.zeros(y.shape)
        for held in folds(len(pool)):
            tr = np.setdiff1d(np.arange(len(pool)), held)
            x, (xh,) = _tfidf_features([texts[i] for i in tr], [[texts[i] for i in held]])
            (oof[held],) = _lr_probs(x, y[tr], [xh], c)
        macro = score(y, oof, oof)[1]
        print(f"  tfidf_lr C={c}: held-out macro-F1 {macro:.3f}", flush=True)
        if macro > best[0]:
            best = (macro, c, oof)
    x, (xt,) = _tfidf_features(texts, [[r.text for r in test]])
    fit_s = time.perf_counter() - start
    t0 = time.perf_counter()
    (test_p,) = _lr_probs(x, y, [xt], best[1])
    return best[2], test_p, fit_s, len(test) / (time.perf_counter() - t0)


def run_rules_tfidf(
    pool: list[LabelledText], test: list[LabelledText], labels: list[str], ds: str
) -> tuple:
    """``tfidf_lr`` logits stacked with rule-evidence counts (logistic stacker)."""
    from syscause.learned.model import logit
    from syscause.learned.train import analyse, fit_stacker

    tf = np.load(OUT / ds / "tfidf_lr.npz")
    y = targets(pool, labels)
    start = time.perf_counter()
    rules_pool = analyse([r.text for r in pool]).rules
    rules_test = analyse([r.text for r in test]).rules

    def stack_in(p: np.ndarray, rules: np.ndarray) -> np.ndarray:
        shared = np.repeat(rules[:, None, :], len(labels), axis=1)
        return np.concatenate([logit(p)[..., None], shared], axis=-1)

    xp, xt = stack_in(tf["heldout_proba"], rules_pool), stack_in(tf["test_proba"], rules_test)
    oof = np.zeros(y.shape)
    for held in folds(len(pool)):
        tr = np.setdiff1d(np.arange(len(pool)), held)
        w, b = fit_stacker(xp[tr], y[tr])
        oof[held] = 1 / (1 + np.exp(-(np.einsum("dlf,lf->dl", xp[held], w) + b)))
    w, b = fit_stacker(xp, y)
    test_p = 1 / (1 + np.exp(-(np.einsum("dlf,lf->dl", xt, w) + b)))
    return oof, test_p, time.perf_counter() - start, 0.0


def run_syscause(pool: list[LabelledText], test: list[LabelledText], labels: list[str]) -> tuple:
    """What ``syscause train`` fits, with the held-out (stacker out-of-fold) probabilities."""
    from syscause.corpora import read_records
    from syscause.learned.data import TrainExample
    from syscause.learned.model import LinearFactorModel
    from syscause.learned.train import analyse, train

    spans: dict[str, dict[str, list[tuple[int, int]]]] = {}
    if labels == list(load_taxonomy("default").ids):
        for rec in read_records("healthcare", "all"):
            spans[rec["id"]] = {
                f["label"]: [(e["start"], e["end"]) for e in f["evidence"]] for f in rec["factors"]
            }
    examples = [
        TrainExample(r.id, r.text, tuple(r.labels or ()), spans.get(r.id), r.framing) for r in pool
    ]
    start = time.perf_counter()
    result = train(examples, labels, folds=FOLDS, seed=SEED, progress=print)
    fit_s = time.perf_counter() - start
    model: LinearFactorModel = result.model
    t0 = time.perf_counter()
    analysed = analyse([r.text for r in test])
    test_p = model.predict(analysed.tokens, analysed.rules).proba
    return result.oof_proba, test_p, fit_s, len(test) / (time.perf_counter() - t0)


# -- scoring --------------------------------------------------------------------------------


def score(
    y_pool: np.ndarray, heldout: np.ndarray, test: np.ndarray, y_test: np.ndarray | None = None
):
    """(micro-F1, macro-F1, per-label F1, ECE) on test with thresholds tuned on held-out."""
    thr = np.array([best_threshold(y_pool[:, j], heldout[:, j]) for j in range(y_pool.shape[1])])
    y_eval = y_pool if y_test is None else y_test
    rep = multilabel_report(y_eval, (test >= thr).astype(int), [str(j) for j in range(len(thr))])
    per = [s.f1 for s in rep["per_label"].values()]
    return rep["micro_f1"], rep["macro_f1"], per, expected_calibration_error(y_eval, test)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="both", choices=["healthcare", "asrs", "both"])
    parser.add_argument("--force", action="store_true", help="recompute cached candidates")
    parser.add_argument("--only", nargs="*", help="compute only these candidates")
    args = parser.parse_args()
    for ds in ("healthcare", "asrs") if args.dataset == "both" else (args.dataset,):
        pool, test, labels = dataset(ds)
        y_pool, y_test = targets(pool, labels), targets(test, labels)
        runners = {
            "rules": lambda p=pool, t=test, lb=labels: run_rules(p, t, lb),
            "tfidf_lr": lambda p=pool, t=test, lb=labels: run_tfidf(p, t, lb),
            "rules_tfidf": lambda p=pool, t=test, lb=labels, d=ds: run_rules_tfidf(p, t, lb, d),
            "syscause_linear": lambda p=pool, t=test, lb=labels: run_syscause(p, t, lb),
        }
        if ds == "asrs":
            del runners["rules"]  # the rules speak taxonomy v1, not the ASRS human factors
        for name, run in runners.items():
            path = OUT / ds / f"{name}.npz"
            if (path.exists() and not args.force) or (args.only and name not in args.only):
                continue
            print(f"[{ds}] fitting {name}", flush=True)
            save(path, *run())
        pool_ids = [r.id for r in pool]
        index = {rid: i for i, rid in enumerate(pool_ids)}
        cands: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, float, float]] = {}
        for path in sorted((OUT / ds).glob("*.npz")):
            v = np.load(path)
            held_ids = [str(x) for x in v["heldout_ids"]] if "heldout_ids" in v else pool_ids
            if v["test_proba"].shape[0] != len(test) or len(held_ids) != len(v["heldout_proba"]):
                print(f"  skipping {path.name}: its rows do not match this split", flush=True)
                continue
            rows_idx = np.array([index[i] for i in held_ids])
            cands[path.stem] = (
                rows_idx, v["heldout_proba"], v["test_proba"],
                float(v["fit_seconds"]), float(v["predict_docs_per_s"]),
            )  # fmt: skip

        def held_macro(name: str, cands=cands, y_pool=y_pool) -> float:
            idx, held = cands[name][0], cands[name][1]
            return score(y_pool[idx], held, held)[1]

        def combine(names: list[str], cands=cands) -> tuple:
            common = set(cands[names[0]][0].tolist())
            for n in names[1:]:
                common &= set(cands[n][0].tolist())
            idx = np.array(sorted(common))
            held = []
            for n in names:
                pos = {r: k for k, r in enumerate(cands[n][0].tolist())}
                held.append(cands[n][1][[pos[i] for i in idx]])
            test_p = sum(cands[n][2] for n in names) / len(names)
            return idx, sum(held) / len(names), test_p, 0.0, 0.0

        singles = sorted(cands, key=lambda k: -held_macro(k))
        for a, b in itertools.combinations(singles[:4], 2):
            cands[f"ensemble:{a}+{b}"] = combine([a, b])
        if len(singles) >= 3:
            cands["ensemble:" + "+".join(singles[:3])] = combine(singles[:3])
        lines = [
            f"## {ds}: pool {len(pool)}, test {len(test)}, {len(labels)} labels",
            "",
            "| candidate | test micro-F1 | test macro-F1 | min label F1 | ECE "
            "| held-out macro-F1 | fit s | docs/s |",
            "|---|---|---|---|---|---|---|---|",
        ]
        rows = []
        for name, (idx, held, tst, fit_s, dps) in cands.items():
            mi, ma, per, ece = score(y_pool[idx], held, tst, y_test)
            hmacro = score(y_pool[idx], held, held)[1]
            rows.append(
                (
                    ma,
                    f"| {name} | {mi:.3f} | {ma:.3f} | {min(per):.3f} | {ece:.3f} "
                    f"| {hmacro:.3f} | {fit_s:.0f} | {dps:.0f} |",
                )
            )
        lines += [r for _, r in sorted(rows, reverse=True)]
        table = "\n".join(lines)
        print(table, flush=True)
        (OUT / ds / "table.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
