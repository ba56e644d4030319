"""Properties of an agreement's term (``[terme]``, decisions 63–65), on the Common Paper CSA
rule book with generated terms and notices of non-renewal:

- the notice limit is the latest day a notice is accepted: received that day, the agreement
  ends at the end of the current term; received the next day, the term renews and the
  agreement ends at the end of the next one (or of the last term the rules allow);
- no look-ahead: before the notice, every answer about the term and the end is the one of
  the log without it;
- the engines agree (python, reference, durable where it is installed).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from entente_regles import Agreement
from entente_regles.core.event import Event
from entente_regles.engine.durable.backend import durable_available
from entente_regles.engine.replay.terms import TermPlan
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.vocabulary import Term

CSA = Path(__file__).resolve().parent.parent / "regles" / "common-paper-csa"
BOOK = RuleBook.from_directory(CSA)
ENGINES = ("python", "reference") + (("durable",) if durable_available() is None else ())
ONE_DAY = timedelta(days=1)


@st.composite
def terms(draw: st.DrawFn) -> Term:
    months = draw(st.integers(1, 24))
    return Term(
        article="5.1", months=months,
        renewal_months=draw(st.sampled_from((months, 1, 12))),
        renewals=draw(st.one_of(st.none(), st.integers(0, 3))),
        month_rounding=draw(st.sampled_from(("end_of_month", "next_day"))),
        notice_days=draw(st.integers(1, 60)), notice_power="non-renewal",
        notice_strict=draw(st.booleans()))


def _agreement(term: Term, start: date, engine: str = "python") -> Agreement:
    return Agreement(client="X", in_force_from=start, rules=BOOK, engine=engine,  # type: ignore[arg-type]
                     term=term)


def _notice(received: date) -> Event:
    return Event("termination_notice", received, "customer",
                 data={"notice": "NR", "ground": "non_renewal"})


def _plan(agreement: Agreement) -> TermPlan:
    term = agreement.agreement_term
    assert term is not None
    return TermPlan(term, agreement.in_force_from, agreement.legal_calendar())


@given(term=terms(), start=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
       k=st.integers(0, 2), late=st.booleans())
def test_the_notice_limit_is_the_latest_day_accepted(term: Term, start: date, k: int,
                                                     late: bool) -> None:
    agreement = _agreement(term, start)
    plan = _plan(agreement)
    limit = plan.notice_limit(k)
    assert limit is not None
    received = limit + ONE_DAY if late else limit
    if received < start:
        return  # before the entry into force: without effect
    last = plan.last
    if last is not None and k > last:
        return  # the agreement has expired by then
    current = plan.index_on(received)
    assert current is not None
    ends = {}
    for engine in ENGINES:
        evaluation = _agreement(term, start, engine).evaluate([_notice(received)])
        ends[engine] = evaluation.agreement_end
    assert len(set(ends.values())) == 1, ends  # the engines agree
    wanted = k + 1 if late else k
    if current > k:  # a long notice reaches back past the previous term: in it already
        wanted = max(wanted, current)
    if last is not None:
        wanted = min(wanted, last)
    assert ends["python"] == plan.end_of(wanted)
    late_reported = any(d.code == "preavis_tardif"
                        for d in agreement.evaluate([_notice(received)]).diagnostics)
    assert late_reported == (wanted > current)


@given(term=terms(), start=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
       days=st.integers(0, 900), ask=st.integers(0, 1200))
def test_no_look_ahead(term: Term, start: date, days: int, ask: int) -> None:
    agreement = _agreement(term, start)
    received, on = start + timedelta(days=days), start + timedelta(days=ask)
    with_notice = agreement.evaluate([_notice(received)]).at(on)
    without = agreement.evaluate([]).at(on)
    if on < received:
        assert with_notice.term == without.term
        assert with_notice.ending == without.ending
        assert with_notice.agreement_in_force == without.agreement_in_force
    if without.term is not None:  # the term is the same whatever the log says
        assert without.term.start <= on <= without.term.end
        if with_notice.term is not None:
            assert (with_notice.term.start, with_notice.term.end) == (
                without.term.start, without.term.end)
