"""Conditions on state, triggers on state and at the end, durations (issue 19, decisions
60–62): properties on generated logs over the test rule book ``tests/regles_etat``.

- no look-ahead: the snapshot at X from the whole log equals the one from the log cut at X
  (conditions read only records dated X or earlier);
- a condition-gated faculty is available exactly while its condition holds: day by day, the
  right to suspend for an invoice (20.2) is open iff, by an independent computation from the
  same snapshot, that invoice is late for more than 10 days and the right not exercised;
- a condition-gated power has effect exactly when its condition holds: a termination for
  late payment (20.5) ends the agreement iff some invoice is late for more than 30 days that
  day (computed from the snapshot of the day before the end, independently);
- every engine gives the reference's answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from agreeing import assert_engines_agree, assert_no_lookahead
from hypothesis import given
from hypothesis import strategies as st

from entente_regles import Agreement, Event, OptionStatus, RuleBook, Status
from entente_regles.agreement import Engine

BOOK = RuleBook.from_directory(Path(__file__).resolve().parent / "regles_etat")
START = date(2026, 4, 1)
HUNDRED = Decimal("100.00")


def _agreement(engine: Engine = "python") -> Agreement:
    return Agreement(client="X", in_force_from=START, rules=BOOK, engine=engine)


@st.composite
def logs(draw: st.DrawFn) -> list[Event]:
    """A few invoices, some paid (on time or late), suspensions naming them, force majeure
    spells, and termination notices by either party."""
    events: list[Event] = []
    for n in range(draw(st.integers(1, 4))):
        issued = START + timedelta(days=draw(st.integers(0, 60)))
        number = f"F-{n}"
        events.append(Event("facture_emise", issued, "mcn",
                            data={"facture": number, "montant": HUNDRED}))
        if draw(st.booleans()):
            paid = issued + timedelta(days=draw(st.integers(0, 90)))
            events.append(Event("paiement", paid, "client",
                                data={"facture": number, "montant": HUNDRED}))
        for _ in range(draw(st.integers(0, 2))):
            on = issued + timedelta(days=draw(st.integers(20, 90)))
            events.append(Event("suspension", on, "mcn", data={"facture": number}))
    if draw(st.booleans()):
        began = START + timedelta(days=draw(st.integers(0, 90)))
        events.append(Event("force_majeure_debut", began, "mcn",
                            data={"force_majeure": "FM"}))
        if draw(st.booleans()):
            ended = began + timedelta(days=draw(st.integers(1, 12)))
            events.append(Event("force_majeure_fin", ended, "mcn",
                                data={"force_majeure": "FM"}))
    for _ in range(draw(st.integers(0, 2))):
        on = START + timedelta(days=draw(st.integers(30, 150)))
        events.append(Event("resiliation", on, draw(st.sampled_from(("mcn", "client"))),
                            data={"date_effet": on}))
    events.sort(key=lambda e: e.date)
    return events


def _dates(events: list[Event]) -> list[date]:
    found = {START}
    for event in events:
        found |= {event.date, event.date - timedelta(days=1), event.date + timedelta(days=11),
                  event.date + timedelta(days=31), event.date + timedelta(days=45)}
    return sorted(d for d in found if d >= START)


@given(logs(), st.data())
def test_no_lookahead_and_engines_agree(events: list[Event], data: st.DataObject) -> None:
    full = _agreement().evaluate(events)
    dates = _dates(events)
    assert_no_lookahead(_agreement, full, events,
                        data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=4,
                                           unique=True), label="X"))
    assert_engines_agree(_agreement, full, events, dates)


@given(logs())
def test_a_gated_faculty_is_open_exactly_while_its_condition_holds(events: list[Event]
                                                                   ) -> None:
    evaluation = _agreement().evaluate(events)
    invoices = sorted({str(e.data["facture"]) for e in events if e.type == "facture_emise"})
    day, last = START, max(e.date for e in events) + timedelta(days=40)
    while day <= last:
        snap = evaluation.at(day)
        for number in invoices:
            option = snap.find_option("suspendre-service", number)
            invoice = snap.find("paiement-facture", number)
            # independently: the invoice is late, its deadline more than 10 days ago, and the
            # agreement has not ended (an end closes every window, decision 39)
            holds = (invoice is not None and invoice.status is Status.LATE
                     and invoice.deadline is not None
                     and (day - invoice.deadline).days > 10)
            if option is None:
                # the right arises the day after the deadline, if the invoice is still owed
                assert not holds or not snap.agreement_in_force, (day, number)
                continue
            exercised = option.status is OptionStatus.EXERCISED
            in_force = snap.agreement_in_force
            assert (option.status is OptionStatus.OPEN) == (
                holds and not exercised and in_force), (day, number, option.status, invoice)
        day += timedelta(days=1)


@given(logs())
def test_a_gated_power_has_effect_exactly_when_its_condition_holds(events: list[Event]
                                                                   ) -> None:
    evaluation = _agreement().evaluate(events)
    notices = [e for e in events if e.type == "resiliation" and e.by == "client"]
    ended_by_client = None
    for notice in notices:
        before = evaluation.at(notice.date - timedelta(days=1))
        if not before.agreement_in_force:
            break
        # independently, from what the snapshot of that day says of each invoice
        snap = evaluation.at(notice.date)
        late = any(o.rule == "paiement-facture" and o.status is Status.LATE
                   and o.deadline is not None and (notice.date - o.deadline).days > 30
                   for o in snap.obligations)
        if any(e.type == "resiliation" and e.by == "mcn" and e.date == notice.date
               for e in events):
            continue  # the same day's other notice may end the agreement first
        void = any(d.code == "condition_non_remplie" and d.on == notice.date
                   and d.event is not None and d.event.type == "resiliation"
                   and d.event.by == "client" for d in snap.diagnostics)
        assert void != late, (notice, late)
        if late:
            ended_by_client = notice.date
            break
    if ended_by_client is not None:
        assert not evaluation.at(ended_by_client).agreement_in_force
