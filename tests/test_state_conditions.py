"""Conditions on state, triggers on another norm's state or at the end, durations (issue 19,
decisions 60–62), on the test rule book ``tests/regles_etat`` and small variants:

- its worked examples (on time, late, a condition lapsing when the invoice is paid, a power
  exercised without its ground, working-day durations, norms arising at the end) pass on
  every engine, and ``check`` finds nothing in it;
- explanations name the trigger (another instance's state, the agreement's end) and the
  condition, in French and English;
- a norm arises when another's instance is discharged or breached (``quand``);
- a condition's holder check comes first (a power not held is not « without ground »);
- bad rule files are refused with the file, the key and what was expected.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import DURABLE_MISSING
from rulebooks import block, obligation, variant

from entente_regles import Agreement, RuleBook
from entente_regles.agreement import Engine
from entente_regles.check import check_directory
from entente_regles.check.examples import run_example
from entente_regles.core.errors import ErrorLocation, RuleFileError
from entente_regles.events.log import event_from_mapping
from entente_regles.query.evaluation import Evaluation
from entente_regles.rules.metadata import Example

ROOT = Path(__file__).resolve().parent / "regles_etat"
BOOK = RuleBook.from_directory(ROOT)
ENGINES: tuple[Engine, ...] = ("python", "durable", "reference")


def _examples() -> list[Example]:
    return [e for e in BOOK.examples if e.file.endswith("20-etat.toml")]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", _examples(), ids=lambda e: e.name[:40])
def test_worked_example(example: Example, engine: Engine) -> None:
    if engine == "durable" and DURABLE_MISSING is not None:
        pytest.skip(DURABLE_MISSING)
    failures = run_example(BOOK, example, engine)
    assert not failures, "\n".join(failures)


def test_check_finds_nothing() -> None:
    assert [f.describe("en") for f in check_directory(ROOT)] == []


def evaluate(*raw: dict[str, object], book: RuleBook = BOOK) -> Evaluation:
    events = [event_from_mapping(r, book.vocabulary, ErrorLocation("test", i + 1))
              for i, r in enumerate(raw)]
    return Agreement(client="X", in_force_from=date(2026, 4, 1), rules=book).evaluate(events)


INVOICE = {"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-1",
           "montant": "100.00"}
PAID_LATE = {"type": "paiement", "date": "2026-06-20", "par": "client", "facture": "F-1",
             "montant": "100.00"}


def test_explanations_name_the_trigger_and_the_condition() -> None:
    end = {"type": "resiliation", "date": "2026-07-03", "par": "client",
           "date_effet": "2026-07-04"}
    unpaid = {"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-2",
              "montant": "100.00"}
    ev = evaluate(INVOICE, PAID_LATE, unpaid, end)
    receipt = ev.explain("envoyer-recu", "F-1", date(2026, 6, 21), "en")
    assert "'Pay the invoice' (F-1, art. 9.3) became satisfied on 2026-06-20" in receipt
    assert "« Payer la facture » (F-1, art. 9.3) devenue satisfaite le 2026-06-20" in ev.explain(
        "envoyer-recu", "F-1", date(2026, 6, 21), "fr")
    returned = ev.explain("rendre-information", "mcn", date(2026, 7, 4), "en")
    assert "end of the agreement on 2026-07-04" in returned
    assert "fin de l'entente, le 2026-07-04" in ev.explain(
        "rendre-information", "mcn", date(2026, 7, 4), "fr")
    # the right to suspend for F-1 closed when F-1 was paid: its reason is the condition
    closed = ev.explain("suspendre-service", "F-1", date(2026, 6, 20), "en")
    assert "Available only while: 'Pay the invoice' late (same key) for more than 10 days" \
        in closed
    assert "condition no longer holds" in closed
    assert "condition plus remplie" in ev.explain("suspendre-service", "F-1",
                                                  date(2026, 6, 20), "fr")
    # the agreement ended after F-2 was late for 32 days: the termination had its ground
    assert not ev.at(date(2026, 7, 4)).agreement_in_force
    assert not [d for d in ev.diagnostics if d.code == "condition_non_remplie"]


def test_a_power_not_held_is_reported_as_such_not_as_without_ground() -> None:
    # 20.5 is the client's: mcn's notice is not « without ground » but not mcn's to give
    # (mcn's own 20.4 power, whose force majeure ground does not hold, is reported)
    ev = evaluate(INVOICE, {"type": "resiliation", "date": "2026-06-10", "par": "mcn",
                            "date_effet": "2026-06-10"})
    codes = [(d.code, d.rule) for d in ev.diagnostics if d.on == date(2026, 6, 10)]
    assert ("condition_non_remplie", "resilier-force-majeure") in codes
    assert ("condition_non_remplie", "resilier-retard") not in codes


MORE_EVENTS = '''
[evenement.annulation]
libelle = { fr = "Facture annulée", en = "Invoice cancelled" }
par = ["mcn"]
champs = { facture = "texte" }
articles = ["9.3"]

[evenement.refus]
libelle = { fr = "Refus de payer", en = "Refusal to pay" }
par = ["client"]
champs = { facture = "texte" }
articles = ["9.3"]

[evenement.avis_credit]
libelle = { fr = "Avis de crédit", en = "Credit note" }
par = ["mcn"]
champs = { facture = "texte" }
articles = ["9.3"]

[evenement.mise_en_recouvrement]
libelle = { fr = "Mise en recouvrement", en = "Sent to collection" }
par = ["mcn"]
champs = { facture = "texte" }
articles = ["9.3"]
'''


def _variant(tmp_path: Path, extra_rules: str) -> RuleBook:
    acts = ('execution = [{ evenement = "paiement", cle = "facture", montant = "montant" }]',
            'execution = [{ evenement = "paiement", cle = "facture", montant = "montant" }]\n'
            'extinction = [{ evenement = "annulation", cle = "facture", par = "parties", '
            'motif = { fr = '
            '"annulée", en = "cancelled" } }]\nviolation = [{ evenement = "refus", cle = '
            '"facture" }]')
    directory = variant(tmp_path, rules={acts[0]: acts[1]}, more_events=MORE_EVENTS)
    with (directory / "09-3-paiement.toml").open("a", encoding="utf-8") as handle:
        handle.write(extra_rules)
    return RuleBook.from_directory(directory)


def test_norms_arise_when_another_is_discharged_or_breached(tmp_path: Path) -> None:
    book = _variant(tmp_path, obligation(
        "credit", ("Émettre un avis de crédit", "Issue a credit note"),
        declencheur='{ consequence_de = "paiement-facture", quand = "eteinte" }',
        execution='[{ evenement = "avis_credit", cle = "facture" }]',
        delai="{ jours = 10 }") + obligation(
        "recouvrement", ("Mettre en recouvrement", "Send to collection"),
        declencheur='{ consequence_de = "paiement-facture", quand = "violee" }',
        execution='[{ evenement = "mise_en_recouvrement", cle = "facture" }]',
        delai="{ jours = 5 }"))
    second = dict(INVOICE, facture="F-2")
    ev = evaluate(INVOICE, second,
                  {"type": "annulation", "date": "2026-05-10", "par": "mcn", "facture": "F-1"},
                  {"type": "refus", "date": "2026-05-12", "par": "client", "facture": "F-2"},
                  book=book)
    snap = ev.at(date(2026, 5, 12))
    credit, collect = snap.find("credit", "F-1"), snap.find("recouvrement", "F-2")
    assert credit is not None and credit.debtor == "mcn"
    assert credit.triggered_on == date(2026, 5, 10)
    assert collect is not None and collect.triggered_on == date(2026, 5, 12)
    assert snap.find("credit", "F-2") is None and snap.find("recouvrement", "F-1") is None
    assert ev.at(date(2026, 5, 9)).find("credit", "F-1") is None


@pytest.mark.parametrize(("rules", "key", "expected"), [
    (block("faculte", id='"f"', libelle='{ fr = "F", en = "F" }', titulaire='"mcn"',
           declencheur='{ evenement = "facture_emise", cle = "facture" }',
           disponible_si='{ norme = "inconnue", etat = "en_retard" }'),
     "faculte[0].disponible_si", "unknown norm 'inconnue'"),
    (obligation("o", ("O", "O"), declencheur='{ consequence_de = "paiement-facture", '
                'quand = "payee" }', delai="{ jours = 5 }"),
     "obligation[1].declencheur.quand", "expected one of echeance, en_retard"),
    (obligation("o", ("O", "O"), declencheur="{ fin_entente = false }", delai="{ jours = 5 }"),
     "obligation[1].declencheur.fin_entente", "expected true"),
    (block("faculte", id='"f"', libelle='{ fr = "F", en = "F" }', titulaire='"mcn"',
           declencheur='{ evenement = "facture_emise", cle = "facture" }',
           disponible_si='{ tous = [{ entente = "en_vigueur" }], un_des = [] }'),
     "faculte[0].disponible_si", "'tous' or 'un_des', not both"),
    (block("faculte", id='"f"', libelle='{ fr = "F", en = "F" }', titulaire='"mcn"',
           declencheur='{ evenement = "facture_emise", cle = "facture" }',
           disponible_si='{ norme = "paiement-facture", etat = "en_retard", jours = '
           '"ouvrables" }'),
     "faculte[0].disponible_si.jours", "'jours' goes with au_moins_jours or plus_de_jours"),
    (block("pouvoir", id='"p"', libelle='{ fr = "P", en = "P" }', titulaire='"mcn"',
           acte='{ evenement = "facture_emise" }', effet='{ action = "fin_entente" }',
           disponible_si='{ norme = "paiement-facture", etat = "en_retard", '
           'meme_cle = true }'),
     "pouvoir[0].disponible_si.cle", "'meme_cle' needs, for a power"),
])
def test_bad_conditions_and_triggers_are_refused(tmp_path: Path, rules: str, key: str,
                                                 expected: str) -> None:
    directory = variant(tmp_path, extra={"20-x.toml": 'article = "9.3"\ntitre = "X"\n'
                                         "texte = '''\n9.3 X\n'''\n"})
    text = (directory / "09-3-paiement.toml").read_text(encoding="utf-8")
    (directory / "09-3-paiement.toml").write_text(text + rules, encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        RuleBook.from_directory(directory)
    said = str(raised.value)
    assert key in said and expected in said and "09-3-paiement.toml" in said, said


def test_check_reports_a_state_the_norm_can_never_reach(tmp_path: Path) -> None:
    # paiement-facture has no violation: a condition waiting for it to be breached never holds
    directory = variant(tmp_path)
    text = (directory / "09-3-paiement.toml").read_text(encoding="utf-8")
    (directory / "09-3-paiement.toml").write_text(text + block(
        "faculte", id='"f"', libelle='{ fr = "F", en = "F" }', titulaire='"mcn"',
        declencheur='{ evenement = "facture_emise", cle = "facture" }',
        exercice='[{ evenement = "facture_emise", cle = "facture" }]',
        disponible_si='{ norme = "paiement-facture", etat = "violee", meme_cle = true }'),
        encoding="utf-8")
    found = [f for f in check_directory(directory) if f.code == "declencheur_impossible"]
    assert [f.key for f in found] == ["faculte[0].disponible_si"], found
    assert "'paiement-facture' to be violee, which it can never be" in found[0].message_en
