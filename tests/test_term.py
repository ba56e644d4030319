"""An agreement's term (``[terme]``), its renewals, the notice of non-renewal counted
backward, and the end by performance (``[fin_par_execution]``): what the snapshot, the owed
header, the JSON and the agenda say (issue 19; decisions 63–65)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import attrs
import pytest

from entente_regles import Agreement
from entente_regles.cli import main
from entente_regles.core.errors import ErrorLocation
from entente_regles.core.event import Event
from entente_regles.rules.agreement_file import AgreementFileErrors
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.toml_tables import RuleFileErrors

ROOT = Path(__file__).resolve().parent.parent
CSA = ROOT / "regles" / "common-paper-csa"
SALE = Path(__file__).resolve().parent / "regles_execution"
BOOK = RuleBook.from_directory(CSA)
START = date(2026, 7, 1)


def _csa(**spec: object) -> Agreement:
    return Agreement.from_mapping({"client": "Harbour", "en_vigueur_le": START, **spec},
                                  ErrorLocation("entente.toml"), rules=BOOK)


def _notice(on: date, received: date | None = None) -> Event:
    return Event("termination_notice", on, "customer", received,
                 data={"notice": "NR", "ground": "non_renewal"})


def test_without_notice_the_term_renews_and_the_snapshot_says_when() -> None:
    evaluation = _csa().evaluate([])
    snap = evaluation.at(date(2027, 5, 15), "en")
    assert snap.term is not None
    assert (snap.term.number, snap.term.start, snap.term.end) == (0, START, date(2027, 6, 30))
    assert snap.term.renewal == date(2027, 7, 1)
    assert snap.term.notice_limit == date(2027, 5, 31)
    assert snap.next_end == date(2027, 6, 30) and snap.ending is None
    record = snap.to_dict()
    assert record["terme"]["limite_preavis"] == "2027-05-31"
    assert record["prochaine_fin"] == "2027-06-30" and record["fin_entente"] is None
    # after the limit: the renewal is certain, no notice limit is shown any more
    after = evaluation.at(date(2027, 6, 1), "en").term
    assert after is not None and after.notice_limit is None and after.renewal is not None
    renewed = evaluation.at(date(2027, 7, 1), "en")
    assert renewed.agreement_in_force and renewed.term is not None
    assert (renewed.term.number, renewed.term.start, renewed.term.end) == (
        1, date(2027, 7, 1), date(2028, 6, 30))
    assert renewed.term.notice_limit == date(2028, 5, 31)


def test_a_notice_in_time_ends_the_agreement_at_the_end_of_the_term_by_expiry() -> None:
    evaluation = _csa().evaluate([_notice(date(2027, 5, 28), date(2027, 5, 31))])
    before = evaluation.at(date(2027, 5, 27), "en")  # sent on the 28th: not known yet
    assert before.ending is None and before.term is not None and before.term.renewal
    known = evaluation.at(date(2027, 5, 28), "en")  # the act's date (received in time)
    assert known.ending is not None and known.ending.how == "expiration"
    assert known.term is not None and known.term.renewal is None
    assert known.next_end == date(2027, 6, 30)
    ended = evaluation.at(date(2027, 7, 1), "en")
    assert not ended.agreement_in_force and ended.term is None
    assert ended.ended is not None and ended.ended.effective == date(2027, 7, 1)
    assert ended.to_dict()["fin_entente"] == {"dernier_jour": "2027-06-30",
                                              "date_effet": "2027-07-01",
                                              "mode": "expiration", "article": "5.1"}


def test_a_late_notice_lets_the_term_renew_and_ends_it_a_term_later() -> None:
    evaluation = _csa().evaluate([_notice(date(2027, 6, 1))])
    late = [d for d in evaluation.diagnostics if d.code == "preavis_tardif"]
    assert len(late) == 1 and "2027-07-01" in late[0].message.en
    assert evaluation.agreement_end == date(2028, 7, 1)
    snap = evaluation.at(date(2027, 8, 1), "en")
    assert snap.term is not None and snap.term.number == 1 and snap.term.renewal is None
    assert snap.next_end == date(2028, 6, 30)


def test_the_agenda_lists_the_renewals_and_the_notice_limits_of_the_replay() -> None:
    agenda = _csa().evaluate([]).agenda(date(2027, 5, 1), date(2028, 7, 31))
    dated = [(i.on, i.kind, i.rule) for i in agenda if i.kind in ("renouvellement",
                                                                  "limite_preavis")]
    assert dated == [(date(2027, 5, 31), "limite_preavis", "non-renewal"),
                     (date(2027, 7, 1), "renouvellement", "non-renewal"),
                     (date(2028, 5, 31), "limite_preavis", "non-renewal"),
                     (date(2028, 7, 1), "renouvellement", "non-renewal")]
    limit = next(i for i in agenda if i.kind == "limite_preavis")
    assert "before the date 30 days before the first day after the term, so at least 31 " \
        "days before it" in " ".join(limit.explain("en").split())
    # a notice in time: no renewal and no notice limit once it is known; the agenda drawn
    # up before it still shows them
    evaluation = _csa().evaluate([_notice(date(2027, 5, 20))])
    for as_of, wanted in ((None, []), (date(2027, 5, 19), [
            (date(2027, 5, 31), "limite_preavis"), (date(2027, 7, 1), "renouvellement")])):
        agenda = evaluation.agenda(date(2027, 5, 1), date(2027, 12, 31), as_of=as_of)
        kinds = [(i.on, i.kind) for i in agenda
                 if i.kind in ("renouvellement", "limite_preavis")]
        assert kinds == wanted


def test_the_agreement_file_overrides_the_term_key_by_key() -> None:
    fixed = _csa(terme={"renouvellements": 1})
    evaluation = fixed.evaluate([])
    assert evaluation.agreement_end == date(2028, 7, 1)  # the initial term and one renewal
    snap = evaluation.at(date(2028, 7, 1), "en")
    assert snap.ended is not None and snap.ended.how == "expiration"
    last = evaluation.at(date(2028, 1, 1), "en").term
    assert last is not None and last.renewal is None and last.notice_limit is None


def test_a_bad_term_in_the_agreement_file_names_the_key() -> None:
    with pytest.raises(AgreementFileErrors) as caught:
        _csa(terme={"quantieme_absent": "arrondi"})
    assert "terme.quantieme_absent" in str(caught.value)
    assert "fin_de_mois" in str(caught.value)


def test_the_rule_book_checks_the_power_the_term_names(tmp_path: Path) -> None:
    book = tmp_path / "csa"
    shutil.copytree(CSA, book)
    vocabulary = book / "evenements.toml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace('pouvoir = "non-renewal"', 'pouvoir = "renewal"'),
                          encoding="utf-8")
    with pytest.raises(RuleFileErrors) as caught:
        RuleBook.from_directory(book)
    assert "terme.preavis.pouvoir" in str(caught.value)


def test_owed_header_says_the_term_and_the_notice_limit(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    code = main(["owed", "--rules", str(CSA), "--agreement", str(CSA / "entente.toml"),
                 "--events", str(CSA / "journal.jsonl"), "--at", "2026-10-01"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert "term no. 1 from 2026-07-01 to 2027-06-30 (art. 5.1)" in out[1]
    assert "unless a notice of non-renewal is received by 2027-05-31" in " ".join(
        " ".join(out[1:3]).split())


def _sale(engine: str = "python") -> Agreement:
    return Agreement(client="Acheteur", in_force_from=date(2026, 3, 2),
                     rules=RuleBook.from_directory(SALE), engine=engine)  # type: ignore[arg-type]


SOLD = [Event("livraison", date(2026, 3, 20), "vendeur"),
        Event("facture", date(2026, 3, 20), "vendeur",
              data={"facture": "F-1", "montant": "500.00"}),
        Event("paiement", date(2026, 4, 10), "acheteur",
              data={"facture": "F-1", "montant": "500.00"})]


@pytest.mark.parametrize("engine", ["python", "reference"])
def test_an_agreement_performed_in_full_ends_by_performance(engine: str) -> None:
    evaluation = _sale(engine).evaluate(SOLD)
    assert evaluation.agreement_end == date(2026, 4, 11)
    during = evaluation.at(date(2026, 4, 10))
    assert during.agreement_in_force and during.ending is not None
    assert during.termination_pending is None  # no notice: performed
    done = evaluation.at(date(2026, 4, 11))
    assert not done.agreement_in_force
    assert done.ended is not None and done.ended.how == "execution"
    assert done.ended.last_day == date(2026, 4, 10)
    assert done.to_dict()["fin_entente"]["mode"] == "execution"
    assert "par exécution de ses obligations" in " ".join(done.term_lines("fr"))
    assert "by performance of its obligations" in " ".join(done.term_lines("en"))
    # only the delivery: still in force, no end known
    partial = _sale(engine).evaluate(SOLD[:2]).at(date(2026, 6, 1))
    assert partial.agreement_in_force and partial.ending is None


def test_a_termination_is_not_an_end_by_performance() -> None:
    evaluation = _sale().evaluate([*SOLD[:2], Event("resiliation", date(2026, 4, 1),
                                                    "acheteur"), SOLD[2]])
    assert evaluation.agreement_end == date(2026, 4, 1)
    ended = evaluation.at(date(2026, 4, 20)).ended
    assert ended is not None and ended.how == "resiliation"


def test_owed_json_carries_the_term(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["owed", "--rules", str(CSA), "--agreement", str(CSA / "entente.toml"),
                 "--events", str(CSA / "journal.jsonl"), "--at", "2026-10-01",
                 "--format", "json"])
    record = json.loads(capsys.readouterr().out)
    assert code == 0
    assert record["terme"] == {"numero": 1, "debut": "2026-07-01", "fin": "2027-06-30",
                               "article": "5.1", "renouvellement": "2027-07-01",
                               "limite_preavis": "2027-05-31", "sur_avis": False}


def test_explain_and_owed_say_the_agreement_ended_by_performance(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "journal.jsonl"
    log.write_text("\n".join(json.dumps(line) for line in (
        {"type": "livraison", "date": "2026-03-20", "par": "vendeur"},
        {"type": "facture", "date": "2026-03-20", "par": "vendeur", "facture": "F-1",
         "montant": "500.00"},
        {"type": "paiement", "date": "2026-04-10", "par": "acheteur", "facture": "F-1",
         "montant": "500.00"})) + "\n", encoding="utf-8")
    common = ["--rules", str(SALE), "--events", str(log), "--client", "A",
              "--in-force-from", "2026-03-02", "--at", "2026-04-20"]
    assert main(["explain", "payer", "F-1", *common, "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert "Agreement ended: last day 2026-04-10 (by performance of its obligations, art. 4)" \
        in said
    assert main(["owed", *common]) == 0
    header = capsys.readouterr().out.splitlines()[:3]
    assert any("entente terminée : dernier jour le 2026-04-10 (par exécution" in line
               for line in header)


def test_the_agreement_files_term_names_a_power_of_the_rule_book() -> None:
    with pytest.raises(AgreementFileErrors) as caught:
        _csa(terme={"preavis": {"jours": 30, "pouvoir": "terminate-uncured-breach-typo"}})
    assert "terme.preavis.pouvoir" in str(caught.value)
    term = BOOK.vocabulary.term
    assert term is not None
    with pytest.raises(ValueError, match="fin_entente"):
        Agreement(client="X", in_force_from=START, rules=BOOK,
                  term=attrs.evolve(term, notice_power="terminate-uncured-breach-typo"))


@pytest.mark.parametrize("engine", ["python", "reference", "durable"])
def test_the_sale_rule_books_worked_examples_pass_on_every_engine(engine: str) -> None:
    import entente_regles as er
    from entente_regles.engine.durable.backend import durable_available

    if engine == "durable" and durable_available() is not None:
        pytest.skip(str(durable_available()))
    report = er.run_examples(SALE, engine=engine)  # type: ignore[arg-type]
    assert report.ok and len(report.passed) == 3
