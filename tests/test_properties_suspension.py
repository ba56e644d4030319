"""Suspension and resumption (issue 19, decision 69): properties on generated logs over the
sale-of-goods test rule book ``tests/regles_vente`` (the seller may suspend its delivery
while the buyer's deposit is late; paying the deposit, or the seller's notice, resumes it).

- no look-ahead: the snapshot at X from the whole log equals the one from the log cut at X;
- an instance is never late while suspended, and it is suspended exactly on the days an
  independent model of the log says (a notice while the deposit is late and the delivery
  open and not late; until the deposit is paid or the seller resumes);
- the deadline after resumption is the original deadline moved by the days suspended
  (calendar days), rolled off a non-working day by the agreement's calendar;
- every engine gives the reference's answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from agreeing import assert_engines_agree, assert_no_lookahead
from hypothesis import given
from hypothesis import strategies as st

from entente_regles import Agreement, Event, RuleBook, Status
from entente_regles.agreement import Engine

BOOK = RuleBook.from_directory(Path(__file__).resolve().parent / "regles_vente")
START = date(2026, 3, 2)
DELIVERY = date(2026, 4, 1)  # 30 days after entry into force (a Wednesday)
DEPOSIT = date(2026, 3, 12)  # 10 days after entry into force
PRICE = Decimal("900.00")
ONE = timedelta(days=1)


def _agreement(engine: Engine = "python") -> Agreement:
    return Agreement(client="V", in_force_from=START, rules=BOOK, engine=engine)


CALENDAR = _agreement().legal_calendar()  # its roll rule: the last day off a day off


def _day(draw: st.DrawFn, low: int, high: int) -> date:
    return START + timedelta(days=draw(st.integers(low, high)))


@st.composite
def logs(draw: st.DrawFn) -> list[Event]:
    """A deposit (maybe late, maybe never), notices of suspension and resumption, maybe a
    delivery and its payment, maybe a termination by mutual agreement."""
    events: list[Event] = []
    if draw(st.integers(0, 3)):  # mostly paid, often late
        events.append(Event("acompte", _day(draw, 5, 45), "acheteur"))
    for _ in range(draw(st.integers(0, 3))):
        events.append(Event("avis_suspension", _day(draw, 8, 32), "vendeur"))
    for _ in range(draw(st.integers(0, 2))):
        events.append(Event("avis_reprise", _day(draw, 10, 50), "vendeur"))
    if draw(st.booleans()):
        delivered = _day(draw, 15, 70)
        events.append(Event("livraison", delivered, "vendeur",
                            data={"facture": "F-1", "montant": PRICE}))
        if draw(st.booleans()):
            events.append(Event("paiement", delivered + timedelta(days=draw(st.integers(0, 30))),
                                "acheteur", data={"facture": "F-1", "montant": PRICE}))
    if draw(st.booleans()):
        events.append(Event("resiliation_accord", _day(draw, 10, 80), "acheteur"))
    events.sort(key=lambda e: e.date)
    return events


def _dates(events: list[Event]) -> list[date]:
    found = {START, DELIVERY, DELIVERY + ONE}
    for event in events:
        found |= {event.date, event.date - ONE, event.date + ONE,
                  event.date + timedelta(days=20)}
    return sorted(d for d in found if d >= START)


@given(logs(), st.data())
def test_no_lookahead_and_engines_agree(events: list[Event], data: st.DataObject) -> None:
    full = _agreement().evaluate(events)
    dates = _dates(events)
    assert_no_lookahead(_agreement, full, events,
                        data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=4,
                                           unique=True), label="X"))
    assert_engines_agree(_agreement, full, events, dates)


def _model(events: list[Event], last: date) -> tuple[set[date], int, date | None]:
    """Independently of the engine: the days the delivery is suspended up to ``last``, the
    days suspended in all, and the day it ends (delivered or terminated; None: not yet)."""
    paid = min((e.date for e in events if e.type == "acompte"), default=None)
    closed = min((e.date for e in events if e.type in ("livraison", "resiliation_accord")),
                 default=None)
    suspended: set[date] = set()
    since: date | None = None
    total = 0
    day = START
    while day <= last and (closed is None or day < closed):
        # the events of the day in their order; a resumption by payment is seen after them
        for event in (e for e in events if e.date == day):
            if event.type == "avis_suspension" and since is None:
                deposit_late = day > DEPOSIT and (paid is None or paid > day)
                deadline = DELIVERY if total == 0 else _moved(total)
                if deposit_late and day <= deadline:
                    since = day
            elif event.type == "avis_reprise" and since is not None:
                total, since = total + (day - since).days, None
        if since is not None and paid is not None and paid <= day:
            total, since = total + (day - since).days, None
        if since is not None:
            suspended.add(day)
        day += ONE
    return suspended, total, closed


def _moved(total: int) -> date:
    return CALENDAR.after(DELIVERY, total) if total else DELIVERY


@given(logs())
def test_never_late_while_suspended_and_the_resumed_deadline_is_moved_by_the_days(
        events: list[Event]) -> None:
    evaluation = _agreement().evaluate(events)
    last = max((e.date for e in events), default=START) + timedelta(days=30)
    suspended, _, closed = _model(events, last)
    day = START
    total = 0
    while day <= last:
        delivery = evaluation.at(day).find("livrer")
        assert delivery is not None
        if closed is not None and day >= closed:
            break  # performed or ended: its status no longer reads a deadline
        assert (delivery.status is Status.SUSPENDED) == (day in suspended), (day, delivery)
        if delivery.status is Status.SUSPENDED:
            assert delivery.deadline is None
        else:
            assert delivery.status in (Status.DUE, Status.LATE), (day, delivery)
            total = delivery.days_suspended or 0
            assert delivery.deadline == _moved(total), (day, total, delivery)
            assert (delivery.status is Status.LATE) == (day > delivery.deadline)
        day += ONE
