"""One truth for the agenda (issue 20): every deadline ``at(d)`` reports for a date d of a
window is an item of the agenda of that window as drawn up on d, and every item of that
agenda is such a deadline or one of the documented kinds of date (docs/agenda.md).

Logs are generated with an amendment and a demand at least (tests/strategies.py), every
event recorded on its own date, so that ``at(d)`` and ``agenda(…, as_of=d)`` know the same
events. Cheap: a window of at most 60 days, at most four dates asked in it."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import event, given
from hypothesis import strategies as st
from strategies import (
    BOOK,
    Case,
    amendment_story,
    cases,
    demand_story,
    interesting_dates,
    termination_story,
)

from entente_regles import Evaluation, OptionStatus, Status
from entente_regles.query.agenda import AgendaItem

DAY = timedelta(days=1)
DEMAND_TYPES = frozenset(spec.event for spec in BOOK.demands)
PERIODIC = frozenset(n.id for n in BOOK.norms if n.trigger.kind == "periode")
# kinds that are not an instance's date: computed from the rules (docs/agenda.md)
RULE_DATES = frozenset({"limite_preavis", "prise_effet", "fin_periode", "renouvellement"})


@st.composite
def truth_cases(draw: st.DrawFn) -> tuple[Case, date, date, list[date]]:
    """A realistic log with an amendment and a demand more (now and then a notice of
    termination), a window mostly near one of these acts, dates in it."""
    case = draw(cases("realistic"))
    extra = [*draw(amendment_story(case.start)), *draw(demand_story(case.start))]
    if draw(st.integers(0, 2)) == 0:  # an end announced: windows close on its eve
        extra += draw(termination_story(case.start))
    events = sorted([*case.events, *extra], key=lambda e: e.date)
    case = case.with_events(attrs.evolve(e, recorded=None) for e in events)
    # mostly a window near an event (its deadlines fall within weeks), else anywhere
    pick = draw(st.integers(0, 9))
    anchors = sorted({e.date for e in (extra if pick < 5 else case.events)}) or [case.start]
    anchor = draw(st.sampled_from(anchors)) if pick < 8 else case.start
    first = anchor + timedelta(days=draw(st.integers(-5, 20)))
    last = first + timedelta(days=draw(st.integers(0, 60)))
    asked = draw(st.lists(st.integers(0, (last - first).days).map(
        lambda n: first + timedelta(days=n)), min_size=1, max_size=2))
    return case, first, last, asked


def _keyed(agenda: list[AgendaItem]) -> set[tuple[str, str, str | None, date]]:
    return {(i.kind, i.rule, i.key, i.on) for i in agenda}


def _ends_known(evaluation: Evaluation, on: date) -> set[date]:
    """The eves of the ends known on ``on`` and still to come (the agreement's, a
    service's): a faculty's window closes on such an eve at the latest (decision 48)."""
    return {e.on - DAY for e in evaluation.scheduled_effects(on)
            if e.action in ("fin_entente", "fin_service")}


def check_reported_are_items(evaluation: Evaluation, first: date, last: date,
                             on: date) -> None:
    snapshot = evaluation.at(on)
    agenda = list(evaluation.agenda(first, last, as_of=on))
    items = _keyed(agenda)
    for ob in snapshot.owed:
        assert ob.status in (Status.DUE, Status.LATE)
        for kind, when in (("echeance", ob.deadline),
                           ("echeance_politique", ob.policy_deadline)):
            if when is not None and first <= when <= last:
                event(f"at(d) reports a date in the window: {kind}")
                assert (kind, ob.rule, ob.key, when) in items, (
                    f"at({on}) reports {kind} {when} of {ob.rule} {ob.key}; agenda: "
                    f"{sorted(items, key=str)}")
    eves = _ends_known(evaluation, on)
    for option in snapshot.options:
        closes = option.closes_on
        if option.status is not OptionStatus.OPEN or closes is None \
                or not first <= closes <= last:
            continue
        shown = {i.on for i in agenda if (i.kind, i.rule, i.key) == (
            "fin_faculte", option.rule, option.key)}
        allowed = {closes} | {eve for eve in eves if option.opens_on <= eve < closes}
        event("at(d) reports an open faculty closing in the window")
        assert shown & allowed, f"at({on}): {option.rule} closes {closes}; agenda: {shown}"
        assert all(d <= closes for d in shown & allowed)
    pending = snapshot.termination_pending
    if pending is not None and first <= pending.effective <= last:
        assert any(i.kind == "prise_effet" and i.on == pending.effective for i in agenda)


def check_items_are_reported(case: Case, evaluation: Evaluation, first: date, last: date,
                             on: date) -> None:
    """Every item of the agenda drawn up on ``on`` is a date ``at()`` reports (on the
    item's day as known then, or when a demand of the log was made), or a date computed
    from the rules."""
    demands = sorted({e.date for e in case.events if e.type in DEMAND_TYPES and e.date <= on})
    memo: dict[date, dict[tuple[str, str, str | None], set[date]]] = {}

    def reported_on(x: date) -> dict[tuple[str, str, str | None], set[date]]:
        """The dates ``at(x)`` reports, by (kind, rule, key)."""
        if x not in memo:
            found: dict[tuple[str, str, str | None], set[date]] = {}
            snapshot = evaluation.at(x)
            for o in snapshot.options:
                found.setdefault(("fin_faculte", o.rule, o.key), set()).update(
                    {o.closes_on} if o.closes_on is not None else set())
                found[("fin_faculte", o.rule, o.key)] |= _ends_known(evaluation, x)
            for ob in snapshot.obligations:
                for kind, when in (("echeance", ob.deadline),
                                   ("echeance_politique", ob.policy_deadline)):
                    if when is not None:
                        found.setdefault((kind, ob.rule, ob.key), set()).add(when)
            memo[x] = found
        return memo[x]

    births: dict[tuple[str, str | None], set[date]] = {}
    snapshot = evaluation.at(on)
    for ob in snapshot.obligations:
        births.setdefault((ob.rule, ob.key), set()).add(ob.triggered_on)
    for item in evaluation.agenda(first, last, as_of=on):
        if len(item.ident) > 4:
            event("a demand's deadline on the agenda")
        event(f"agenda item: {item.kind}")
        if item.kind in RULE_DATES:
            continue
        # the item's day as known then, the instance's birth, the demands made by then
        candidates = [min(item.on, on), *sorted(births.get((item.rule, item.key), ())),
                      *demands]
        if item.rule in PERIODIC:
            candidates.append(item.on)  # a period's instance is projected from the rules
        assert any(item.on in reported_on(x).get((item.kind, item.rule, item.key), ())
                   for x in candidates), f"agenda as of {on}: {item} reported by no at()"


@given(truth_cases())
def test_agenda_is_the_replays_deadlines(drawn: tuple[Case, date, date, list[date]]) -> None:
    """Both ways: what ``at(d)`` reports is on the agenda; what the agenda shows, ``at()``
    reports or the rules compute (issue 20)."""
    case, first, last, asked = drawn
    evaluation = case.evaluate()
    inside = [d for d in interesting_dates(case, evaluation) if first <= d <= last]
    for on in sorted({*asked, *inside[:2]}):
        check_reported_are_items(evaluation, first, last, on)
        check_items_are_reported(case, evaluation, first, last, on)
