"""Partial holds (decision 71), periodic duties performed in advance (decision 72) and
obligations discharged when their condition stops holding (decision 73), on the test rule
book ``tests/regles_periodes`` and the CSA: worked examples on every engine, and properties
on generated logs (ci hypothesis profile):

- no look-ahead: the snapshot at X from the whole log equals the one from the log cut at X;
- every engine gives the reference's answers;
- a held amount is never late: an invoice whose whole unpaid balance is held back is never
  ``en_retard``; without releases, one past its deadline is late exactly when its unpaid
  balance exceeds what is held;
- an act done in advance performs exactly the period it names, on its own date;
- a reminder owed while its invoice is late is discharged the day after the first day, while
  it is still due, that the invoice is not late, and only then.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from agreeing import assert_engines_agree, assert_no_lookahead
from hypothesis import given
from hypothesis import strategies as st

from entente_regles import Agreement, Event, RuleBook, Status, run_examples
from entente_regles.agreement import Engine

ROOT = Path(__file__).resolve().parent
BOOK = RuleBook.from_directory(ROOT / "regles_periodes")
START = date(2026, 3, 2)


def _agreement(engine: Engine = "python") -> Agreement:
    return Agreement(client="X", in_force_from=START, rules=BOOK, engine=engine)


def test_the_books_examples_pass_on_every_engine() -> None:
    report = run_examples(BOOK, engine="tous")
    assert report.ok, report.describe("en") if hasattr(report, "describe") else report


@st.composite
def logs(draw: st.DrawFn, releases: bool = True) -> list[Event]:
    """A few invoices of 100 to 900, disputes of part (or more) of them, payments, and (when
    ``releases``) settlements and withdrawals."""
    events: list[Event] = []
    for n in range(draw(st.integers(1, 3))):
        issued = START + timedelta(days=draw(st.integers(0, 40)))
        number = f"F-{n}"
        amount = Decimal(draw(st.integers(1, 9))) * 100
        events.append(Event("facture", issued, "fournisseur",
                            data={"facture": number, "montant": amount}))
        for d in range(draw(st.integers(0, 2))):
            ref = f"C-{n}-{d}"
            on = issued + timedelta(days=draw(st.integers(0, 40)))
            disputed = Decimal(draw(st.integers(1, 10))) * 50
            events.append(Event("contestation", on, "client", data={
                "contestation": ref, "facture": number, "montant_conteste": disputed}))
            if releases and draw(st.booleans()):
                later = on + timedelta(days=draw(st.integers(0, 40)))
                if draw(st.booleans()):
                    events.append(Event("contestation_retiree", later, "client",
                                        data={"contestation": ref}))
                else:
                    data: dict[str, object] = {"contestation": ref}
                    if draw(st.booleans()):
                        data["montant_du"] = Decimal(draw(st.integers(1, 5))) * 50
                    events.append(Event("contestation_reglee", later, "fournisseur",
                                        data=data))
        for _ in range(draw(st.integers(0, 2))):
            paid = issued + timedelta(days=draw(st.integers(0, 60)))
            events.append(Event("paiement", paid, "client", data={
                "facture": number, "montant": Decimal(draw(st.integers(1, 6))) * 100}))
        if draw(st.booleans()):
            sent = issued + timedelta(days=draw(st.integers(25, 60)))
            events.append(Event("rappel_envoye", sent, "fournisseur",
                                data={"facture": number}))
    events.sort(key=lambda e: e.date)
    return events


def _dates(events: list[Event]) -> list[date]:
    found = {START}
    for event in events:
        found |= {event.date, event.date - timedelta(days=1), event.date + timedelta(days=11),
                  event.date + timedelta(days=31)}
    return sorted(d for d in found if d >= START)


@given(logs(), st.data())
def test_holds_no_lookahead_and_engines_agree(events: list[Event], data: st.DataObject
                                              ) -> None:
    full = _agreement().evaluate(events)
    dates = _dates(events)
    assert_no_lookahead(_agreement, full, events,
                        data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=2,
                                           unique=True), label="X"))
    assert_engines_agree(_agreement, full, events, dates[::3] + dates[-1:])


@given(logs())
def test_a_held_amount_is_never_late(events: list[Event]) -> None:
    evaluation = _agreement().evaluate(events)
    for x in _dates(events):
        for ob in evaluation.at(x).obligations:
            if ob.rule != "payer":
                continue
            assert ob.held is not None and ob.balance is not None
            assert Decimal(0) <= ob.held <= max(ob.balance, Decimal(0)), (x, ob)
            if ob.balance <= ob.held:
                assert ob.status is not Status.LATE, (x, ob.explain("en"))


@given(logs(releases=False))
def test_without_releases_late_exactly_when_more_than_the_held_part_is_unpaid(
        events: list[Event]) -> None:
    evaluation = _agreement().evaluate(events)
    for x in _dates(events):
        for ob in evaluation.at(x).obligations:
            if ob.rule != "payer":
                continue
            assert ob.held is not None and ob.balance is not None and ob.deadline is not None
            if ob.status in (Status.SATISFIED, Status.SATISFIED_LATE):
                continue
            late = x > ob.deadline and ob.balance > ob.held
            assert (ob.status is Status.LATE) == late, (x, ob.explain("en"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_explain_names_the_hold_and_its_release(lang: str) -> None:
    events = [
        Event("facture", START, "fournisseur", data={"facture": "F-1",
                                                     "montant": Decimal("1000.00")}),
        Event("contestation", date(2026, 3, 10), "client", data={
            "contestation": "C-1", "facture": "F-1", "montant_conteste": Decimal("300.00")}),
        Event("paiement", date(2026, 3, 30), "client", data={"facture": "F-1",
                                                             "montant": Decimal("700.00")}),
        Event("contestation_reglee", date(2026, 4, 20), "fournisseur", data={
            "contestation": "C-1", "montant_du": Decimal("100.00")}),
    ]
    evaluation = _agreement().evaluate(events)
    held = evaluation.at(date(2026, 4, 2)).get("payer", "F-1")
    assert held.status is Status.DUE and held.held == Decimal("300.00")
    assert held.to_dict()["retenu"] == "300.00"
    text = held.explain(lang)  # type: ignore[arg-type]
    assert ("Montant retenu" if lang == "fr" else "Amount held back") in text
    released = evaluation.at(date(2026, 4, 21)).get("payer", "F-1").explain(lang)  # type: ignore[arg-type]
    assert "2026-04-30" in released
    assert ("plus dû" if lang == "fr" else "no longer owed") in released


def test_holds_travel_between_processes_and_resume() -> None:
    """A held instance shipped (portfolio/shipping.py) comes back with its holds, and a
    replay extended after the trip releases them as one replayed in full does."""
    from entente_regles.portfolio import shipping

    first = [
        Event("facture", START, "fournisseur", data={"facture": "F-1",
                                                     "montant": Decimal("1000.00")}),
        Event("contestation", date(2026, 3, 10), "client", data={
            "contestation": "C-1", "facture": "F-1", "montant_conteste": Decimal("300.00")}),
    ]
    later = [Event("contestation_retiree", date(2026, 4, 20), "client",
                   data={"contestation": "C-1"})]
    agreement = _agreement()
    evaluation = agreement.evaluate(first)
    evaluation.at(date(2026, 4, 1))
    _, replayed = shipping.unpack(shipping.pack(agreement, evaluation.replayed), BOOK)
    (inst,) = [i for i in replayed.result.instances if i.norm.id == "payer"]
    (original,) = [i for i in evaluation.replayed.result.instances if i.norm.id == "payer"]
    assert [(h.ref, h.amount, h.opened_on) for h in inst.holds] == [
        (h.ref, h.amount, h.opened_on) for h in original.holds] == [
        ("C-1", Decimal("300.00"), date(2026, 3, 10))]
    evaluation.extend(later)
    whole = _agreement().evaluate(first + later)
    for x in (date(2026, 4, 20), date(2026, 5, 1), date(2026, 5, 2)):
        assert evaluation.at(x).to_dict() == whole.at(x).to_dict()
    assert whole.at(date(2026, 4, 21)).get("payer", "F-1").status is Status.LATE


@st.composite
def report_logs(draw: st.DrawFn) -> list[Event]:
    """Monthly reports naming a month from two before to four after the act's own month,
    and perhaps a termination."""
    events: list[Event] = []
    for _ in range(draw(st.integers(1, 5))):
        on = START + timedelta(days=draw(st.integers(0, 150)))
        shift = draw(st.integers(-2, 4))
        year, month = divmod(on.year * 12 + on.month - 1 + shift, 12)
        events.append(Event("rapport_remis", on, "fournisseur",
                            data={"periode": f"{year:04d}-{month + 1:02d}"}))
    if draw(st.booleans()):
        on = START + timedelta(days=draw(st.integers(0, 150)))
        effect = on + timedelta(days=draw(st.integers(1, 60)))
        events.append(Event("resiliation", on, "client",
                            data={"motif": "convenance", "date_effet": effect}))
    events.sort(key=lambda e: e.date)
    return events


@given(report_logs(), st.data())
def test_advance_no_lookahead_and_engines_agree(events: list[Event], data: st.DataObject
                                                ) -> None:
    full = _agreement().evaluate(events)
    dates = _dates(events)
    assert_no_lookahead(_agreement, full, events,
                        data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=2,
                                           unique=True), label="X"))
    assert_engines_agree(_agreement, full, events, dates[::3] + dates[-1:])


@given(report_logs())
def test_an_act_in_advance_performs_exactly_the_period_it_names(events: list[Event]) -> None:
    evaluation = _agreement().evaluate(events)
    reports = [e for e in events if e.type == "rapport_remis"]
    for x in [*_dates(events), START + timedelta(days=250)]:
        for ob in evaluation.at(x).obligations:
            if ob.rule != "rapport-mensuel":
                continue
            # independently: the first report naming this month, dated on or before x
            naming = [e.date for e in reports if e.data["periode"] == ob.key and e.date <= x]
            if ob.status is Status.DISCHARGED:
                continue  # ended with the agreement before any report
            if not naming:
                assert ob.status in (Status.DUE, Status.LATE), (x, ob.explain("en"))
                continue
            first = min(naming)
            assert ob.performed_on == first, (x, ob.explain("en"))
            assert ob.deadline is not None
            want = Status.SATISFIED if first <= ob.deadline else Status.SATISFIED_LATE
            assert ob.status is want, (x, ob.explain("en"))


@given(logs())
def test_a_gated_obligation_is_discharged_exactly_when_its_condition_stops(
        events: list[Event]) -> None:
    evaluation = _agreement().evaluate(events)
    last = max(e.date for e in events) + timedelta(days=40)
    for ob in evaluation.at(last).obligations:
        if ob.rule != "rappel":
            continue
        assert ob.deadline is not None
        # independently: the first day, from its birth to its deadline, on which it is not
        # performed and its invoice is not late
        stops = None
        d = ob.triggered_on
        while d <= ob.deadline:
            snap = evaluation.at(d)
            if snap.get("rappel", ob.key).performed_on is not None:
                break
            if snap.get("payer", ob.key).status is not Status.LATE:
                stops = d
                break
            d += timedelta(days=1)
        if stops is None:
            assert ob.status is not Status.DISCHARGED, ob.explain("en")
            continue
        assert ob.status is Status.DISCHARGED, ob.explain("en")
        assert ob.ended_on == stops + timedelta(days=1), ob.explain("en")
        # still due on the day the condition stopped (no look-ahead)
        assert evaluation.at(stops).get("rappel", ob.key).status is Status.DUE

TERM_BOOK = RuleBook.from_directory(ROOT / "regles_terme")


def _sale(engine: Engine = "python") -> Agreement:
    return Agreement(client="X", in_force_from=START, rules=TERM_BOOK, engine=engine)


@st.composite
def sale_logs(draw: st.DrawFn) -> list[Event]:
    """A delivery or not, invoices issued and paid (in full, in part, or not) on random days."""
    events: list[Event] = []
    if draw(st.booleans()):
        events.append(Event("livraison", START + timedelta(days=draw(st.integers(0, 50))),
                            "vendeur"))
    for n in range(draw(st.integers(0, 3))):
        issued = START + timedelta(days=draw(st.integers(0, 50)))
        events.append(Event("facture", issued, "vendeur", data={
            "facture": f"F-{n}", "montant": Decimal("100.00")}))
        for _ in range(draw(st.integers(0, 2))):
            paid = issued + timedelta(days=draw(st.integers(0, 50)))
            events.append(Event("paiement", paid, "acheteur", data={
                "facture": f"F-{n}", "montant": Decimal("50.00")}))
    events.sort(key=lambda e: e.date)
    return events


@given(sale_logs(), st.data())
def test_ending_when_nothing_is_open_no_lookahead_and_engines_agree(
        events: list[Event], data: st.DataObject) -> None:
    full = _sale().evaluate(events)
    dates = _dates(events)
    assert_no_lookahead(_sale, full, events,
                        data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=2,
                                           unique=True), label="X"))
    assert_engines_agree(_sale, full, events, dates[::3] + dates[-1:])


@given(sale_logs())
def test_the_agreement_ends_exactly_the_day_after_nothing_remains_open(
        events: list[Event]) -> None:
    evaluation = _sale().evaluate(events)
    closed = (Status.SATISFIED, Status.SATISFIED_LATE, Status.DISCHARGED)
    # the days something is performed (an end by performance can follow only those)
    for day in sorted({START, *(e.date for e in events)}):
        snap = evaluation.at(day)
        following = evaluation.at(day + timedelta(days=1))
        if snap.agreement_in_force:
            # independently: on this day an obligation was performed and none is open
            done = any(o.performed_on == day for o in snap.obligations)
            all_closed = all(o.status in closed for o in snap.obligations)
            assert following.agreement_in_force == (not (done and all_closed)), day
            if not following.agreement_in_force:
                assert following.ending is not None and following.ending.how == "execution"


@st.composite
def renewal_logs(draw: st.DrawFn) -> list[Event]:
    """Notices of renewal on random days of the first three years."""
    return sorted((Event("renouvellement", START + timedelta(days=draw(st.integers(0, 1100))),
                         "acheteur", data={"avis": f"R-{n}"})
                   for n in range(draw(st.integers(0, 3)))), key=lambda e: e.date)


@given(renewal_logs(), st.data())
def test_a_term_renews_exactly_when_a_notice_comes_in_time(events: list[Event],
                                                           data: st.DataObject) -> None:
    full = _sale().evaluate(events)
    ends = [date(2027, 3, 2), date(2028, 3, 2), date(2029, 3, 2)]  # first days after terms
    limits = [date(2027, 1, 31), date(2028, 2, 1), date(2029, 1, 31)]  # 30 days before
    # independently: a notice renews the term it is received in when that term is the
    # last one opened and the notice comes by its limit; two renewals at most
    opened = 0
    for event in events:
        k = sum(1 for e in ends if e <= event.date)  # the term it falls in
        if k == opened < 2 and event.date <= limits[k]:
            opened += 1
    for i, first_day_after in enumerate(ends):
        assert full.at(first_day_after).agreement_in_force == (i < opened), (i, opened)
    checks = [*ends, *limits, *(e.date for e in events)]
    assert_no_lookahead(_sale, full, events,
                        data.draw(st.lists(st.sampled_from(checks), min_size=1, max_size=2,
                                           unique=True), label="X"))
    assert_engines_agree(_sale, full, events, ends)


def test_a_held_balance_is_not_aged_as_overdue() -> None:
    """soldes: an invoice whose only unpaid part is held back is in the « not due » bucket."""
    events = [
        Event("facture", START, "fournisseur", data={"facture": "F-1",
                                                     "montant": Decimal("1000.00")}),
        Event("contestation", date(2026, 3, 10), "client", data={
            "contestation": "C-1", "facture": "F-1", "montant_conteste": Decimal("300.00")}),
        Event("paiement", date(2026, 3, 30), "client", data={"facture": "F-1",
                                                             "montant": Decimal("700.00")}),
    ]
    aging = _agreement().evaluate(events).at(date(2026, 5, 15)).aging()
    (line,) = aging.lines
    assert (line.days_past, line.balance) == (0, Decimal("300.00"))


def test_the_payable_history_leaves_out_the_held_part() -> None:
    """What interest would run on (held.payable_history): the undisputed part until paid,
    never the held part; after a release, the part made payable from the day after its due
    date; nothing once paid."""
    from entente_regles.engine.replay.held import payable_history

    events = [
        Event("facture", START, "fournisseur", data={"facture": "F-1",
                                                     "montant": Decimal("1000.00")}),
        Event("contestation", date(2026, 3, 10), "client", data={
            "contestation": "C-1", "facture": "F-1", "montant_conteste": Decimal("300.00")}),
        Event("paiement", date(2026, 4, 10), "client", data={"facture": "F-1",
                                                             "montant": Decimal("700.00")}),
        Event("contestation_retiree", date(2026, 4, 20), "client", data={"contestation": "C-1"}),
        Event("paiement", date(2026, 5, 5), "client", data={"facture": "F-1",
                                                            "montant": Decimal("300.00")}),
    ]
    evaluation = _agreement().evaluate(events)
    (inst,) = [i for i in evaluation.replayed.result.instances if i.norm.id == "payer"]
    # withdrawn 20 April: payable within 10 days, by 30 April; late from 1 May to 5 May
    assert payable_history(inst, date(2026, 6, 1)) == [
        (START, Decimal("1000.00")), (date(2026, 3, 10), Decimal("700.00")),
        (date(2026, 4, 11), Decimal("0.00")), (date(2026, 5, 1), Decimal("300.00")),
        (date(2026, 5, 6), Decimal("0.00"))]
    assert evaluation.at(date(2026, 5, 1)).get("payer", "F-1").status is Status.LATE
