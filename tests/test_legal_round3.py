"""Issue 22, legal answers (round 3), each written from the agreement's text first:

1. a 13.2 faculty exercised after its window is expired (``faculte_expiree``, decision 39),
   never « no longer owed »: a faculty is never owed;
2. a mise en demeure by one party on a duty both parties owe (10 a, 13.1.1) puts the
   *other* party in default (C.c.Q. 1594–1595: a creditor demands of its debtor), and a
   recorded breach its author (1597) (decision 37);
3. the notice of a security event that happened before the end survives it (C.c.Q. 1606:
   termination for the future; 14.2) (decision 36; the worked example is in
   regles/05-securite.toml);
4. after an end, a faculty's window closes on the agreement's last day in force, in
   ``options``, the agenda and ``explain()`` alike.
"""

from __future__ import annotations

from datetime import date

import pytest

import entente_regles as er
from entente_regles.core.errors import ErrorLocation
from entente_regles.events.log import event_from_mapping

BOOK = er.RuleBook.bundled()
ENGINES = ["python", "durable", "reference"]


def evaluate(*raw: dict[str, object], engine: str = "python") -> er.Evaluation:
    if engine == "durable":
        from conftest import DURABLE_MISSING
        if DURABLE_MISSING is not None:
            pytest.skip(f"durable_rules unavailable: {DURABLE_MISSING}")
    events = [event_from_mapping(r, BOOK.vocabulary, ErrorLocation("test", i + 1))
              for i, r in enumerate(raw)]
    agreement = er.Agreement(client="X", in_force_from=date(2026, 4, 1),
                             engine=engine)  # type: ignore[arg-type]
    return agreement.evaluate(events)


# 13.2: « au moins 30 jours avant leur date d'entrée en vigueur. À défaut de demander le
# retrait de ce service conformément à l'article 13.1.1, le client accepte ces
# modifications » — the window closes the eve of the effective date (2026-06-14).
MODIFICATION = {"type": "avis_modification_service", "date": "2026-05-01", "par": "mcn",
                "modification": "M-1", "service": "courriel", "date_effet": "2026-06-15"}


@pytest.mark.parametrize("engine", ENGINES)
def test_faculty_exercised_after_its_window_is_expired_not_no_longer_owed(engine: str) -> None:
    late = {"type": "avis_retrait_service", "date": "2026-06-20", "par": "client",
            "service": "courriel"}
    ev = evaluate(MODIFICATION, late, engine=engine)
    codes = [d.code for d in ev.diagnostics if d.rule == "reponse-modification"]
    assert codes == ["faculte_expiree"]
    found = next(d for d in ev.diagnostics if d.code == "faculte_expiree")
    assert found.severity == "info" and found.article == "13.2"
    assert "2026-06-14" in found.message.fr and "n'était plus due" not in found.message.fr
    option = ev.at(date(2026, 6, 25)).find_option("reponse-modification", "courriel")
    assert option is not None and option.status is er.OptionStatus.EXPIRED
    assert option.exercised_on is None


@pytest.mark.parametrize("engine", ENGINES)
def test_faculty_exercised_after_an_end_closed_it_is_expired(engine: str) -> None:
    # the agreement ends on 2026-08-01 (last day in force: 2026-07-31) before the window
    # (to 2026-09-14) closes: exercising it on 2026-08-05 is too late, not « no longer owed »
    term = {"type": "avis_resiliation", "date": "2026-05-01", "par": "client",
            "date_effet": "2026-08-01"}
    notice = {**MODIFICATION, "date": "2026-06-15", "date_effet": "2026-09-15"}
    late = {"type": "avis_retrait_service", "date": "2026-08-05", "par": "client",
            "service": "courriel"}
    ev = evaluate(term, notice, late, engine=engine)
    found = [d for d in ev.diagnostics if d.rule == "reponse-modification"]
    assert [d.code for d in found] == ["faculte_expiree"]
    assert "2026-07-31" in found[0].message.fr


def test_faculty_exercised_twice_is_not_expired() -> None:
    # exercised in time, exercised again after the window: the second act is a repeat
    exercise = {"type": "avis_retrait_service", "date": "2026-06-01", "par": "client",
                "service": "courriel"}
    again = {**exercise, "date": "2026-06-20"}
    ev = evaluate(MODIFICATION, exercise, again)
    assert "faculte_expiree" not in [d.code for d in ev.diagnostics]
    option = ev.at(date(2026, 6, 25)).find_option("reponse-modification", "courriel")
    assert option is not None and option.status is er.OptionStatus.EXERCISED


# 10 a: « les parties s'engagent à rechercher un règlement satisfaisant au plus tard dans les
# 30 jours » — a duty both parties owe. C.c.Q. 1594–1595: the creditor puts its debtor in
# default; the party that demanded cannot be in default by its own demand.
DISPUTE = {"type": "differend_soumis", "date": "2026-06-01", "par": "client",
           "differend": "D-4"}


@pytest.mark.parametrize(("by", "other"), [("client", "mcn"), ("mcn", "client")])
@pytest.mark.parametrize("engine", ENGINES)
def test_demand_on_a_duty_both_owe_puts_the_other_party_in_default(
        engine: str, by: str, other: str) -> None:
    demand = {"type": "mise_en_demeure", "date": "2026-06-20", "par": by,
              "obligation": "differend-reglement", "cle": "D-4", "delai_jours": 5}
    ev = evaluate(DISPUTE, demand, engine=engine)
    late = ev.at(date(2026, 7, 3)).find("differend-reglement", "D-4")
    assert late is not None and late.status is er.Status.LATE
    assert late.debtor == "parties" and late.at_fault == other
    assert late.to_dict()["en_faute"] == other
    assert f"en faute : {other}" in late.explain()
    # before the default, no one is at fault
    due = ev.at(date(2026, 6, 26)).find("differend-reglement", "D-4")
    assert due is not None and due.at_fault is None


@pytest.mark.parametrize("engine", ENGINES)
def test_withdrawal_transition_demanded_by_the_client_faults_the_mcn(engine: str) -> None:
    # 13.1.1: « les parties conviennent d'un processus approprié de transition » (90 days)
    notice = {"type": "avis_retrait_service", "date": "2026-05-01", "par": "client",
              "service": "hebergement"}
    demand = {"type": "mise_en_demeure", "date": "2026-08-10", "par": "client",
              "obligation": "transition-retrait", "cle": "hebergement", "delai_jours": 10}
    ev = evaluate(notice, demand, engine=engine)
    late = ev.at(date(2026, 9, 1)).find("transition-retrait", "hebergement")
    assert late is not None and late.status is er.Status.LATE and late.at_fault == "mcn"


def test_recorded_breach_on_a_duty_both_owe_faults_its_author() -> None:
    # C.c.Q. 1597: the author of the recorded breach (« par ») is in default from that day
    breach = {"type": "manquement", "date": "2026-06-10", "par": "mcn",
              "norme": "differend-reglement", "cle": "D-4"}
    ev = evaluate(DISPUTE, breach)
    late = ev.at(date(2026, 6, 11)).find("differend-reglement", "D-4")
    assert late is not None and late.status is er.Status.LATE and late.at_fault == "mcn"


def test_late_by_its_term_without_any_act_leaves_parties() -> None:
    # 13.1.1's 90 days run out: a duty to negotiate, no one at fault by default
    notice = {"type": "avis_retrait_service", "date": "2026-05-01", "par": "client",
              "service": "hebergement"}
    ev = evaluate(notice)
    ob = ev.at(date(2026, 9, 1)).find("transition-retrait", "hebergement")
    assert ob is not None and ob.at_fault is None


# Decision 39 with an end: the window closes with the agreement (last day in force).
@pytest.mark.parametrize("engine", ENGINES)
def test_after_an_end_an_open_faculty_closes_on_the_last_day_in_force(engine: str) -> None:
    term = {"type": "avis_resiliation", "date": "2026-05-01", "par": "client",
            "date_effet": "2026-08-01"}
    notice = {**MODIFICATION, "date": "2026-06-15", "date_effet": "2026-09-15"}
    ev = evaluate(term, notice, engine=engine)
    before = ev.at(date(2026, 7, 1)).find_option("reponse-modification", "courriel")
    assert before is not None and before.closes_on == date(2026, 9, 14)  # end not reached
    snap = ev.at(date(2026, 8, 10))
    option = snap.find_option("reponse-modification", "courriel")
    assert option is not None and option.status is er.OptionStatus.EXPIRED
    assert option.closes_on == date(2026, 7, 31)
    assert option.to_dict()["close_le"] == "2026-07-31"
    text = option.explain()
    assert "Fenêtre jusqu'au 2026-07-31 inclus" in text and "2026-09-14" not in text
    assert "fin de l'entente le 2026-08-01" in text
    agenda = ev.agenda(date(2026, 6, 1), date(2026, 12, 31))
    closing = [i.on for i in agenda.items
               if i.kind == "fin_faculte" and i.rule == "reponse-modification"]
    assert closing == [date(2026, 7, 31)]


def test_a_window_closed_before_the_end_keeps_its_date() -> None:
    term = {"type": "avis_resiliation", "date": "2026-05-01", "par": "client",
            "date_effet": "2026-08-01"}
    ev = evaluate(term, MODIFICATION)
    option = ev.at(date(2026, 8, 10)).find_option("reponse-modification", "courriel")
    assert option is not None and option.closes_on == date(2026, 6, 14)


# 5.1 a: « aviser […] dans les plus brefs délais, de tout incident de confidentialité et de
# tout évènement de sécurité de l'information »; 14.2 keeps the clauses concerning the
# protection of confidential information; C.c.Q. 1606: termination for the future only.
@pytest.mark.parametrize("engine", ENGINES)
def test_security_event_notice_owed_before_the_end_survives_it(engine: str) -> None:
    term = {"type": "avis_resiliation", "date": "2026-05-01", "par": "client",
            "date_effet": "2026-08-01"}
    event = {"type": "incident", "date": "2026-07-20", "par": "mcn", "incident": "INC-7",
             "nature": "securite"}
    notice = {"type": "avis_incident", "date": "2026-08-12", "par": "mcn", "incident": "INC-7"}
    ev = evaluate(term, event, notice, engine=engine)
    after = ev.at(date(2026, 8, 10)).find("mcn-avis-incident", "INC-7")
    assert after is not None and after.status is er.Status.DUE and after.ended_on is None
    done = ev.at(date(2026, 8, 12)).find("mcn-avis-incident", "INC-7")
    assert done is not None and done.status is er.Status.SATISFIED
    means = ev.at(date(2026, 8, 1)).find("mcn-securite-actifs", "mcn")
    assert means is not None and means.status is er.Status.DISCHARGED
