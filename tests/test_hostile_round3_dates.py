"""Issue 22, third round of hostile input: dates near the ends of the calendar.

A question's dates (``--at``, ``--connu-le``, ``--du``, ``--au``, ``--effet``) lie in the
documented range (core/input_limits.py, docs/limites.md); outside it the CLI answers exit 2
with a message in French and English naming the option and the range, never exit 3
(OverflowError, BeyondCalendar). Inside it, at its ends, every command answers.

Each case runs the command line in this process (``cli.main``, which ``python -m
entente_regles`` runs and whose status it exits with): the same parsing, checks and exit
status without starting Python again (about a second of CPU each). One case of each
test runs in a process of its own as well, where the exit status is the process's.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from entente_regles.cli import commands as cli
from entente_regles.core.input_limits import EARLIEST_DATE, LATEST_DATE


class Done(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def _process(tmp_path: Path, *argv: str) -> Done:
    """``python -m entente_regles`` in a process of its own, in ``tmp_path``."""
    done = subprocess.run([sys.executable, "-m", "entente_regles", *argv], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    return Done(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Callable[..., Done]:
    """The command line run in this process, in ``tmp_path``; ``process=True``: in a
    process of its own too, which must exit with the same status and write the same."""
    monkeypatch.chdir(tmp_path)

    def run(*argv: str, process: bool = False) -> Done:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        done = Done(code, out, err)
        if process:
            assert _process(tmp_path, *argv) == done
        return done

    return run


@pytest.mark.parametrize(("argv", "option"), [
    (["rapport", "--at", "9999-12-31", "-o", "r.html"], "--at"),
    (["rapport", "--at", "9999-10-15", "-o", "r.html"], "--at"),
    (["agenda", "--du", "9999-12-31"], "--du"),
    (["agenda", "--at", "9999-12-31"], "--at"),
    (["agenda", "--at", "9999-12-25", "--format", "ics"], "--at"),
    (["agenda", "--effet", "0001-01-01"], "--effet"),
    (["agenda", "--du", "2026-07-01", "--au", "9999-12-31", "--format", "ics"], "--au"),
    (["owed", "--at", "9999-12-31", "--engine", "durable"], "--at"),
    (["owed", "--at", "2026-07-15", "--connu-le", "0001-01-01"], "--connu-le"),
    (["soldes", "--at", "1899-12-31"], "--at"),
])
def test_a_date_outside_the_range_is_refused_with_exit_2(run: Callable[..., Done],
                                                         tmp_path: Path, argv: list[str],
                                                         option: str) -> None:
    done = run(*argv, process=argv == ["rapport", "--at", "9999-12-31", "-o", "r.html"])
    assert done.returncode == 2, done.stderr
    assert "hors de la plage acceptée" in done.stderr
    assert "outside the accepted range" in done.stderr
    assert option in done.stderr
    assert f"{EARLIEST_DATE}" in done.stderr and f"{LATEST_DATE}" in done.stderr
    assert "Traceback" not in done.stderr and "interne" not in done.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("argv", [
    ["rapport", "--at", str(LATEST_DATE), "-o", "r.html"],
    ["agenda", "--at", str(LATEST_DATE)],
    ["agenda", "--du", str(LATEST_DATE), "--format", "ics", "--rappel", "366"],
    ["agenda", "--du", "2199-12-01", "--au", str(LATEST_DATE), "--format", "ics"],
    ["agenda", "--at", "2026-07-15", "--effet", str(EARLIEST_DATE)],
    ["owed", "--at", str(EARLIEST_DATE)],
])
def test_the_ends_of_the_range_are_answered(run: Callable[..., Done], argv: list[str]) -> None:
    done = run(*argv, process=argv == ["owed", "--at", str(EARLIEST_DATE)])
    assert done.returncode == 0, done.stderr
    if "ics" in argv:
        assert "BEGIN:VCALENDAR" in done.stdout and "END:VCALENDAR" in done.stdout
