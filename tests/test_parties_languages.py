"""Parties and languages declared by the rule book: any number of parties (two or more) with
their names, short labels and roles; « chaque_partie » (one instance per party, for an event, a
period or the entry into force) on every engine; « autre » only between two parties; every
text of a rule book written in its declared languages, and only in them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest

from entente_regles.agreement import Agreement, Engine
from entente_regles.check import check_directory
from entente_regles.check.examples import run_example
from entente_regles.core.errors import ErrorLocation, RuleFileError
from entente_regles.engine.durable.backend import durable_available
from entente_regles.events.log import event_from_mapping
from entente_regles.rules.rulebook import RuleBook, load_directory, load_each

ENGINES: tuple[Engine, ...] = ("python", "durable", "reference")
DURABLE_MISSING = durable_available()

# Three parties, English only. Every deadline lands on a weekday that no calendar the engine
# knows makes a holiday, so the answers do not depend on the calendar.
VOCABULARY = '''
[entente]
langues = ["en"]

[parties.alpha]
nom = { en = "Alpha Holdings plc" }
abrege = { en = "Alpha" }
role = { en = "supplies the service" }

[parties.beta]
nom = { en = "Beta Ltd" }

[parties.gamma]
nom = { en = "Gamma LLP" }
abrege = { en = "Gamma" }

[normes_vagues.promptly]
libelle = { en = "promptly" }

[exercice_financier]
premier_jour = "01-01"

[evenement.meeting_called]
libelle = { en = "Meeting called" }
champs = { meeting = "texte" }

[evenement.minutes_signed]
libelle = { en = "Minutes signed" }
champs = { meeting = "texte" }

[evenement.adjournment_requested]
libelle = { en = "Adjournment requested" }
champs = { meeting = "texte" }

[evenement.report_filed]
libelle = { en = "Monthly report filed" }
champs = { month = "periode" }

[evenement.breach_recorded]
libelle = { en = "Breach recorded" }
description = { en = "A party records its own breach of a continuing duty." }
champs = { norme = "texte" }

[evenement.exit_notice]
libelle = { en = "Exit notice" }
par = ["alpha", "beta", "gamma"]
champs = { effective = "date" }
'''

RULES = '''
article = "1"
titre = "Duties of each party"
texte = """
1. Each party shall sign the minutes within 10 days after a meeting is called, and may ask
for an adjournment within 3 days. Each party shall file a monthly report within 10 days
after the end of each month. Each party shall keep the information of the others
confidential. Any party may end the agreement by notice.
"""

[[obligation]]
id = "sign-minutes"
libelle = { en = "Sign the minutes" }
debiteur = "chaque_partie"
creancier = "parties"
declencheur = { evenement = "meeting_called", cle = "meeting" }
execution = [{ evenement = "minutes_signed", cle = "meeting" }]
delai = { jours = 10 }

[[obligation]]
id = "monthly-report"
libelle = { en = "File the monthly report" }
debiteur = "chaque_partie"
creancier = "parties"
declencheur = { periode = { mois = 1 }, naissance = "lendemain_fin" }
execution = [{ evenement = "report_filed", cle = "month" }]
delai = { jours = 10 }

[[obligation_continue]]
id = "confidentiality"
libelle = { en = "Keep the others' information confidential" }
debiteur = "chaque_partie"
creancier = "parties"
declencheur = { entree_en_vigueur = true }
violation = [{ evenement = "breach_recorded", si = { norme = "confidentiality" } }]

[[faculte]]
id = "adjournment"
libelle = { en = "Ask for an adjournment" }
titulaire = "chaque_partie"
declencheur = { evenement = "meeting_called", cle = "meeting" }
exercice = [{ evenement = "adjournment_requested", cle = "meeting" }]
fenetre = { jours = 3 }

[[pouvoir]]
id = "exit"
libelle = { en = "End the agreement" }
titulaire = "chaque_partie"
acte = { evenement = "exit_notice" }
effet = { action = "fin_entente", date = "effective" }

[[exemple]]
nom = "each party's confidentiality: a breach by beta breaches beta's duty only"
evenements = [
  { type = "breach_recorded", date = 2026-05-06, par = "beta", norme = "confidentiality" },
]
attendu = [
  { au = 2026-05-05, obligation = "confidentiality", cle = "alpha", statut = "en_vigueur", debiteur = "alpha" },
  { au = 2026-05-06, obligation = "confidentiality", cle = "beta", statut = "violee", debiteur = "beta" },
  { au = 2026-05-06, obligation = "confidentiality", cle = "gamma", statut = "en_vigueur", debiteur = "gamma" },
]

[[exemple]]
nom = "each party signs its own minutes: its instance, under the meeting's key"
evenements = [
  { type = "meeting_called", date = 2026-05-04, par = "gamma", meeting = "M-1" },
  { type = "minutes_signed", date = 2026-05-06, par = "alpha", meeting = "M-1" },
]
attendu = [
  { au = 2026-05-06, obligation = "sign-minutes", cle = "M-1", statut = "satisfaite", debiteur = "alpha" },
  { au = 2026-05-15, obligation = "sign-minutes", cle = "M-1", statut = "en_retard", debiteur = "beta" },
  { au = 2026-05-15, obligation = "sign-minutes", cle = "M-1", statut = "en_retard", debiteur = "gamma" },
  { au = 2026-05-05, obligation = "adjournment", cle = "M-1", statut = "ouverte", debiteur = "beta" },
]
'''  # noqa: E501

EVENTS = [
    {"type": "meeting_called", "date": "2026-05-04", "par": "gamma", "meeting": "M-1"},
    {"type": "minutes_signed", "date": "2026-05-06", "par": "alpha", "meeting": "M-1"},
    {"type": "adjournment_requested", "date": "2026-05-07", "par": "beta", "meeting": "M-1"},
    {"type": "minutes_signed", "date": "2026-05-20", "par": "beta", "meeting": "M-1"},
    {"type": "report_filed", "date": "2026-05-05", "par": "gamma", "month": "2026-04"},
    {"type": "breach_recorded", "date": "2026-05-06", "par": "beta",
     "norme": "confidentiality"},
]


def write_book(tmp_path: Path, vocabulary: str = VOCABULARY, rules: str = RULES) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "evenements.toml").write_text(vocabulary, encoding="utf-8")
    (folder / "01-duties.toml").write_text(rules, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> RuleBook:
    return load_directory(write_book(tmp_path_factory.mktemp("three")))


def first_error(folder: Path) -> RuleFileError:
    report = load_each(folder)
    assert report.errors, "the rule book should be refused"
    return report.errors[0]


def assert_error(error: RuleFileError, file: str, key: str, *words: str) -> None:
    assert error.where.file.endswith(file)
    assert error.where.key == key
    assert error.where.line is not None
    for word in words:
        assert word in error.fr + error.en, (word, error.fr, error.en)


def evaluate(book: RuleBook, engine: Engine, tmp_path: Path) -> dict[str, object]:
    """Every instance on a few dates, as plain values (to compare engines)."""
    if engine == "durable" and DURABLE_MISSING is not None:
        pytest.skip(DURABLE_MISSING)
    log = tmp_path / f"log-{engine}.jsonl"
    log.write_text("".join(json.dumps(e) + "\n" for e in EVENTS), encoding="utf-8")
    agreement = Agreement(client="Example", in_force_from=date(2026, 4, 1), rules=book,
                          engine=engine)
    evaluation = agreement.evaluate(log)
    seen: dict[str, object] = {}
    for on in (date(2026, 5, 4), date(2026, 5, 8), date(2026, 5, 12), date(2026, 5, 20)):
        snap = evaluation.at(on, "en")
        seen[f"{on} obligations"] = sorted(
            (o.rule, o.key, o.debtor, o.creditor, o.status.value, o.deadline)
            for o in snap.obligations)
        seen[f"{on} options"] = sorted(
            (o.rule, o.key, o.holder, o.status.value, o.closes_on) for o in snap.options)
    seen["diagnostics"] = sorted((d.code, d.on) for d in evaluation.diagnostics)
    return seen


# --------------------------------------------------------------------------- parties


def test_parties_are_declared_with_names_short_labels_and_roles(book: RuleBook) -> None:
    assert book.parties == ("alpha", "beta", "gamma")
    assert book.party_label("alpha", "en") == "Alpha"
    assert book.party_label("beta", "en") == "beta"  # no abrege: its id
    assert book.party_name("beta", "en") == "Beta Ltd"
    assert book.party_name("gamma", "fr") == "Gamma LLP"  # the undeclared slot: English
    assert book.party_label("parties", "en") == "parties"  # not a party: unchanged
    assert book.vocabulary.party("alpha").role("en") == "supplies the service"  # type: ignore[union-attr]
    compiled = Agreement(client="x", in_force_from=date(2026, 4, 1), rules=book).compiled()
    assert compiled.party_label("gamma", "en") == "Gamma"
    assert compiled.party_name("alpha", "en") == "Alpha Holdings plc"
    assert compiled.other_party == {}


def test_the_other_party_exists_only_between_two(book: RuleBook) -> None:
    with pytest.raises(ValueError, match="two parties"):
        book.other_party("alpha")
    bundled = RuleBook.bundled()
    first, second = bundled.parties
    assert bundled.other_party(first) == second and bundled.other_party(second) == first
    assert bundled.party_label(first) == first  # the MCN rule book declares no abrege


def test_an_event_type_may_be_done_by_any_of_the_parties(book: RuleBook) -> None:
    assert book.vocabulary.types["meeting_called"].parties == ("alpha", "beta", "gamma")
    assert book.vocabulary.kind_help("parties")[1].endswith("among alpha, beta and gamma")


def test_a_power_of_each_party_is_held_by_any_of_them(book: RuleBook) -> None:
    assert book.powers[0].holder == "parties"


def test_fewer_than_two_parties_is_refused(tmp_path: Path) -> None:
    one = VOCABULARY.split("[parties.beta]")[0] + "[normes_vagues" + \
        VOCABULARY.split("[normes_vagues", 1)[1]
    one = one.replace('par = ["alpha", "beta", "gamma"]', 'par = ["alpha"]')
    error = first_error(write_book(tmp_path, one, RULES.split("[[pouvoir]]")[0]))
    assert_error(error, "evenements.toml", "parties", "au moins deux parties",
                 "at least two parties")


def test_autre_is_refused_beyond_two_parties(tmp_path: Path) -> None:
    rules = RULES.replace('debiteur = "chaque_partie"\ncreancier = "parties"\n'
                          'declencheur = { evenement = "meeting_called"',
                          'debiteur = "chaque_partie"\ncreancier = "autre"\n'
                          'declencheur = { evenement = "meeting_called"')
    error = first_error(write_book(tmp_path, rules=rules))
    assert_error(error, "01-duties.toml", "obligation[0].creancier", "deux parties",
                 "two parties", "alpha, beta, gamma")
    assert error.where.line == RULES.split("\n").index('creancier = "parties"') + 1


def test_autre_as_holder_or_debtor_is_refused_beyond_two_parties(tmp_path: Path) -> None:
    rules = RULES.replace('titulaire = "chaque_partie"\ndeclencheur', 'titulaire = "autre"\n'
                          'declencheur')
    error = first_error(write_book(tmp_path, rules=rules))
    assert_error(error, "01-duties.toml", "faculte[0].titulaire", "« autre »", "'autre'")


def test_each_party_needs_a_trigger_of_its_own(tmp_path: Path) -> None:
    rules = RULES + '''
[[obligation]]
id = "follow-up"
libelle = { en = "Follow up" }
debiteur = "chaque_partie"
creancier = "parties"
declencheur = { consequence_de = "sign-minutes", quand = "echeance" }
execution = [{ evenement = "minutes_signed", cle = "meeting" }]
delai = { jours = 5 }
'''
    error = first_error(write_book(tmp_path, rules=rules))
    assert_error(error, "01-duties.toml", "obligation[2].debiteur", "chaque_partie",
                 "consequence")


def test_two_parties_with_chaque_partie_owe_each_other(tmp_path: Path) -> None:
    two = VOCABULARY.replace('[parties.gamma]\nnom = { en = "Gamma LLP" }\n'
                             'abrege = { en = "Gamma" }\n', '').replace(
                                 'par = ["alpha", "beta", "gamma"]', 'par = ["alpha", "beta"]')
    rules = RULES.split("[[exemple]]")[0].replace('creancier = "parties"', 'creancier = "autre"')
    book = load_directory(write_book(tmp_path, two, rules))
    agreement = Agreement(client="x", in_force_from=date(2026, 4, 1), rules=book)
    snap = agreement.evaluate([]).at(date(2026, 4, 2))
    assert sorted((o.key, o.debtor, o.creditor) for o in snap.obligations) == [
        ("alpha", "alpha", "beta"), ("beta", "beta", "alpha")]


# --------------------------------------------------------------------------- each party


@pytest.mark.parametrize("engine", ENGINES)
def test_each_party_owes_its_own_instance_on_every_engine(
        book: RuleBook, engine: Engine, tmp_path: Path) -> None:
    seen = evaluate(book, engine, tmp_path)
    # an event: one instance per party, under the event's key, each performed by its debtor
    assert [o for o in seen["2026-05-12 obligations"]  # type: ignore[attr-defined]
            if o[0] == "sign-minutes"] == [
        ("sign-minutes", "M-1", "alpha", "parties", "satisfaite", date(2026, 5, 14)),
        ("sign-minutes", "M-1", "beta", "parties", "a_echoir", date(2026, 5, 14)),
        ("sign-minutes", "M-1", "gamma", "parties", "a_echoir", date(2026, 5, 14))]
    assert [o[4] for o in seen["2026-05-20 obligations"]  # type: ignore[attr-defined]
            if o[0] == "sign-minutes"] == ["satisfaite", "satisfaite_en_retard", "en_retard"]
    # a period: one instance per party for April, born on 1 May
    assert [o for o in seen["2026-05-12 obligations"]  # type: ignore[attr-defined]
            if o[0] == "monthly-report"] == [
        ("monthly-report", "2026-04", "alpha", "parties", "en_retard", date(2026, 5, 11)),
        ("monthly-report", "2026-04", "beta", "parties", "en_retard", date(2026, 5, 11)),
        ("monthly-report", "2026-04", "gamma", "parties", "satisfaite", date(2026, 5, 11))]
    # the entry into force: one continuing duty per party, keyed by it
    assert [o for o in seen["2026-05-08 obligations"]  # type: ignore[attr-defined]
            if o[0] == "confidentiality"] == [
        ("confidentiality", "alpha", "alpha", "parties", "en_vigueur", None),
        ("confidentiality", "beta", "beta", "parties", "violee", None),
        ("confidentiality", "gamma", "gamma", "parties", "en_vigueur", None)]
    # a faculty of each party: one window per party, exercised by its holder only
    assert seen["2026-05-08 options"] == [
        ("adjournment", "M-1", "alpha", "expiree", date(2026, 5, 7)),
        ("adjournment", "M-1", "beta", "exercee", date(2026, 5, 7)),
        ("adjournment", "M-1", "gamma", "expiree", date(2026, 5, 7))]
    assert seen["diagnostics"] == []


def test_the_engines_agree_on_each_party(book: RuleBook, tmp_path: Path) -> None:
    engines = [e for e in ENGINES if e != "durable" or DURABLE_MISSING is None]
    answers = [evaluate(book, engine, tmp_path) for engine in engines]
    assert all(answer == answers[0] for answer in answers[1:])


@pytest.mark.parametrize("engine", ENGINES)
def test_the_worked_example_of_each_party_runs_on_every_engine(
        book: RuleBook, engine: Engine) -> None:
    if engine == "durable" and DURABLE_MISSING is not None:
        pytest.skip(DURABLE_MISSING)
    for example in book.examples:
        assert run_example(book, example, engine) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_an_act_by_any_party_performs_every_party_s_instance(engine: Engine,
                                                             tmp_path: Path) -> None:
    if engine == "durable" and DURABLE_MISSING is not None:
        pytest.skip(DURABLE_MISSING)
    rules = RULES.replace('execution = [{ evenement = "minutes_signed", cle = "meeting" }]',
                          'execution = [{ evenement = "minutes_signed", cle = "meeting", '
                          'par = "parties" }]')
    book = load_directory(write_book(tmp_path, rules=rules))
    agreement = Agreement(client="x", in_force_from=date(2026, 4, 1), rules=book,
                          engine=engine)
    events = [event_from_mapping(raw, book.vocabulary, ErrorLocation("log"))
              for raw in EVENTS[:2]]
    snap = agreement.evaluate(events).at(date(2026, 5, 8))
    assert sorted((o.debtor, o.status.value) for o in snap.obligations
                  if o.rule == "sign-minutes") == [
        ("alpha", "satisfaite"), ("beta", "satisfaite"), ("gamma", "satisfaite")]


def test_the_checker_finds_every_party_s_duty_performable(tmp_path: Path) -> None:
    found = check_directory(write_book(tmp_path))
    assert not [f for f in found if f.code in ("execution_impossible",
                                                "declencheur_impossible", "chargement")]


def test_an_example_names_the_party_whose_instance_it_asserts(book: RuleBook) -> None:
    example = book.examples[1]
    wrong = attrs.evolve(example, expected=(attrs.evolve(
        example.expected[1], status="satisfaite"),))
    failures = run_example(book, wrong, "python")
    assert len(failures) == 1 and "en_retard" in failures[0]


def test_pour_chaque_partie_keeps_working() -> None:
    bundled = RuleBook.bundled()
    per_party = [n for n in bundled.norms if n.trigger.per_party]
    assert per_party and all(n.debtor == "parties" for n in per_party)


# --------------------------------------------------------------------------- languages


def test_an_english_rule_book_is_written_in_english_only(book: RuleBook) -> None:
    assert book.languages == ("en",)
    label = book.norm("sign-minutes").label
    assert label.en == "Sign the minutes" and label.fr == "Sign the minutes"
    assert book.vocabulary.types["breach_recorded"].description.fr.startswith("A party")  # type: ignore[union-attr]


def test_a_text_in_an_undeclared_language_is_refused(tmp_path: Path) -> None:
    rules = RULES.replace('libelle = { en = "Sign the minutes" }',
                          'libelle = { fr = "Signer le procès-verbal", en = "Sign the minutes" }')
    error = first_error(write_book(tmp_path, rules=rules))
    assert_error(error, "01-duties.toml", "obligation[0].libelle.fr",
                 "langue non déclarée dans [entente] langues", "language not declared")


def test_a_text_missing_a_declared_language_is_refused(tmp_path: Path) -> None:
    vocabulary = VOCABULARY.replace('langues = ["en"]', 'langues = ["fr", "en"]')
    error = first_error(write_book(tmp_path, vocabulary))
    assert_error(error, "evenements.toml", "parties.alpha.nom.fr", "texte manquant",
                 "missing text", "« fr »")


def test_the_vocabulary_file_is_in_the_declared_languages_too(tmp_path: Path) -> None:
    vocabulary = VOCABULARY.replace('libelle = { en = "Meeting called" }',
                                    'libelle = { en = "Meeting called", de = "Sitzung" }')
    error = first_error(write_book(tmp_path, vocabulary))
    assert_error(error, "evenements.toml", "evenement.meeting_called.libelle.de",
                 "langue non déclarée", "'de'")


def test_a_french_rule_book_fills_the_english_slot_with_french(tmp_path: Path) -> None:
    vocabulary = (VOCABULARY.replace('langues = ["en"]', 'langues = ["fr"]')
                  .replace("{ en = ", "{ fr = "))
    book = load_directory(write_book(tmp_path, vocabulary, RULES.replace("{ en = ", "{ fr = ")))
    assert book.languages == ("fr",)
    assert book.party_name("beta", "en") == "Beta Ltd"
    assert book.norm("monthly-report").label("en") == "File the monthly report"


def test_the_bundled_rule_book_speaks_french_and_english() -> None:
    bundled = RuleBook.bundled()
    assert bundled.languages == ("fr", "en")
    assert all(n.label.fr != n.label.en or n.label.fr for n in bundled.norms)
