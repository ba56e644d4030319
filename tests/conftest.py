"""Shared test configuration: hypothesis profiles and fixtures.

Profiles (pick one with ``pytest --hypothesis-profile NAME``; the default is "ci"):

- ``ci``: the default; sized so that the README's test command (``pytest -n auto``) stays
  under three minutes on a 2-core machine, property and differential tests included (see
  docs/proprietes.md for the measured figure);
- ``thorough``: at least 10,000 examples per property, no deadline — for a night run;
- ``dev``: a handful of examples, for a quick loop while editing.

Tests that should scale with the profile must not pin ``max_examples`` themselves.
``HYPOTHESIS_PROFILE=thorough`` in the environment selects a profile too.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from entente_regles.engine.durable.backend import durable_available

# durable_rules is the `durable` extra (the test extra includes it), on Python 3.11 and 3.12
# only: tests that drive it are skipped where it does not import (and only there), with the reason.
DURABLE_MISSING = durable_available()
needs_durable = pytest.mark.skipif(DURABLE_MISSING is not None,
                                   reason=f"durable_rules unavailable: {DURABLE_MISSING}")
ENGINE_PARAMS = ["python", pytest.param("durable", marks=needs_durable)]

_COMMON = {
    "deadline": None,  # no timing assertions: a slow machine must not fail a property
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("ci", max_examples=40, **_COMMON)
settings.register_profile("thorough", max_examples=10_000, **_COMMON)
settings.register_profile("dev", max_examples=15, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def bundled_rules():  # type: ignore[no-untyped-def]
    """The rule book shipped with the package (loaded once)."""
    from entente_regles import RuleBook

    return RuleBook.bundled()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The property (hypothesis) tests first, in their files' order, then the files of long
    tests, then the others: with
    ``-n auto``, xdist hands the tests out in this order, so the long properties (up to 20 s
    each) start early and the many short tests fill the end, instead of one worker running a
    long property alone while the other is idle (a longest-first schedule). The order of the
    tests of each group is kept; every test still runs (docs/proprietes.md)."""
    items.sort(key=_long_first)


# Files whose tests each take several seconds (differential replays at every date on three
# engines, pages in headless Chromium, a subprocess per hash seed): handed out right after
# the properties, so that none of them starts last and runs alone. xdist's default "load"
# hands the first quarter of the tests to one worker in a block, which then ran every long
# test alone while the other sat idle for half the run: pyproject.toml asks for
# "--dist worksteal", where a worker out of tests takes the others' last ones.
_LONG_FILES = ("test_differential.py", "test_durable_backend.py", "test_hostile.py",
               "test_html_report.py", "test_browser_report.py", "test_portfolio_page.py",
               "test_agenda_truth.py", "test_hostile_round3_output.py")


def _long_first(item: pytest.Item) -> int:
    if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
        return 0
    return 1 if item.path.name in _LONG_FILES else 2
