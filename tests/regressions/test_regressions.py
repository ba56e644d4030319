"""Replay the logs kept as regression examples (``tests/regressions/*.jsonl``).

Each file is a JSON Lines event log (``entente-regles`` reads it as is: comment lines start
with ``#``) with a header:

    # entente: {"client": "X", "en_vigueur_le": "2026-04-01", ...}   (Agreement.from_mapping keys)
    # note: why this log is kept (what failed, which issue)
    # xfail: <check>: reason        (optional: a known engine bug not fixed yet, strict)

Every property check of ``test_properties.CHECKS`` and the differential check run on each
file, each at every interesting date. A log that once made a property or the two backends
disagree is kept here for good, so the bug cannot come back unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from strategies import Case
from test_differential import check_backends_agree
from test_properties import CHECKS

HERE = Path(__file__).parent
ALL_CHECKS: dict[str, Callable[[Case], None]] = {**CHECKS, "differential": check_backends_agree}


def _xfails(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# xfail:"):
            check, _, reason = line[len("# xfail:"):].strip().partition(":")
            out[check.strip()] = reason.strip()
    return out


def _params() -> list[object]:
    params = []
    for path in sorted(HERE.glob("*.jsonl")):
        xfails = _xfails(path)
        for name in ALL_CHECKS:
            marks = [pytest.mark.xfail(strict=True, reason=xfails[name])] if name in xfails else []
            params.append(pytest.param(path, name, marks=marks, id=f"{path.stem}-{name}"))
    return params


@pytest.mark.parametrize(("path", "check"), _params())
def test_regression_log(path: Path, check: str) -> None:
    """A kept log satisfies every property and both backends agree on it."""
    ALL_CHECKS[check](Case.from_file(path))


def test_regression_files_are_readable() -> None:
    """Every kept log has its header and validates against the vocabulary."""
    files = sorted(HERE.glob("*.jsonl"))
    assert files, "tests/regressions/ holds no log"
    for path in files:
        case = Case.from_file(path)
        assert case.note, f"{path.name}: « # note: » line missing (why is this log kept?)"
        unknown = set(_xfails(path)) - set(ALL_CHECKS)
        assert not unknown, f"{path.name}: xfail for unknown checks {unknown}"
