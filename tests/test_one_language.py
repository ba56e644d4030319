"""Every output in the language asked, amounts written one way (issue 20): with
``--lang en`` no French word, severity or French colon spacing; in both languages every
amount people read goes through ``words.money.format_amount`` (the exact decimal stays in
JSON and CSV, beside ``monnaie``)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import entente_regles as er
from entente_regles.cli import commands as cli
from entente_regles.words.command import severity_label

AT = "2026-07-15"
# A payment of an unknown invoice and an overpayment: two diagnostics of severity "erreur".
EXTRA = ('{"type": "paiement", "date": "2026-07-10", "par": "client", "facture": "F-XX", '
         '"montant": "10.00"}\n'
         '{"type": "paiement", "date": "2026-07-11", "par": "client", "facture": "F-2026-04", '
         '"montant": "3000.00"}\n')
FRENCH = re.compile(r" :|\[(erreur|avertissement)\]|écrit|\bau \d{4}|Obligations dues")
RAW_AMOUNT = re.compile(r"(?<![\d.,$£€])\d+\.\d\d(?![\d.])")  # 2500.00: not how people read money
EVENT_QUOTE = re.compile(r"\[[^\]]*\]")  # an event's fields, quoted as the log has them


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    agreement_file, journal = er.bundled_example()
    log = tmp_path_factory.mktemp("lang") / "journal.jsonl"
    log.write_text(Path(journal).read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    return str(agreement_file), str(log)


def run(capsys: pytest.CaptureFixture[str], files: tuple[str, str], *argv: str) -> str:
    code = cli.main([*argv, "--at", AT, "--agreement", files[0], "--events", files[1]])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out + err


def page_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


COMMANDS = [("owed", "--all-diagnostics"), ("explain", "paiement-facture", "F-2026-04"),
            ("soldes",), ("agenda", "--au", "2026-09-15")]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: argv[0])
def test_english_output_has_no_french(capsys, files, argv) -> None:
    said = run(capsys, files, *argv, "--lang", "en")
    assert not FRENCH.search(said), FRENCH.search(said)


def test_english_report_page_and_its_message_have_no_french(capsys, files, tmp_path) -> None:
    page = tmp_path / "report.html"
    said = run(capsys, files, "rapport", "-o", str(page), "--lang", "en")
    assert said.strip() == f"{page} written"
    text = page_text(page)
    assert "services in force: " in text and not FRENCH.search(text), FRENCH.search(text)
    said = run(capsys, files, "rapport", "-o", str(page), "--lang", "fr")
    assert said.strip() == f"{page} écrit" and "services en vigueur : " in page_text(page)


def test_severities_are_said_in_the_language_asked(capsys, files) -> None:
    assert "[error] " in run(capsys, files, "owed", "--lang", "en")
    assert "[erreur] " in run(capsys, files, "owed", "--lang", "fr")
    assert severity_label("avertissement", "en") == "warning"
    assert severity_label("avertissement", "fr") == "avertissement"


def test_a_missing_file_is_named_with_the_language_s_colon(capsys, tmp_path) -> None:
    missing = tmp_path / "absent.toml"
    code = cli.main(["owed", "--at", AT, "--agreement", str(missing), "--lang", "en"])
    _, err = capsys.readouterr()
    assert code == 2 and f"{missing}: " in err and f"{missing} : " not in err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_amounts_people_read_are_written_one_way(capsys, files, tmp_path, lang) -> None:
    page = tmp_path / "report.html"
    said = "\n".join(run(capsys, files, *argv, "--lang", lang) for argv in
                     [("owed", "--all-diagnostics"),
                      ("explain", "paiement-facture", "F-2026-04"), ("soldes",)])
    run(capsys, files, "rapport", "-o", str(page), "--lang", lang)
    for text in (said, page_text(page)):
        bare = RAW_AMOUNT.findall(EVENT_QUOTE.sub("", text))
        assert not bare, bare
    written = "12\u00a0500,00\u00a0$" if lang == "fr" else "$12,500.00"
    assert written in said and written in page_text(page)
    assert ("500,00\u00a0$" if lang == "fr" else "$500.00") in said  # the overpayment


def test_machine_outputs_keep_exact_decimals(capsys, files) -> None:
    csv_text = run(capsys, files, "soldes", "--format", "csv")
    assert "monnaie" in csv_text.splitlines()[0] and ",12500.00,12500.00,CAD" in csv_text
