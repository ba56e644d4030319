"""Issue 22, input bounds and normalisation: one long JSON line, deep TOML keys, service names
in another Unicode form, amounts with non-ASCII spaces, look-alike keys with invisible
characters. Each case is refused (or read) as docs/limites.md says; CLI cases exit 2, never
3: those that could overflow a stack (deep keys) and one other run in a subprocess, the others
in this process (``cli.main``, which ``python -m`` runs: the same checks and exit status
without starting Python again)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import entente_regles as er
from entente_regles.cli import commands as cli_commands
from entente_regles.core.input_limits import (
    MAX_JSON_LINE_CHARS,
    MAX_TOML_BYTES,
    MAX_TOML_DEPTH,
)
from entente_regles.events.log import validate_events
from entente_regles.rules.toml_tables import TomlSource, toml_too_deep

INVOICE = {"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-1",
           "montant": "100.00", "periode": "2026-04"}
PAYMENT = {"type": "paiement", "date": "2026-05-10", "par": "client", "facture": "F-1",
           "montant": "100.00"}


def line_with(base: dict[str, Any], **fields: Any) -> str:
    return json.dumps({**base, **fields}, ensure_ascii=False)


def write_log(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "journal.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def refusal(path: Path) -> er.EventError:
    with pytest.raises(er.EventError) as caught:
        er.read_events(path)
    return caught.value


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entente_regles.cli", *argv],
                          capture_output=True, text=True, check=False, timeout=120)


def main(capsys: pytest.CaptureFixture[str], *argv: str) -> subprocess.CompletedProcess[str]:
    """The command line run in this process: its exit status and what it wrote."""
    code = cli_commands.main(list(argv))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(argv), code, out, err)


# ------------------------------------------------------------------ one long JSON line


def test_a_20_mb_line_is_refused_with_modest_memory(tmp_path: Path) -> None:
    log = write_log(tmp_path, line_with(INVOICE), "[" * 20_000_000)
    tracemalloc.start()
    try:
        error = refusal(log)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.where.file == str(log) and error.where.line == 2
    assert "ligne trop longue" in error.fr and "line too long" in error.en
    assert str(MAX_JSON_LINE_CHARS) in error.en
    # the file and its text are held once each (about 60 MB); before, 2.4 GB of tokens
    assert peak < 150_000_000, peak


def test_a_line_under_the_bound_full_of_brackets_is_scanned_without_a_token_list(
        tmp_path: Path) -> None:
    log = write_log(tmp_path, '["' + "]" * 1000 + '", ' + "[" * 300_000)
    tracemalloc.start()
    try:
        error = refusal(log)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.where.line == 1 and "nested too deeply" in error.en
    assert peak < 10_000_000, peak  # a token list: about 36 MB for these 300,000 brackets


def test_a_500_kb_valid_line_still_reads(tmp_path: Path) -> None:
    key = "F-" + "1" * 500_000
    log = write_log(tmp_path, line_with(INVOICE, facture=key), line_with(PAYMENT, facture=key))
    events = er.read_events(log)
    assert [e.data["facture"] for e in events] == [key, key]


def test_cli_refuses_a_long_line_naming_file_and_line(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    log = write_log(tmp_path, line_with(INVOICE), '{"type": "' + "x" * 3_000_000 + '"}')
    done = main(capsys, "owed", "--events", str(log), "--client", "X", "--in-force-from",
                "2026-04-01", "--at", "2026-12-01", "--engine", "python")
    assert done.returncode == 2, done.stderr
    assert "journal.jsonl" in done.stderr and "2" in done.stderr
    assert "ligne trop longue" in done.stderr and "line too long" in done.stderr
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------ TOML bounds


def test_a_dotted_key_of_16000_parts_is_refused_before_parsing() -> None:
    text = 'client = "X"\n' + ".".join(["a"] * 16_000) + " = 1\n"
    started = time.perf_counter()
    with pytest.raises(er.RuleFileError) as caught:
        TomlSource.parse(text.encode(), "entente.toml")
    assert time.perf_counter() - started < 5  # generous: tomllib took minutes and gigabytes
    error = caught.value
    assert error.where.file == "entente.toml" and error.where.line == 2
    assert "clé trop profonde" in error.fr and "key too deep" in error.en
    assert str(MAX_TOML_DEPTH) in error.en


def test_a_deep_table_header_is_refused_with_its_line() -> None:
    header = "[" + ".".join(["t"] * (MAX_TOML_DEPTH + 1)) + "]"
    with pytest.raises(er.RuleFileError) as caught:
        TomlSource.parse(f'a = 1\nb = "x.y.z"\n\n{header}\nc = 2\n'.encode(), "r.toml")
    assert caught.value.where.line == 4


@pytest.mark.parametrize("text", [
    "[" + ".".join(["t"] * MAX_TOML_DEPTH) + "]\nc = 1\n",  # exactly the bound
    "a = [" + ", ".join(["1.5"] * 200) + "]\n",  # many dots, each in its own value
    'a = "' + "." * 500 + '"\n',  # dots in a string
    "a = '''\n" + "." * 500 + "\n'''\n",  # dots in a multi-line literal string
    "# " + "." * 500 + "\n",  # dots in a comment
    '"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.0.1.2.3.4.5.6" = 1\n',  # one part
])
def test_dots_that_are_not_key_parts_are_not_counted(text: str) -> None:
    assert toml_too_deep(text) is None


def test_a_toml_file_over_the_size_bound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text('client = "X"\n# ' + "x" * MAX_TOML_BYTES + "\n", encoding="utf-8")
    with pytest.raises(er.RuleFileError) as caught:
        er.Agreement.from_toml(path)
    assert "trop gros" in caught.value.fr and "too large" in caught.value.en
    assert str(MAX_TOML_BYTES) in caught.value.en


def test_cli_refuses_a_deep_key_in_an_agreement_file(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text('client = "X"\nen_vigueur_le = 2026-04-01\n'
                    + ".".join(["a"] * 16_000) + " = 1\n", encoding="utf-8")
    done = cli("owed", "--agreement", str(path), "--at", "2026-12-01", "--engine", "python")
    assert done.returncode == 2, done.stderr
    assert "entente.toml" in done.stderr and "3" in done.stderr
    assert "clé trop profonde" in done.stderr and "key too deep" in done.stderr


def test_cli_refuses_a_deep_key_in_a_rule_file(tmp_path: Path) -> None:
    from entente_regles.rules.resources import bundled_rules_dir

    rules = tmp_path / "regles"
    shutil.copytree(Path(str(bundled_rules_dir())), rules)
    (rules / "99-profond.toml").write_text(".".join(["a"] * 16_000) + " = 1\n",
                                            encoding="utf-8")
    done = cli("check", str(rules))
    shown = done.stderr + done.stdout
    assert done.returncode == 1, shown  # the checker's finding of a file that does not load
    assert "99-profond.toml, ligne 1" in shown and "clé trop profonde" in shown


# ------------------------------------------------------------------ service names


def test_a_decomposed_service_name_is_named_by_a_composed_event(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text('client = "X"\nen_vigueur_le = 2026-04-01\n'
                    'services = ["he\u0301bergement", "courriel "]\n', encoding="utf-8")
    agreement = er.Agreement.from_toml(path)
    assert set(agreement.services) == {"h\u00e9bergement", "courriel"}
    for named, left in (("h\u00e9bergement", ("courriel",)),
                        ("courriel", ("h\u00e9bergement",))):
        withdrawn = agreement.evaluate([er.Event(
            "retrait_sans_preavis", date(2026, 5, 1), by="mcn",
            data={"service": named, "definitif": True, "motif": "m"})])
        assert withdrawn.at(date(2026, 6, 1)).services_in_force == left


@pytest.mark.parametrize("services", [
    'services = ["he\u0301bergement", "h\u00e9bergement"]',
    'services = ["courriel", " courriel "]',
    'services = { "he\u0301bergement" = 2026-04-01, "h\u00e9bergement" = 2026-05-01 }',
])
def test_two_service_names_equal_once_normalised_are_a_duplicate(tmp_path: Path,
                                                                 services: str) -> None:
    path = tmp_path / "entente.toml"
    path.write_text(f'client = "X"\nen_vigueur_le = 2026-04-01\n{services}\n',
                    encoding="utf-8")
    with pytest.raises(er.RuleFileError) as caught:
        er.Agreement.from_toml(path)
    assert "nommé deux fois" in caught.value.describe("fr")
    assert "named twice" in caught.value.describe("en")
    assert caught.value.where.line == 3


def test_an_invisible_character_in_a_service_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text('client = "X"\nen_vigueur_le = 2026-04-01\n'
                    'services = ["courriel\u200b"]\n', encoding="utf-8")
    with pytest.raises(er.RuleFileError) as caught:
        er.Agreement.from_toml(path)
    assert "U+200B" in caught.value.en and caught.value.where.line == 3


# ------------------------------------------------------------------ amounts


@pytest.mark.parametrize(("amount", "char"), [
    ("100.00\u00a0", "U+00A0"), ("\u2003100.00\u3000", "U+2003"), ("100\u202f000.00", "U+202F"),
])
def test_amounts_with_non_ascii_spaces_are_refused(tmp_path: Path, amount: str,
                                                   char: str) -> None:
    error = refusal(write_log(tmp_path, line_with(INVOICE, montant=amount)))
    assert error.where.key == "montant" and char in error.fr and char in error.en
    assert "ASCII" in error.fr and "ASCII" in error.en
    with pytest.raises(er.EventError):  # the Python path refuses it the same way
        validate_events([er.Event("facture_emise", date(2026, 5, 1), by="mcn", data={
            "facture": "F-1", "montant": amount, "periode": "2026-04"})],
            er.RuleBook.bundled().vocabulary)


def test_ascii_spaces_around_an_amount_are_still_read(tmp_path: Path) -> None:
    events = er.read_events(write_log(tmp_path, line_with(INVOICE, montant=" 100.00 ")))
    assert str(events[0].data["montant"]) == "100.00"


def test_cli_refuses_a_non_ascii_space_in_an_amount(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    log = write_log(tmp_path, line_with(INVOICE, montant="100.00\u00a0"))
    done = main(capsys, "owed", "--events", str(log), "--client", "X", "--in-force-from",
                "2026-04-01", "--at", "2026-12-01", "--engine", "python")
    assert done.returncode == 2, done.stderr
    assert "montant" in done.stderr and "U+00A0" in done.stderr


# ------------------------------------------------------------------ look-alike keys


@pytest.mark.parametrize(("key", "char"), [
    ("F-1\u200b", "U+200B"), ("\ufeffF-1\u2060", "U+FEFF"), ("F-\u200d1", "U+200D"),
    ("F-1\u202e", "U+202E"), ("F-1\x1b[2J", "U+001B"), ("F-1\u2028", "U+2028"),
    ("F-1\x85", "U+0085"), ("F-1\U000e0041", "U+E0041"), ("F\u00ad-1", "U+00AD"),
])
def test_invisible_characters_in_keys_are_refused(tmp_path: Path, key: str, char: str) -> None:
    error = refusal(write_log(tmp_path, line_with(INVOICE), line_with(PAYMENT, facture=key)))
    assert error.where.line == 2 and error.where.key == "facture"
    assert char in error.fr and char in error.en
    with pytest.raises(er.EventError) as caught:  # typed events from Python too
        validate_events([er.Event("paiement", date(2026, 5, 10), by="client", data={
            "facture": key, "montant": "40.00"})], er.RuleBook.bundled().vocabulary)
    assert char in caught.value.en


def test_invisible_characters_in_amendment_parameters_are_refused(tmp_path: Path) -> None:
    line = line_with({"type": "avenant", "date": "2026-09-15", "par": "mcn", "avenant": "A",
                      "signe_par": ["mcn", "client"],
                      "parametres": {"delai\u200b": 60}})
    error = refusal(write_log(tmp_path, line))
    assert "U+200B" in error.en


def test_cli_refuses_a_look_alike_key(tmp_path: Path) -> None:
    log = write_log(tmp_path, line_with(INVOICE), line_with(INVOICE, facture="F-1\u200b"))
    done = cli("owed", "--events", str(log), "--client", "X", "--in-force-from", "2026-04-01",
               "--at", "2026-12-01", "--engine", "python")
    assert done.returncode == 2, done.stderr
    assert "U+200B" in done.stderr and "facture" in done.stderr


def test_visible_non_ascii_text_still_reads(tmp_path: Path) -> None:
    key = "F-\u00e9t\u00e9\u00a02026 \u0444\u0430\u043a\u0442\u0443\u0440\u0430 \u6587"
    events = er.read_events(write_log(tmp_path, line_with(INVOICE, facture=key)))
    assert events[0].data["facture"] == key


def test_an_invisible_character_in_a_rule_file_id_is_refused(tmp_path: Path) -> None:
    from entente_regles.rules.resources import bundled_rules_dir

    rules = tmp_path / "regles"
    shutil.copytree(Path(str(bundled_rules_dir())), rules)
    path = rules / "09-3-paiement.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('id = "paiement-facture"', 'id = "paiement-facture\u2060"', 1),
                    encoding="utf-8")
    with pytest.raises(er.RuleFileError) as caught:
        er.RuleBook.from_directory(rules)
    shown = caught.value.describe("en")
    assert "09-3-paiement.toml" in shown and "U+2060" in shown and ".id" in shown
    line = text.splitlines().index('id = "paiement-facture"') + 1
    assert f":{line}" in shown


def test_an_invisible_character_in_an_agreement_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entente.toml"
    path.write_text('en_vigueur_le = 2026-04-01\nclient = "\ufeffX"\n', encoding="utf-8")
    with pytest.raises(er.RuleFileError) as caught:
        er.Agreement.from_toml(path)
    assert "U+FEFF" in caught.value.en and caught.value.where.line == 2


def test_service_names_from_python_are_normalised_like_event_text() -> None:
    """``Agreement(services=…)`` reads names as the agreement file does (NFC, stripped), and
    two names equal once normalised are refused, not merged in silence."""
    from datetime import date

    agreement = er.Agreement(client="X", in_force_from=date(2026, 4, 1),
                             services={"te\u0301le\u0301travail ": date(2026, 6, 1)})
    assert list(agreement.services) == ["t\u00e9l\u00e9travail"]
    with pytest.raises(ValueError, match="named twice"):
        er.Agreement(client="X", in_force_from=date(2026, 4, 1),
                     services=["courriel", "courriel "])
