"""Money arithmetic in rule files (issue 19, decisions 66–68): the rounding rule of
``[argent]``, computed amounts (percentage, rate per day, proration), interest on late
payment (segments, day counts, from the deadline or from the default), what ``check``
refuses, and how the outputs show it. The worked examples of ``tests/regles_argent`` are
run by ``test_regles_exemples``-style replay here too (each engine)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from entente_regles import Agreement, Event, RuleBook, RuleFileError
from entente_regles.check.examples import run_examples
from entente_regles.query.interest import accrue
from entente_regles.rules.money import InterestTerms, Rounding, year_fractions

HERE = Path(__file__).resolve().parent
BOOK_DIR = HERE / "regles_argent"
BOOK = RuleBook.from_directory(BOOK_DIR)
START = date(2026, 4, 1)


def _agreement(book: RuleBook = BOOK) -> Agreement:
    return Agreement(client="X", in_force_from=START, rules=book)


def _variant(tmp_path: Path, file: str, old: str, new: str) -> Path:
    target = tmp_path / "regles"
    shutil.copytree(BOOK_DIR, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


# --------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(("mode", "half", "above_half"), [
    ("demi_superieur", "0.63", "0.64"), ("demi_pair", "0.62", "0.64"),
    ("inferieur", "0.62", "0.63"), ("superieur", "0.63", "0.64")])
def test_each_rounding_rule_on_a_half_cent(tmp_path: Path, mode: str, half: str,
                                           above_half: str) -> None:
    # 5 % of 12.50 = 0.625 (a half cent); 5 % of 12.70 = 0.635 (a half cent, odd below)
    book = RuleBook.from_directory(_variant(tmp_path, "evenements.toml",
                                            'arrondi = "demi_superieur"', f'arrondi = "{mode}"'))
    events = [Event("penalite", date(2026, 5, 4), "mcn", data={
        "penalite": name, "montant": Decimal(base)}) for name, base in (("P-1", "12.50"),
                                                                         ("P-2", "12.70"))]
    snap = _agreement(book).evaluate(events).at(date(2026, 5, 4))
    got = (snap.find("paiement-penalite", "P-1"), snap.find("paiement-penalite", "P-2"))
    assert got[0] is not None and got[1] is not None
    # P-2: 0.635 → half up 0.64, half even 0.64 (3 is odd), toward zero 0.63, away 0.64
    assert (str(got[0].amount), str(got[1].amount)) == (half, above_half)


def test_rounding_to_the_currencys_minor_unit() -> None:
    assert Rounding("demi_superieur", 0).apply(Decimal("2.5")) == Decimal("3")
    assert Rounding("demi_pair", 0).apply(Decimal("2.5")) == Decimal("2")
    assert str(Rounding("inferieur", 3).apply(Decimal("1.23456"))) == "1.234"


# --------------------------------------------------------------------------- interest


TERMS = InterestTerms(Decimal(5), "exact/365", "lendemain_echeance")


def test_accrual_segment_by_segment_and_nothing_before_the_start() -> None:
    history = [(date(2026, 5, 1), Decimal("1000.00")), (date(2026, 6, 12), Decimal("600.00"))]
    start = date(2026, 6, 2)
    assert accrue(history, start, date(2026, 6, 1), TERMS).total == Decimal("0.00")
    assert accrue(history, None, date(2026, 8, 1), TERMS).segments == ()
    accrued = accrue(history, start, date(2026, 7, 1), TERMS)
    assert [(s.first, s.last, s.days, str(s.interest)) for s in accrued.segments] == [
        (date(2026, 6, 2), date(2026, 6, 11), 10, "1.37"),
        (date(2026, 6, 12), date(2026, 7, 1), 20, "1.64")]
    assert str(accrued.total) == "3.01"


def test_a_zero_balance_bears_no_interest() -> None:
    history = [(date(2026, 5, 1), Decimal("100.00")), (date(2026, 6, 3), Decimal("0.00"))]
    assert str(accrue(history, date(2026, 6, 2), date(2026, 12, 31), TERMS).total) == "0.01"


def test_day_counts() -> None:
    # exact/exact across a year end: the days of each year over that year's length
    assert year_fractions(date(2027, 12, 30), date(2028, 1, 2), "exact/exact") == [
        (2, 365), (2, 366)]
    assert year_fractions(date(2027, 12, 30), date(2028, 1, 2), "exact/365") == [(4, 365)]
    # 30/360: 3 July to 2 August is 31 days, 30 in 30/360; a 31st counts
    assert year_fractions(date(2026, 7, 3), date(2026, 8, 2), "30/360") == [(30, 360)]
    assert year_fractions(date(2026, 2, 1), date(2026, 2, 28), "30/360") == [(28, 360)]


def test_interest_from_the_default_only_after_a_demand() -> None:
    events = [Event("note_debit", date(2026, 5, 1), "mcn",
                    data={"note": "N-1", "montant": Decimal("500.00")})]
    without = _agreement().evaluate(events)
    assert str(without.at(date(2026, 12, 31)).find("paiement-note", "N-1").interest) == "0.00"
    events.append(Event("mise_en_demeure", date(2026, 6, 15), "mcn", data={
        "obligation": "paiement-note", "cle": "N-1", "delai_jours": 10}))
    found = _agreement().evaluate(events)
    assert str(found.at(date(2026, 6, 25)).find("paiement-note", "N-1").interest) == "0.00"
    assert str(found.at(date(2026, 6, 30)).find("paiement-note", "N-1").interest) == "0.34"


def test_the_worked_examples_pass_on_every_engine() -> None:
    report = run_examples(BOOK, "tous")
    assert not report.failed, [r.describe() for r in report.failed]
    assert len(report.passed) >= 7


# --------------------------------------------------------------------------- outputs

LOG = [
    Event("facture_emise", date(2026, 5, 1), "mcn",
          data={"facture": "F-1", "montant": Decimal("1000.00")}),
    Event("paiement", date(2026, 6, 11), "client",
          data={"facture": "F-1", "montant": Decimal("400.00")}),
    Event("resiliation_anticipee", date(2026, 6, 1), "client", data={
        "abonnement": "A-1", "frais_periode": Decimal("2000.00"),
        "debut_periode": date(2026, 6, 1), "fin_periode": date(2026, 6, 30),
        "date_effet": date(2026, 6, 14)}),
]


def test_explain_shows_the_computation_and_each_segment_in_both_languages() -> None:
    snap = _agreement().evaluate(sorted(LOG, key=lambda e: e.date)).at(date(2026, 6, 20))
    invoice, refund = snap.find("paiement-facture", "F-1"), snap.find(
        "remboursement-prorata", "A-1")
    assert invoice is not None and refund is not None
    fr, en = _spaced(invoice.explain("fr")), invoice.explain("en")
    assert "Intérêt au 2026-06-20 : 2,11 XTS" in fr and "non compris dans le solde" in fr
    assert "du 2026-06-02 au 2026-06-11 (10 jours) : 1 000,00 XTS × 5 % × 10 / 365 " \
        "= 1,37 XTS" in fr
    assert "Interest on 2026-06-20: XTS2.11" in en and "(9 days): XTS600.00 × 5% × 9 / 365" in en
    assert "2 000,00 XTS × 17 / 30 jours = 1 133,33 XTS" in _spaced(refund.explain("fr"))
    assert "× 17 / 30 days = XTS1,133.33 (rounded half up" in refund.explain("en")


def _spaced(text: str) -> str:
    """``text`` with the locale's no-break spaces as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_records_carry_interest_and_leave_the_balance_alone() -> None:
    snap = _agreement().evaluate(sorted(LOG, key=lambda e: e.date)).at(date(2026, 6, 20))
    record = snap.find("paiement-facture", "F-1")
    assert record is not None
    assert (record.to_dict()["interet"], record.to_dict()["solde"]) == ("2.11", "600.00")
    assert record.to_record()["interet"] == Decimal("2.11")
    assert json.loads(json.dumps(snap.to_dict()))["obligations"][0]["interet"] is not None


def test_the_mcn_shows_interest_only_on_invoices_and_none_without_a_demand() -> None:
    book = RuleBook.bundled()
    events = [Event("facture_emise", date(2026, 5, 1), "mcn", data={
        "facture": "F-1", "montant": Decimal("100.00"), "periode": "2026-04"})]
    snap = Agreement(client="X", in_force_from=START, rules=book).evaluate(events).at(
        date(2026, 9, 1))
    for ob in snap.obligations:
        wanted = Decimal("0.00") if ob.rule == "paiement-facture" else None
        assert ob.interest == wanted, ob.rule


# --------------------------------------------------------------------------- check


def _rejected(directory: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as caught:
        RuleBook.from_directory(directory)
    return caught.value


@pytest.mark.parametrize(("old", "new", "key", "fr", "en"), [
    ('pourcentage = "@taux_penalite"', 'pourcentage = "@taux_inconnu"',
     "obligation[2].declencheur.montant", "paramètre inconnu @taux_inconnu",
     "unknown parameter @taux_inconnu"),
    ('de = "montant"', 'de = "mnt"', "de", "champ 'mnt' inconnu", "unknown field 'mnt'"),
    ('jours = "jours"', 'jours = "incident"', "jours", "de nature entier", "of kind entier"),
    ('taux_jour = "@credit_jour", jours', 'taux_jour = "beaucoup", jours', "taux_jour",
     "un nombre décimal positif", "a non-negative decimal number"),
    ('base = "exact/365"', 'base = "actual/360"', "base", "exact/365", "exact/365"),
    ('valeur = "150.00"', 'valeur = "cent cinquante"', "obligation[3].declencheur.montant",
     "un nombre décimal", "a non-negative decimal number"),
    # an exponent, or more digits than the bound, is refused at the edge: "1e999999" once
    # overflowed inside the engine (exit 3)
    ('valeur = "150.00"', 'valeur = "1e999999"', "obligation[3].declencheur.montant",
     "sans exposant", "no exponent"),
    ('taux_jour = "@credit_jour", jours', 'taux_jour = "1e3", jours', "taux_jour",
     "au plus 13 avant le point", "at most 13 before the point"),
    ('taux_jour = "@credit_jour", jours', 'taux_jour = "12345678901234", jours', "taux_jour",
     "un nombre décimal positif", "a non-negative decimal number"),
    ('taux_jour = "@credit_jour", jours', 'taux_jour = "1.12345678901", jours', "taux_jour",
     "un nombre décimal positif", "a non-negative decimal number"),
])
def test_check_refuses_unknown_parameters_fields_and_values(
        tmp_path: Path, old: str, new: str, key: str, fr: str, en: str) -> None:
    error = _rejected(_variant(tmp_path, "01-argent.toml", old, new))
    assert error.where.file.endswith("01-argent.toml")
    assert error.where.key is not None and key in error.where.key
    assert fr in error.fr and en in error.en


def test_interest_needs_a_tracked_amount(tmp_path: Path) -> None:
    error = _rejected(_variant(
        tmp_path, "01-argent.toml",
        'declencheur = { evenement = "note_debit", cle = "note", montant = "montant" }',
        'declencheur = { evenement = "note_debit", cle = "note" }'))
    assert "montant suivi" in error.fr and "tracked amount" in error.en


def test_check_refuses_an_unknown_rounding_rule(tmp_path: Path) -> None:
    error = _rejected(_variant(tmp_path, "evenements.toml", 'arrondi = "demi_superieur"',
                               'arrondi = "bancaire"'))
    assert error.where.key is not None and "arrondi" in error.where.key
    assert "demi_pair" in error.fr and "demi_pair" in error.en


def test_interest_travels_with_a_shipped_evaluation() -> None:
    from entente_regles.portfolio import shipping

    agreement = _agreement()
    evaluation = agreement.evaluate(sorted(LOG, key=lambda e: e.date))
    again, replayed = shipping.unpack(shipping.pack(agreement, evaluation.replayed), BOOK)
    on = date(2026, 7, 20)
    assert again.resume(replayed).at(on).to_dict() == evaluation.at(on).to_dict()
    assert str(again.resume(replayed).at(on).find("paiement-facture", "F-1").interest) == "4.58"


def test_an_annex_rate_must_stay_a_decimal(tmp_path: Path) -> None:
    from entente_regles import InputError

    book = RuleBook.from_directory(_variant(tmp_path, "01-argent.toml", 'valeur = "5"\n',
                                            'valeur = "5"\nannexe_peut_preciser = true\n'))
    with pytest.raises(InputError) as caught:
        Agreement(client="X", in_force_from=START, rules=book,
                  annex={"taux_interet": "cinq"}).evaluate([])
    assert "annexe.taux_interet" in str(caught.value.where.key)
    assert "nombre décimal" in caught.value.fr and "decimal number" in caught.value.en
    fine = Agreement(client="X", in_force_from=START, rules=book, annex={"taux_interet": "7.5"})
    events = [Event("facture_emise", date(2026, 5, 1), "mcn",
                    data={"facture": "F-1", "montant": Decimal("1000.00")})]
    # 2–11 June at 7.5 %: 1 000 × 7.5 % × 10 / 365 = 2.054… → 2.05
    assert str(fine.evaluate(events).at(date(2026, 6, 11)).find(
        "paiement-facture", "F-1").interest) == "2.05"


def test_frames_type_interest_as_an_exact_decimal() -> None:
    pytest.importorskip("pandas")
    snap = _agreement().evaluate(sorted(LOG, key=lambda e: e.date)).at(date(2026, 6, 20))
    column = snap.to_frame()["interet"]
    assert "decimal" in str(column.dtype) or column.dtype == object
    assert Decimal("2.11") in {Decimal(str(v)) for v in column.dropna()}


def test_check_says_interest_from_the_default_never_runs_without_a_demand_rule(
        tmp_path: Path) -> None:
    from entente_regles.check import check_directory

    text = (BOOK_DIR / "01-argent.toml").read_text(encoding="utf-8")
    start = text.index("[[demeure]]")
    end = text.index("[[obligation]]", start)
    target = tmp_path / "regles"
    shutil.copytree(BOOK_DIR, target)
    (target / "01-argent.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    found = [f for f in check_directory(target) if f.code == "declencheur_impossible"]
    assert [f.key for f in found] == ["obligation[1].interet.depuis"]
    assert "[[demeure]]" in found[0].message_fr and "paiement-note" in found[0].message_fr
    assert "never run" in found[0].message_en
    assert check_directory(BOOK_DIR) == []
