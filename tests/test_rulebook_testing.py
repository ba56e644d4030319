"""Any rule book, not only the bundled one: ``check DIR`` against its own text, its worked
examples run by ``er.run_examples`` and ``entente-regles test``, its logs read against its own
vocabulary, ``--lang`` among its declared languages, and every command on it.

The rule book here is written for the test, in English only, with event types, parties and an
agreement text the bundled (MCN) one does not have.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import entente_regles as er
from entente_regles import cli
from entente_regles.check import check_directory
from entente_regles.engine.durable.backend import durable_available

VOCABULARY = '''
[entente]
langues = ["en"]
locales = { en = "en_GB" }
texte = "terms.txt"

[parties.seller]
nom = { en = "The Seller" }

[parties.buyer]
nom = { en = "The Buyer" }

[normes_vagues.promptly]
libelle = { en = "promptly" }

[normes_vagues.silent]
libelle = { en = "no time stated" }
dans_le_texte = false

[exercice_financier]
premier_jour = "01-01"

[evenement.bill_sent]
libelle = { en = "Bill sent" }
par = ["seller"]
champs = { bill = "texte", amount = "montant" }
articles = ["2.1"]

[evenement.bill_paid]
libelle = { en = "Bill paid" }
par = ["buyer"]
champs = { bill = "texte", amount = "montant" }
articles = ["2.1"]
'''

TERMS = """Goods Supply Terms (written for the tests of entente-regles)

1. Supply

1.1 Delivery. The Seller will deliver the goods as set out in the Order Form.

2. Payment

2.1 Bills. The Buyer will pay each bill within thirty (30) days of its date.
a. Interest on late payment is as specified in the Order Form.
"""

RULES = '''article = "2"
titre = "Payment"
texte = """
2.1 Bills. The Buyer will pay each bill within thirty (30) days of its date.
"""

[[obligation]]
id = "pay-bill"
article = "2.1"
libelle = { en = "Pay the bill" }
debiteur = "buyer"
creancier = "seller"
declencheur = { evenement = "bill_sent", cle = "bill", montant = "amount" }
execution = [{ evenement = "bill_paid", cle = "bill", montant = "amount" }]
delai = { jours = 30 }

[[exemple]]
nom = "paid on time"
evenements = [
  { type = "bill_sent", date = 2026-05-04, par = "seller", bill = "B-1", amount = "100.00" },
  { type = "bill_paid", date = 2026-05-20, par = "buyer", bill = "B-1", amount = "100.00" },
]
attendu = [
  { au = 2026-05-04, obligation = "pay-bill", cle = "B-1", statut = "a_echoir", ''' \
    '''echeance = 2026-06-03 },
  { au = 2026-05-20, obligation = "pay-bill", cle = "B-1", statut = "satisfaite" },
]

[[exemple]]
nom = "paid late"
evenements = [
  { type = "bill_sent", date = 2026-05-04, par = "seller", bill = "B-2", amount = "100.00" },
  { type = "bill_paid", date = 2026-06-10, par = "buyer", bill = "B-2", amount = "100.00" },
]
attendu = [
  { au = 2026-06-04, obligation = "pay-bill", cle = "B-2", statut = "en_retard" },
  { au = 2026-06-10, obligation = "pay-bill", cle = "B-2", statut = "satisfaite_en_retard" },
]
'''

AGREEMENT = 'client = "Harbour Books"\nen_vigueur_le = 2026-04-01\n'
LOG = [
    {"type": "bill_sent", "date": "2026-05-01", "par": "seller", "bill": "B-1",
     "amount": "100.00"},
    {"type": "bill_sent", "date": "2026-06-01", "par": "seller", "bill": "B-2",
     "amount": "250.00"},
    {"type": "bill_paid", "date": "2026-05-20", "par": "buyer", "bill": "B-1",
     "amount": "100.00"},
]


def rulebook(tmp_path: Path, rules: str = RULES) -> Path:
    """The English rule book, its agreement file and its log, under ``tmp_path``."""
    directory = tmp_path / "rules"
    directory.mkdir(parents=True)
    (directory / "evenements.toml").write_text(VOCABULARY, encoding="utf-8")
    (directory / "terms.txt").write_text(TERMS, encoding="utf-8")
    (directory / "02-payment.toml").write_text(rules, encoding="utf-8")
    (tmp_path / "agreement.toml").write_text(AGREEMENT, encoding="utf-8")
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(e) + "\n" for e in LOG),
                                        encoding="utf-8")
    return directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --------------------------------------------------------------------------- check


def test_check_compares_a_rule_book_with_its_own_text(tmp_path: Path) -> None:
    directory = rulebook(tmp_path)
    assert check_directory(directory) == []  # no "article inconnu" against the MCN text


def test_check_reads_english_delays_and_headings(tmp_path: Path) -> None:
    directory = rulebook(tmp_path, RULES.replace("delai = { jours = 30 }",
                                                 "delai = { jours = 45 }"))
    found = check_directory(directory)
    assert [(f.code, f.key) for f in found] == [("delai_incoherent", "obligation[0].delai")]
    assert "'30 days'" in found[0].message_en and "« 30 jours »" in found[0].message_fr
    unknown = rulebook(tmp_path / "b", RULES.replace('article = "2.1"', 'article = "2.3"'))
    assert [f.code for f in check_directory(unknown)] == ["article_inconnu"]


def test_check_reports_a_declared_text_file_it_cannot_read(tmp_path: Path) -> None:
    directory = rulebook(tmp_path)
    (directory / "terms.txt").unlink()
    found = check_directory(directory)
    assert [(f.file, f.key, f.code) for f in found] == [
        ("evenements.toml", "entente.texte", "chargement")]
    assert "terms.txt" in found[0].message_en and "terms.txt" in found[0].message_fr


def test_the_check_command_speaks_the_declared_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = rulebook(tmp_path)
    code, out, _ = run(capsys, "check", str(directory))
    assert code == 0 and out.startswith("no findings in")  # English: the only language
    code, out, err = run(capsys, "check", str(directory), "--lang", "fr")
    assert code == 2 and out == ""
    assert "langue non déclarée" in err and "does not declare" in err


# --------------------------------------------------------------------------- examples


def test_run_examples_reports_each_example(tmp_path: Path) -> None:
    report = er.run_examples(rulebook(tmp_path), engine="python")
    assert isinstance(report, er.ExamplesReport) and report.ok
    assert [(r.file, r.name, r.engine) for r in report.passed] == [
        ("02-payment.toml", "paid on time", "python"),
        ("02-payment.toml", "paid late", "python")]
    assert report.failed == () and report.summary("en").startswith("2 example(s) passed")


def test_a_failing_example_says_what_differed(tmp_path: Path) -> None:
    directory = rulebook(tmp_path, RULES.replace("echeance = 2026-06-03",
                                                 "echeance = 2026-06-04"))
    report = er.run_examples(er.RuleBook.from_directory(directory), engine="reference")
    assert not report.ok and [r.name for r in report.failed] == ["paid on time"]
    failed = report.failed[0]
    assert [f.en for f in failed.failures] == [
        "on 2026-05-04, pay-bill (B-1): echeance expected 2026-06-04, got 2026-06-03"]
    assert failed.failures[0].fr == ("au 2026-05-04, pay-bill (B-1) : echeance attendu "
                                     "2026-06-04, obtenu 2026-06-03")
    assert "FAILED  02-payment.toml — paid on time [reference]" in failed.describe("en")


def test_every_engine_runs_the_examples(tmp_path: Path) -> None:
    report = er.run_examples(rulebook(tmp_path), engine="tous")
    engines = {r.engine for r in report.results}
    assert engines == {"python", "durable", "reference"} and not report.failed
    if durable_available() is not None:
        assert {r.engine for r in report.skipped} == {"durable"}
    with pytest.raises(ValueError):
        er.run_examples(rulebook(tmp_path / "b"), engine="drools")  # type: ignore[arg-type]


def test_the_bundled_examples_pass_through_the_public_function() -> None:
    report = er.run_examples()
    assert report.ok and len(report.passed) == len(er.RuleBook.bundled().examples)


def test_the_test_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = rulebook(tmp_path)
    code, out, _ = run(capsys, "test", str(directory), "--engine", "reference")
    assert code == 0
    assert out.splitlines() == [
        "PASSED  02-payment.toml — paid on time [reference]",
        "PASSED  02-payment.toml — paid late [reference]",
        "2 example(s) passed, 0 failed, 0 skipped"]
    failing = rulebook(tmp_path / "b", RULES.replace('statut = "en_retard"',
                                                     'statut = "a_echoir"'))
    code, out, _ = run(capsys, "test", str(failing))
    assert code == 1
    assert "FAILED  02-payment.toml — paid late [python]" in out
    assert "    on 2026-06-04, pay-bill (B-2): statut expected a_echoir, got en_retard" in out
    assert out.splitlines()[-1] == "1 example(s) passed, 1 failed, 0 skipped"


def test_the_test_command_on_a_bad_rule_book(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    broken = rulebook(tmp_path, RULES.replace('debiteur = "buyer"', 'debiteur = "nobody"'))
    code, out, err = run(capsys, "test", str(broken))
    assert code == 2 and out == "" and "02-payment.toml" in err
    code, _, err = run(capsys, "test", str(tmp_path / "absent"))
    assert code == 2 and "not found" in err
    code, out, _ = run(capsys, "test", "--engine", "python", "--lang", "fr")
    assert code == 0 and "en échec" in out.splitlines()[-1]  # the bundled rule book


# --------------------------------------------------------------------------- event logs


def test_read_events_follows_the_agreement_vocabulary(tmp_path: Path) -> None:
    directory = rulebook(tmp_path)
    book = er.RuleBook.from_directory(directory)
    log = tmp_path / "log.jsonl"
    events = er.read_events(log, vocabulary=book)  # a RuleBook
    assert [e.type for e in events] == ["bill_sent", "bill_sent", "bill_paid"]
    assert er.read_events(log, book.vocabulary) == events  # or its Vocabulary
    agreement = er.Agreement("HB", date(2026, 4, 1), rules=book)
    assert agreement.read_events(log) == events
    with pytest.raises(er.EventError) as caught:  # the default: the bundled vocabulary
        er.read_events(log)
    assert "bill_sent" in str(caught.value)
    with pytest.raises(TypeError):
        er.read_events(log, vocabulary="rules")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- commands


@pytest.mark.parametrize("command", [
    ["owed", "--at", "2026-07-15"],
    ["explain", "pay-bill", "B-2", "--at", "2026-07-15"],
    ["agenda", "--du", "2026-06-01", "--au", "2026-07-31"],
    ["soldes", "--at", "2026-07-15"],
    ["rapport", "--at", "2026-07-15", "-o", "-"],
])
def test_every_command_runs_on_another_rule_book(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    directory = rulebook(tmp_path)
    files = ["--rules", str(directory), "--agreement", str(tmp_path / "agreement.toml"),
             "--events", str(tmp_path / "log.jsonl")]
    code, out, err = run(capsys, *command, *files)
    assert code == 0, err
    assert "B-2" in out or "pay-bill" in out or "Pay the bill" in out
    code, out, err = run(capsys, *command, *files, "--lang", "fr")
    assert code == 2 and out == ""
    assert "--lang fr" in err and "langue non déclarée" in err and "does not declare" in err
