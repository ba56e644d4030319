"""Interest on late payment (issue 19, decision 68): properties on generated logs over the
test rule book ``tests/regles_argent``.

- interest accrued is monotonic in the date asked, and zero up to the deadline (from the
  day after the deadline) or before the demand's date (from the default);
- it equals an independent day-by-day computation: each day from the day after the deadline
  to the date asked bears 5 % / 365 of the balance owed at the start of that day, the days
  of one balance making one segment, each segment rounded half up to the cent;
- no look-ahead: the snapshot at X from the whole log equals the one from the log cut at X;
- every engine gives the reference's answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from agreeing import assert_engines_agree, assert_no_lookahead
from hypothesis import given
from hypothesis import strategies as st

from entente_regles import Agreement, Event, RuleBook
from entente_regles.agreement import Engine

BOOK = RuleBook.from_directory(Path(__file__).resolve().parent / "regles_argent")
START = date(2026, 4, 1)
CENT = Decimal("0.01")


def _agreement(engine: Engine = "python") -> Agreement:
    return Agreement(client="X", in_force_from=START, rules=BOOK, engine=engine)


@st.composite
def logs(draw: st.DrawFn) -> list[Event]:
    """A few invoices and debit notes, with part payments on time or late, and demands."""
    events: list[Event] = []
    for n in range(draw(st.integers(1, 3))):
        issued = START + timedelta(days=draw(st.integers(0, 40)))
        note = draw(st.booleans())
        key, field = ("note", f"N-{n}") if note else ("facture", f"F-{n}")
        amount = Decimal(draw(st.integers(1, 500_000))) / 100
        events.append(Event("note_debit" if note else "facture_emise", issued, "mcn",
                            data={key: field, "montant": amount}))
        left = amount
        for _ in range(draw(st.integers(0, 2))):
            if left <= 0:
                break
            paid = Decimal(draw(st.integers(1, int(left * 100)))) / 100
            left -= paid
            events.append(Event("paiement_note" if note else "paiement",
                                issued + timedelta(days=draw(st.integers(0, 90))), "client",
                                data={key: field, "montant": paid}))
        if note and draw(st.booleans()):
            events.append(Event("mise_en_demeure",
                                issued + timedelta(days=draw(st.integers(31, 80))), "mcn",
                                data={"obligation": "paiement-note", "cle": field,
                                      "delai_jours": draw(st.integers(1, 15))}))
    events.sort(key=lambda e: e.date)
    return events


def _dates(events: list[Event]) -> list[date]:
    found = {START}
    for event in events:
        found |= {event.date, event.date - timedelta(days=1), event.date + timedelta(days=1),
                  event.date + timedelta(days=33), event.date + timedelta(days=60)}
    return sorted(d for d in found if d >= START)


def _by_hand(events: list[Event], number: str, deadline: date, on: date) -> Decimal:
    """Interest on invoice ``number`` by ``on``, day by day: the balance at the start of
    each day from the day after ``deadline``; the days of one balance, one segment."""
    amount = next(e.data["montant"] for e in events
                  if e.type == "facture_emise" and e.data["facture"] == number)
    payments = [e for e in events if e.type == "paiement" and e.data["facture"] == number]
    segments: list[list[Decimal | int]] = []
    day = deadline + timedelta(days=1)
    while day <= on:
        owed = amount - sum((p.data["montant"] for p in payments if p.date < day), Decimal(0))
        if owed > 0:
            if segments and segments[-1][0] == owed and segments[-1][2] == day - timedelta(
                    days=1):
                segments[-1][1] += 1  # type: ignore[operator]
                segments[-1][2] = day  # type: ignore[call-overload]
            else:
                segments.append([owed, 1, day])  # type: ignore[list-item]
        day += timedelta(days=1)
    total = Decimal(0)
    for owed, days, _ in segments:
        exact = Decimal(owed) * 5 * Decimal(days) / Decimal(36500)
        total += exact.quantize(CENT, rounding=ROUND_HALF_UP)
    return total


@given(logs())
def test_interest_is_monotonic_zero_before_its_start_and_as_computed_by_hand(
        events: list[Event]) -> None:
    evaluation = _agreement().evaluate(events)
    dates = _dates(events)
    previous: dict[tuple[str, str | None], Decimal] = {}
    demanded = {str(e.data["cle"]): e.date for e in events if e.type == "mise_en_demeure"}
    for x in dates:
        for ob in evaluation.at(x).obligations:
            assert ob.interest is not None and ob.interest >= 0
            mark = (ob.rule, ob.key)
            assert ob.interest >= previous.get(mark, Decimal(0)), (x, mark)
            previous[mark] = ob.interest
            if ob.rule == "paiement-facture":
                assert ob.deadline is not None and ob.key is not None
                if x <= ob.deadline:
                    assert ob.interest == 0, (x, mark)
                assert ob.interest == _by_hand(events, ob.key, ob.deadline, x), (x, mark)
            else:
                when = demanded.get(str(ob.key))
                if when is None or x <= when:
                    assert ob.interest == 0, (x, mark)


@given(logs(), st.data())
def test_no_lookahead_and_engines_agree(events: list[Event], data: st.DataObject) -> None:
    full = _agreement().evaluate(events)
    dates = _dates(events)
    assert_no_lookahead(_agreement, full, events,
                        data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=3,
                                           unique=True), label="X"))
    asked = data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=6, unique=True),
                      label="dates")
    assert_engines_agree(_agreement, full, events, asked)
