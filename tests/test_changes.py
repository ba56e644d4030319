"""What changed between two dates (``Evaluation.changes``): the weekly digest, from the
replay's dated records, with no look-ahead."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import Case, cases, interesting_dates

import entente_regles as er
from entente_regles.query.changes import RECORD_COLUMNS

SINCE, ON = date(2026, 7, 1), date(2026, 7, 31)


@pytest.fixture(scope="module")
def example() -> tuple[er.Agreement, list[er.Event]]:
    agreement_file, log = er.bundled_example()
    agreement = er.Agreement.from_toml(agreement_file)
    return agreement, agreement.read_events(log)


@pytest.fixture(scope="module")
def evaluation(example: tuple[er.Agreement, list[er.Event]]) -> er.Evaluation:
    agreement, events = example
    return agreement.evaluate(events)


def test_changes_on_the_bundled_example(evaluation: er.Evaluation) -> None:
    changes = evaluation.changes(SINCE, ON)
    assert isinstance(changes, er.Changes) and all(isinstance(c, er.Change) for c in changes)
    assert changes.counts() == {"apparue": 3, "paiement": 2, "en_retard": 1, "statut": 6,
                                "diagnostic": 1}
    assert len(changes) == 13 and len(changes.diagnostics) == 1
    assert [c.on for c in changes] == sorted(c.on for c in changes)
    assert all(SINCE < c.on <= ON for c in changes)
    late = next(c for c in changes if c.kind == "en_retard")
    assert (late.on, late.rule, late.key, late.before, late.after, late.balance) == (
        date(2026, 7, 3), "paiement-facture", "F-2026-05", "a_echoir", "en_retard",
        Decimal("12500.00"))
    paid = [(c.on, c.key, c.amount, c.balance) for c in changes if c.kind == "paiement"]
    assert paid == [(date(2026, 7, 20), "F-2026-05", Decimal("12500.00"), Decimal("0.00")),
                    (date(2026, 7, 28), "F-2026-04", Decimal("2500.00"), Decimal("0.00"))]
    arisen = next(c for c in changes if c.kind == "apparue" and c.key == "F-2026-06")
    assert (arisen.on, arisen.after, arisen.amount, arisen.debtor) == (
        date(2026, 7, 16), "a_echoir", Decimal("14750.00"), "client")
    settled = next(c for c in changes if c.kind == "statut" and c.key == "F-2026-05")
    assert (settled.on, settled.before, settled.after) == (
        date(2026, 7, 20), "en_retard", "satisfaite_en_retard")
    diagnostic = next(c for c in changes if c.kind == "diagnostic")
    assert diagnostic.on == date(2026, 7, 21) and diagnostic.severity == "info"
    assert diagnostic.debtor is None and diagnostic.party_text == ""


def test_words_in_the_language_asked(evaluation: er.Evaluation) -> None:
    french = evaluation.changes(SINCE, ON)
    english = evaluation.changes(SINCE, ON, "en")
    payment = next(c for c in english if c.kind == "paiement")
    assert payment.kind_label == "payment" and payment.amount_text == "$12,500.00"
    assert payment.text == ("Pay the invoice (F-2026-05): payment of $12,500.00, "
                            "balance $0.00")
    paiement = next(c for c in french if c.kind == "paiement")
    assert paiement.amount_text == "12\u00a0500,00\u00a0$"
    assert paiement.text.endswith("paiement de 12\u00a0500,00\u00a0$, solde 0,00\u00a0$")
    assert english.words["title"] == "What changed" and french.words["title"] == \
        "Ce qui a changé"
    assert "[information] art. 10 a:" in next(c.text for c in english
                                                if c.kind == "diagnostic")
    assert "changes from 2026-07-01 (excluded)" in english.head("MSSS")


def test_every_status_change_is_what_snapshots_say(evaluation: er.Evaluation) -> None:
    """Each change of status is the difference between the snapshots of the day before and
    of its day; payments add up to what the balance lost over the window."""
    changes = evaluation.changes(SINCE, ON)
    for change in changes:
        if change.kind in ("paiement", "diagnostic"):
            continue
        assert change.rule is not None
        now = evaluation.at(change.on).find(change.rule, change.key)
        before = evaluation.at(change.on - timedelta(days=1)).find(change.rule, change.key)
        assert now is not None and now.status.value == change.after
        if change.kind == "apparue":
            assert before is None or before.key != change.key
        else:
            assert before is not None and before.status.value == change.before
    for key in ("F-2026-04", "F-2026-05"):
        start = evaluation.at(SINCE).find("paiement-facture", key)
        end = evaluation.at(ON).find("paiement-facture", key)
        assert start is not None and end is not None
        assert start.balance is not None and end.balance is not None
        paid = sum((c.amount for c in changes if c.kind == "paiement" and c.key == key
                    and c.amount is not None), Decimal(0))
        assert start.balance - end.balance == paid


def test_no_look_ahead(example: tuple[er.Agreement, list[er.Event]],
                       evaluation: er.Evaluation) -> None:
    """Events dated after the window, or recorded after it, change nothing in it."""
    agreement, events = example
    after = [
        er.Event("paiement", date(2026, 8, 1), by="client",
                 data={"facture": "F-2026-06", "montant": "14750.00"}),
        er.Event("facture_emise", date(2026, 8, 3), by="mcn",
                 data={"facture": "F-2026-07", "montant": "10.00", "periode": "2026-07"}),
    ]
    # dated in the window, but recorded only after it: not known on ON
    recorded_late = er.Event("paiement", date(2026, 7, 10), by="client",
                             data={"facture": "F-2026-05", "montant": "1.00"},
                             recorded=date(2026, 8, 2))
    base = evaluation.changes(SINCE, ON).to_records()
    more = agreement.evaluate([*events, recorded_late, *after])
    assert more.changes(SINCE, ON).to_records() == base
    truncated = agreement.evaluate([e for e in events if e.date <= ON])
    assert truncated.changes(SINCE, ON).to_records() == base
    # and the late-recorded payment is seen once known, on its own date
    for seen in (more.changes(SINCE, date(2026, 8, 2)),
                 more.changes(SINCE, ON, known_on=date(2026, 8, 2))):
        assert [(c.key, c.amount) for c in seen if c.kind == "paiement"
                and c.on == date(2026, 7, 10)] == [("F-2026-05", Decimal("1.00"))]
    late = more.changes(SINCE, ON, known_on=date(2026, 8, 2))
    assert late.known_on == date(2026, 8, 2) and late.to_dict()["connu_le"] == "2026-08-02"
    assert late.head("MSSS").endswith(", tel que connu le 2026-08-02")


def test_records_and_json(evaluation: er.Evaluation) -> None:
    changes = evaluation.changes(SINCE, ON)
    records = changes.to_records()
    assert len(records) == len(changes)
    assert all(tuple(r) == RECORD_COLUMNS for r in records)
    first = records[0]
    assert isinstance(first["date"], date) and isinstance(first["solde"], Decimal)
    data = changes.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["depuis"] == "2026-07-01" and data["au"] == "2026-07-31"
    assert data["changements"][0]["solde"] == "12500.00"
    assert data["changements"][0]["monnaie"] == "CAD"


def test_window_bounds(evaluation: er.Evaluation) -> None:
    assert len(evaluation.changes(ON, ON)) == 0
    # the window excludes its first day: the payment of 2026-07-20 is in (07-19, 07-20]
    assert [c.kind for c in evaluation.changes(date(2026, 7, 19), date(2026, 7, 20))] == [
        "paiement", "statut"]
    assert len(evaluation.changes(date(2026, 7, 20), date(2026, 7, 20))) == 0
    with pytest.raises(ValueError, match="since 2026-07-31 after on 2026-07-01"):
        evaluation.changes(ON, SINCE)
    with pytest.raises(TypeError):
        evaluation.changes(datetime(2026, 7, 1), ON)


# Two replays an example: a quarter of the ci profile's examples keeps this under two seconds;
# the thorough profile runs all of its own.
_EXAMPLES: int = getattr(settings.default, "max_examples", 40)
_EXAMPLES = _EXAMPLES if _EXAMPLES > 40 else max(1, _EXAMPLES // 4)


@settings(max_examples=_EXAMPLES)
@given(cases(), st.data())
def test_no_look_ahead_on_generated_logs(case: Case, data: st.DataObject) -> None:
    """For generated logs (amendments, demands, late recordings included) and any window:
    the changes are those of the log of the events known by its last day, each dated in the
    window, in date order."""
    evaluation = case.evaluate()
    days = interesting_dates(case, evaluation)
    since, on = sorted(data.draw(st.lists(st.sampled_from(days), min_size=2, max_size=2,
                                          unique=True)))
    changes = evaluation.changes(since, on)
    assert all(since < c.on <= on for c in changes)
    assert [c.on for c in changes] == sorted(c.on for c in changes)
    known = case.known_by(on).evaluate().changes(since, on)
    assert changes.to_records() == known.to_records()
