"""The strict rule-file loader rejects bad rule files with the file, the key path and what was
expected, in French and in English (issue 2, item 4).

Each test writes a small rulebook in ``tmp_path``: a valid one (``VOCABULARY`` + ``RULES``)
with one defect.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from entente_regles import RuleBook, RuleFileError
from entente_regles.rules.norms import RuleFile

VOCABULARY = '''
[evenement.facture_emise]
libelle = { fr = "Facture émise", en = "Invoice issued" }
par = ["mcn"]
champs = { facture = "texte", montant = "montant" }
articles = ["9.3"]

[evenement.paiement]
libelle = { fr = "Paiement", en = "Payment" }
par = ["client"]
champs = { facture = "texte", montant = "montant" }
articles = ["9.3"]

# Les parties, les normes vagues et l'exercice financier (comme regles/evenements.toml).
[parties.mcn]
nom = { fr = "MCN", en = "MCN" }

[parties.client]
nom = { fr = "Organisme client", en = "Client body" }

[normes_vagues.immediatement]
libelle = { fr = "immédiatement", en = "immediately" }

[normes_vagues.plus_brefs_delais]
libelle = { fr = "dans les plus brefs délais", en = "as soon as possible" }

[normes_vagues.meilleurs_delais]
libelle = { fr = "dans les meilleurs délais", en = "as promptly as possible" }

[normes_vagues.sans_delai]
libelle = { fr = "aucun délai stipulé", en = "no time limit stipulated" }
dans_le_texte = false

[exercice_financier]
premier_jour = "04-01"
'''

RULES = '''article = "9.3"
titre = "Modalités de paiement"
texte = "La facture est payable dans les 30 jours suivant sa date d'émission."

[[obligation]]
id = "paiement-facture"
libelle = { fr = "Payer la facture", en = "Pay the invoice" }
debiteur = "client"
creancier = "mcn"
declencheur = { evenement = "facture_emise", cle = "facture", montant = "montant" }
execution = [{ evenement = "paiement", cle = "facture", montant = "montant" }]
delai = { jours = 30 }
survit_resiliation = true

[[exemple]]
nom = "à temps"
evenements = [
  { type = "facture_emise", date = 2026-05-01, par = "mcn", facture = "F-1", montant = "1.00" },
]
attendu = [{ au = 2026-05-01, obligation = "paiement-facture", cle = "F-1", statut = "a_echoir" }]
'''

RELANCE = '''
[[obligation]]
id = "relance"
libelle = { fr = "Relancer", en = "Chase" }
debiteur = "mcn"
creancier = "client"
declencheur = { consequence_de = "paiement-factures", quand = "echeance" }
execution = [{ evenement = "facture_emise", cle = "facture" }]
'''


def write(tmp_path: Path, rules: str = RULES, vocabulary: str = VOCABULARY,
          extra: dict[str, str] | None = None) -> Path:
    (tmp_path / "evenements.toml").write_text(vocabulary, encoding="utf-8")
    (tmp_path / "09-3-paiement.toml").write_text(rules, encoding="utf-8")
    for name, text in (extra or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def edit(old: str, new: str, text: str = RULES) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def rejected(directory: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as caught:
        RuleBook.from_directory(directory)
    return caught.value


def assert_located(error: RuleFileError, file: str, key: str | None, *words: str) -> None:
    """File and key path appear in both languages, with the words that say what is wrong."""
    assert Path(error.where.file).name == file
    if key is not None:
        assert error.where.key == key
    fr, en = error.describe("fr"), error.describe("en")
    for text in (fr, en):
        assert file in text
        if key is not None:
            assert key in text
    assert f", clé {error.where.key}" in fr if error.where.key else True
    assert f"[{error.where.key}]" in en if error.where.key else True
    for word in words:
        assert word in fr or word in en, (word, fr, en)
    assert fr != en


def test_the_base_rulebook_loads(tmp_path: Path) -> None:
    book = RuleBook.from_directory(write(tmp_path))
    assert [n.id for n in book.norms] == ["paiement-facture"]


def test_unknown_key(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, edit("survit_resiliation = true",
                                          "survit_resiliation = true\nsurvit = true")))
    assert_located(error, "09-3-paiement.toml", "obligation[0].survit", "clé inconnue",
                   "unknown key", "survit_resiliation")


def test_unknown_key_at_top_level_and_in_the_vocabulary(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, "titres = 'x'\n" + RULES))
    assert_located(error, "09-3-paiement.toml", "titres", "clé inconnue", "unknown key")
    (tmp_path / "b").mkdir()
    error = rejected(write(tmp_path / "b", vocabulary=edit(
        'par = ["mcn"]', 'par = ["mcn"]\nparties = ["mcn"]', VOCABULARY)))
    assert_located(error, "evenements.toml", "evenement.facture_emise.parties", "unknown key")


@pytest.mark.parametrize(("old", "new", "key", "expected"), [
    ("survit_resiliation = true", 'survit_resiliation = "oui"',
     "obligation[0].survit_resiliation", "true or false"),
    ('id = "paiement-facture"', "id = 12", "obligation[0].id", "a string"),
    ("delai = { jours = 30 }", "delai = { jours = 30.5 }", "obligation[0].delai.jours",
     "an integer"),
    ("delai = { jours = 30 }", "delai = 30", "obligation[0].delai", "a table"),
    ('{ au = 2026-05-01, obligation', '{ au = "2026-05-01", obligation',
     "exemple[0].attendu[0].au", "a date"),
    ('statut = "a_echoir" }', 'statut = "payee" }', "exemple[0].attendu[0].statut",
     "status among"),
])
def test_wrong_type(tmp_path: Path, old: str, new: str, key: str, expected: str) -> None:
    error = rejected(write(tmp_path, edit(old, new)))
    assert_located(error, "09-3-paiement.toml", key, expected)


def test_missing_required_key(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, edit('debiteur = "client"\n', "")))
    assert_located(error, "09-3-paiement.toml", "obligation[0].debiteur", "manquante", "missing")


def test_unknown_event_type(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, edit('execution = [{ evenement = "paiement"',
                                          'execution = [{ evenement = "reglement"')))
    assert_located(error, "09-3-paiement.toml", "obligation[0].execution[0].evenement",
                   "reglement", "evenements.toml", "type d'événement inconnu",
                   "unknown event type")


@pytest.mark.parametrize(("old", "new", "key"), [
    ('execution = [{ evenement = "paiement", cle = "facture"',
     'execution = [{ evenement = "paiement", cle = "numero"', "obligation[0].execution[0].cle"),
    ('cle = "facture", montant = "montant" }\nexecution',
     'cle = "numero", montant = "montant" }\nexecution', "obligation[0].declencheur.cle"),
    ('montant = "montant" }]', 'montant = "facture" }]', "obligation[0].execution[0].montant"),
    ('declencheur = { evenement = "facture_emise", cle = "facture"',
     'declencheur = { evenement = "facture_emise", si = { periode = "2026-04" }, cle = "facture"',
     "obligation[0].declencheur.si.periode"),
])
def test_unknown_field(tmp_path: Path, old: str, new: str, key: str) -> None:
    error = rejected(write(tmp_path, edit(old, new)))
    assert_located(error, "09-3-paiement.toml", key)
    assert "champ" in error.fr and "field" in error.en


def test_dangling_consequence_reference(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, RULES + RELANCE))
    assert_located(error, "09-3-paiement.toml", None, "paiement-factures",
                   "obligation inconnue", "unknown obligation")
    assert error.where.key is not None
    assert error.where.key.endswith("declencheur.consequence_de")
    assert error.where.key == "obligation[1].declencheur.consequence_de"  # the TOML path


def test_dangling_reference_in_a_cross_reference(tmp_path: Path) -> None:
    if "cross_references" not in attrs.fields_dict(RuleFile):  # pragma: no cover
        pytest.skip("[[renvoi]] is not part of this loader's format")
    renvoi = '\n[[renvoi]]\nregles = ["paiement-factures"]\nexplication = "Voir 9.3."\n'
    error = rejected(write(tmp_path, RULES + renvoi))
    assert_located(error, "09-3-paiement.toml", None, "paiement-factures")


def test_unknown_parameter(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, edit("delai = { jours = 30 }",
                                          'delai = { jours = "@delai_paiement" }')))
    assert_located(error, "09-3-paiement.toml", None, "@delai_paiement", "paramètre inconnu",
                   "unknown parameter")
    # the key is the TOML path of the parameter use, not just the obligation
    assert error.where.key is not None
    assert error.where.key == "obligation[0].delai.jours"  # the TOML path, to go to it


def test_parameter_written_without_at_sign(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, edit("delai = { jours = 30 }",
                                          'delai = { jours = "delai_paiement" }')))
    assert_located(error, "09-3-paiement.toml", "obligation[0].delai.jours", "@")


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, extra={"10-autre.toml": RULES}))
    assert_located(error, "10-autre.toml", None, "paiement-facture", "déjà utilisé",
                   "already used", "09-3-paiement.toml")
    assert error.where.key is not None and error.where.key.endswith(".id")


def test_invalid_toml(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, edit('titre = "Modalités de paiement"',
                                          'titre = "Modalités de paiement')))
    assert_located(error, "09-3-paiement.toml", None, "TOML invalide", "invalid TOML")
    assert error.where.line == 2  # the position, from tomllib
    assert "ligne 2" in error.describe("fr") and ":2" in error.describe("en")


def test_invalid_vocabulary_toml(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, vocabulary=VOCABULARY + "\n[evenement.paiement]\n"))
    assert_located(error, "evenements.toml", None, "TOML invalide", "invalid TOML")


def test_missing_vocabulary(tmp_path: Path) -> None:
    (tmp_path / "09-3-paiement.toml").write_text(RULES, encoding="utf-8")
    error = rejected(tmp_path)
    assert_located(error, "evenements.toml", None, "vocabulaire", "vocabulary")


def test_reserved_field_name_in_the_vocabulary(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, vocabulary=edit(
        'champs = { facture = "texte", montant = "montant" }\narticles = ["9.3"]\n\n'
        '[evenement.paiement]',
        'champs = { facture = "texte", date = "date" }\narticles = ["9.3"]\n\n'
        '[evenement.paiement]', VOCABULARY)))
    assert_located(error, "evenements.toml", "evenement.facture_emise.champs.date", "réservé",
                   "reserved")
