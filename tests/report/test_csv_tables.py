"""The report's tables as CSV files: values, and spreadsheet-formula safety."""

from __future__ import annotations

import csv

from syscause.report import ReportOptions, build_report

from .conftest import RECORDS, SECRET, record, write_jsonl


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build(results, tmp_path, **options):
    out = tmp_path / "report.html"
    summary = build_report(
        str(results), out, ReportOptions(date_column="date", group_column="unit", **options)
    )
    return summary, tmp_path / "report_tables"


def test_tables_go_beside_the_report_by_default(results, tmp_path):
    summary, tables = build(results, tmp_path)
    assert sorted(p.name for p in summary.tables) == sorted(
        [
            "prevalence.csv",
            "framing.csv",
            "cooccurrence.csv",
            "trend.csv",
            "framing_trend.csv",
            "by_group.csv",
            "evidence_phrases.csv",
        ]
    )
    assert all(p.parent == tables for p in summary.tables)


def test_table_values(results, tmp_path):
    _, tables = build(results, tmp_path)
    prevalence = {r["label"]: r for r in read(tables / "prevalence.csv")}
    assert prevalence["understaffing"]["reports"] == "4"
    assert prevalence["understaffing"]["share"] == str(round(4 / 7, 4))
    assert prevalence["understaffing"]["example_ids"] == "r1; r2; r4; r6"
    cooc = {r["label"]: r for r in read(tables / "cooccurrence.csv")}
    assert cooc["fatigue"]["understaffing"] == cooc["understaffing"]["fatigue"] == "2"
    trend = read(tables / "trend.csv")
    feb = [r for r in trend if r["period"] == "2026-02"]
    assert len(feb) == 4 and all(r["reports"] == "0" for r in feb)
    by_group = read(tables / "by_group.csv")
    assert [(r["unit"], r["reports"], r["understaffing"]) for r in by_group] == [
        ("ED", "4", "2"),
        ("ICU", "2", "1"),
        ("(blank)", "1", "1"),
    ]
    phrases = read(tables / "evidence_phrases.csv")
    assert phrases[0] == {
        "label": "understaffing",
        "rank": "1",
        "phrase": "had 7 pts",
        "reports": "3",
        "example_ids": "r1; r2; r6",
    }


def test_tables_dir_option_and_formula_cells_are_neutralised(tmp_path):
    recs = [*RECORDS, record("=HYPERLINK(1)", {"fatigue": ["+1 nurse short"]}, unit="@ward")]
    results = write_jsonl(tmp_path / "results.jsonl", recs)
    where = tmp_path / "elsewhere"
    summary, _ = build(results, tmp_path, tables_dir=str(where))
    assert all(p.parent == where for p in summary.tables)
    units = [r["unit"] for r in read(where / "by_group.csv")]
    assert "'@ward" in units
    phrases = [r["phrase"] for r in read(where / "evidence_phrases.csv")]
    assert "'+1 nurse short" in phrases
    ids = [r["example_ids"] for r in read(where / "prevalence.csv") if r["label"] == "fatigue"]
    assert ids == ["r1; r3; r6; =HYPERLINK(1)"]  # inside a cell, not at its start: inert
    for path in summary.tables:
        assert SECRET not in path.read_text(encoding="utf-8")


def test_date_and_group_tables_only_with_their_columns(results, tmp_path):
    summary = build_report(str(results), tmp_path / "r.html")
    names = {p.name for p in summary.tables}
    assert not names & {"trend.csv", "framing_trend.csv", "by_group.csv"}
    assert "prevalence.csv" in names
