"""Suspension and resumption (issue 19, decision 69) on the sale-of-goods test rule book
``tests/regles_vente``: its worked examples on every engine and through ``check``; what
``explain()``, the JSON, the agenda and the changes say of a suspended instance; a replay
continued or shipped mid-suspension gives the whole log's answers; rule-file errors.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import entente_regles as er
from entente_regles import Agreement, Event, RuleBook, Status
from entente_regles.check import check_directory
from entente_regles.core.errors import RuleFileError
from entente_regles.portfolio import shipping

BOOK_DIR = Path(__file__).resolve().parent / "regles_vente"
BOOK = RuleBook.from_directory(BOOK_DIR)
START = date(2026, 3, 2)
SUSPENDED = [Event("avis_suspension", date(2026, 3, 16), "vendeur"),
             Event("acompte", date(2026, 3, 26), "acheteur")]


def _agreement() -> Agreement:
    return Agreement(client="V", in_force_from=START, rules=BOOK)


def test_the_sale_of_goods_book_is_clean_and_its_examples_pass_on_every_engine() -> None:
    assert check_directory(BOOK_DIR) == []
    report = er.run_examples(BOOK, engine="tous")
    assert report.ok and not report.failed
    names = {r.name for r in report.passed}
    assert any("suspendue puis reprise" in n for n in names)
    assert any("exécuté en entier" in n for n in names)


def test_the_deadline_stops_and_runs_again_moved_by_the_days_suspended() -> None:
    evaluation = _agreement().evaluate(SUSPENDED)
    before = evaluation.at(date(2026, 3, 15)).find("livrer")
    during = evaluation.at(date(2026, 3, 20)).find("livrer")
    after = evaluation.at(date(2026, 3, 26)).find("livrer")
    assert before is not None and during is not None and after is not None
    assert (before.status, before.deadline) == (Status.DUE, date(2026, 4, 1))
    assert (during.status, during.deadline, during.days_left) == (Status.SUSPENDED, None, None)
    assert (during.suspended_since, during.days_suspended) == (date(2026, 3, 16), 4)
    # 10 days suspended: 1 April + 10 = Saturday 11 April, rolled to Monday 13 April
    assert (after.status, after.deadline) == (Status.DUE, date(2026, 4, 13))
    assert (after.suspended_since, after.days_suspended) == (None, 10)
    assert before.days_suspended is None
    assert during in evaluation.at(date(2026, 3, 20)).owed  # still owed, not late
    assert evaluation.at(date(2026, 4, 14)).find("livrer").status is Status.LATE  # type: ignore[union-attr]


def test_json_and_records_carry_the_suspension() -> None:
    snap = _agreement().evaluate(SUSPENDED).at(date(2026, 3, 20))
    found = [o for o in snap.to_dict()["obligations"] if o["obligation"] == "livrer"]
    assert found[0]["statut"] == "suspendue" and found[0]["echeance"] is None
    assert (found[0]["suspendue_depuis"], found[0]["jours_suspendus"]) == ("2026-03-16", 4)
    other = [o for o in snap.to_dict()["obligations"] if o["obligation"] == "verser-acompte"]
    assert (other[0]["suspendue_depuis"], other[0]["jours_suspendus"]) == (None, None)
    record = next(r for r in snap.to_records() if r["obligation"] == "livrer")
    assert record["suspendue_depuis"] == date(2026, 3, 16) and record["jours_suspendus"] == 4


def test_explain_says_when_it_stopped_and_where_the_deadline_moved() -> None:
    evaluation = _agreement().evaluate(SUSPENDED)
    during = evaluation.at(date(2026, 3, 20)).find("livrer")
    after = evaluation.at(date(2026, 3, 27)).find("livrer")
    assert during is not None and after is not None
    fr, en = during.explain("fr"), during.explain("en")
    assert "suspendue (suspendue depuis le 2026-03-16 : le délai ne court pas)" in fr
    assert "Suspendue le 2026-03-16 par « Suspendre la livraison » (art. 5)" in fr
    assert "16 jours restaient" in fr and "Reprise" not in fr
    assert "suspended (suspended since 2026-03-16: the deadline does not run)" in en
    assert "16 days left" in en
    said = after.explain("fr")
    assert "Reprise le 2026-03-26 (la condition de la suspension a cessé de tenir) après 10 " \
           "jours de suspension : échéance reportée au 2026-04-13" in said
    assert "Resumed on 2026-03-26 (the suspension's condition stopped holding) after 10 " \
           "days suspended: deadline moved to 2026-04-13" in after.explain("en")


def test_a_resumption_by_an_act_names_it() -> None:
    events = [Event("avis_suspension", date(2026, 3, 20), "vendeur"),
              Event("avis_reprise", date(2026, 3, 27), "vendeur")]
    after = _agreement().evaluate(events).at(date(2026, 3, 30)).find("livrer")
    assert after is not None and after.deadline == date(2026, 4, 8)
    assert "Reprise le 2026-03-27 (avis_reprise 2026-03-27 par vendeur" in after.explain()


def test_the_agenda_has_no_deadline_while_suspended_then_the_moved_one() -> None:
    evaluation = _agreement().evaluate(SUSPENDED)

    def deadlines(as_of: date) -> list[date]:
        agenda = evaluation.agenda(as_of, date(2026, 5, 1), as_of=as_of)
        return [i.on for i in agenda.items if i.kind == "echeance" and i.rule == "livrer"]

    assert deadlines(date(2026, 3, 10)) == [date(2026, 4, 1)]
    assert deadlines(date(2026, 3, 20)) == []
    assert deadlines(date(2026, 3, 27)) == [date(2026, 4, 13)]


def test_changes_report_the_suspension_and_the_resumption() -> None:
    changes = _agreement().evaluate(SUSPENDED).changes(date(2026, 3, 1), date(2026, 3, 31))
    seen = [(c.on, c.before, c.after) for c in changes if c.rule == "livrer"
            and c.kind == "statut"]
    assert seen == [(date(2026, 3, 16), "a_echoir", "suspendue"),
                    (date(2026, 3, 26), "suspendue", "a_echoir")]


def test_a_replay_continued_or_shipped_mid_suspension_gives_the_whole_logs_answers() -> None:
    agreement = _agreement()
    whole = agreement.evaluate(SUSPENDED)
    part = agreement.evaluate(SUSPENDED[:1])
    part.at(date(2026, 3, 20))  # asked mid-suspension, then continued
    packed = shipping.pack(agreement, part.replayed)
    again, replayed = shipping.unpack(packed, BOOK)
    shipped = again.resume(replayed)
    for evaluation in (part, shipped):
        evaluation.extend(SUSPENDED[1:])
        for day in (date(2026, 3, 20), date(2026, 3, 26), date(2026, 4, 14)):
            assert evaluation.at(day).to_dict() == whole.at(day).to_dict(), day


def test_a_suspension_of_an_instance_already_late_has_no_effect() -> None:
    # the deposit late and the delivery too: the seller, already in default, stops nothing
    events = [Event("avis_suspension", date(2026, 4, 3), "vendeur")]
    evaluation = _agreement().evaluate(events)
    snap = evaluation.at(date(2026, 4, 3))
    assert snap.find("livrer").status is Status.LATE  # type: ignore[union-attr]
    assert [d.code for d in snap.diagnostics if d.on == date(2026, 4, 3)] == [
        "suspension_sans_effet"]


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "regles"
    target.mkdir()
    for source in BOOK_DIR.iterdir():
        text = source.read_text(encoding="utf-8")
        if old in text:
            text = text.replace(old, new)
        (target / source.name).write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize(("old", "new", "said"), [
    ('norme = "livrer", debiteur = "auteur", reprise', 'norme = "livrr", debiteur = "auteur", '
     'reprise', "livrr"),
    ('norme = "livrer", debiteur = "auteur" }', 'norme = "confidentialite" }',
     "confidentialite"),
    ('effet = { action = "reprendre", norme = "livrer", debiteur = "auteur" }',
     'effet = { action = "reprendre", norme = "livrer", reprise = "condition" }', "reprise"),
    ('debiteur = "auteur", reprise = "condition" }', 'debiteur = "auteur", date = "x" }',
     "date"),
])
def test_rule_file_errors_name_the_key(tmp_path: Path, old: str, new: str, said: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        RuleBook.from_directory(_broken(tmp_path, old, new))
    assert said in str(caught.value) and "01-livraison.toml" in str(caught.value)


def test_a_suspension_resumes_the_day_its_condition_lapses_with_no_event(tmp_path: Path
                                                                          ) -> None:
    # the right to suspend is a faculty open for 5 days after the deposit falls late: the
    # suspension ends the day after its window closes, though nothing happens that day
    faculty = '''
[[faculte]]
id = "droit-suspendre"
article = "5"
libelle = { fr = "Droit de suspendre", en = "Right to suspend" }
titulaire = "vendeur"
declencheur = { consequence_de = "verser-acompte", quand = "en_retard" }
fenetre = { jours = 5 }
'''
    directory = _broken(tmp_path, 'disponible_si = { norme = "verser-acompte", etat = '
                        '"en_retard", debiteur = "autre" }',
                        'disponible_si = { norme = "droit-suspendre", etat = "ouverte" }')
    path = directory / "01-livraison.toml"
    path.write_text(path.read_text(encoding="utf-8") + faculty, encoding="utf-8")
    book = RuleBook.from_directory(directory)
    events = [Event("avis_suspension", date(2026, 3, 14), "vendeur")]
    agreement = Agreement(client="V", in_force_from=START, rules=book)
    whole = agreement.evaluate(events)
    window = whole.at(date(2026, 3, 14)).find_option("droit-suspendre")
    assert window is not None and window.closes_on == date(2026, 3, 18)
    assert whole.at(date(2026, 3, 18)).find("livrer").status is Status.SUSPENDED  # type: ignore[union-attr]
    resumed = whole.at(date(2026, 3, 19)).find("livrer")
    assert resumed is not None and resumed.status is Status.DUE
    # 1 April + 5 = Monday 6 April, Easter Monday: rolled to Tuesday 7 April
    assert (resumed.days_suspended, resumed.deadline) == (5, date(2026, 4, 7))
    # asked day by day, continuing one replay, the answers are the same (no look-ahead)
    step = agreement.evaluate(events)
    for day in (date(2026, 3, 18), date(2026, 3, 19), date(2026, 4, 7)):
        assert step.at(day).to_dict() == agreement.evaluate(events).at(day).to_dict()


def test_days_suspended_may_be_counted_in_working_days(tmp_path: Path) -> None:
    # « prolongé d'autant de jours ouvrables » : Monday 16 to Thursday 26 March, 8 working
    # days suspended; the 8th working day after Wednesday 1 April skips Good Friday (3 April)
    # and Easter Monday (6 April): Wednesday 15 April
    directory = _broken(tmp_path, 'reprise = "condition" }',
                        'reprise = "condition", jours = "ouvrables" }')
    book = RuleBook.from_directory(directory)
    evaluation = Agreement(client="V", in_force_from=START, rules=book).evaluate(SUSPENDED)
    resumed = evaluation.at(date(2026, 3, 26)).find("livrer")
    assert resumed is not None and resumed.status is Status.DUE
    assert resumed.deadline == date(2026, 4, 15)
    assert "échéance reportée au 2026-04-15, 8 jours ouvrables après le 2026-04-01" \
        in resumed.explain()
    assert "deadline moved to 2026-04-15, 8 working days after 2026-04-01" \
        in resumed.explain("en")
