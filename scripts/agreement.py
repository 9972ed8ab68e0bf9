"""Inter-annotator agreement between the first (author) labels and the blind second pass.

Reads corpora/healthcare/annotation/blind_labels.jsonl (the second annotator's labels, made
from GUIDE.md and the text alone) and compares it with the first labels kept in
annotation/first_labels.jsonl (a frozen copy taken before adjudication). Prints Cohen's
kappa per label and for the framing class, with raw agreement and prevalence, and writes the
disagreements to annotation/disagreements.jsonl for adjudication.

Usage: python scripts/agreement.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from syscause.metrics import cohen_kappa
from syscause.taxonomy import load_taxonomy

ANN = Path(__file__).resolve().parents[1] / "corpora" / "healthcare" / "annotation"


def _read(path: Path) -> dict[str, dict]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            if "labels" not in rec:
                rec["labels"] = sorted(f["label"] for f in rec["factors"])
            out[rec["id"]] = rec
    return out


def main() -> int:
    first = _read(ANN / "first_labels.jsonl")
    second = _read(ANN / "blind_labels.jsonl")
    ids = sorted(set(first) & set(second))
    print(f"doubly annotated narratives: {len(ids)}")
    labels = load_taxonomy("v1").ids
    rows = []
    print(f"\n{'label':22s} {'kappa':>6s} {'agree':>6s} {'pos A':>6s} {'pos B':>6s}")
    kappas = []
    for label in labels:
        a = [label in first[i]["labels"] for i in ids]
        b = [label in second[i]["labels"] for i in ids]
        k = cohen_kappa(a, b)
        kappas.append(k)
        agree = sum(x == y for x, y in zip(a, b, strict=True)) / len(ids)
        print(f"{label:22s} {k:6.3f} {agree:6.3f} {sum(a):6d} {sum(b):6d}")
        rows.append((label, k))
    fa = [first[i]["framing"] for i in ids]
    fb = [second[i]["framing"] for i in ids]
    kf = cohen_kappa(fa, fb)
    agree_f = sum(x == y for x, y in zip(fa, fb, strict=True)) / len(ids)
    print(f"{'framing (4 classes)':22s} {kf:6.3f} {agree_f:6.3f}")
    n_ok = sum(k >= 0.7 for k in kappas)
    print(
        f"\nlabels with kappa >= 0.70: {n_ok} of {len(labels)}; "
        f"mean label kappa {sum(kappas) / len(kappas):.3f}"
    )
    with (ANN / "disagreements.jsonl").open("w", encoding="utf-8") as fh:
        for i in ids:
            la, lb = set(first[i]["labels"]), set(second[i]["labels"])
            if la != lb or first[i]["framing"] != second[i]["framing"]:
                fh.write(
                    json.dumps(
                        {
                            "id": i,
                            "only_first": sorted(la - lb),
                            "only_second": sorted(lb - la),
                            "framing_first": first[i]["framing"],
                            "framing_second": second[i]["framing"],
                        }
                    )
                    + "\n"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
