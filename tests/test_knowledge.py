"""Two kinds of time (issue 8): knowledge dates on events, answers "as known on K",
retroactive agreed dates, and amendments that change parameters from a date.

The worked examples of ``regles/09-3``, ``13`` and ``14`` show the clauses on both engines;
the hypothesis properties (a), (b), (c) are in ``test_properties.py``. These tests pin the
edges: input validation, services in force under a retroactive date, the replay cache, the
rule-file keys.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest
from rulebooks import block, obligation
from test_rulebook_errors import RULES, VOCABULARY

import entente_regles as er
from entente_regles.events.log import read_events
from entente_regles.query.as_known import KnowledgeIndex, is_ordinary

D = date


def agreement(**kw: object) -> er.Agreement:
    return er.Agreement(client="X", in_force_from=D(2026, 4, 1), engine="python", **kw)  # type: ignore[arg-type]


def invoice(key: str, on: date, **kw: object) -> er.Event:
    return er.Event("facture_emise", on, by="mcn",
                    data={"facture": key, "montant": "100.00", "periode": "2026-04"}, **kw)  # type: ignore[arg-type]


def payment(key: str, on: date, recorded: date | None = None) -> er.Event:
    return er.Event("paiement", on, by="client", data={"facture": key, "montant": "100.00"},
                    recorded=recorded)


# --------------------------------------------------------------------------- input


def test_knowledge_date_before_the_event_is_an_error_naming_the_line(tmp_path: Path) -> None:
    log = tmp_path / "j.jsonl"
    log.write_text('{"type": "paiement", "date": "2026-05-20", "par": "client", '
                   '"facture": "F", "montant": "1.00", "enregistre_le": "2026-05-19"}\n',
                   encoding="utf-8")
    with pytest.raises(er.EventError) as caught:
        read_events(log)
    assert caught.value.where.line == 1 and caught.value.where.key == "enregistre_le"
    assert "avant sa date" in caught.value.describe("fr")
    assert "before its date" in caught.value.describe("en")
    with pytest.raises(er.EventError, match="enregistre_le"):
        agreement().evaluate([payment("F", D(2026, 5, 20), recorded=D(2026, 5, 1))])


def test_knowledge_date_round_trips_and_is_described(tmp_path: Path) -> None:
    log = tmp_path / "j.jsonl"
    log.write_text('{"type": "paiement", "date": "2026-05-20", "par": "client", '
                   '"facture": "F", "montant": "1.00", "enregistre_le": "2026-06-10"}\n',
                   encoding="utf-8")
    (event,) = read_events(log)
    assert event.recorded == D(2026, 6, 10) and event.recorded_on == D(2026, 6, 10)
    assert "enregistré le 2026-06-10" in event.describe("fr")
    assert "recorded 2026-06-10" in event.describe("en")
    assert payment("F", D(2026, 5, 20)).recorded_on == D(2026, 5, 20)


@pytest.mark.parametrize(("value", "key", "expected"), [
    ('"45"', "parametres", "table"),
    ("{}", "parametres", "table"),
    ('{"delai_paiement_jours": 4.5}', "parametres.delai_paiement_jours", "entier"),
    ('{"delai_paiement_jours": {"a": 1}}', "parametres.delai_paiement_jours", "entier"),
    ('{"delai_paiement_jours": ""}', "parametres.delai_paiement_jours", "entier"),
])
def test_parameter_tables_are_checked_at_the_edge(tmp_path: Path, value: str, key: str,
                                                  expected: str) -> None:
    log = tmp_path / "j.jsonl"
    log.write_text('{"type": "avenant", "date": "2026-09-15", "par": "mcn", "avenant": "A", '
                   f'"signe_par": ["mcn", "client"], "parametres": {value}}}\n',
                   encoding="utf-8")
    with pytest.raises(er.EventError) as caught:
        read_events(log)
    assert caught.value.where.line == 1 and caught.value.where.key == key
    assert expected in caught.value.describe("fr")


# --------------------------------------------------------------------------- answers


def test_payment_recorded_later_acts_at_its_own_date() -> None:
    ev = agreement().evaluate([invoice("F", D(2026, 5, 1)),
                               payment("F", D(2026, 5, 20), recorded=D(2026, 6, 10))])
    assert ev.at(D(2026, 6, 5)).find("paiement-facture", "F").status is er.Status.LATE
    known = ev.at(D(2026, 6, 5), known_on=D(2026, 6, 10)).find("paiement-facture", "F")
    assert known.status is er.Status.SATISFIED and known.performed_on == D(2026, 5, 20)
    # a forecast: what was known on 25 May, projected onto 1 July
    forecast = ev.at(D(2026, 7, 1), known_on=D(2026, 5, 25))
    assert forecast.find("paiement-facture", "F").status is er.Status.LATE
    assert forecast.known_on == D(2026, 5, 25) and forecast.to_dict()["connu_le"] == "2026-05-25"
    assert ev.at(D(2026, 7, 1)).to_dict()["connu_le"] == "2026-07-01"


def test_retroactive_withdrawal_known_only_once_recorded() -> None:
    ev = agreement(services=["hebergement", "courriel"]).evaluate([
        er.Event("avis_retrait_service", D(2026, 5, 1), by="client", data={"service": "courriel"}),
        er.Event("entente_transition", D(2026, 7, 15), by="mcn",
                 data={"service": "courriel", "date_effet": D(2026, 7, 1)}),
    ])
    july10 = D(2026, 7, 10)
    assert "courriel" in ev.at(july10).services_in_force  # not known yet on 10 July
    assert "courriel" not in ev.at(july10, known_on=D(2026, 7, 15)).services_in_force
    assert "courriel" not in ev.at(D(2026, 7, 15)).services_in_force
    retro = [d for d in ev.diagnostics if d.code == "effet_retroactif"]
    assert retro and retro[0].severity == "info" and retro[0].on == D(2026, 7, 15)
    assert "2026-07-01" in retro[0].message("fr")


def test_retroactive_addition_puts_the_service_in_force_from_the_agreed_date() -> None:
    ev = agreement(services={"hebergement": D(2026, 4, 1)}).evaluate([
        er.Event("ajout_service", D(2026, 6, 10), by="client",
                 data={"service": "courriel", "date_effet": D(2026, 6, 1)})])
    assert "courriel" not in ev.at(D(2026, 6, 5)).services_in_force
    assert "courriel" in ev.at(D(2026, 6, 5), known_on=D(2026, 6, 10)).services_in_force


def test_amendment_without_date_applies_from_its_signature() -> None:
    ev = agreement().evaluate([
        er.Event("avenant", D(2026, 9, 15), by="mcn",
                 data={"avenant": "A", "signe_par": ("mcn", "client"),
                       "parametres": {"delai_reglement_differend_jours": 60}}),
        er.Event("differend_soumis", D(2026, 9, 14), by="client", data={"differend": "D-1"}),
        er.Event("differend_soumis", D(2026, 9, 15), by="client", data={"differend": "D-2"}),
    ])
    snap = ev.at(D(2026, 9, 20))
    first, second = snap.find("differend-reglement", "D-1"), snap.find("differend-reglement", "D-2")
    assert first is not None and second is not None
    assert first.deadline is not None and second.deadline is not None
    assert (second.deadline - first.deadline).days >= 29  # 30 days, then 60 from the 15th
    assert "avenant" in second.explain() and "avenant" not in first.explain()
    assert any(d.code == "avenant_applique" for d in ev.diagnostics)


# --------------------------------------------------------------------------- the replays


def test_ordinary_events_and_the_replay_chosen() -> None:
    plain = invoice("F", D(2026, 5, 1))
    late = payment("F", D(2026, 5, 20), recorded=D(2026, 6, 10))
    retro = er.Event("ajout_service", D(2026, 6, 10), by="client",
                     data={"service": "c", "date_effet": D(2026, 6, 1)})
    assert is_ordinary(plain) and not is_ordinary(late) and not is_ordinary(retro)
    index = KnowledgeIndex.of([plain, late, retro])
    assert index.late_dates == (D(2026, 6, 10),)
    assert index.key(D(2026, 5, 25), D(2026, 6, 10)) is None  # everything known: full log
    assert index.key(D(2026, 5, 25), D(2026, 5, 25)) == ("k", 0)
    assert index.events_for(("k", 0)) == [plain]
    assert index.key(D(2026, 7, 1), D(2026, 5, 25)) == ("f", 1)  # forecast from 25 May
    assert index.events_for(("f", 1)) == [plain]


def test_the_vocabulary_s_date_fields_give_the_same_index() -> None:
    """Looking only at the date fields the vocabulary declares finds the same late dates as
    looking at every value (a retroactive agreed date, a late recording, plain events)."""
    retro = er.Event("ajout_service", D(2026, 7, 3), by="client",
                     data={"service": "c", "date_effet": D(2026, 7, 1)})
    ahead = er.Event("ajout_service", D(2026, 7, 4), by="client",
                     data={"service": "d", "date_effet": D(2026, 8, 1)})
    log = [invoice("F", D(2026, 5, 1)), payment("F", D(2026, 5, 20), recorded=D(2026, 6, 10)),
           retro, ahead]
    date_fields = er.RuleBook.bundled().vocabulary.date_fields()
    assert date_fields["ajout_service"] == ("date_effet",)
    assert date_fields["paiement"] == ()
    with_vocabulary = KnowledgeIndex.of(log, date_fields)
    assert with_vocabulary == KnowledgeIndex.of(log)
    assert with_vocabulary.late_dates == (D(2026, 6, 10), D(2026, 7, 3))


def test_many_knowledge_dates_answer_like_replays_of_what_was_known_threaded() -> None:
    events = [invoice(f"F-{i}", D(2026, 4, 2) + timedelta(days=i)) for i in range(30)]
    events += [payment(f"F-{i}", D(2026, 4, 20) + timedelta(days=i),
                       recorded=D(2026, 4, 25) + timedelta(days=2 * i)) for i in range(30)]
    ev = agreement().evaluate(events)
    asks = [(D(2026, 5, 1) + timedelta(days=i), D(2026, 4, 20) + timedelta(days=3 * i))
            for i in range(25)]
    results: dict[int, dict[str, object]] = {}

    def ask(i: int) -> None:
        x, k = asks[i]
        results[i] = ev.at(x, known_on=k).to_dict()

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(asks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, (x, k) in enumerate(asks):
        known = [e for e in events if e.recorded_on <= k]
        assert results[i] == agreement().evaluate(known).at(x, known_on=k).to_dict(), (x, k)


# --------------------------------------------------------------------------- rule files


def _book(tmp_path: Path, extra: str, vocabulary: str = "") -> RuleFileError:
    (tmp_path / "evenements.toml").write_text(VOCABULARY + vocabulary, encoding="utf-8")
    (tmp_path / "09-3.toml").write_text(RULES + extra, encoding="utf-8")
    with pytest.raises(er.RuleFileError) as caught:
        er.RuleBook.from_directory(tmp_path)
    return caught.value


RuleFileError = er.RuleFileError
AVENANT = '''
[evenement.avenant]
libelle = { fr = "Avenant", en = "Amendment" }
champs = { signe_par = "parties", parametres = "parametres", quand = "date" }
optionnels = ["parametres", "quand"]
'''


def test_amendment_effect_needs_a_parameters_field(tmp_path: Path) -> None:
    error = _book(tmp_path, '''
[[effet]]
id = "avenant"
evenement = "avenant"
effet = { action = "modifier_parametres", date = "quand" }
''', AVENANT)
    assert error.where.file == "09-3.toml" and error.where.key == "effet[0].effet.parametres"
    assert "modifier_parametres" in error.describe("en")


def test_amendment_effect_control_must_exist(tmp_path: Path) -> None:
    error = _book(tmp_path, '''
[[effet]]
id = "avenant"
evenement = "avenant"
exige_controle = "signe-deux"
effet = { action = "modifier_parametres", parametres = "parametres" }
''', AVENANT)
    assert error.where.key == "effet[0].exige_controle" and "signe-deux" in error.describe("fr")


def test_a_period_length_may_not_be_amendable(tmp_path: Path) -> None:
    error = _book(tmp_path, block("parametre", nom='"mois"', valeur="1",
                                  avenant_peut_modifier="true", source='"mensuellement"')
                  + obligation("facturer", ("Facturer", "Invoice"),
                               declencheur='{ periode = { mois = "@mois" }, naissance = '
                                           '"lendemain_fin" }',
                               execution='[{ evenement = "facture_emise", cle = "facture" }]'))
    assert error.where.key == "parametre[0].avenant_peut_modifier"
    assert "k-th period" in error.describe("en")


def test_extend_keeps_both_kinds_of_time() -> None:
    """``Evaluation.extend`` (a resumable replay) answers like a fresh evaluation of the whole
    log, as known on any date: a payment recorded late, then an amendment agreed with a past
    effective date (which replays the log: parameters are dated before the walk)."""
    first = [invoice("F-1", D(2026, 5, 1)), invoice("F-2", D(2026, 10, 5))]
    more = [payment("F-1", D(2026, 10, 10), recorded=D(2026, 10, 20))]
    amendment = er.Event("avenant", D(2026, 10, 15), by="mcn",
                         data={"avenant": "A", "signe_par": ("mcn", "client"),
                               "parametres": {"delai_paiement_jours": 45},
                               "date_effet": D(2026, 10, 1)})
    first, more = _sourced(first, "a"), _sourced(more, "b")
    (amendment,) = _sourced([amendment], "c")  # the same names whichever way they are given
    ev = agreement().evaluate(first)
    ev.at(D(2026, 10, 6))
    ev.extend(more)
    ev.extend([amendment])
    fresh = agreement().evaluate([*first, *more, amendment])
    for x, k in [(D(2026, 10, 12), None), (D(2026, 10, 12), D(2026, 10, 25)),
                 (D(2026, 11, 20), D(2026, 10, 12)), (D(2026, 11, 20), None)]:
        assert ev.at(x, known_on=k).to_dict() == fresh.at(x, known_on=k).to_dict(), (x, k)
    f2 = ev.at(D(2026, 10, 16)).find("paiement-facture", "F-2")
    assert f2 is not None and f2.deadline == D(2026, 11, 19)  # 45 days, known on the 16th


def _sourced(events: list[er.Event], name: str) -> list[er.Event]:
    return [attrs.evolve(e, source=f"{name}:{i}") for i, e in enumerate(events, 1)]
