"""The rulebook checker (``entente_regles.check``): each kind of finding is caught, and only it.

``tests/regles_defectueuses/<code>/`` holds one small rule directory per finding code (its
own ``evenements.toml`` and one rule file whose first comment says what is wrong);
``aucune/`` is the same rulebook without the defect. More variants are built below in
``tmp_path`` from ``aucune/`` by plain text substitution, with the helpers of ``rulebooks``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rulebooks import CLEAN, PRECEDENCE, SEEDS, block, obligation, parameter, variant

from entente_regles import RuleBook, run_examples
from entente_regles.check import CODES, Finding, check_directory, main
from entente_regles.rules.resources import bundled_rules_dir

DOCS = Path(__file__).resolve().parents[1] / "docs"
SEEDED = sorted(p.name for p in SEEDS.iterdir() if p.is_dir() and p.name != "aucune")


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def check_cut(directory: Path) -> list[Finding]:
    """The findings of a rule book cut from the MCN one (a seed, a variant): compared with
    the bundled rule book's text, which it quotes only in part."""
    return check_directory(directory, agreement=bundled_rules_dir())


def show(findings: list[Finding]) -> str:
    return "\n".join(f.describe() for f in findings) or "(aucun constat)"


# --------------------------------------------------------------------------- seeded defects


def test_the_clean_rulebook_has_no_finding() -> None:
    findings = check_cut(CLEAN)
    assert findings == [], show(findings)


def test_the_clean_rulebook_examples_pass() -> None:
    report = run_examples(RuleBook.from_directory(CLEAN), "python")
    assert report.ok, report.describe()


@pytest.mark.parametrize("code", SEEDED)
def test_each_seeded_defect_is_caught_and_only_it(code: str) -> None:
    findings = check_cut(SEEDS / code)
    assert findings, f"{code}: nothing found"
    assert codes(findings) == {code}, show(findings)
    for finding in findings:
        assert finding.file.endswith(".toml")
        assert finding.key, finding
        for lang in ("fr", "en"):
            line = finding.describe(lang)
            assert "\n" not in line
            assert finding.file in line and finding.key in line and f"[{code}]" in line


def test_every_code_is_seeded() -> None:
    assert set(SEEDED) == set(CODES)


# --------------------------------------------------------------------------- variants


EXECUTION = 'execution = [{ evenement = "paiement", cle = "facture", montant = "montant" }]'
DEADLINE = "delai = { jours = 30 }"
SURVIVES = "survit_resiliation = true"
LABEL = 'libelle = { fr = "Payer la facture", en = "Pay the invoice" }'
REPORT = ("Rapport", "Report")
CHASE = ("Relancer", "Chase")
BY_INVOICE = '[{ evenement = "facture_emise", cle = "facture" }]'
AFTER_PAYMENT = '{ consequence_de = "paiement-facture", quand = "echeance" }'


def test_correlation_key_of_another_kind(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, {EXECUTION: EXECUTION.replace(
        'cle = "facture"', 'cle = "montant"')}))
    assert codes(found) == {"execution_impossible"}, show(found)
    assert "texte" in found[0].message_fr and "montant" in found[0].message_fr


def test_an_obligation_without_performance(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, {EXECUTION: ""}))
    assert "execution_impossible" in codes(found), show(found)
    # the examples assert « satisfaite », which this norm can no longer reach
    assert "statut_inatteignable" in codes(found)


def test_a_lapsing_norm_needs_no_performance(tmp_path: Path) -> None:
    lapse = ('a_echeance = { statut = "eteinte", motif = { fr = "expirée", en = "lapsed" } }')
    found = check_cut(variant(tmp_path, {EXECUTION: lapse}))
    assert "execution_impossible" not in codes(found), show(found)


NOT_DISCLOSE = ("Ne pas divulguer", "Do not disclose")
CONTINUING = obligation("confidentialite", NOT_DISCLOSE, section="obligation_continue",
                        declencheur="{ entree_en_vigueur = true }", survit_resiliation="true")


def test_a_continuing_obligation_that_cannot_be_breached(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, {SURVIVES: SURVIVES + "\n" + CONTINUING}))
    impossible = [f for f in found if f.code == "execution_impossible"]
    assert [f.key for f in impossible] == ["obligation_continue[0].violation"], show(found)


def test_a_breach_joined_on_a_key_the_instance_does_not_have(tmp_path: Path) -> None:
    shared = obligation("confidentialite", NOT_DISCLOSE, section="obligation_continue",
                        debiteur="parties", creancier="parties",
                        declencheur="{ entree_en_vigueur = true }", survit_resiliation="true",
                        violation='[{ evenement = "facture_emise", par = "parties" }]')
    found = check_cut(variant(tmp_path, {SURVIVES: SURVIVES + "\n" + shared}))
    keys = [f.key for f in found if f.code == "execution_impossible"]
    assert keys == ["obligation_continue[0].violation[0]"], show(found)


def test_a_deadline_at_the_end_of_a_period_born_after_it(tmp_path: Path) -> None:
    periodic = obligation("rapport", REPORT,
                          declencheur='{ periode = { mois = 1 }, naissance = "lendemain_fin" }',
                          execution=BY_INVOICE, delai="{ fin_periode = true }",
                          survit_resiliation="true")
    found = check_cut(variant(tmp_path, {SURVIVES: SURVIVES + "\n" + periodic}))
    delays = [f for f in found if f.code == "delai_avant_declencheur"]
    assert [f.key for f in delays] == ["obligation[1].delai"], show(found)
    assert "naissance" in delays[0].message_fr
    # the period key (YYYY-MM) never meets an invoice number (texte)
    assert "execution_impossible" in codes(found)


TERMINATION_VOCAB = '''
[evenement.avis_resiliation]
libelle = { fr = "Avis de résiliation", en = "Termination notice" }
champs = { date_effet = "date" }
optionnels = ["date_effet"]
articles = ["14.2"]

[evenement.remise_documents]
libelle = { fr = "Remise des documents", en = "Documents handed over" }
champs = { date_effet = "date" }
articles = ["14.2"]
'''


def termination_rules(notice: str) -> str:
    return f'''
article = "14.2"
titre = "Résiliation"
texte = "L'une ou l'autre des parties peut résilier la présente entente."

[[pouvoir]]
id = "resiliation"
libelle = {{ fr = "Résilier", en = "Terminate" }}
titulaire = "parties"
acte = {{ evenement = "avis_resiliation" }}
{notice}
effet = {{ action = "fin_entente", date = "date_effet" }}

[[obligation]]
id = "remise"
libelle = {{ fr = "Remettre les documents", en = "Hand over the documents" }}
debiteur = "autre"
creancier = "auteur"
declencheur = {{ evenement = "avis_resiliation", cle = "date_effet" }}
execution = [{{ evenement = "remise_documents", cle = "date_effet" }}]
delai = {{ veille_effet = true }}
survit_resiliation = true
'''


def test_veille_effet_needs_a_notice_of_at_least_a_day(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, more_events=TERMINATION_VOCAB, extra={
        "14-resiliation.toml": termination_rules("")}))
    keys = [(f.file, f.key) for f in found if f.code == "delai_avant_declencheur"]
    assert keys == [("14-resiliation.toml", "obligation[0].delai")], show(found)
    with_notice = check_cut(variant(tmp_path / "b", more_events=TERMINATION_VOCAB, extra={
        "14-resiliation.toml": termination_rules("preavis = { jours = 90 }")}))
    assert "delai_avant_declencheur" not in codes(with_notice), show(with_notice)


def test_negative_delay_and_empty_period_parameters(tmp_path: Path) -> None:
    params = (PRECEDENCE + parameter("delai", "-3", "« payable dans les 30 jours »")
              + parameter("frequence", "0", "« payable dans les 30 jours »"))
    periodic = obligation(
        "rapport", REPORT, execution=BY_INVOICE, survit_resiliation="true",
        declencheur='{ periode = { mois = "@frequence" }, naissance = "debut", cle = "periode" }')
    found = check_cut(variant(tmp_path, {
        "[[obligation]]": params + "\n[[obligation]]",
        DEADLINE: 'delai = { jours = "@delai" }', SURVIVES: SURVIVES + "\n" + periodic}))
    by_key = {f.key: f.code for f in found}
    assert by_key.get("obligation[0].delai.jours") == "delai_avant_declencheur", show(found)
    assert by_key.get("obligation[1].declencheur.periode.mois") == "parametre_invalide"


def test_consequence_counted_from_the_original_receipt(tmp_path: Path) -> None:
    consequence = obligation("relance", CHASE, declencheur=AFTER_PAYMENT, execution=BY_INVOICE,
                             delai='{ jours = 30, depuis = "reception" }',
                             survit_resiliation="true")
    found = check_cut(variant(tmp_path, {SURVIVES: SURVIVES + "\n" + consequence}))
    keys = [f.key for f in found if f.code == "delai_avant_declencheur"]
    assert keys == ["obligation[1].delai.depuis"], show(found)


def test_consequence_of_a_norm_without_dated_deadline(tmp_path: Path) -> None:
    consequence = obligation("relance", CHASE, declencheur=AFTER_PAYMENT, execution=BY_INVOICE,
                             survit_resiliation="true")
    found = check_cut(variant(tmp_path, {
        DEADLINE: 'delai = { norme = "sans_delai" }', SURVIVES: SURVIVES + "\n" + consequence}))
    keys = [f.key for f in found if f.code == "declencheur_impossible"]
    assert keys == ["obligation[1].declencheur.consequence_de"], show(found)


def test_a_test_that_can_never_hold(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, {EXECUTION: EXECUTION.replace(
        'montant = "montant" }', 'montant = "montant", si = { facture = true } }')}))
    assert [(f.code, f.key) for f in found] == [
        ("declencheur_impossible", "obligation[0].execution[0].si.facture")], show(found)


@pytest.mark.parametrize(("written", "hint"), [("3.1c", "« 3.1 c »"), ("9.3 )", "« 9.3 »"),
                                               ("9.4", None)])
def test_unknown_articles_with_a_hint(tmp_path: Path, written: str, hint: str | None) -> None:
    found = check_cut(variant(tmp_path, {LABEL: f'article = "{written}"\n{LABEL}'}))
    assert codes(found) == {"article_inconnu"}, show(found)
    assert found[0].key == "obligation[0].article"
    if hint is not None:
        assert hint in found[0].message_fr
    else:
        assert "écrire" not in found[0].message_fr


def test_vocabulary_articles_are_checked(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, more_events=(
        '\n[evenement.relance]\nlibelle = { fr = "Relance", en = "Reminder" }\n'
        'champs = { facture = "texte" }\narticles = ["9.3", "16"]\n'), rules={
        EXECUTION: EXECUTION + '\nextinction = [{ evenement = "relance", cle = "facture" }]'}))
    assert [(f.file, f.key, f.code) for f in found if f.file == "evenements.toml"] == [
        ("evenements.toml", "evenement.relance.articles[1]", "article_inconnu")], show(found)


@pytest.mark.parametrize(("replace", "expected_key"), [
    ({DEADLINE: "delai = { jours = 45 }"}, "obligation[0].delai"),
    ({LABEL: LABEL.replace("Payer la facture", "Payer la facture dans les meilleurs délais")},
     "obligation[0].libelle"),
    ({LABEL: LABEL.replace("Payer la facture", "Payer la facture dans les 45 jours")},
     "obligation[0].libelle"),
])
def test_deadline_wording(tmp_path: Path, replace: dict[str, str], expected_key: str) -> None:
    found = check_cut(variant(tmp_path, replace))
    wording = [f.key for f in found if f.code == "delai_incoherent"]
    assert expected_key in wording, show(found)


def test_no_time_limit_where_the_clause_states_one(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, {
        LABEL: 'article = "3.1 c"\n' + LABEL, DEADLINE: 'delai = { norme = "sans_delai" }'}))
    wording = [f for f in found if f.code == "delai_incoherent" and f.key.startswith("oblig")]
    assert [f.key for f in wording] == ["obligation[0].delai"], show(found)
    assert "meilleurs délais" in wording[0].message_fr


def test_expectations_that_cannot_be_met_by_a_vague_norm(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, {
        LABEL: 'article = "3.1 c"\n' + LABEL,
        DEADLINE: 'delai = { norme = "meilleurs_delais" }'}))
    keys = {f.key for f in found if f.code == "delai_incoherent"}
    assert "exemple[0].attendu[0].echeance" in keys, show(found)
    assert {f.key for f in found if f.code == "statut_inatteignable"} == {
        "exemple[1].attendu[0].statut", "exemple[1].attendu[1].statut"}


def test_quotes_may_be_cut_with_an_ellipsis(tmp_path: Path) -> None:
    params = PRECEDENCE + parameter("delai_paiement_jours", "30",
                                    "« La facture est payable […] dans les 30 jours »")
    found = check_cut(variant(tmp_path, {
        "[[obligation]]": params + "\n[[obligation]]",
        DEADLINE: 'delai = { jours = "@delai_paiement_jours" }'}))
    assert found == [], show(found)


def test_strict_parameters_need_a_precedence_rule(tmp_path: Path) -> None:
    params = parameter("delai_paiement_jours", "30",
                       "« payable dans les 30 jours suivant sa date d'émission »")
    found = check_cut(variant(tmp_path, {"[[obligation]]": params + "\n[[obligation]]"}))
    assert [(f.code, f.key) for f in found] == [("renvoi_annexe", "preseance")], show(found)


def test_a_permission_cannot_reuse_an_obligation_id(tmp_path: Path) -> None:
    permission = block("permission", id='"paiement-facture"', titulaire='"mcn"',
                       libelle='{ fr = "Facturer", en = "Invoice" }',
                       pourquoi_aucune_obligation='"Une faculté, non un devoir."')
    found = check_cut(variant(tmp_path, {SURVIVES: SURVIVES + "\n" + permission}))
    assert [(f.code, f.key) for f in found] == [
        ("identifiant_double", "permission[0].id")], show(found)


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    copy = (CLEAN / "09-3-paiement.toml").read_text(encoding="utf-8")
    found = check_cut(variant(tmp_path, extra={"10-copie.toml": copy}))
    assert [(f.file, f.key, f.code) for f in found] == [
        ("10-copie.toml", "obligation[0].id", "identifiant_double")], show(found)
    assert "09-3-paiement.toml" in found[0].message_fr


# --------------------------------------------------------------------------- load errors


def test_every_broken_file_is_reported_not_just_the_first(tmp_path: Path) -> None:
    directory = variant(tmp_path, {DEADLINE: "delais = { jours = 30 }"}, extra={
        "10-casse.toml": "article = \n", "11-bon.toml": (CLEAN / "09-3-paiement.toml")
        .read_text(encoding="utf-8").replace("paiement-facture", "autre-paiement")})
    found = check_cut(directory)
    assert [(f.file, f.code) for f in found] == [
        ("09-3-paiement.toml", "chargement"), ("10-casse.toml", "chargement")], show(found)
    assert "TOML" in found[1].message_fr and "TOML" in found[1].message_en


def test_a_missing_directory_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(str(tmp_path / "absent"), out=out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("absent") and "introuvable" in lines[0]
    assert "[chargement]" in lines[0]
    assert lines[-1].startswith("1 constat")


def test_main_prints_one_line_per_finding(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(str(SEEDS / "renvoi_annexe"), lang="en", out=out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and all("[renvoi_annexe]" in line for line in lines[:2])
    assert lines[2].startswith("2 finding(s) in ")
    out = io.StringIO()
    assert main(str(CLEAN), out=out) == 0
    assert out.getvalue().startswith("aucun constat")


def test_finding_describe() -> None:
    finding = Finding("a.toml", "obligation[0].delai", "délai négatif", "negative delay",
                      "delai_avant_declencheur")
    assert finding.describe() == (
        "a.toml, clé obligation[0].delai : délai négatif [delai_avant_declencheur]")
    assert finding.describe("en") == (
        "a.toml [obligation[0].delai]: negative delay [delai_avant_declencheur]")


# --------------------------------------------------------------------------- the real thing


def test_the_bundled_rulebook_passes_the_checker() -> None:
    findings = check_directory(bundled_rules_dir())
    assert findings == [], show(findings)


def test_event_vocabulary_doc_lists_every_declared_type() -> None:
    doc = (DOCS / "evenements.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### `([a-z0-9_]+)`", doc, flags=re.MULTILINE)
    vocabulary = RuleBook.bundled().vocabulary
    assert sorted(headings) == sorted(vocabulary.types), "docs/evenements.md is out of date"
    sections = re.split(r"^### ", doc, flags=re.MULTILINE)
    for name, spec in vocabulary.types.items():
        section = next(s for s in sections if s.startswith(f"`{name}`"))
        for field in spec.fields:
            assert f"`{field}`" in section, f"{name}.{field} missing from docs/evenements.md"


def test_a_reference_error_is_reported_and_the_other_checks_still_run(tmp_path: Path) -> None:
    found = check_cut(variant(tmp_path, {
        DEADLINE: 'delai = { jours = "@inconnu" }', LABEL: 'article = "9.4"\n' + LABEL}))
    assert sorted(f.code for f in found) == ["article_inconnu", "chargement"], show(found)
    loading = next(f for f in found if f.code == "chargement")
    assert "@inconnu" in loading.message_fr and loading.key.startswith("obligation")


def test_a_quotation_follows_its_file_content_not_its_name(tmp_path: Path) -> None:
    """Quotations are kept by their file's content (the agreement's rule book is read for
    every rule book checked): a file rewritten at once, even to the same size, is read
    anew; the same content under another name quotes the same."""
    from entente_regles.check.agreement_text import quotations

    rule = tmp_path / "a.toml"
    rule.write_text('article = "9.3"\ntexte = "Le premier."\n', encoding="utf-8")
    assert quotations(tmp_path) == ["9.3 Le premier."]
    rule.write_text('article = "9.3"\ntexte = "Le second."\n', encoding="utf-8")
    assert quotations(tmp_path) == ["9.3 Le second."]
    (tmp_path / "b.toml").write_bytes(rule.read_bytes())
    rule.write_text('article = "9.3"\ntexte = [\n', encoding="utf-8")  # does not read
    assert quotations(tmp_path) == ["9.3 Le second."]
