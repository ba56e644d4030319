"""A year in the life of one agreement, across clauses (issue 3).

MSSS, in force 2026-04-01 with two services. Monthly invoices (9.2, 9.3) paid on time, late
and in part; an incident on each side (5.1 a, 5.2 a); a dispute that escalates (10 a, 10 b);
a service modification deemed accepted (13.2); a termination with a short requested date
(14.2) and what survives it (4, 9.3, 10) or not (5.1 a, 3.1 a, 15).
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ENGINE_PARAMS

import entente_regles as er
from entente_regles import Status


def ev(kind: str, on: str, by: str, received: str | None = None, **data: object) -> er.Event:
    return er.Event(kind, date.fromisoformat(on), by=by,
                    received=date.fromisoformat(received) if received else None, data=data)


EVENTS = [
    ev("facture_emise", "2026-05-04", "mcn", facture="F-04", montant="12500.00", periode="2026-04"),
    ev("paiement", "2026-05-28", "client", facture="F-04", montant="12500.00"),
    ev("facture_emise", "2026-06-03", "mcn", facture="F-05", montant="12500.00", periode="2026-05"),
    ev("incident", "2026-06-15", "client", incident="I-1", nature="securite"),
    ev("avis_incident", "2026-06-16", "client", incident="I-1"),
    ev("facture_emise", "2026-07-03", "mcn", facture="F-06", montant="13000.00", periode="2026-06"),
    ev("paiement", "2026-07-10", "client", facture="F-05", montant="12500.00"),
    ev("paiement", "2026-07-20", "client", facture="F-06", montant="5000.00"),
    ev("differend_soumis", "2026-07-20", "client", "2026-07-21", differend="D-1"),
    ev("avis_modification_service", "2026-08-01", "mcn", modification="M-1", service="courriel",
       date_effet=date(2026, 9, 15)),
    ev("paiement", "2026-08-15", "client", facture="F-06", montant="8000.00"),
    ev("incident", "2026-09-01", "mcn", incident="I-2", nature="confidentialite"),
    ev("differend_soumis_signataires", "2026-09-10", "mcn", differend="D-1"),
    ev("avis_resiliation", "2026-10-01", "mcn", "2026-10-02", date_effet=date(2026, 12, 1)),
    ev("facture_emise", "2027-01-05", "mcn", facture="F-12", montant="12500.00", periode="2026-12"),
    ev("divulgation", "2027-02-01", "client", divulgation="fuite"),
]


@pytest.fixture(scope="module", params=ENGINE_PARAMS)
def evaluation(request: pytest.FixtureRequest) -> er.Evaluation:
    agreement = er.Agreement(client="MSSS", in_force_from=date(2026, 4, 1),
                             services={"hebergement": date(2026, 4, 1),
                                       "courriel": date(2026, 4, 1)},
                             engine=request.param)
    return agreement.evaluate(EVENTS)


def status(evaluation: er.Evaluation, on: str, rule: str, key: str | None) -> Status | None:
    found = evaluation.at(date.fromisoformat(on)).find(rule, key)
    return None if found is None else found.status


@pytest.mark.parametrize(("on", "rule", "key", "expected"), [
    # 9.3: April paid on time; May paid late; June partly then fully, late.
    ("2026-05-28", "paiement-facture", "F-04", Status.SATISFIED),
    ("2026-07-03", "paiement-facture", "F-05", Status.DUE),       # 06-03 + 30 = 07-03
    ("2026-07-04", "paiement-facture", "F-05", Status.LATE),
    ("2026-07-10", "paiement-facture", "F-05", Status.SATISFIED_LATE),
    ("2026-08-03", "paiement-facture", "F-06", Status.DUE),       # 08-02 is a Sunday
    ("2026-08-04", "paiement-facture", "F-06", Status.LATE),
    ("2026-08-15", "paiement-facture", "F-06", Status.SATISFIED_LATE),
    # 9.2: the MCN invoices each month; nothing says by when.
    ("2026-05-03", "facturation-periodique", "2026-04", Status.DUE),
    ("2026-05-04", "facturation-periodique", "2026-04", Status.SATISFIED),
    ("2026-09-30", "facturation-periodique", "2026-07", Status.DUE),
    # 5.2 a / 5.1 a: the client notified; the MCN's notice is still owed, never late.
    ("2026-06-16", "client-avis-incident", "I-1", Status.SATISFIED),
    ("2026-12-31", "mcn-avis-incident", "I-2", Status.DUE),
    # 10: no settlement within 30 days of receipt (07-21 + 30 = 08-20): escalation.
    ("2026-08-20", "differend-reglement", "D-1", Status.DUE),
    ("2026-08-21", "differend-reglement", "D-1", Status.DISCHARGED),
    ("2026-08-21", "differend-signataires", "D-1", Status.DUE),
    ("2026-09-10", "differend-signataires", "D-1", Status.SATISFIED),
    # 14.2: requested 2026-12-01 is too early; the minimum puts the end at 2027-01-01.
    ("2026-12-31", "mcn-respect-lois", "mcn", Status.IN_FORCE),
    ("2027-01-01", "mcn-respect-lois", "mcn", Status.DISCHARGED),
    # 14.2: notifying a confidentiality incident concerns confidential information: it
    # survives the end and stays owed (a security event's notice would be discharged).
    ("2027-01-01", "mcn-avis-incident", "I-2", Status.DUE),
    # What survives: confidentiality (4), payment of services rendered (9.3, 13.1.3).
    ("2027-01-01", "confidentialite", "client", Status.IN_FORCE),
    ("2027-02-01", "confidentialite", "client", Status.BREACHED),
    ("2027-02-01", "confidentialite", "mcn", Status.IN_FORCE),
    ("2027-02-04", "paiement-facture", "F-12", Status.DUE),
    ("2027-02-05", "paiement-facture", "F-12", Status.LATE),
    ("2027-01-01", "facturation-periodique", "2026-12", Status.DUE),
    ("2027-01-05", "facturation-periodique", "2026-12", Status.SATISFIED),
])
def test_status_on_chosen_dates(evaluation: er.Evaluation, on: str, rule: str,
                                key: str | None, expected: Status) -> None:
    assert status(evaluation, on, rule, key) is expected


def test_agreement_in_force_until_the_lawful_end(evaluation: er.Evaluation) -> None:
    assert evaluation.at(date(2026, 12, 31)).agreement_in_force
    assert not evaluation.at(date(2027, 1, 1)).agreement_in_force
    assert evaluation.agreement_end == date(2027, 1, 1)
    codes = [d.code for d in evaluation.at(date(2026, 10, 1)).diagnostics]
    assert "preavis_insuffisant" in codes


def test_no_new_non_surviving_instance_after_the_end(evaluation: er.Evaluation) -> None:
    later = evaluation.at(date(2027, 6, 1))
    assert later.find("facturation-periodique", "2027-01") is None
    assert later.find("actualisation-consommation", "2028-2029") is None
    assert later.services_in_force == ()


@pytest.mark.parametrize(("on", "rule", "key", "expected"), [
    # 13.2: the client may ask for the withdrawal until the eve of the effective date;
    # silence is acceptance (a faculty, never owed).
    ("2026-09-14", "reponse-modification", "courriel", "ouverte"),
    ("2026-09-15", "reponse-modification", "courriel", "expiree"),
    # 15: the annexes' renewal, open at the end of the agreement, ends with it.
    ("2026-12-31", "actualisation-consommation", "2027-2028", "ouverte"),
    ("2027-01-01", "actualisation-consommation", "2027-2028", "expiree"),
])
def test_faculties_on_chosen_dates(evaluation: er.Evaluation, on: str, rule: str, key: str,
                                   expected: str) -> None:
    snap = evaluation.at(date.fromisoformat(on))
    option = snap.find_option(rule, key)
    assert option is not None and option.status.value == expected
    assert all(o.rule != rule for o in snap.obligations)


def test_termination_pending_until_the_end(evaluation: er.Evaluation) -> None:
    assert evaluation.at(date(2026, 9, 30)).termination_pending is None
    pending = evaluation.at(date(2026, 12, 31)).termination_pending
    assert pending is not None and pending.last_day == date(2026, 12, 31)
    assert pending.effective == date(2027, 1, 1)
    assert evaluation.at(date(2027, 1, 1)).termination_pending is None


def test_blame(evaluation: er.Evaluation) -> None:
    snap = evaluation.at(date(2027, 2, 5))
    late = snap.find("paiement-facture", "F-12")
    assert late is not None and late.at_fault == "client"
    breach = snap.find("confidentialite", "client")
    assert breach is not None and breach.at_fault == "client"
    assert snap.find("reponse-modification", "courriel") is None  # a faculty: no debtor
    accepted = snap.find_option("reponse-modification", "courriel")
    assert accepted is not None and accepted.status is er.OptionStatus.EXPIRED


def test_owed_on_one_day_is_what_a_responsable_expects(evaluation: er.Evaluation) -> None:
    snap = evaluation.at(date(2026, 8, 25))
    owed = {(o.rule, o.key, o.status) for o in snap.owed}
    assert ("differend-signataires", "D-1", Status.DUE) in owed
    assert not any(rule == "reponse-modification" for rule, _, _ in owed)  # a faculty
    option = snap.find_option("reponse-modification", "courriel")
    assert option is not None and option.status is er.OptionStatus.OPEN
    assert option.holder == "client" and option.closes_on == date(2026, 9, 14)
    assert ("facturation-periodique", "2026-07", Status.DUE) in owed
    assert all(o.status.owed for o in snap.owed)
    assert snap.late == ()


def test_explanations_cite_article_events_and_computation(evaluation: er.Evaluation) -> None:
    text = evaluation.explain("paiement-facture", "F-06", date(2026, 8, 10))
    assert "Art. 9.3" in text and "en retard" in text
    assert "2026-08-02 (dimanche)" in text and "2026-08-03" in text
    assert "solde : 8\u00a0000,00\u00a0$" in text  # the rule book's currency, in fr_CA
    english = evaluation.explain("differend-signataires", "D-1", date(2026, 8, 25), lang="en")
    assert "Art. 10 b" in english and "no contractual deadline" in english
    accepted = evaluation.explain("reponse-modification", "courriel", date(2026, 9, 20))
    assert "réputée acceptée" in accepted and "personne n'est en faute" in accepted
