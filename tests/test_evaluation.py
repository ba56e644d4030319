"""The public API (docs/api.md): Agreement -> Evaluation -> Snapshot -> Obligation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import ENGINE_PARAMS

import entente_regles as er
from entente_regles import Status


def invoice(on: date, number: str, amount: str = "100.00") -> er.Event:
    return er.Event("facture_emise", on, by="mcn",
                    data={"facture": number, "montant": amount, "periode": "2026-04"})


@pytest.fixture(params=ENGINE_PARAMS)
def agreement(request: pytest.FixtureRequest) -> er.Agreement:
    return er.Agreement(client="MSSS", in_force_from=date(2026, 4, 1), engine=request.param)


def test_design_example(agreement: er.Agreement) -> None:
    evaluation = agreement.evaluate([invoice(date(2026, 5, 1), "F-1")])
    snapshot = evaluation.at(date(2026, 6, 2))
    late = [o for o in snapshot.late if o.rule == "paiement-facture"]
    assert [(o.key, o.debtor, o.creditor, o.deadline) for o in late] == [
        ("F-1", "client", "mcn", date(2026, 6, 1))]
    ob = late[0]
    assert ob.article == "9.3" and ob.status is Status.LATE and ob.at_fault == "client"
    assert ob.triggered_on == date(2026, 5, 1) and ob.performed_on is None
    assert ob.balance == Decimal("100.00") and ob.days_left == -1
    assert all(o.status.owed for o in snapshot.owed)
    assert "Art. 9.3" in ob.explain() and "Art. 9.3" in ob.explain(lang="en")
    assert "en retard" in ob.explain() and "late" in ob.explain(lang="en")


def test_time_is_an_argument_far_past_the_last_event(agreement: er.Agreement) -> None:
    evaluation = agreement.evaluate([invoice(date(2026, 5, 1), "F-1")])
    far = evaluation.at(date(2031, 7, 2))
    assert far.find("paiement-facture", "F-1").status is Status.LATE  # type: ignore[union-attr]
    periods = {o.key for o in far.obligations if o.rule == "facturation-periodique"}
    assert "2031-06" in periods and "2031-07" not in periods
    # asking about an earlier date afterwards gives the same answer as before
    assert evaluation.at(date(2026, 6, 1)).to_dict() == agreement.evaluate(
        [invoice(date(2026, 5, 1), "F-1")]).at(date(2026, 6, 1)).to_dict()


def test_same_answer_when_asked_again(agreement: er.Agreement) -> None:
    events = [invoice(date(2026, 5, 1), "F-1"),
              er.Event("paiement", date(2026, 5, 20), by="client",
                       data={"facture": "F-1", "montant": "40.00"})]
    first = agreement.evaluate(events)
    second = agreement.evaluate(list(events))
    for day in range(0, 120, 7):
        on = date(2026, 4, 20) + timedelta(days=day)
        assert first.at(on).to_dict() == second.at(on).to_dict() == first.at(on).to_dict()


def test_no_look_ahead_on_a_simple_log(agreement: er.Agreement) -> None:
    events = [invoice(date(2026, 5, 1), "F-1"),
              er.Event("avis_resiliation", date(2026, 6, 1), by="client"),
              er.Event("paiement", date(2026, 6, 10), by="client",
                       data={"facture": "F-1", "montant": "100.00"})]
    whole = agreement.evaluate(events)
    for cut in (date(2026, 5, 31), date(2026, 6, 5), date(2026, 9, 1)):
        part = agreement.evaluate([e for e in events if e.date <= cut])
        assert whole.at(cut).to_dict() == part.at(cut).to_dict()


def test_unknown_annex_parameter_and_engine_are_input_errors() -> None:
    with pytest.raises(er.InputError, match=r"annexe\.frequence_facturation_mois"):
        er.Agreement(client="X", in_force_from=date(2026, 4, 1),
                     annex={"frequence_facturation_mois": 0}).evaluate([])
    with pytest.raises(er.InputError, match="unknown annex parameter"):
        er.Agreement(client="X", in_force_from=date(2026, 4, 1),
                     annex={"delai_paiment": 45}).evaluate([])
    with pytest.raises(ValueError, match="unknown engine"):
        er.Agreement(client="X", in_force_from=date(2026, 4, 1), engine="drools")  # type: ignore[arg-type]


def test_explain_missing_instance_says_so(agreement: er.Agreement) -> None:
    evaluation = agreement.evaluate([])
    assert "aucune instance" in evaluation.explain("paiement-facture", "F-9", date(2026, 5, 1))
    assert "no instance" in evaluation.explain("paiement-facture", "F-9", date(2026, 5, 1),
                                               lang="en")


def test_a_service_withdrawn_then_added_again_keeps_its_past(agreement: er.Agreement) -> None:
    agreement = er.Agreement(client="MSSS", in_force_from=date(2026, 4, 1),
                             services=["courriel"], engine=agreement.engine)
    events = [
        er.Event("retrait_sans_preavis", date(2026, 5, 1), by="mcn",
                 data={"service": "courriel", "definitif": True, "motif": "faille"}),
        er.Event("ajout_service", date(2026, 7, 1), by="client",
                 data={"service": "courriel", "date_effet": date(2026, 8, 1)}),
    ]
    whole = agreement.evaluate(events)
    assert whole.at(date(2026, 4, 30)).services_in_force == ("courriel",)
    assert whole.at(date(2026, 5, 1)).services_in_force == ()
    assert whole.at(date(2026, 8, 1)).services_in_force == ("courriel",)
    cut = agreement.evaluate(events[:1])
    assert whole.at(date(2026, 4, 30)).to_dict() == cut.at(date(2026, 4, 30)).to_dict()
