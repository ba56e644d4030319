"""The README's Python snippets are what a developer copies first: each ```python block
runs (here) and passes ``mypy --strict`` against the installed package (.ci/run, the step
after mypy: a cold mypy run costs ten seconds of the test command's three minutes; issue 20)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def snippets() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_snippets() -> None:
    assert snippets(), "README.md has no ```python block"


@pytest.mark.parametrize("number", range(len(snippets())))
def test_readme_snippet_runs(number: int) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(snippets()[number], f"README.md python block {number + 1}", "exec"), {})
    assert printed.getvalue().strip(), "the snippet printed nothing"
