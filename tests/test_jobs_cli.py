"""The command line in scheduled jobs: ``changements`` (the weekly digest), ``--echec-si``
(exit status 1 on diagnostics) and ``valider`` (every problem of the input at once)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import entente_regles as er
from entente_regles.cli import commands as cli
from entente_regles.rules.agreement_file import AgreementFileErrors

INVOICE = ('{"type": "facture_emise", "date": "2026-05-05", "par": "mcn", "facture": "F-1", '
           '"montant": "100.00", "periode": "2026-04"}')
OVERPAID = ('{"type": "paiement", "date": "2026-05-20", "par": "client", "facture": "F-1", '
            '"montant": "150.00"}')
NO_INVOICE = ('{"type": "paiement", "date": "2026-05-22", "par": "client", "facture": "F-9", '
              '"montant": "5.00"}')


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def overpaid_log(tmp_path: Path) -> list[str]:
    log = tmp_path / "journal.jsonl"
    log.write_text(f"{INVOICE}\n{OVERPAID}\n{NO_INVOICE}\n", encoding="utf-8")
    return ["--events", str(log), "--client", "X", "--in-force-from", "2026-04-01"]


# --------------------------------------------------------------------------- changements


def test_changements_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changements", "--depuis", "2026-07-01", "--at", "2026-07-31")
    assert code == 0, err
    assert out.startswith("MSSS — changements du 2026-07-01 (exclu) au 2026-07-31 (inclus) : "
                          "13 changement(s), dont 1 diagnostic(s)")
    line = next(line for line in out.splitlines() if line.startswith("2026-07-28  paiement"))
    assert "F-2026-04" in line and "2\u00a0500,00\u00a0$" in line
    assert all(len(line) <= 120 for line in out.splitlines())


def test_changes_alias_json_csv_and_default_window(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "changes", "--at", "2026-07-31", "--format", "json",
                         "--lang", "en")
    assert code == 0, err
    data = json.loads(out)
    assert data["depuis"] == "2026-07-24" and data["au"] == "2026-07-31"  # a week by default
    assert [c["type"] for c in data["changements"]] == ["paiement", "statut"]
    assert data["changements"][0]["texte"].endswith("balance $0.00")
    assert data["reproduction"]["au"] == "2026-07-31"
    code, out, err = run(capsys, "changes", "--since", "2026-07-01", "--at", "2026-07-31",
                         "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 13
    assert rows[0]["type"] == "en_retard" and rows[0]["solde"] == "12500.00"
    code, out, err = run(capsys, "changes", "--since", "2026-08-01", "--at", "2026-07-31")
    assert code == 2 and "--since 2026-08-01 is not before --at 2026-07-31" in err


# --------------------------------------------------------------------------- --echec-si


@pytest.mark.parametrize("command", [
    ["owed"], ["soldes"], ["agenda"], ["explain", "paiement-facture", "F-1"],
    ["changements", "--depuis", "2026-05-01"], ["rapport", "-o", "-"]])
def test_fail_on_error_with_an_overpayment(capsys: pytest.CaptureFixture[str],
                                          overpaid_log: list[str],
                                          command: list[str]) -> None:
    """An overpayment and a payment to an unknown invoice are errors: a job that asks for
    it fails (exit 1), saying why on stderr; without the option, exit 0."""
    at = ["--at", "2026-06-01"]
    code, _, err = run(capsys, *command, *overpaid_log, *at)
    assert code == 0, err
    code, out, err = run(capsys, *command, *overpaid_log, *at, "--echec-si", "erreur")
    assert code == 1
    assert out  # the report is still written
    assert "2 diagnostic(s) de gravité « erreur » ou plus grave jusqu'au 2026-06-01" in err


def test_fail_on_levels_and_dates(capsys: pytest.CaptureFixture[str],
                                  overpaid_log: list[str]) -> None:
    # before the overpayment: nothing to fail on
    code, _, _ = run(capsys, "owed", *overpaid_log, "--at", "2026-05-10", "--echec-si",
                     "erreur")
    assert code == 0
    # avertissement: errors are worse, so they count
    code, _, err = run(capsys, "owed", *overpaid_log, "--at", "2026-06-01", "--fail-on",
                       "warning", "--lang", "en")
    assert code == 1
    assert err.strip() == ("2 diagnostic(s) of severity 'warning' or worse up to 2026-06-01 "
                           "(--fail-on warning): exit status 1")
    # the bundled example has only information diagnostics
    code, _, _ = run(capsys, "owed", "--at", "2026-07-31", "--echec-si", "avertissement")
    assert code == 0
    code, _, err = run(capsys, "owed", "--echec-si", "info")
    assert code == 2 and "invalid choice" in err


# --------------------------------------------------------------------------- valider

BAD_AGREEMENT = """client = ""
en_vigueur_le = 2026-04-01
inconnu = 3
[annexe]
frequence_facturation_mois = "x"
"""

BAD_DATE = INVOICE.replace('"2026-05-05"', '"2026-13-05"')
BAD_LOG = f"""# three bad lines and two good ones
{INVOICE}
{BAD_DATE}
{{"type": "paiment", "date": "2026-05-20", "par": "client", "facture": "F-1", "montant": "1.00"}}
not json
{OVERPAID}
"""


def test_valider_lists_every_problem(capsys: pytest.CaptureFixture[str],
                                     tmp_path: Path) -> None:
    agreement, log = tmp_path / "entente.toml", tmp_path / "journal.jsonl"
    agreement.write_text(BAD_AGREEMENT, encoding="utf-8")
    log.write_text(BAD_LOG, encoding="utf-8")
    code, out, _ = run(capsys, "valider", "--agreement", str(agreement), "--events", str(log),
                       "--lang", "fr")
    assert code == 2
    lines = out.splitlines()
    assert [line.split(" : ")[0] for line in lines[:-1]] == [
        f"{agreement}, ligne 1, clé client", f"{agreement}, ligne 3, clé inconnu",
        f"{agreement}, ligne 5, clé annexe.frequence_facturation_mois",
        f"{log}, ligne 3, clé date", f"{log}, ligne 4, clé type", f"{log}, ligne 5"]
    assert lines[-1].startswith("6 problème(s)")
    code, out, _ = run(capsys, "validate", "--agreement", str(agreement), "--events",
                       str(log), "--lang", "en")
    assert code == 2 and f"{log}:4 [type]: unknown event type 'paiment'" in out


def test_valider_says_when_all_is_well(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", "--lang", "en")
    assert code == 0
    assert out == ("No problem: agreement file entente.toml valid; event log journal.jsonl "
                   "valid (35 event(s)).\n")  # the bundled example: no path of this machine
    missing = tmp_path / "absent"
    code, out, _ = run(capsys, "validate", "--rules", str(missing), "--events",
                       str(missing / "journal.jsonl"), "--lang", "en")
    assert code == 2
    assert out.splitlines() == [
        f"{missing}: rules directory not found",
        f"event log {missing / 'journal.jsonl'} not checked: the rules do not load",
        "1 problem(s): fix them, then run entente-regles validate again"]


def test_read_events_collects_every_problem(tmp_path: Path) -> None:
    log = tmp_path / "journal.jsonl"
    log.write_bytes(BAD_LOG.encode("utf-8") + b'{"type": "\xff"}\n' + INVOICE.encode())
    read = er.read_events(log, errors="collect")
    assert not read.ok
    assert [e.data["facture"] for e in read.events] == ["F-1", "F-1", "F-1"]
    assert [p.where.line for p in read.problems] == [3, 4, 5, 7]
    assert "UTF-8" in read.problems[-1].describe("en")
    log.write_text(BAD_LOG, encoding="utf-8")
    with pytest.raises(er.EventError) as raised:  # the default stops at the first
        er.read_events(log)
    assert raised.value.where.line == 3


def test_agreement_file_errors_carry_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text(BAD_AGREEMENT + "delai_paiement_jours = 0\nparametre_inconnu = 1\n",
                    encoding="utf-8")
    with pytest.raises(AgreementFileErrors) as raised:
        er.Agreement.from_toml(path)
    problems = raised.value.problems
    assert [(p.where.line, p.where.key) for p in problems] == [
        (1, "client"), (3, "inconnu"), (5, "annexe.frequence_facturation_mois"),
        (6, "annexe.delai_paiement_jours"), (7, "annexe.parametre_inconnu")]
    assert isinstance(raised.value, er.RuleFileError)  # what callers caught before
    path.write_text("client = \"X\"\n[x\n", encoding="utf-8")  # not TOML: one problem
    with pytest.raises(AgreementFileErrors) as raised:
        er.Agreement.from_toml(path)
    assert [p.where.line for p in raised.value.problems] == [2]
