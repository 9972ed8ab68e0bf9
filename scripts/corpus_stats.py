"""Print the healthcare corpus's size, diversity, label mix, near-duplicate check and splits.

Every target of the corpus issue is checked and marked PASS or FAIL; the exit code is 1 if
any target fails. Styles are shown both as declared by the authors and as measured from the
text (capitals, abbreviations, length), so declared labels can be checked.

Usage: python scripts/corpus_stats.py [--corpus-dir corpora/healthcare]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from validate_corpus_draft import EVENT_TYPES as DRAFT_EVENTS  # noqa: E402
from validate_corpus_draft import REPORTERS as DRAFT_REPORTERS  # noqa: E402
from validate_corpus_draft import SETTINGS as DRAFT_SETTINGS  # noqa: E402
from validate_corpus_draft import STYLES as DRAFT_STYLES  # noqa: E402

# The groups every narrative is described by; the corpus must cover each one.
REPORTERS = tuple(
    sorted(DRAFT_REPORTERS - {"pharmacy_technician", "midwife", "therapist", "other"})
)
SETTINGS = tuple(sorted(DRAFT_SETTINGS - {"other"}))
EVENTS = tuple(sorted(DRAFT_EVENTS - {"other"}))
STYLES = tuple(sorted(DRAFT_STYLES - {"plain"}))
ABBREV = re.compile(
    r"\b(pt|pts|rn|md|q\d+h|d/c|prn|npo|bg|mar|pca|sbar|hx|w/|s/p|abx|iv|po|"
    r"lwbs|ama|pod\d|cna|ed|icu|er|vs|sob|cxr|ekg|o2|sats?)\b",
    re.I,
)
MIN_PER_GROUP = 10


def measured_styles(text: str) -> set[str]:
    """Styles visible in the text itself, independent of what the author declared."""
    letters = [c for c in text if c.isalpha()]
    out = set()
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        out.add("all_caps")
    words = text.split()
    if words and len(ABBREV.findall(text)) / len(words) > 0.08:
        out.add("terse")
    if re.search(r"\b(I|I'm|I've|my|me|we)\b", text):
        out.add("first_person")
    return out


def max_pairwise_cosine(texts: list[str]) -> tuple[float, int, int]:
    """Highest TF-IDF cosine between two different narratives, and the pair."""
    x = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(texts)
    sims = (x @ x.T).toarray()
    np.fill_diagonal(sims, 0.0)
    i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
    return float(sims[i, j]), int(i), int(j)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-dir", type=Path, default=ROOT / "corpora" / "healthcare")
    args = parser.parse_args()
    records = [
        json.loads(line)
        for line in (args.corpus_dir / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    split_bytes = (args.corpus_dir / "splits.json").read_bytes()
    splits = json.loads(split_bytes)["assignments"]
    n = len(records)
    checks: list[tuple[str, bool]] = []

    def check(name: str, ok: bool) -> None:
        checks.append((name, ok))

    def show(title: str, counter: Counter, keys: tuple[str, ...] | None = None) -> None:
        print(f"\n{title}")
        for k in keys or tuple(sorted(counter)):
            print(f"  {k:22s} {counter[k]:5d}  {100 * counter[k] / n:5.1f}%")

    print(f"narratives: {n}")
    check(f"at least 1500 narratives ({n})", n >= 1500)
    reporters = Counter(r["reporter"] for r in records)
    show("reporter voices", reporters)
    check("every reporter voice has >= 10", all(reporters[k] >= MIN_PER_GROUP for k in REPORTERS))
    settings = Counter(r["setting"] for r in records)
    show("settings", settings)
    check("every setting has >= 10", all(settings[k] >= MIN_PER_GROUP for k in SETTINGS))
    events = Counter(r["event_type"] for r in records)
    show("event types", events)
    check("every event type has >= 10", all(events[k] >= MIN_PER_GROUP for k in EVENTS))

    lengths = np.array([len(r["text"].split()) for r in records])
    print(
        f"\nlength in words: min {lengths.min()}, median {int(np.median(lengths))}, "
        f"max {lengths.max()}"
    )
    for lo, hi in ((5, 20), (21, 60), (61, 120), (121, 250), (251, 400)):
        k = int(((lengths >= lo) & (lengths <= hi)).sum())
        print(f"  {lo:3d}-{hi:3d} words  {k:5d}  {100 * k / n:5.1f}%")
    check("lengths within 5..400 words", lengths.min() >= 5 and lengths.max() <= 400)
    check(
        ">= 5% under 20 words and >= 3% over 250 words",
        (lengths <= 20).mean() >= 0.05 and (lengths > 250).mean() >= 0.03,
    )

    declared = Counter(s for r in records for s in r["styles"])
    measured = Counter(s for r in records for s in measured_styles(r["text"]))
    print("\nstyles            declared  measured-from-text")
    for s in (*STYLES, "plain"):
        print(f"  {s:15s} {declared[s]:8d}  {measured.get(s, ''):>8}")
    check("every style declared >= 10", all(declared[s] >= MIN_PER_GROUP for s in STYLES))

    no_factor = sum(not r["labels"] for r in records)
    ruled = sum(bool(r["ruled_out"]) for r in records)
    kinds = Counter(x["kind"] for r in records for x in r["ruled_out"])
    print(f"\nno factor stated: {no_factor} ({100 * no_factor / n:.1f}%)")
    print(f"with a negated or hypothetical factor: {ruled} ({100 * ruled / n:.1f}%) {dict(kinds)}")
    check("no factor >= 20%", no_factor / n >= 0.20)
    check("negated/hypothetical >= 10%", ruled / n >= 0.10)

    per_label = Counter(label for r in records for label in r["labels"])
    show("positives per label", per_label)
    check("every label >= 80 positives", min(per_label.values()) >= 80 and len(per_label) == 16)
    n_factors = Counter(min(len(r["labels"]), 4) for r in records)
    print(
        "\nfactors per narrative: "
        + ", ".join(f"{k if k < 4 else '4+'}: {n_factors[k]}" for k in range(5))
    )
    with_factor = n - no_factor
    multi = sum(len(r["labels"]) >= 2 for r in records)
    print(f"several factors: {multi} ({100 * multi / max(with_factor, 1):.1f}% of those with any)")
    check(
        "several factors common (>= 30% of narratives with a factor)",
        multi / max(with_factor, 1) >= 0.30,
    )

    framing = Counter(r["framing"] for r in records)
    show("framing", framing, ("individual", "system", "mixed", "neutral"))
    check("individual >= 25%", framing["individual"] / n >= 0.25)
    check("mixed >= 10%", framing["mixed"] / n >= 0.10)
    need_rw = [r for r in records if r["framing"] in ("individual", "mixed")]
    check(
        "every individual/mixed narrative has a reference rewrite",
        all(r["rewrites"] for r in need_rw),
    )

    cos, i, j = max_pairwise_cosine([r["text"] for r in records])
    print(f"\nhighest pairwise TF-IDF cosine: {cos:.3f} ({records[i]['id']} / {records[j]['id']})")
    check("no pair above 0.8 cosine", cos <= 0.8)

    split_sizes = Counter(splits[r["id"]] for r in records)
    print(f"\nsplits: {dict(sorted(split_sizes.items()))}")
    for name in ("train", "dev", "test"):
        sub = [r for r in records if splits[r["id"]] == name]
        fr = Counter(r["framing"] for r in sub)
        print(
            f"  {name}: framing {dict(sorted(fr.items()))}, min label count "
            f"{min(Counter(lb for r in sub for lb in r['labels']).values())}"
        )
    check("test split >= 400", split_sizes["test"] >= 400)
    check(
        "every record has a split", len(splits) == n and set(splits) == {r["id"] for r in records}
    )
    print(f"splits.json sha256: {hashlib.sha256(split_bytes).hexdigest()}")

    print("\ntargets")
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
