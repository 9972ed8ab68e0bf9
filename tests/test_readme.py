"""The README's two set-up commands are exactly what CI runs."""

from __future__ import annotations

import re

from .conftest import ROOT


def _first_bash_blocks(n: int) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)[:n]


def test_ci_runs_the_readme_commands_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install_and_run, tests = _first_bash_blocks(2)
    assert "\n" not in install_and_run and "\n" not in tests
    assert install_and_run in ci.splitlines()
    assert tests in ci.splitlines()
    assert "pytest" in tests
