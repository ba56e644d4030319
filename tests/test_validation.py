"""The one validation layer (``entente_regles.validation``) as the rule-file loader, the
checker and the agreement-file reader use it: every problem at once, each with its file, its
TOML key path (in the file's own keys) and its line; bounds on day and month counts; files
that are not UTF-8 or nest too deep refused with a located error, never an internal failure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rulebooks import obligation, variant
from test_rulebook_errors import RULES, edit, rejected, write

from entente_regles import Agreement, Policy, RuleFileError
from entente_regles.check import check_directory
from entente_regles.core.errors import ErrorLocation
from entente_regles.rules.norms import MAX_DAYS, MAX_MONTHS
from entente_regles.rules.toml_tables import MAX_DEPTH, RuleFileErrors, TomlSource, expected_fr

# --------------------------------------------------------------------------- rule files


def test_every_problem_of_a_file_is_reported_with_its_line(tmp_path: Path) -> None:
    rules = edit("survit_resiliation = true", "survit_resiliation = true\nsurvit = true")
    rules = edit('titre = "Modalités de paiement"', 'titre = "Modalités de paiement"\nx = 1',
                 rules)
    error = rejected(write(tmp_path, rules))
    assert isinstance(error, RuleFileErrors)
    found = [(e.where.key, e.where.line) for e in error.errors]
    assert found == [("obligation[0].survit", 15), ("x", 3)]
    text = error.describe("en")
    assert "09-3-paiement.toml:15 [obligation[0].survit]" in text
    assert "09-3-paiement.toml:3 [x]" in text and "(2 errors)" in text


def test_lines_inside_multi_line_arrays(tmp_path: Path) -> None:
    rules = edit('attendu = [{ au = 2026-05-01, obligation',
                 'attendu = [\n  { au = 2026-05-01 },\n  { au = 2026-05-02, obligation')
    error = rejected(write(tmp_path, edit('statut = "a_echoir" }]', 'statut = "x" }]', rules)))
    keys = {e.where.key: e.where.line for e in error.errors}  # type: ignore[attr-defined]
    assert keys["exemple[0].attendu[0].obligation"] == 21
    assert keys["exemple[0].attendu[1].statut"] == 22


@pytest.mark.parametrize(("old", "new", "key"), [
    ("delai = { jours = 30 }", "delai = { jours = 3000000 }", "obligation[0].delai.jours"),
    ("delai = { jours = 30 }", "delai = { jours = 1000000000 }", "obligation[0].delai.jours"),
    ("delai = { jours = 30 }", "delai = { jours = -1 }", "obligation[0].delai.jours"),
])
def test_day_counts_are_bounded(tmp_path: Path, old: str, new: str, key: str) -> None:
    error = rejected(write(tmp_path, edit(old, new)))
    assert error.where.key == key and error.where.line == 12
    assert f"[0, {MAX_DAYS}]" in error.fr and "bounds" in error.en


PERIODIC = obligation("releve", ("Relevé", "Statement"),
                      declencheur='{ periode = { mois = MOIS }, naissance = "debut" }',
                      execution='[{ evenement = "facture_emise", cle = "facture" }]',
                      survit_resiliation="true")


@pytest.mark.parametrize("months", ["1000000000", "0", '"douze"'])
def test_month_counts_are_bounded(tmp_path: Path, months: str) -> None:
    error = rejected(write(tmp_path, RULES + PERIODIC.replace("MOIS", months)))
    assert error.where.key == "obligation[1].declencheur.periode.mois"
    assert f"{MAX_MONTHS}" in error.fr or "paramètre" in error.fr


NOTICE_VOCABULARY = '''
[evenement.avis_resiliation]
libelle = { fr = "Avis de résiliation", en = "Termination notice" }
articles = ["14.2"]
'''
POWER = '''
[[parametre]]
nom = "preavis_resiliation"
valeur = VALEUR
annexe_peut_preciser = true
source = "« au moins 90 jours »"

[[pouvoir]]
id = "resiliation"
libelle = { fr = "Résilier", en = "Terminate" }
titulaire = "parties"
acte = { evenement = "avis_resiliation" }
preavis = { jours = JOURS }
effet = { action = "fin_entente" }
'''


@pytest.mark.parametrize(("value", "days", "words"), [
    ("90", '"quatre-vingt-dix"', ("texte", "text")),      # a notice given as text
    ("-90", '"@preavis_resiliation"', ("-90", "-90")),     # a negative notice, via a parameter
    ('"quatre-vingt-dix"', '"@preavis_resiliation"', ("quatre-vingt-dix", "integer")),
    ("90", "-90", ("bornes", "bounds")),                   # a negative notice, written as is
])
def test_a_notice_must_be_a_count_of_days(tmp_path: Path, value: str, days: str,
                                          words: tuple[str, str]) -> None:
    from test_rulebook_errors import VOCABULARY

    rules = RULES + POWER.replace("VALEUR", value).replace("JOURS", days)
    error = rejected(write(tmp_path, rules, VOCABULARY + NOTICE_VOCABULARY))
    assert error.where.key == "pouvoir[0].preavis.jours"
    assert words[0] in error.fr and words[1] in error.en


def test_the_bundled_notices_load() -> None:
    from entente_regles import RuleBook

    powers = [p for p in RuleBook.bundled().powers if p.notice is not None]
    assert powers and all(isinstance(p.notice.days, (int, str)) for p in powers if p.notice)


def test_deep_nesting_is_refused_by_the_loader_and_the_checker(tmp_path: Path) -> None:
    deep = RULES + "\nx = " + "[" * 5000 + "]" * 5000 + "\n"
    error = rejected(write(tmp_path, deep))
    assert "imbrication" in error.fr and str(MAX_DEPTH) in error.en
    found = check_directory(variant(tmp_path / "check", extra={"10-profond.toml": deep}))
    assert [(f.file, f.code) for f in found] == [("10-profond.toml", "chargement")]
    parsed_but_too_deep = RULES + "\nx = " + "[" * 40 + "]" * 40 + "\n"
    (tmp_path / "b").mkdir()
    error = rejected(write(tmp_path / "b", parsed_but_too_deep))
    assert error.where.key is not None and error.where.key.startswith("exemple[0].x[0]")


def test_a_file_that_is_not_utf8_is_a_finding_not_an_exception(tmp_path: Path) -> None:
    directory = variant(tmp_path)
    path = directory / "09-3-paiement.toml"
    path.write_bytes(path.read_bytes().replace("Modalités".encode(), b"Modalit\xe9s"))
    found = check_directory(directory)
    assert [(f.file, f.code, f.line) for f in found] == [
        ("09-3-paiement.toml", "chargement", 3)]
    assert "UTF-8" in found[0].message_fr and "0xe9" in found[0].message_en
    (tmp_path / "b").mkdir()
    write(tmp_path / "b")
    (tmp_path / "b" / "09-3-paiement.toml").write_bytes(b"article = '\xff'\n")
    error = rejected(tmp_path / "b")  # the strict loader: the same, raised
    assert "UTF-8" in error.fr and error.where.line == 1


def test_a_label_of_100000_digits_is_checked(tmp_path: Path) -> None:
    label = 'libelle = { fr = "Payer la facture", en = "Pay the invoice" }'
    found = check_directory(variant(tmp_path, {label: label.replace(
        "Payer la facture", "Payer la facture " + "1" * 100_000)}))
    assert found == []  # 100,000 digits are no delay in days; read once, not from each digit


# --------------------------------------------------------------------------- agreement files

AGREEMENT = 'client = "MSSS"\nen_vigueur_le = 2026-04-01\n'


def agreement_error(tmp_path: Path, text: str) -> RuleFileError:
    path = tmp_path / "entente.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        Agreement.from_toml(path, engine="python")
    return caught.value


@pytest.mark.parametrize(("text", "key", "line", "fr", "en"), [
    ('client = "MSSS"\nen_vigueur_le = 2026-04-01T00:00:00\n', "en_vigueur_le", 2,
     "sans heure", "without a time of day"),
    ('client = "MSSS"\nen_vigueur_le = "2026-04-01"\n', "en_vigueur_le", 2,
     "retirer les guillemets", "remove the quotes"),
    (AGREEMENT + 'services = [1, "a"]\n', "services[0]", 3, "nom de service", "service name"),
    ('client = ["X"]\nen_vigueur_le = 2026-04-01\n', "client", 1, "un texte", "a string"),
    (AGREEMENT + "[politique]\nnom = 'x'\n", "politique.nom", 4, "vague_deadlines",
     "allowed keys: before_mode"),
    (AGREEMENT + "[services]\ncourriel = 2026-04-01T08:00:00\n", "services.courriel", 4,
     "sans heure", "a plain date"),
    (AGREEMENT + "[politique]\nroll_forward = 'oui'\n", "politique.roll_forward", 4,
     "true ou false attendu, reçu 'oui'", "expected true or false, got 'oui'"),
    (AGREEMENT + "duree = 3\n", "duree", 3, "en_vigueur_le", "politique"),
    # Values the reader's types accept but the Agreement constructor would refuse: each is
    # refused by the reader itself, in the file's key, with its line.
    ('client = "MSSS"\nen_vigueur_le = 9999-06-01\n', "en_vigueur_le", 2,
     "hors de la plage acceptée (1900-01-01 au 2199-12-31", "outside the accepted range"),
    ('client = "MSSS"\nen_vigueur_le = 0001-01-01\n', "en_vigueur_le", 2,
     "date 0001-01-01 hors de la plage", "date 0001-01-01 outside"),
    (AGREEMENT + "[services]\ncourriel = 2026-04-01\nweb = 2300-01-01\n", "services.web", 5,
     "hors de la plage acceptée", "outside the accepted range"),
    (AGREEMENT + '[services]\n"" = 2026-04-01\n', "services", 3, "nom de service vide",
     "empty service name"),
    (AGREEMENT + 'services = ["web", "web"]\n', "services[1]", 3, "nommé deux fois",
     "named twice"),
    (AGREEMENT + '[annexe]\n" " = 1\n', "annexe. ", 3, "nom de paramètre vide",
     "empty parameter name"),
])
def test_agreement_file_errors_use_the_file_keys(tmp_path: Path, text: str, key: str,
                                                 line: int, fr: str, en: str) -> None:
    error = agreement_error(tmp_path, text)
    assert error.where.key == key and error.where.line == line, error
    assert fr in error.fr and en in error.en
    assert "in_force_from" not in error.describe("fr") + error.describe("en")


@pytest.mark.parametrize(("value", "fr", "en"), [
    ('"3"', "un entier attendu, reçu '3'", "expected an integer, got '3'"),
    ("true", "un entier attendu, reçu true", "expected an integer, got true"),
    ("0", "entier de 1 à 3660 attendu, reçu 0", "expected an integer from 1 to 3660, got 0"),
])
def test_an_annex_value_is_refused_at_its_line(tmp_path: Path, value: str, fr: str,
                                               en: str) -> None:
    error = agreement_error(tmp_path, AGREEMENT + f"[annexe]\nfrequence_facturation_mois = "
                            f"{value}\n")
    assert error.where == ErrorLocation(str(tmp_path / "entente.toml"), 4,
                                        "annexe.frequence_facturation_mois")
    assert error.fr == fr and error.en == en


def test_an_unknown_annex_parameter_is_refused_at_its_line(tmp_path: Path) -> None:
    error = agreement_error(tmp_path, AGREEMENT + "[annexe]\n\ndelai_paiment = 45\n")
    assert (error.where.line, error.where.key) == (5, "annexe.delai_paiment")
    assert "paramètre d'annexe inconnu" in error.fr and "delai_paiement_jours" in error.en


def test_an_example_annex_names_the_example_table() -> None:
    with pytest.raises(RuleFileError) as caught:
        Agreement.from_mapping({"client": "X", "en_vigueur_le": date(2026, 4, 1),
                                "annexe": {"delai_paiment": 45}},
                               ErrorLocation("09-3.toml", 40, "exemple[2].entente"))
    assert caught.value.where == ErrorLocation("09-3.toml", 40,
                                               "exemple[2].entente.annexe.delai_paiment")


POLICY = AGREEMENT + "[politique]\n"


@pytest.mark.parametrize(("text", "key", "fr", "en"), [
    ("extra_closure_days = 3", "politique.extra_closure_days",
     "une liste de dates [AAAA-MM-JJ, …] attendue, reçu 3",
     "expected a list of dates [YYYY-MM-DD, …], got 3"),
    ("extra_closure_days = [2026-12-24, 2300-01-01]", "politique.extra_closure_days[1]",
     "date 2300-01-01 hors de la plage acceptée", "date 2300-01-01 outside the accepted range"),
    ("extra_closure_days = [2026-12-24T00:00:00]", "politique.extra_closure_days[0]",
     "reçu 2026-12-24T00:00:00 ; une date seule", "got 2026-12-24T00:00:00; a plain date"),
    ("proclaimed_holidays = [1]", "politique.proclaimed_holidays",
     "une table { ... } attendue, reçu [1]", "expected a table { ... }, got [1]"),
    ('proclaimed_holidays = { "2026-13-01" = "x" }', "politique.proclaimed_holidays.2026-13-01",
     "une date AAAA-MM-JJ entre guillemets attendue", "a date YYYY-MM-DD in quotes"),
    ('proclaimed_holidays = { "2026-07-13" = " " }', "politique.proclaimed_holidays.2026-07-13",
     "texte vide", "empty string"),
    ("vague_deadlines = { vite = 1 }", "politique.vague_deadlines.vite",
     "norme vague inconnue (connues : immediatement", "unknown vague standard (known: "),
    ('vague_deadlines = { sans_delai = 1, "sans délai" = 2 }',
     'politique.vague_deadlines.sans délai', "la norme sans_delai est déjà nommée",
     "the standard sans_delai is already named"),
    ("vague_deadlines = { sans_delai = 366 }", "politique.vague_deadlines.sans_delai",
     "366 jours ouvrables : hors des bornes [0, 365]",
     "366 working days: outside the bounds [0, 365]"),
    ("vague_deadlines = { sans_delai = true }", "politique.vague_deadlines.sans_delai",
     "un nombre de jours ouvrables attendu, reçu true",
     "expected a number of working days, got true"),
    ('before_mode = "avant"', "politique.before_mode",
     "une valeur parmi calendar, clear_days, roll_back attendue, reçu 'avant'",
     "expected one of calendar, clear_days, roll_back, got 'avant'"),
])
def test_policy_values_are_read_in_the_file_terms(tmp_path: Path, text: str, key: str,
                                                  fr: str, en: str) -> None:
    error = agreement_error(tmp_path, POLICY + text + "\n")
    assert (error.where.line, error.where.key) == (4, key), error
    assert fr in error.fr and en in error.en, error
    for python in ("datetime", "True", "must be", "object", "unpack"):
        assert python not in error.fr + error.en


def test_a_whole_policy_is_read(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text(POLICY + 'name = "p"\nroll_forward = false\nsaturday_non_working = false\n'
                    'dec26_jan2_non_working = false\nextra_closure_days = [2026-12-24]\n'
                    'proclaimed_holidays = { "2026-07-13" = "Fête" }\n'
                    'before_mode = "clear_days"\nrenewal_year = "anniversary"\n'
                    'vague_deadlines = { "sans délai" = 3 }\n', encoding="utf-8")
    policy = Agreement.from_toml(path).policy
    assert policy == Policy(roll_forward=False, saturday_non_working=False,
                            dec26_jan2_non_working=False,
                            extra_closure_days=frozenset({date(2026, 12, 24)}),
                            proclaimed_holidays={date(2026, 7, 13): "Fête"},
                            before_mode="clear_days", renewal_year="anniversary",
                            vague_deadlines={"sans_delai": 3}, name="p")


def test_a_policy_built_in_python_through_from_mapping() -> None:
    spec = {"client": "X", "en_vigueur_le": date(2026, 4, 1), "politique": {
        "proclaimed_holidays": {date(2026, 7, 13): "Fête"}, "vague_deadlines": {"sans délai": 2},
        "extra_closure_days": frozenset({date(2026, 12, 24)})}}
    policy = Agreement.from_mapping(spec, ErrorLocation("x")).policy
    assert policy == Policy(proclaimed_holidays={date(2026, 7, 13): "Fête"},
                            vague_deadlines={"sans_delai": 2},
                            extra_closure_days=frozenset({date(2026, 12, 24)}))
    for bad, key in (({"proclaimed_holidays": {3: "F"}}, "proclaimed_holidays.3"),
                     ({"vague_deadlines": {3: 2}}, "vague_deadlines.3")):
        with pytest.raises(RuleFileError) as caught:
            Agreement.from_mapping({**spec, "politique": bad}, ErrorLocation("x"))
        assert caught.value.where.key == f"politique.{key}"


def test_a_bad_policy_value_is_reported_once(tmp_path: Path) -> None:
    error = agreement_error(tmp_path, AGREEMENT + "[politique]\nname = ' '\n")
    assert isinstance(error, RuleFileErrors) and len(error.errors) == 1
    assert error.where.key == "politique.name"


def test_a_day_that_does_not_exist(tmp_path: Path) -> None:
    error = agreement_error(tmp_path, 'client = "MSSS"\nen_vigueur_le = 2026-02-30\n')
    assert error.where.line == 2
    assert "le jour 2026-02-30 n'existe pas" in error.fr
    assert "the day 2026-02-30 does not exist" in error.en


def test_every_agreement_problem_at_once(tmp_path: Path) -> None:
    error = agreement_error(tmp_path, 'client = ["X"]\nen_vigueur_le = "2026-04-01"\n'
                            'services = [1]\n[politique]\nnom = "x"\n')
    assert isinstance(error, RuleFileErrors)
    assert [e.where.key for e in error.errors] == [
        "client", "en_vigueur_le", "services[0]", "politique.nom"]


def test_the_mapping_form_names_the_example_table() -> None:
    with pytest.raises(RuleFileError) as caught:
        Agreement.from_mapping({"client": "X", "en_vigueur_le": "2026-04-01"},
                               ErrorLocation("09-3.toml", 40, "exemple[2].entente"))
    assert caught.value.where == ErrorLocation("09-3.toml", 40, "exemple[2].entente.en_vigueur_le")
    built = Agreement.from_mapping({"client": "X", "en_vigueur_le": date(2026, 4, 1),
                                    "services": {"courriel": None}}, ErrorLocation("x"),
                                   engine="python")
    assert built.services == {"courriel": None}


def test_a_source_parses_bytes() -> None:
    source = TomlSource.parse(b'a = 1\n[b]\nc = [\n  { d = 1 },\n  { e = 2 },\n]\n', "t.toml")
    assert source.line("b.c[1].e") == 5 and source.line("b.c") == 3 and source.line("a") == 1
    assert source.line("zz") is None


def test_every_unknown_event_type_of_a_norm_is_reported(tmp_path: Path) -> None:
    rules = edit('execution = [{ evenement = "paiement", cle = "facture", montant = "montant" }]',
                 'execution = [{ evenement = "reglement", cle = "facture" }, '
                 '{ evenement = "virement", cle = "facture" }]')
    error = rejected(write(tmp_path, rules))
    assert [e.where.key for e in error.errors] == [  # type: ignore[attr-defined]
        "obligation[0].execution[0].evenement", "obligation[0].execution[1].evenement"]
    found = check_directory(tmp_path)
    assert [(f.key, f.code) for f in found] == [
        ("obligation[0].execution[0].evenement", "evenement_inconnu"),
        ("obligation[0].execution[1].evenement", "evenement_inconnu")]


# --------------------------------------------------------------------------- French grammar

@pytest.mark.parametrize(("what", "said"), [
    ("une date AAAA-MM-JJ", "une date AAAA-MM-JJ attendue"),
    ("une table { ... }", "une table { ... } attendue"),
    ("un texte", "un texte attendu"),
    ("true ou false", "true ou false attendu"),
    ("des dates", "des dates attendues"),
    ("des entiers", "des entiers attendus"),
])
def test_the_participle_agrees_with_what_is_expected(what: str, said: str) -> None:
    assert expected_fr(what) == said


def test_a_type_error_in_a_file_reads_as_french(tmp_path: Path) -> None:
    error = agreement_error(tmp_path, 'client = "MSSS"\nen_vigueur_le = 20260401\n')
    assert error.fr == "une date AAAA-MM-JJ attendue, reçu 20260401"
    assert error.en == "expected a date YYYY-MM-DD, got 20260401"
    error = agreement_error(tmp_path, 'client = "MSSS"\nen_vigueur_le = "2026-02-30"\n')
    assert "le jour 2026-02-30 n'existe pas" in error.fr and "retirer" not in error.fr
