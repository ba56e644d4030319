"""Issue 22, third round of hostile input: what reaches people and files.

- CSV cells that a spreadsheet would run as formulas are neutralised by a leading ``'``
  (OWASP), unless ``--csv-brut`` / ``--raw-csv``; a plain number such as ``-5.00`` is not a
  formula and keeps its value.
- A faculty's explanation, the .ics DESCRIPTION, the echoes of ``explain``, ``check`` and
  argparse show control, bidi and invisible characters as escapes.
- ``-o`` writes whole or not at all: a failure midway leaves the previous file, removes the
  temporary one, names the file, exit status 2.
- ``explain()`` cites an amendment by its identifier.
- A property: whatever a key holds, no text output carries a control, bidi or invisible
  format character raw.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import entente_regles as er
from entente_regles.cli import commands as cli
from entente_regles.core import input_limits
from entente_regles.core.errors import ErrorLocation, InputError
from entente_regles.core.textsafe import BIDI_CONTROLS, INVISIBLE
from entente_regles.events.log import event_from_mapping
from entente_regles.outputs.csv import neutralised, to_csv
from entente_regles.outputs.html import render_report
from entente_regles.outputs.ics import agenda_to_ics
from entente_regles.outputs.text import agenda_table, owed_table
from entente_regles.query.aging import RECORD_COLUMNS as AGING_COLUMNS
from entente_regles.query.serialization import RECORD_COLUMNS
from entente_regles.rules.resources import bundled_rules_dir
from entente_regles.rules.rulebook import RuleBook

BOOK = RuleBook.bundled()
START = date(2026, 4, 1)
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\u202e\u200b\u2060\ufeff\x85"
INVOICE = {"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-1",
           "montant": "100.00", "periode": "2026-04"}
NOTICE = {"type": "avis_modification_service", "date": "2026-05-01", "par": "mcn",
          "modification": "M-1", "service": "courriel", "date_effet": "2026-06-15"}


NEVER = re.compile("(?!)")


@contextmanager
def lenient_input() -> Iterator[None]:
    """The input layer refuses control and invisible characters in event text (issue 22,
    docs/limites.md); to check that the outputs escape them all the same (defence in
    depth: text from elsewhere, a future field), that refusal is lifted here."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(input_limits, "INVISIBLE_CHARACTERS", NEVER, raising=False)
        yield


def evaluate(*raw: dict[str, Any]) -> er.Evaluation:
    events = [event_from_mapping(r, BOOK.vocabulary, ErrorLocation("journal.jsonl", i + 1))
              for i, r in enumerate(raw)]
    return er.Agreement(client="X", in_force_from=START, engine="python").evaluate(events)


def write_log(tmp_path: Path, *events: dict[str, Any]) -> Path:
    path = tmp_path / "journal.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events),
                    encoding="utf-8")
    return path


def run(*argv: str, cwd: Path | None = None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "entente_regles", *argv], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=cwd, timeout=120,
                          check=False, **kwargs)


@attrs.frozen
class Done:
    """A command run in this process: exit status and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


def main(capsys: pytest.CaptureFixture[str], *argv: str) -> Done:
    """The command line run in this process (``cli.main``, as ``python -m entente_regles``
    runs it): the same parsing, checks, escaping and exit status without starting Python
    again. Tests that need a process of their own (a file size limit, argparse's and the
    input layer's exit status through ``python -m``) use :func:`run`."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return Done(code, out, err)


def agreement_args(log: Path) -> list[str]:
    return ["--events", str(log), "--client", "X", "--in-force-from", "2026-04-01"]


@cache
def _unsafe_characters(allow: str) -> re.Pattern[str]:
    """One character no output may carry raw: C0 and C1 controls, bidi controls, invisible
    format characters, line and paragraph separators, tag characters; not those of
    ``allow``. (A pattern: a set test on each character of every report was a third of the
    time of the property below.)"""
    chars = {chr(c) for c in (*range(0x20), *range(0x7f, 0xa0), *range(0xE0000, 0xE0080))}
    chars |= BIDI_CONTROLS | INVISIBLE | {"\u2028", "\u2029"}
    return re.compile("[" + "".join(map(re.escape, sorted(chars - set(allow)))) + "]")


def unsafe(text: str, *, allow: str = "\n") -> list[str]:
    """The characters of ``text`` no output may carry raw (``allow``: line ends)."""
    return sorted(set(_unsafe_characters(allow).findall(text)))


# --------------------------------------------------------------------------- CSV formulas


@pytest.mark.parametrize(("value", "shown"), [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-5.00", "-5.00"),        # a plain number cannot be a formula: it stays a number
    ("+3", "+3"),
    ("-", "'-"),
    ("2026-05-01", "2026-05-01"),
    ("F-1", "F-1"),
    ("", ""),
])
def test_formula_guard_follows_owasp(value: str, shown: str) -> None:
    assert neutralised(value) == shown


def test_csv_default_is_neutralised_and_raw_is_exact() -> None:
    records = [{"a": "=1+2", "b": "-5.00", "c": "F\u202e1"}]
    safe = list(csv.reader(io.StringIO(to_csv(records, ["a", "b", "c"]))))
    assert safe[1] == ["'=1+2", "-5.00", "F\\u202e1"]
    raw = list(csv.reader(io.StringIO(to_csv(records, ["a", "b", "c"], raw=True))))
    assert raw[1] == ["=1+2", "-5.00", "F\u202e1"]


FORMULA_KEY = "=HYPERLINK(\"http://evil\",\"F-1\")"
CMD_KEY = "+cmd|' /C calc'!A0"


@pytest.mark.parametrize("command", [["owed", "--format", "csv"], ["soldes", "--format", "csv"],
                                     ["agenda", "--du", "2026-05-01", "--au", "2026-07-31",
                                      "--format", "csv"]])
def test_every_csv_command_neutralises_formulas(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path, command: list[str]) -> None:
    log = write_log(tmp_path, {**INVOICE, "facture": FORMULA_KEY},
                    {**INVOICE, "facture": CMD_KEY})
    at = ["--at", "2026-07-20"] if command[0] != "agenda" else ["--at", "2026-05-01"]
    done = main(capsys, *command, *agreement_args(log), *at)
    assert done.returncode == 0, done.stderr
    cells = [c for row in csv.reader(io.StringIO(done.stdout)) for c in row]
    assert "'" + FORMULA_KEY in cells and "'" + CMD_KEY in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    for alias in ("--csv-brut", "--raw-csv"):
        raw = main(capsys, *command, *agreement_args(log), *at, alias)
        assert raw.returncode == 0, raw.stderr
        cells = [c for row in csv.reader(io.StringIO(raw.stdout)) for c in row]
        assert FORMULA_KEY in cells and CMD_KEY in cells


def test_negative_amounts_stay_numbers_in_csv() -> None:
    """A plain negative decimal (an overpaid balance) is not a formula: left as it is."""
    text = to_csv([{"obligation": "x", "solde": "-60.00", "montant": "-0.01"}], AGING_COLUMNS)
    row = list(csv.reader(io.StringIO(text)))[1]
    assert "-60.00" in row and "-0.01" in row
    assert "solde" in RECORD_COLUMNS or "montant" in RECORD_COLUMNS


# --------------------------------------------------------------------------- escaping


def test_a_faculty_explanation_is_escaped() -> None:
    key = "courriel" + HOSTILE
    with lenient_input():
        ev = evaluate({**NOTICE, "service": key, "modification": "M-1" + HOSTILE})
    option = next(o for o in ev.at(date(2026, 5, 20)).options
                  if o.rule == "reponse-modification")  # its key as the input layer keeps it
    for lang in ("fr", "en"):
        text = option.explain(lang)  # type: ignore[arg-type]
        assert unsafe(text) == [] and "\\x1b" in text and "\\u202e" in text
        assert "\\u200b" in text and "\\u2060" in text and "\\ufeff" in text


def test_a_faculty_on_the_command_line_is_refused_or_escaped(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    """``explain reponse-modification KEY`` with a hostile key: the log is refused at input
    (exit 2, the error escaped) or, were it accepted, the explanation escaped."""
    key = "courriel\x1b[2J\u202e"
    log = write_log(tmp_path, {**NOTICE, "service": key})
    done = main(capsys, "explain", "reponse-modification", key, *agreement_args(log), "--at",
                "2026-05-20")
    assert done.returncode in (0, 2), done.stderr
    assert unsafe(done.stdout + done.stderr) == [] and "\\x1b[2J\\u202e" in (
        done.stdout + done.stderr)


def test_ics_description_and_summary_carry_no_control(tmp_path: Path) -> None:
    """A client name with controls is refused on the command line (exit 2, the refusal
    escaped); handed to the .ics writer all the same, its calendar name, summaries and
    descriptions carry none of them raw."""
    client = "X\x1b[2J\u202e\u200b"
    log = write_log(tmp_path, NOTICE, INVOICE)
    done = run("agenda", "--events", str(log), "--client", client, "--in-force-from",
               "2026-04-01", "--du", "2026-05-01", "--au", "2026-07-31", "--format", "ics",
               "-o", str(tmp_path / "a.ics"))
    assert done.returncode == 2, done.stderr
    assert unsafe(done.stdout + done.stderr) == [] and "U+001B" in done.stderr
    assert not (tmp_path / "a.ics").exists()
    ev = evaluate(NOTICE, INVOICE)
    agreement = er.Agreement(client="X", in_force_from=START, engine="python")
    agenda = ev.agenda(date(2026, 5, 1), date(2026, 7, 31))
    text = agenda_to_ics(agenda, client, agreement.legal_calendar()).decode("utf-8")
    assert "DESCRIPTION" in text and "reponse-modification" in text
    assert unsafe(text.replace("\r\n", "\n")) == [] and "\\u202e" in text


def test_ics_of_hostile_event_text_carries_no_control() -> None:
    with lenient_input():
        ev = evaluate({**NOTICE, "service": "c" + HOSTILE, "modification": "M" + HOSTILE},
                      {**INVOICE, "facture": "F" + HOSTILE})
    agreement = er.Agreement(client="X", in_force_from=START, engine="python")
    agenda = ev.agenda(date(2026, 5, 1), date(2026, 7, 31))
    text = agenda_to_ics(agenda, "X", agreement.legal_calendar()).decode("utf-8")
    assert "reponse-modification" in text
    assert unsafe(text.replace("\r\n", "\n")) == []


def test_explain_without_a_match_echoes_its_arguments_escaped(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log = write_log(tmp_path, INVOICE)
    done = main(capsys, "explain", "paiement-facture\x1b[2J", "F\u202e-9\x1b]0;t\x07",
               *agreement_args(log), "--at", "2026-05-20")
    assert done.returncode == 1
    assert unsafe(done.stdout + done.stderr) == []
    assert "\\x1b[2J" in done.stderr and "\\u202e" in done.stderr
    other = main(capsys, "explain", "paiement-facture", "F\u202e-9", *agreement_args(log),
                 "--at", "2026-05-20")
    assert other.returncode == 1 and unsafe(other.stderr) == [] and "\\u202e" in other.stderr


def test_argparse_errors_echo_escaped() -> None:
    done = run("owed", "--bogus\x1b[2J", "x\u202ey")
    assert done.returncode == 2
    assert unsafe(done.stderr) == []
    assert "\\x1b[2J" in done.stderr and "\\u202e" in done.stderr
    bad_choice = run("owed", "--format", "csv\x1b]0;t\x07")
    assert bad_choice.returncode == 2 and unsafe(bad_choice.stderr) == []


def test_check_prints_file_names_and_key_paths_escaped(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    rules = tmp_path / "regles\u202e"
    shutil.copytree(bundled_rules_dir(), rules)
    (rules / "zz\x1b[2J.toml").write_text(
        '[[obligation]]\nid = "x"\n"cl\\u001b[2J" = 1\n', encoding="utf-8")
    done = main(capsys, "check", str(rules))
    assert done.returncode in (1, 2), done.stderr
    out = done.stdout + done.stderr
    assert unsafe(out) == [], out[-2000:]
    assert "\\x1b[2J" in out


def test_a_finding_is_described_escaped() -> None:
    from entente_regles.check.findings import Finding
    finding = Finding("r\x1b[2J.toml", "a.\u202eb", "m\x07", "m\x07", "code", 3)
    for lang in ("fr", "en"):
        text = finding.describe(lang)  # type: ignore[arg-type]
        assert unsafe(text) == [] and "\\x1b" in text and "\\u202e" in text


# --------------------------------------------------------------------------- atomic -o


def test_a_failed_write_leaves_the_previous_file(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "rapport.html"
    target.write_text("previous report", encoding="utf-8")
    real_fsync = os.fsync

    def full_disk(fd: int) -> None:  # the data was partly written: then the disk is full
        os.write(fd, b"<truncated")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    code = cli.main(["rapport", "--at", "2026-07-15", "-o", str(target)])
    monkeypatch.setattr(os, "fsync", real_fsync)
    err = capsys.readouterr().err
    assert code == 2, err
    assert target.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.html"]
    assert str(target) in err and "écriture impossible" in err and "could not write" in err


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("command", [
    ["rapport", "--at", "2026-07-15"],
    ["agenda", "--du", "2026-04-01", "--au", "2026-12-31", "--format", "ics"],
    ["agenda", "--du", "2026-04-01", "--au", "2026-12-31", "--format", "csv"],
])
def test_a_file_size_limit_midway_leaves_the_previous_file(tmp_path: Path,
                                                           command: list[str]) -> None:
    import resource
    import signal

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    target = tmp_path / "out.file"
    target.write_text("previous", encoding="utf-8")
    done = run(*command, "-o", str(target), preexec_fn=limit)
    assert done.returncode == 2, done.stderr
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.file"]
    assert str(target) in done.stderr and "could not write" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_output_path_is_exit_2_naming_it(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    target = tmp_path / "missing" / "r.html"
    done = main(capsys, "rapport", "--at", "2026-07-15", "-o", str(target))
    assert done.returncode == 2 and str(target) in done.stderr, done.stderr
    ok = main(capsys, "rapport", "--at", "2026-07-15", "-o", str(tmp_path / "r.html"))
    assert ok.returncode == 0 and (tmp_path / "r.html").read_text().startswith("<!")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


# --------------------------------------------------------------------------- amendments


def test_explain_cites_the_amendment_by_its_identifier() -> None:
    ev = evaluate({"type": "avenant", "date": "2026-04-10", "par": "mcn", "avenant": "A-7",
                   "signe_par": ["mcn", "client"], "parametres": {"delai_paiement_jours": 45}},
                  INVOICE)
    found = ev.at(date(2026, 5, 20)).find("paiement-facture", "F-1")
    assert found is not None
    assert "Avenant : avenant=A-7" in found.explain("fr")
    assert "Amendment: avenant=A-7" in found.explain("en")


# --------------------------------------------------------------------------- the property


HOSTILE_CHARS = ("\x00\x07\x08\x0b\x0c\x1b\x7f\x80\x85\x9b\x9f\u061c\u200e\u200f"
                 "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                 "\u200b\u200c\u200d\u2060\ufeff\u00ad\u2028\u2029\r\t\n")
KEY_TEXT = st.text(st.sampled_from(HOSTILE_CHARS) | st.sampled_from("F-1aé=+@ "),
                   min_size=1, max_size=12).map(lambda s: "F" + s)


def _evaluation_for(key: str) -> er.Evaluation:
    """The evaluation of a log whose invoice and service keys are ``key``. When the input
    layer refuses it, its error (an output too) is checked, and the outputs are checked all
    the same with the refusal lifted (:func:`lenient_input`)."""
    raw = ({**INVOICE, "facture": key}, {**NOTICE, "service": "s" + key})
    try:
        return evaluate(*raw)
    except InputError as refused:
        for lang in ("fr", "en"):
            assert unsafe(refused.describe(lang)) == []  # type: ignore[arg-type]
    with lenient_input():
        return evaluate(*raw)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(KEY_TEXT)
def test_no_text_output_carries_an_unsafe_character_raw(key: str) -> None:
    ev = _evaluation_for(key)
    on = date(2026, 5, 20)
    snapshot = ev.at(on)
    agenda = ev.agenda(date(2026, 5, 1), date(2026, 7, 31))
    agreement = er.Agreement(client="X", in_force_from=START, engine="python")
    # the keys as the input layer keeps them (NFC, stripped): one instance of each rule
    found = next(o for o in snapshot.obligations if o.rule == "paiement-facture")
    option = next(o for o in snapshot.options if o.rule == "reponse-modification")
    outputs = {
        "owed": owed_table(snapshot, "X"),
        "explain": found.explain("fr") + found.explain("en"),
        "explain_option": option.explain("fr") + option.explain("en"),
        "agenda": agenda_table(agenda, "X"),
        "csv": to_csv(snapshot.to_records(), RECORD_COLUMNS),
        "html": render_report(ev, "X", on),
        "no_instance": ev.explain("paiement-facture", key + "?", on),
    }
    for name, text in outputs.items():
        assert unsafe(text) == [], name
    ics = agenda_to_ics(agenda, "X", agreement.legal_calendar()).decode("utf-8")
    assert unsafe(ics.replace("\r\n", "\n")) == [], "ics"
