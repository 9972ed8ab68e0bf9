"""Write the evaluation splits as training-format JSONL files under build/data/.

- healthcare_pool.jsonl: corpus train + dev (what the default model is trained on);
- healthcare_test.jsonl: corpus test (what the model card reports);
- asrs_train.jsonl / asrs_test.jsonl: ASRS coded reports up to 2018 / from 2019, labels in
  the asrs-hf taxonomy (only where ../shared/data/asrs is present; never committed).

Usage: python scripts/make_split_files.py [--out build/data]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from syscause import splits
from syscause.corpora import read_records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("build/data"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    records = read_records("healthcare", "all")
    for name, keep in (("healthcare_pool", ("train", "dev")), ("healthcare_test", ("test",))):
        rows = [r for r in records if r["split"] in keep]
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in rows)
        print(f"{name}: {len(rows)} narratives")
    if not splits.default_asrs_path().is_file():
        print("ASRS data not found; ASRS split files not written")
        return 0
    for split in ("train", "test"):
        rows_asrs = splits.asrs_human_factors(split)
        with (args.out / f"asrs_{split}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows_asrs:
                fh.write(
                    json.dumps({"id": r.id, "text": r.text, "labels": r.labels, "date": r.date})
                    + "\n"
                )
        print(f"asrs_{split}: {len(rows_asrs)} reports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
