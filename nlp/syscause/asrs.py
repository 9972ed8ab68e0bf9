"""NASA ASRS data: reading database CSV exports and mapping analyst codes to taxonomy v1.

ASRS's online database exports a CSV with a two-row header: a group row ("Time",
"Person 1", "Assessments", "Report 1", ...; a group name stands over its first column only)
and a field row ("ACN", "Date", "Human Factors", "Narrative", ...). Cite "NASA Aviation
Safety Reporting System" wherever ASRS data is used.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from syscause.errors import InputError

csv.field_size_limit(2**31 - 1)


@lru_cache(maxsize=1)
def load_mapping() -> dict[str, Any]:
    """The ASRS-code to taxonomy-v1 mapping shipped as package data."""
    ref = resources.files("syscause") / "resources" / "mappings" / "asrs_to_v1.json"
    return dict(json.loads(ref.read_text(encoding="utf-8")))


def map_to_v1(
    human_factors: list[str] | None,
    contributing_factors: list[str] | None,
    *,
    include_partial: bool = False,
) -> list[str] | None:
    """Weak v1 labels for one report; None where ASRS coded neither field (unknown)."""
    if human_factors is None and contributing_factors is None:
        return None
    mapping = load_mapping()
    strengths = {"direct", "partial"} if include_partial else {"direct"}
    labels: set[str] = set()
    for field, codes in (
        ("human_factors", human_factors),
        ("contributing_factors", contributing_factors),
    ):
        for code in codes or []:
            entry = mapping[field].get(code)
            if entry and entry["strength"] in strengths:
                labels.update(entry["labels"])
    return sorted(labels)


def _split_codes(value: str) -> list[str] | None:
    value = value.strip()
    if not value:
        return None
    return [v.strip() for v in value.split(";") if v.strip()]


def read_export(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield one record per report of an ASRS database CSV export (two-row header)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        try:
            groups = next(reader)
            fields = next(reader)
        except StopIteration:
            raise InputError(f"{path}: not an ASRS export (needs two header rows)") from None
        current = ""
        columns: list[tuple[str, str]] = []
        for i, name in enumerate(fields):
            group = groups[i].strip() if i < len(groups) else ""
            current = group or current
            columns.append((current, name.strip()))
        if not any(f == "ACN" for _, f in columns) or not any(f == "Narrative" for _, f in columns):
            raise InputError(f"{path}: not an ASRS export (no 'ACN' or 'Narrative' column)")
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            cells: dict[tuple[str, str], str] = {}
            for key, value in zip(columns, values, strict=False):
                cells.setdefault(key, value)

            def by_field(field: str, group_prefix: str = "", cells: dict = cells) -> list[str]:
                return [
                    v
                    for (g, f), v in cells.items()
                    if f == field and g.startswith(group_prefix) and v.strip()
                ]

            narratives = by_field("Narrative", "Report")
            hf_lists = [_split_codes(v) for v in by_field("Human Factors", "Person")]
            hf = sorted({c for lst in hf_lists if lst for c in lst}) or None
            cf_raw = by_field("Contributing Factors / Situations")
            cf = _split_codes(cf_raw[0]) if cf_raw else None
            pp = by_field("Primary Problem")
            synopsis = by_field("Synopsis")
            reporter = by_field("Function", "Person 1")
            acn = by_field("ACN")
            date = by_field("Date")
            yield {
                "acn": acn[0].strip() if acn else None,
                "date": date[0].strip() if date else None,
                "reporter": reporter[0].strip() if reporter else None,
                "narrative": "\n\n".join(n.strip() for n in narratives),
                "synopsis": synopsis[0].strip() if synopsis else None,
                "human_factors": hf,
                "contributing_factors": cf,
                "primary_problem": pp[0].strip() if pp else None,
            }


def to_corpus_shape(report: dict[str, Any]) -> dict[str, Any]:
    """An ASRS report in the healthcare corpus's JSONL shape, with weak v1 labels."""
    return {
        "id": f"asrs-{report['acn']}",
        "text": report["narrative"],
        "labels": map_to_v1(report.get("human_factors"), report.get("contributing_factors")),
        "framing": None,
        "taxonomy_version": "v1",
        "asrs": {
            k: report.get(k)
            for k in (
                "acn",
                "date",
                "reporter",
                "synopsis",
                "human_factors",
                "contributing_factors",
                "primary_problem",
            )
        },
    }
