"""Differential property: the durable_rules backend against the reference backend (issue 4,
item 3).

``PythonBackend`` (src/entente_regles/matching.py) is a deliberately plain interpretation of
the same compiled rules: loops and dictionaries. Every generated agreement and log goes through
both (``engine="python"`` and ``engine="durable"``); the answers must be identical at every
interesting date (``Snapshot.to_dict()``: statuses, deadlines, balances, diagnostics) and the
evaluations' diagnostics must be equal. A disagreement means one of them is wrong: find which,
fix it, and keep the log under ``tests/regressions/`` (the failure message prints it in that
format).
"""

from __future__ import annotations

from hypothesis import given
from strategies import Case, cases, interesting_dates
from test_properties import diff


def check_backends_agree(case: Case) -> None:
    """Both backends give the same evaluation of the same rules (docs/api.md, backends:
    durable_rules is only the matcher; issue 4 « Reference evaluator as oracle »)."""
    reference, durable = case.evaluate("python"), case.evaluate("durable")
    dates = sorted(set(interesting_dates(case, reference)) | set(interesting_dates(case, durable)))
    for x in dates:
        want, got = reference.at(x).to_dict(), durable.at(x).to_dict()
        assert got == want, (f"backends disagree at {x} (python vs durable):\n{diff(want, got)}"
                             f"\nlog to keep in tests/regressions/:\n{case.to_jsonl()}")
    assert [d.describe() for d in durable.diagnostics] == \
        [d.describe() for d in reference.diagnostics]
    assert durable.diagnostics == reference.diagnostics
    assert durable.agreement_end == reference.agreement_end


@given(cases())
def test_durable_backend_agrees_with_reference(case: Case) -> None:
    """Every generated log, realistic or hostile, through both backends: identical answers at
    every interesting date, identical diagnostics."""
    check_backends_agree(case)


@given(cases(termination=True))
def test_backends_agree_on_termination(case: Case) -> None:
    """The same, with a notice of termination in every log (art. 14.2: powers, effects,
    discharge and survival go through the matcher too)."""
    check_backends_agree(case)


@given(cases("hostile"))
def test_backends_agree_on_hostile_logs(case: Case) -> None:
    """The same on hostile logs only: duplicates, unknown keys, acts by the wrong party, events
    outside the agreement's life — where a matcher's joins are most likely to differ."""
    check_backends_agree(case)
