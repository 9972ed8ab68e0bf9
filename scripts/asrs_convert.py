"""Convert NASA ASRS database CSV exports (two-row header) to JSON Lines.

Each report becomes one line in the healthcare corpus's shape (id, text, labels, framing,
taxonomy_version) with the ASRS codes kept under "asrs"; labels are the weak taxonomy-v1
labels from resources/mappings/asrs_to_v1.json, null where ASRS did not code the report.
With --raw the lines keep the shape of shared/data/asrs (acn, date, narrative, ...).

Usage: python scripts/asrs_convert.py EXPORT.csv [EXPORT2.csv ...] -o asrs.jsonl [--raw]
"""

from __future__ import annotations

import argparse
import json
import sys

from syscause.asrs import read_export, to_corpus_shape


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exports", nargs="+")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--raw", action="store_true", help="keep the ASRS field names")
    args = parser.parse_args()
    seen: set[str] = set()
    n = 0
    with open(args.output, "w", encoding="utf-8") as out:
        for path in args.exports:
            for report in read_export(path):
                if not report["acn"] or report["acn"] in seen or not report["narrative"]:
                    continue  # exports overlap; ACN is the report's identity
                seen.add(report["acn"])
                rec = report if args.raw else to_corpus_shape(report)
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} reports written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
