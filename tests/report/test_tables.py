"""The report's tables on the handmade results, checked against counts worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from syscause.report.load import ResultColumns, ResultRow, ResultsSource
from syscause.report.tables import (
    MAX_PHRASE_CHARS,
    PHRASE_CAPACITY,
    ReportAccumulator,
    normalise_phrase,
)

from .conftest import LABELS

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def tables_of(path, **kwargs):
    source = ResultsSource(str(path), ResultColumns(date="date", group="unit"))
    acc = ReportAccumulator(
        source.labels, date_column="date", group_column="unit", **kwargs
    )  # fmt: skip
    problems = [acc.add(r) for r in source if isinstance(r, ResultRow)]
    return acc.finish(), [p for p in problems if p]


@pytest.fixture
def tables(results):
    return tables_of(results)[0]


def test_totals_and_prevalence(tables):
    assert (tables.total, tables.with_factor) == (7, 6)
    assert tables.labels == LABELS
    assert {label: tables.prevalence.count(label) for label in LABELS} == {
        "understaffing": 4,
        "fatigue": 3,
        "alert_fatigue": 1,
        "bed_flow": 1,
    }
    assert tables.prevalence.ids("understaffing") == ["r1", "r2", "r4", "r6"]


def test_framing_distribution(tables):
    counts = {f: tables.framing.count(f) for f in ("individual", "system", "mixed", "neutral")}
    assert counts == {"individual": 2, "system": 3, "mixed": 1, "neutral": 1}
    assert tables.framing.ids("individual") == ["r1", "r6"]


def test_cooccurrence_is_symmetric_with_prevalence_on_the_diagonal(tables):
    t = tables
    assert t.cooccurrence.count(t.pair("understaffing", "fatigue")) == 2  # r1, r6
    assert t.cooccurrence.count(t.pair("fatigue", "understaffing")) == 2
    assert t.cooccurrence.ids(t.pair("bed_flow", "understaffing")) == ["r4"]
    assert t.cooccurrence.count(t.pair("alert_fatigue", "fatigue")) == 0
    for label in LABELS:
        assert t.cooccurrence.count((label, label)) == t.prevalence.count(label)


def test_trend_by_month_fills_empty_months_and_counts_undated(results):
    t, problems = tables_of(results)
    assert t.periods == [JAN, FEB, MAR]
    assert [t.period_totals.count(p) for p in t.periods] == [4, 0, 2]
    assert [t.trend.count((p, "understaffing")) for p in t.periods] == [2, 0, 1]
    assert t.trend.ids((JAN, "fatigue")) == ["r1", "r3"]
    assert t.framing_trend.count((MAR, "neutral")) == 1
    assert t.undated == 1
    assert problems == ["field 'date' is empty; counted as undated"]


def test_trend_by_quarter(results):
    t, _ = tables_of(results, period="quarter")
    assert [t.period_name(p) for p in t.periods] == ["2026-Q1"]
    assert t.trend.count((JAN, "understaffing")) == 3


def test_an_unparseable_date_is_a_problem_without_its_value(tmp_path):
    from .conftest import record, write_jsonl

    path = write_jsonl(tmp_path / "r.jsonl", [record("a", {}, date="Zebulon 3rd")])
    t, problems = tables_of(path)
    assert t.undated == 1 and t.periods == []
    assert problems == [
        "field 'date' is not a date (YYYY-MM-DD); counted as undated (see --date-format)"
    ]


def test_factor_by_group(tables):
    t = tables
    assert t.groups == ["ED", "ICU", "(blank)"]  # by report count, then name
    assert [t.group_totals.count(g) for g in t.groups] == [4, 2, 1]
    assert t.by_group.count(("ED", "understaffing")) == 2
    assert t.by_group.ids(("ICU", "bed_flow")) == ["r4"]
    assert t.by_group.count(("(blank)", "fatigue")) == 1


def test_evidence_phrases_are_lowercased_and_counted_once_per_report(tables):
    assert tables.top_phrases("understaffing", 10) == [
        ("had 7 pts", 3),  # r1, r2 ("had  7 PTS"), r6
        ("short staffed", 1),
        ("two call-outs", 1),
    ]
    # r3 gives "double shift" twice, in two spellings: one report.
    assert tables.top_phrases("fatigue", 1) == [("double shift", 2)]
    assert tables.phrases["fatigue"].ids("double shift") == ["r1", "r3"]


def test_example_ids_are_capped_per_cell(results):
    t, _ = tables_of(results, examples=2)
    assert t.prevalence.count("understaffing") == 4
    assert t.prevalence.ids("understaffing") == ["r1", "r2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Two\nCALL-outs\t not replaced ", "two call-outs not replaced"),
        ("x" * 200, "x" * (MAX_PHRASE_CHARS - 1) + "\u2026"),
    ],
)
def test_normalise_phrase(text, expected):
    assert normalise_phrase(text) == expected


def test_labels_outside_the_score_columns_are_appended():
    acc = ReportAccumulator(["a"])
    acc.add(ResultRow(1, "x", ("b", "a"), (), "system", None))
    t = acc.finish()
    assert t.labels == ["a", "b"]
    assert t.cooccurrence.count(t.pair("b", "a")) == 1


def test_the_phrase_vocabulary_stays_bounded_and_keeps_frequent_phrases():
    acc = ReportAccumulator(["a"], examples=1)
    for i in range(3 * PHRASE_CAPACITY):
        evidence = (("a", "common phrase"), ("a", f"rare {i}"))
        acc.add(ResultRow(i + 1, str(i), ("a",), evidence, "system", None))
    counter = acc.finish().phrases["a"]
    assert len(counter.counts) <= 2 * PHRASE_CAPACITY
    assert len(counter.examples) == len(counter.counts)
    assert acc.finish().top_phrases("a", 1) == [("common phrase", 3 * PHRASE_CAPACITY)]
