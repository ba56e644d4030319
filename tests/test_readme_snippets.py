"""The README's Python snippets are what a developer copies first: each ```python block
passes ``mypy --strict`` against the installed package and runs (issue 20)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def snippets() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_snippets() -> None:
    assert snippets(), "README.md has no ```python block"


@pytest.mark.parametrize("number", range(len(snippets())))
def test_readme_snippet_passes_mypy_strict(number: int, tmp_path: Path) -> None:
    source = tmp_path / f"readme_snippet_{number}.py"
    source.write_text(snippets()[number], encoding="utf-8")
    out, err, status = mypy_api.run(["--strict", "--no-incremental", "--cache-dir", "/dev/null",
                                     "--no-error-summary", str(source)])
    assert status == 0, f"README.md ```python block {number + 1}:\n{out}{err}"


@pytest.mark.parametrize("number", range(len(snippets())))
def test_readme_snippet_runs(number: int) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(snippets()[number], f"README.md python block {number + 1}", "exec"), {})
    assert printed.getvalue().strip(), "the snippet printed nothing"
