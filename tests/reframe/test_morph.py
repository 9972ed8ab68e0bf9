"""Verb forms for the rewrites."""

from __future__ import annotations

import pytest

from syscause.reframe.morph import gerund, participle


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("check", "checked"),
        ("scan", "scanned"),
        ("verify", "verified"),
        ("document", "documented"),
        ("use", "used"),
        ("give", "given"),
        ("admit", "admitted"),
        ("label", "labeled"),
        ("follow", "followed"),
    ],
)
def test_participle(base, expected):
    assert participle(base) == expected


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("check", "checking"),
        ("scan", "scanning"),
        ("use", "using"),
        ("tie", "tying"),
        ("see", "seeing"),
        ("document", "documenting"),
        ("admit", "admitting"),
    ],
)
def test_gerund(base, expected):
    assert gerund(base) == expected
