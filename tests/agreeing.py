"""The two checks every construct's property makes (issue 19): no look-ahead (the answer on
date X from the whole log equals the answer from the events dated X or earlier) and every
engine agreeing with the reference. One place, so each property file states only what it
generates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from test_properties import diff

from entente_regles import Agreement, Event
from entente_regles.agreement import Engine
from entente_regles.engine.durable.backend import durable_available
from entente_regles.query.evaluation import Evaluation

ENGINES: tuple[Engine, ...] = ("python", "durable") if durable_available() is None else ("python",)


def assert_no_lookahead(agreement: Callable[[], Agreement], full: Evaluation,
                        events: Sequence[Event], dates: Iterable[date]) -> None:
    """On each of ``dates``, ``full`` (the whole log) answers as the events up to it do."""
    for x in dates:
        cut = agreement().evaluate([e for e in events if e.date <= x])
        got, want = full.at(x).to_dict(), cut.at(x).to_dict()
        assert got == want, f"look-ahead at {x}:\n{diff(got, want)}"


def assert_engines_agree(agreement: Callable[[Engine], Agreement], full: Evaluation,
                         events: Sequence[Event], dates: Sequence[date]) -> None:
    """Every engine gives the reference's answers on each of ``dates`` and its diagnostics;
    ``full`` is the python engine's evaluation of ``events``."""
    reference = agreement("reference").evaluate(events)
    for engine in ENGINES:
        other = agreement(engine).evaluate(events) if engine != "python" else full
        for x in dates:
            want, got = reference.at(x).to_dict(), other.at(x).to_dict()
            assert got == want, f"{engine} vs reference at {x}:\n{diff(want, got)}"
        assert other.diagnostics == reference.diagnostics
