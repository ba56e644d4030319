"""The command line: reports on the bundled example, explanations, and clean errors (exit 2)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from conftest import ENGINE_PARAMS

import entente_regles
from entente_regles.cli import commands as cli
from entente_regles.outputs.text import bundled_example
from entente_regles.rules import resources as resources_module
from entente_regles.rules.fingerprint import package_version
from entente_regles.rules.resources import bundled_rules_dir
from entente_regles.words.money import format_amount

AT = "2026-07-15"
README = Path(__file__).resolve().parents[1] / "README.md"

GOOD = [
    '{"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-1", '
    '"montant": "100.00", "periode": "2026-04"}',
    '{"type": "paiement", "date": "2026-05-10", "par": "client", "facture": "F-1", '
    '"montant": "40.00"}',
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- owed


@pytest.mark.parametrize("engine", ENGINE_PARAMS)
def test_owed_table_on_bundled_example(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, err = run(capsys, "owed", "--at", AT, "--engine", engine)
    assert code == 0, err
    lines = out.splitlines()
    head = " ".join(out.split("\n\n")[0].split())  # the header, however wrapped
    assert head.startswith(f"MSSS au {AT}, connu le {AT}")
    assert "entente en vigueur" in head
    assert "Hébergement" in head and "Télétravail" in head  # the example's names, accented
    f04 = next(line for line in lines if "F-2026-04" in line)  # the partial payment
    assert "9.3" in f04 and "client → mcn" in f04 and "en retard" in f04
    assert "2026-06-04" in f04 and "retard 41 j" in f04 and "2\u00a0500,00\u00a0$" in f04
    f05 = next(line for line in lines if "F-2026-05" in line)  # the late one
    assert "en retard" in f05 and "12\u00a0500,00\u00a0$" in f05
    assert "F-2026-06" not in out  # issued after the date asked about: no look-ahead
    assert any("aucun délai stipulé" in line for line in lines)  # a vague standard's wording
    assert all(len(line) <= 120 for line in lines)  # fits a 120-column terminal
    assert err == ""


def test_owed_columns_are_aligned(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "owed", "--at", AT, "--engine", "python")
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Art."))
    rule = lines[start + 1]
    assert set(rule) <= {"-", " "}
    columns = [m.start() for m in re.finditer(r"-+", rule)]
    header = lines[start]
    for col in columns[1:7]:  # left-aligned columns start where their dashes start
        assert header[col - 2:col] == "  " and header[col] != " "


def test_owed_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "owed", "--at", AT, "--format", "json", "--engine", "python")
    assert code == 0
    data = json.loads(out)
    assert data["client"] == "MSSS"
    assert data["au"] == AT and data["entente_en_vigueur"] is True
    f04 = [o for o in data["obligations"]
           if o["obligation"] == "paiement-facture" and o["cle"] == "F-2026-04"]
    assert f04 and f04[0]["statut"] == "en_retard" and f04[0]["solde"] == "2500.00"
    assert f04[0]["echeance"] == "2026-06-04" and f04[0]["en_faute"] == "client"


def test_owed_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "owed", "--at", AT, "--lang", "en", "--engine", "python")
    assert code == 0
    assert out.startswith(f"MSSS on {AT}, as known on {AT} — agreement in force")
    assert "Obligations owed" in out and "41 d late" in out and "$2,500.00" in out
    assert "no time limit stipulated" in " ".join(out.split())  # the † footnote, wrapped


def test_policy_lateness_is_marked(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "owed", "--at", AT, "--engine", "python")
    invoicing = next(line for line in out.splitlines()
                     if line.startswith("9.2") and "2026-06" in line)
    assert "à échoir*" in invoicing  # late under the example's policy only
    assert "pas un" in out and "retard contractuel" in out


def test_diagnostics_info_hidden_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "owed", "--at", "2027-06-30", "--engine", "python")
    _, everything, _ = run(capsys, "owed", "--at", "2027-06-30", "--engine", "python",
                           "--all-diagnostics")
    assert everything.count("[info]") >= out.count("[info]")
    assert "[info]" not in out


def test_client_and_date_override_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "owed", "--at", AT, "--client", "SAAQ",
                       "--in-force-from", "2026-08-01", "--engine", "python")
    assert code == 0
    assert out.startswith(f"SAAQ au {AT}, connu le {AT} — entente PAS en vigueur")


@pytest.mark.parametrize(("argv", "fr", "en"), [
    (("--in-force-from", "9999-06-01"), "--in-force-from : date 9999-06-01 hors de la plage",
     "--in-force-from: date 9999-06-01 outside the accepted range"),
    (("--client", " "), "--client : texte vide", "--client: empty string"),
])
def test_an_option_that_replaces_a_key_is_named(capsys: pytest.CaptureFixture[str],
                                                argv: tuple[str, ...], fr: str,
                                                en: str) -> None:
    code, _, err = run(capsys, "owed", "--at", AT, *argv)
    assert code == 2 and fr in err and en in err
    assert "ligne" not in err  # the bundled file's line is not to blame


def test_an_out_of_range_entry_into_force_in_a_file(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('client = "MSSS"\n\nen_vigueur_le = 0001-01-01\n', encoding="utf-8")
    code, _, err = run(capsys, "owed", "--agreement", str(path), "--at", "2026-07-15")
    assert code == 2
    assert f"{path}, ligne 3, clé en_vigueur_le : date 0001-01-01 hors de la plage" in err
    assert f"{path}:3 [en_vigueur_le]: date 0001-01-01 outside the accepted range" in err
    assert "in_force_from" not in err


def test_own_event_log(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = tmp_path / "journal.jsonl"
    log.write_text("\n".join(GOOD) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "owed", "--events", str(log), "--at", AT)
    assert code == 2 and "--client" in err  # no agreement given: say what is missing
    code, out, err = run(capsys, "owed", "--events", str(log), "--client", "MTQ",
                         "--in-force-from", "2026-04-01", "--at", "2026-06-15",
                         "--engine", "python")
    assert code == 0, err
    assert "F-1" in out and "60,00" in out


def test_today_is_read_at_the_edge(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    class Today(date):
        @classmethod
        def today(cls) -> Today:
            return cls(2026, 7, 15)

    monkeypatch.setattr(cli, "date", Today)
    code, out, _ = run(capsys, "owed", "--engine", "python")
    assert code == 0 and out.startswith(f"MSSS au {AT}")


# --------------------------------------------------------------------------- explain


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "paiement-facture", "F-2026-04", "--at", AT,
                       "--engine", "python")
    assert code == 0
    assert "9.3" in out and "F-2026-04" in out and "2500.00" in out and "2026-06-04" in out
    code, out, _ = run(capsys, "explain", "paiement-facture", "F-2026-04", "--at", AT,
                       "--lang", "en", "--engine", "python")
    assert code == 0 and "Status on 2026-07-15: late" in out


def test_explain_unknown_instance(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "paiement-facture", "F-404", "--at", AT,
                         "--engine", "python")
    assert code == 1 and out == ""
    assert "F-2026-04" in err  # lists the instances that do exist


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("bad", ["2026-13-01", "15/07/2026", "demain"])
def test_bad_at_date(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    code, out, err = run(capsys, "owed", "--at", bad)
    assert code == 2 and out == ""
    assert bad in err and "AAAA-MM-JJ" in err and "YYYY-MM-DD" in err
    assert "Traceback" not in err


BAD_LINES = {
    "missing field": ('{"type": "paiement", "date": "2026-05-20", "par": "client", '
                      '"facture": "F-1"}', "montant"),
    "unknown type": ('{"type": "facture_payee", "date": "2026-05-20", "par": "client"}',
                     "type"),
    "bad date": ('{"type": "paiement", "date": "2026-02-30", "par": "client", '
                 '"facture": "F-1", "montant": "1.00"}', "date"),
    "bad JSON": ('{"type": "paiement", "date": ', "JSON"),
    "float amount": ('{"type": "paiement", "date": "2026-05-20", "par": "client", '
                     '"facture": "F-1", "montant": 60.5}', "float"),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_bad_event_log(capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str) -> None:
    line, needle = BAD_LINES[case]
    log = tmp_path / "journal.jsonl"
    log.write_text("\n".join([*GOOD, line]) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "owed", "--events", str(log), "--client", "MTQ",
                         "--in-force-from", "2026-04-01", "--at", AT)
    assert code == 2 and out == ""
    assert f"{log}:3" in err  # English: file:line
    assert f"{log}, ligne 3" in err  # French
    assert needle in err
    assert "Traceback" not in err


def test_float_amount_names_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = tmp_path / "journal.jsonl"
    log.write_text(BAD_LINES["float amount"][0] + "\n", encoding="utf-8")
    code, _, err = run(capsys, "owed", "--events", str(log), "--client", "MTQ",
                       "--in-force-from", "2026-04-01", "--at", AT, "--lang", "en")
    assert code == 2 and f"{log}:1 [montant]" in err and "float" in err


def test_missing_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "owed", "--agreement", str(tmp_path / "nope.toml"), "--at", AT)
    assert code == 2 and "nope.toml" in err and "Traceback" not in err
    code, _, err = run(capsys, "owed", "--rules", str(tmp_path / "nope"), "--at", AT)
    assert code == 2 and "nope" in err


def test_bad_agreement_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "entente.toml"
    bad.write_text('client = "MSSS"\nen_vigueur_le = 2026-04-01\ndate_fin = 2027-03-31\n',
                   encoding="utf-8")
    code, _, err = run(capsys, "owed", "--agreement", str(bad), "--at", AT, "--lang", "en")
    assert code == 2
    assert err.startswith("error: ") and "date_fin" in err and "entente.toml" in err
    assert "erreur" not in err  # --lang picks one language
    bad.write_text("client = \n", encoding="utf-8")
    code, _, err = run(capsys, "owed", "--agreement", str(bad), "--at", AT)
    assert code == 2 and "TOML" in err


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, )[0] == 2
    assert run(capsys, "owed", "--format", "xml")[0] == 2
    assert run(capsys, "--help")[0] == 0


def test_process_exit_status_and_no_traceback(tmp_path: Path) -> None:
    log = tmp_path / "journal.jsonl"
    log.write_text("pas du JSON\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "entente_regles.cli", "owed", "--events", str(log),
         "--client", "X", "--in-force-from", "2026-04-01", "--at", AT],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert f"{log}:1" in proc.stderr and "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- check


def test_check_runs_the_checker(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check")
    assert code == 0 and out.startswith("aucun constat")


# --------------------------------------------------------------------------- packaging


def test_bundled_example_and_rules_found_through_importlib_resources() -> None:
    package = resources.files("entente_regles")
    assert package.joinpath("exemple", "entente.toml").is_file()
    assert package.joinpath("exemple", "journal.jsonl").is_file()
    agreement, events = bundled_example()
    assert (agreement, events) == resources_module.bundled_example()  # report re-exports it
    assert agreement.name == "entente.toml" and events.name == "journal.jsonl"
    assert agreement.is_file() and events.is_file()
    rules = bundled_rules_dir()
    assert (rules / "evenements.toml").is_file()
    if Path(entente_regles.__file__).resolve().parents[1].name != "src":  # installed wheel
        assert package.joinpath("regles").is_dir()
        assert rules == Path(str(package.joinpath("regles")))


def test_bundled_example_is_valid() -> None:
    agreement_path, events_path = bundled_example()
    agreement = entente_regles.Agreement.from_toml(agreement_path, engine="python")
    assert agreement.client == "MSSS" and agreement.in_force_from == date(2026, 4, 1)
    events = entente_regles.read_events(events_path)
    assert len(events) > 30
    types = {e.type for e in events}
    assert {"facture_emise", "paiement"} <= types


def test_readme_python_example_runs() -> None:
    if not README.is_file():
        pytest.skip("README.md not beside tests/")
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "README.md has no python example"
    for block in blocks:
        exec(compile(block, str(README), "exec"), {"__name__": "readme"})


def test_money_format() -> None:
    from decimal import Decimal

    # the MCN rule book's currency and locales (CAD; fr_CA, en_CA): the tables as before
    assert format_amount(Decimal("12500.00"), "CAD", "fr_CA") == "12\u00a0500,00\u00a0$"
    assert format_amount(Decimal("-20"), "CAD", "en_CA") == "-$20.00"
    assert format_amount(Decimal("0.125"), "CAD", "en_CA") == "$0.125"  # never rounded


# --------------------------------------------------------------------------- knowledge date


def _closing_log(tmp_path: Path) -> list[str]:
    """The fiscal-year closing: an invoice paid on 11 March, recorded on 14 April."""
    log = tmp_path / "journal.jsonl"
    log.write_text(
        '{"type": "facture_emise", "date": "2026-02-10", "par": "mcn", "facture": "F-7", '
        '"montant": "900.00", "periode": "2026-01"}\n'
        '{"type": "paiement", "date": "2026-03-11", "par": "client", "facture": "F-7", '
        '"montant": "900.00", "enregistre_le": "2026-04-14"}\n', encoding="utf-8")
    return ["--events", str(log), "--client", "MSSS", "--in-force-from", "2026-01-01",
            "--engine", "python"]


def test_owed_as_known_on_a_later_date(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    options = _closing_log(tmp_path)
    code, out, err = run(capsys, "owed", "--at", "2026-03-31", *options)
    assert code == 0, err
    assert out.startswith("MSSS au 2026-03-31, connu le 2026-03-31")
    assert "F-7" in out and "en retard" in out  # the payment was not known yet
    code, out, err = run(capsys, "owed", "--at", "2026-03-31", "--connu-le", "2026-04-15",
                         *options)
    assert code == 0, err
    assert out.startswith("MSSS au 2026-03-31, connu le 2026-04-15")
    assert "F-7" not in out and "(dont 0 en retard)" in out
    code, out, err = run(capsys, "owed", "--at", "2026-03-31", "--known-on", "2026-04-15",
                         "--format", "json", "--lang", "en", *options)
    data = json.loads(out)
    assert code == 0 and data["au"] == "2026-03-31" and data["connu_le"] == "2026-04-15"
    assert [o["statut"] for o in data["obligations"] if o["cle"] == "F-7"] == ["satisfaite"]


def test_explain_as_known_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "explain", "paiement-facture", "F-7", "--at", "2026-03-31",
                         "--known-on", "2026-04-15", "--lang", "en", *_closing_log(tmp_path))
    assert code == 0, err
    assert out.startswith("On 2026-03-31, as known on 2026-04-15")
    assert "Status on 2026-03-31: satisfied" in out and "recorded 2026-04-14" in out


def test_bad_knowledge_date(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "owed", "--at", "2026-03-31", "--connu-le", "2026-04-31",
                       *_closing_log(tmp_path))
    assert code == 2 and "2026-04-31" in err
    log = tmp_path / "avant.jsonl"
    log.write_text('{"type": "paiement", "date": "2026-03-11", "par": "client", '
                   '"facture": "F-7", "montant": "1.00", "enregistre_le": "2026-03-10"}\n',
                   encoding="utf-8")
    code, _, err = run(capsys, "owed", "--at", "2026-03-31", "--events", str(log), "--client",
                       "X", "--in-force-from", "2026-01-01", "--engine", "python")
    assert code == 2 and "avant.jsonl, ligne 1, clé enregistre_le" in err
    assert "avant.jsonl:1 [enregistre_le]" in err and "before its date" in err


@pytest.mark.parametrize(("lang", "expected"), [
    (None, ["erreur : moteur absent", "error: engine missing"]),
    ("en", ["error: engine missing"]),
])
def test_an_engine_error_says_each_language_once(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        lang: str | None, expected: list[str]) -> None:
    from entente_regles.core.errors import EngineUnavailable

    def unavailable(*_: object) -> int:
        raise EngineUnavailable("moteur absent", "engine missing")

    monkeypatch.setitem(cli.COMMANDS, "owed", unavailable)
    argv = ["owed", "--at", "2026-07-15"] + (["--lang", lang] if lang else [])
    assert cli.main(argv) == 2
    assert capsys.readouterr().err.splitlines() == expected


# --------------------------------------------------------------------------- reproduction

REPRODUCTION_KEYS = {"version", "regles", "politique", "entente", "moteur", "au", "connu_le"}


@pytest.mark.parametrize("argv", [
    ["owed", "--at", AT, "--format", "json"],
    ["owed", "--at", AT, "--connu-le", "2026-08-01", "--format", "json"],
    ["agenda", "--at", AT, "--au", "2026-09-15", "--format", "json"],
    ["soldes", "--at", AT, "--format", "json"],
    ["explain", "paiement-facture", "F-2026-04", "--at", AT, "--format", "json"],
    ["explain", "paiement-facture", "--at", AT, "--format", "json"],
])
def test_every_json_report_says_how_to_reproduce_it(
        capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv)
    block = json.loads(out)["reproduction"]
    assert code == 0 and set(block) == REPRODUCTION_KEYS
    assert block["version"] == package_version()
    assert all(block[k].startswith("sha256:") for k in ("regles", "politique", "entente"))
    assert block["moteur"] == "python" and block["au"] == AT
    known = argv[argv.index("--connu-le") + 1] if "--connu-le" in argv else None
    assert block["connu_le"] in (known, AT) and (known is None or block["connu_le"] == known)


def test_fingerprints_are_stable_and_follow_what_they_print(tmp_path: Path) -> None:
    from entente_regles.outputs.provenance import provenance

    agreement_file, _ = bundled_example()
    one = entente_regles.Agreement.from_toml(agreement_file)
    again = entente_regles.Agreement.from_toml(agreement_file)
    assert provenance(one, date(2026, 7, 15)) == provenance(again, date(2026, 7, 15))
    stricter = entente_regles.Agreement(
        client=one.client, in_force_from=one.in_force_from, services=one.services,
        annex=one.annex, policy=entente_regles.Policy(saturday_non_working=False))
    other_client = entente_regles.Agreement(client="AUTRE", in_force_from=one.in_force_from)
    base = provenance(one)
    assert provenance(stricter)["politique"] != base["politique"]
    assert provenance(stricter)["regles"] == base["regles"]
    assert provenance(other_client)["entente"] != base["entente"]


def test_a_rule_book_fingerprint_is_kept_while_its_book_lives(tmp_path: Path) -> None:
    """The rule book's digest is computed once per loaded book (its canonical form takes
    tens of milliseconds) and is the digest of the book: equal to one computed afresh, and
    its entry gone with its book (a later book at the same address is digested anew)."""
    import gc

    from entente_regles.rules import fingerprint

    rules = tmp_path / "regles"
    shutil.copytree(bundled_rules_dir(), rules)
    book = entente_regles.RuleBook.from_directory(rules)
    first = fingerprint.Fingerprint.of(book, None, {}, "python").rules
    bundled = entente_regles.RuleBook.bundled()
    assert first == fingerprint.digest(book) == fingerprint.digest(bundled)
    assert fingerprint._BOOK_DIGESTS[id(book)] == first
    assert fingerprint.Fingerprint.of(book, None, {}, "python").rules == first
    key = id(book)
    del book
    gc.collect()
    assert key not in fingerprint._BOOK_DIGESTS


def test_the_report_page_says_how_to_reproduce_it(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    page = tmp_path / "rapport.html"
    code, _, _ = run(capsys, "rapport", "--at", AT, "--connu-le", "2026-08-01",
                     "-o", str(page))
    _, out, _ = run(capsys, "owed", "--at", AT, "--connu-le", "2026-08-01", "--format", "json")
    html = page.read_text(encoding="utf-8")
    block = json.loads(out)["reproduction"]
    assert code == 0 and 'id="reproduction"' in html and "connu le" in html
    for value in block.values():
        assert value in html


def test_the_parser_is_built_once_and_a_run_leaves_it_as_it_was(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``main`` builds its parser once (per set of subcommand extensions) and parsing never
    changes it: a repeatable option given in one run is absent from the next."""
    code, out, _ = run(capsys, "agenda", "--at", AT, "--effet", "2026-09-01", "--format", "json")
    assert code == 0 and "2026-09-01" in out
    parser = cli._parser()
    assert cli._parser() is parser
    assert parser.parse_args(["agenda"]).effective == []
    again, plain, _ = run(capsys, "agenda", "--at", AT, "--format", "json")
    assert again == 0 and plain == run(capsys, "agenda", "--at", AT, "--format", "json")[1]
