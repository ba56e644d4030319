"""Differential property: every engine against the reference backend (issue 4, item 3).

``ReferenceBackend`` (src/entente_regles/matching.py, ``engine="reference"``) is a
deliberately plain interpretation of the same compiled rules: every fact against every rule,
loops and dictionaries. Every generated agreement and log goes through it and through the
default engine (``engine="python"``, indexed), and through durable_rules
(``engine="durable"``) where it is installed; the answers must be identical at every
interesting date (``Snapshot.to_dict()``: statuses, deadlines, balances, diagnostics) and the
evaluations' diagnostics must be equal. A disagreement means one of them is wrong: find which,
fix it, and keep the log under ``tests/regressions/`` (the failure message prints it in that
format).

``test_extend_equals_full_replay``: an evaluation extended with the second half of a log, and
asked past its last event in between, answers as the evaluation of the whole log.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from strategies import Case, cases, interesting_dates
from test_properties import Answer, answer, check_answer_determines_to_dict, same_answer

from entente_regles.agreement import Engine
from entente_regles.engine.durable.backend import durable_available

ENGINES: tuple[Engine, ...] = ("python", "durable") if durable_available() is None else ("python",)


def check_backends_agree(case: Case) -> None:
    """Every engine gives the reference's evaluation of the same rules (docs/moteurs.md: an
    engine is only the matcher; issue 4 « Reference evaluator as oracle »)."""
    reference = case.evaluate("reference")
    reference_dates = interesting_dates(case, reference)
    check_answer_determines_to_dict(reference.at(reference_dates[-1]))
    wanted: dict[date, Answer] = {}  # the reference's answers, read once for every engine
    for engine in ENGINES:
        other = case.evaluate(engine)
        for x in sorted(set(reference_dates) | set(interesting_dates(case, other))):
            if x not in wanted:
                wanted[x] = answer(reference.at(x))
            same_answer(wanted[x], other.at(x),
                        lambda x=x, engine=engine: f"engines disagree at {x} (reference vs "
                        f"{engine}); log to keep in tests/regressions/:\n{case.to_jsonl()}")
        assert [d.describe() for d in other.diagnostics] == \
            [d.describe() for d in reference.diagnostics]
        assert other.diagnostics == reference.diagnostics
        assert other.agreement_end == reference.agreement_end


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


@given(cases(), st.data())
def test_extend_equals_full_replay(case: Case, data: st.DataObject) -> None:
    """``Evaluation.extend``: the log given in two parts (split at a date, the second part
    appended after a question asked at the split date) answers as the whole log at every
    interesting date, with the same diagnostics (issue 9, « Continue, do not restart »)."""
    events = list(case.events)
    whole = case.evaluate("python")
    dates = sorted({e.date for e in events})
    if not dates:
        return
    split = data.draw(st.sampled_from(dates), label="split")
    ordered = sorted(events, key=lambda e: e.date)  # a log's order within a date is kept
    first = [e for e in ordered if e.date < split]
    second = [e for e in ordered if e.date >= split]
    engine = data.draw(st.sampled_from(ENGINES), label="engine")
    parts = case.with_events(first).evaluate(engine)
    if data.draw(st.booleans(), label="ask first"):
        parts.at(split)  # the replay has gone as far as the split: extend continues it
    parts.extend(second)
    for x in interesting_dates(case, whole):
        same_answer(whole.at(x), parts.at(x),
                    lambda x=x: f"extend differs at {x}\n{case.to_jsonl()}")
    assert parts.diagnostics == whole.diagnostics
