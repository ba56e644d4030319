"""Issue 7: ends work for the future only, the mise en demeure, faculties never owed, and
nothing dropped in silence — the engine's side of what the rule files' examples show."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import ENGINE_PARAMS

import entente_regles as er
from entente_regles.cli import commands as cli
from entente_regles.core.errors import ErrorLocation, EventError
from entente_regles.events.log import event_from_mapping

BOOK = er.RuleBook.bundled()


def evaluate(*raw: dict[str, object], engine: str = "python") -> er.Evaluation:
    events = [event_from_mapping(r, BOOK.vocabulary, ErrorLocation("test", i + 1))
              for i, r in enumerate(raw)]
    agreement = er.Agreement(client="X", in_force_from=date(2026, 4, 1),
                             engine=engine)  # type: ignore[arg-type]
    return agreement.evaluate(events)


RECOURS = {"type": "recours", "date": "2026-05-05", "par": "mcn", "recours": "R-1"}


@pytest.mark.parametrize("engine", ENGINE_PARAMS)
def test_demand_explanation_cites_receipt_law_and_counting(engine: str) -> None:
    demand = {"type": "mise_en_demeure", "date": "2026-05-12", "par": "client",
              "recu_le": "2026-05-13", "obligation": "avis-recours", "cle": "R-1",
              "delai_jours": 10}
    ev = evaluate(RECOURS, demand, engine=engine)
    assert ev.at(date(2026, 5, 11)).find("avis-recours", "R-1").deadline is None  # no look-ahead
    late = ev.at(date(2026, 5, 26)).find("avis-recours", "R-1")
    assert late is not None and late.status is er.Status.LATE and late.at_fault == "mcn"
    text = late.explain()
    assert "C.c.Q., art. 1594–1595" in text and "reçue le 2026-05-13" in text
    assert "2026-05-23 (samedi" in text and "reporté au 2026-05-25" in text
    assert "en demeure à compter du 2026-05-26" in text
    assert "Formal demand (mise en demeure) (art. 11; C.c.Q." in late.explain("en")


def test_demand_on_a_late_instance_changes_no_status_and_records_the_default() -> None:
    invoice = {"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-1",
               "montant": "10.00", "periode": "2026-04"}
    demand = {"type": "mise_en_demeure", "date": "2026-06-10", "par": "mcn",
              "obligation": "paiement-facture", "cle": "F-1", "delai_jours": 5}
    ev = evaluate(invoice, demand)
    ob = ev.at(date(2026, 6, 12)).find("paiement-facture", "F-1")
    assert ob is not None and ob.status is er.Status.LATE and ob.deadline == date(2026, 6, 1)
    assert "déjà en retard depuis le 2026-06-02" in ob.explain()
    assert "en demeure au plus tard le 2026-06-16" in ob.explain()


@pytest.mark.parametrize(("by", "key", "code"), [
    ("mcn", "R-1", "partie_non_habilitee"),      # the debtor cannot demand of itself
    ("client", "R-404", "reference_inconnue"),   # no such owed instance
])
def test_demand_without_effect_says_why(by: str, key: str, code: str) -> None:
    demand = {"type": "mise_en_demeure", "date": "2026-05-12", "par": by,
              "obligation": "avis-recours", "cle": key, "delai_jours": 3}
    ev = evaluate(RECOURS, demand)
    found = [d for d in ev.diagnostics if d.code == code]
    assert found and found[0].article == "11" and "sans effet" in found[0].message.fr
    assert ev.at(date(2026, 6, 30)).find("avis-recours", "R-1").status is er.Status.DUE


@pytest.mark.parametrize("value", [0, -3, "10", True, 3661, 2.5])
def test_delay_must_be_a_positive_integer(value: object) -> None:
    raw = {"type": "mise_en_demeure", "date": "2026-05-12", "par": "client",
           "obligation": "avis-recours", "delai_jours": value}
    with pytest.raises(EventError) as info:
        event_from_mapping(raw, BOOK.vocabulary, ErrorLocation("journal.jsonl", 7))
    text = str(info.value)
    assert "journal.jsonl" in text and "delai_jours" in text and "entier" in text


def test_faculty_is_an_option_never_owed() -> None:
    notice = {"type": "avis_modification_service", "date": "2026-05-01", "par": "mcn",
              "modification": "M-1", "service": "courriel", "date_effet": "2026-06-15"}
    ev = evaluate(notice)
    snap = ev.at(date(2026, 5, 20))
    assert all(o.rule != "reponse-modification" for o in snap.owed + snap.obligations)
    option = snap.find_option("reponse-modification", "courriel")
    assert option is not None and option in snap.options
    assert (option.status, option.holder, option.closes_on) == \
        (er.OptionStatus.OPEN, "client", date(2026, 6, 14))
    expired = ev.at(date(2026, 6, 15)).find_option("reponse-modification", "courriel")
    assert expired is not None and expired.status is er.OptionStatus.EXPIRED
    assert "réputée acceptée" in expired.explain() and "personne n'est en faute" in \
        expired.explain()
    listed = ev.at(date(2026, 6, 15)).to_dict()["facultes"]
    assert {"faculte": "reponse-modification", "statut": "expiree"}.items() <= next(
        f for f in listed if f["faculte"] == "reponse-modification").items()


def test_pending_termination_in_snapshot_and_cli_header(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    log = tmp_path / "j.jsonl"
    log.write_text('{"type": "avis_resiliation", "date": "2026-06-01", "par": "client", '
                   '"recu_le": "2026-06-02"}\n', encoding="utf-8")
    ev = er.Agreement(client="X", in_force_from=date(2026, 4, 1), engine="python").evaluate(log)
    assert ev.at(date(2026, 5, 31)).termination_pending is None
    pending = ev.at(date(2026, 6, 1)).termination_pending
    assert pending is not None and pending.received_on == date(2026, 6, 2)
    assert pending.last_day == date(2026, 8, 31) and pending.by == "client"
    assert ev.at(date(2026, 9, 1)).termination_pending is None
    code = cli.main(["owed", "--events", str(log), "--client", "X", "--in-force-from",
                     "2026-04-01", "--at", "2026-07-01", "--engine", "python"])
    out = capsys.readouterr().out
    assert code == 0 and "résiliation en cours" in out.splitlines()[1]
    assert "2026-08-31" in out


def test_uninterpreted_avenant_and_replacement_without_annex_are_reported() -> None:
    avenant = {"type": "avenant", "date": "2026-05-01", "par": "mcn", "avenant": "A-1",
               "signe_par": ["mcn", "client"]}
    replaced = {"type": "remplacement_responsable", "date": "2026-05-02", "par": "mcn",
                "responsable": "R-1"}
    codes = {d.code: d for d in evaluate(avenant, replaced).diagnostics}
    assert codes["contenu_non_interprete"].severity == "info"
    assert codes["annexe_non_precisee"].severity == "avertissement"
    only_one = evaluate({**avenant, "signe_par": ["mcn"]}).diagnostics
    assert [d.code for d in only_one] == ["avenant_non_signe"]
