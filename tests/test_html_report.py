"""The report page in a real browser (headless Chromium), and user text made safe to show."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import entente_regles as er
from entente_regles.cli import commands as cli
from entente_regles.core import input_limits
from entente_regles.core.textsafe import visible
from entente_regles.outputs.html import (
    SCRIPT_HASH,
    SORT_SCRIPT,
    has_history,
    render_report,
)
from entente_regles.outputs.text import bundled_example, cell, new_table, render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = "F-1\x1b[2J\x1b[HALL PAID\u202e00.001"


def _lenient_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """The input layer refuses control and invisible characters in event text (issue 22);
    the outputs must escape them all the same (defence in depth), so lift that refusal."""
    monkeypatch.setattr(input_limits, "INVISIBLE_CHARACTERS", re.compile("(?!)"))


def _chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600",
         *args, page.as_uri()], capture_output=True, timeout=120, check=True)


def _non_white_pixels(png: Path) -> int:
    from PIL import Image
    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return sum(histogram[:240])


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs "
                                             "Debian's chromium package)")
def test_report_page_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "rapport.html"
    code = cli.main(["rapport", "--at", "2026-07-15", "--engine", "python", "-o", str(page)])
    assert code == 0
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # self-contained: no network
    dom = _chromium(tmp_path, page, "--dump-dom").stdout.decode("utf-8")
    dom = dom.replace("&nbsp;", "\u00a0")
    assert "<h1>Entente globale de services — MSSS</h1>" in dom
    assert "entente en vigueur" in dom
    owed = re.search(r'<section id="dues">(.*?)</section>', dom, re.S)
    agreement_file, journal = bundled_example()
    expected = er.Agreement.from_toml(agreement_file).evaluate(journal).at(date(2026, 7, 15))
    assert owed is not None
    assert owed.group(1).count("<tr data-statut=") == len(expected.owed) >= 5
    assert owed.group(1).count('data-statut="en_retard"') == len(expected.late) == 2
    assert "F-2026-04" in owed.group(1) and "2\u00a0500,00\u00a0$" in owed.group(1)
    assert "F-2026-06" not in owed.group(1)  # no look-ahead
    assert "31 à 60 jours" in dom and "15\u00a0000,00\u00a0$" in dom  # aging
    assert '<section id="agenda">' in dom and "fin de période" in dom
    # timelines only for instances with a history or a dated deadline (issue 20); the 36
    # standing duties in force and the 3 due with no dated deadline are grouped in one line
    drawn = re.findall(r'<figure class="timeline" id="frise-(ob-[0-9a-f]+)"', dom)
    assert len(drawn) == sum(1 for o in expected.obligations if has_history(o)) == 5
    assert "39 obligation(s) sans autre état depuis leur naissance (36 en vigueur, " \
        "3 à échoir)" in dom
    for anchor in drawn:
        assert f'<details id="{anchor}">' in dom  # each timeline links to its explanation
    assert dom.count('<span class="tick') >= 3  # each timeline has a date axis
    assert len(re.findall(r'<details id="ob-', dom)) == len(expected.obligations) == 44
    summary = re.search(r'<section id="sommaire".*?</section>', dom, re.S)
    assert summary is not None and dom.index('id="sommaire"') < dom.index('id="dues"')
    assert "15\u00a0000,00\u00a0$" in summary.group(0)  # late: 2 invoices
    assert "Aviser le client" in summary.group(0)  # its policy date is the date asked
    assert "politique 2026-07-08*" in owed.group(1) and 'id="note-politique"' in dom
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, page, f"--screenshot={shot}")
    assert shot.stat().st_size > 0
    assert _non_white_pixels(shot) > 10_000  # text, tables and timelines were painted


def test_report_in_english_and_escaped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                                       ) -> None:
    _lenient_input(monkeypatch)
    agreement = er.Agreement(client="<b>X</b>", in_force_from=date(2026, 4, 1), engine="python")
    events = [er.Event("facture_emise", date(2026, 5, 1), by="mcn",
                       data={"facture": "<script>alert(1)</script>" + HOSTILE,
                             "montant": "100.00", "periode": "2026-04"})]
    html = render_report(agreement.evaluate(events), agreement.client, date(2026, 7, 1), "en")
    # the page's one script is its own (allowed by its hash); the key's is escaped
    assert html.count("<script") == 1 and f"<script>{SORT_SCRIPT}</script>" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>X</b>" not in html and "\x1b" not in html and "\u202e" not in html
    assert "\\x1b[2J" in html and "Obligations owed" in html
    assert html == render_report(agreement.evaluate(events), agreement.client,
                                 date(2026, 7, 1), "en")


# --------------------------------------------------------------------------- terminal text


def test_visible_escapes_controls_and_bidi_only() -> None:
    assert visible(HOSTILE) == "F-1\\x1b[2J\\x1b[HALL PAID\\u202e00.001"
    assert visible("a\nb") == "a\\nb" and visible("a\nb", keep_newlines=True) == "a\nb"
    assert visible("Québec — 12 500,00 $ \u00a0 日本") == "Québec — 12 500,00 $ \u00a0 日本"
    assert visible("\x9b\u2066\u2028") == "\\x9b\\u2066\\u2028"


def _hostile_log(tmp_path: Path) -> Path:
    log = tmp_path / "journal.jsonl"
    log.write_text(json.dumps({"type": "facture_emise", "date": "2026-05-01", "par": "mcn",
                               "facture": HOSTILE, "montant": "100.00",
                               "periode": "2026-04"}) + "\n", encoding="utf-8")
    return log


@pytest.mark.parametrize("argv", [
    ["owed", "--at", "2026-07-01"],
    ["explain", "paiement-facture", HOSTILE, "--at", "2026-07-01"],
    ["explain", "paiement-facture", "nope", "--at", "2026-07-01"],
    ["agenda", "--du", "2026-05-01", "--au", "2026-06-30"],
    ["soldes", "--at", "2026-07-01"],
])
def test_human_output_never_carries_raw_controls(capsys, tmp_path: Path, argv) -> None:
    log = _hostile_log(tmp_path)
    cli.main([*argv, "--events", str(log), "--client", "X", "--in-force-from", "2026-04-01",
              "--engine", "python"])
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[2J" in out + err


def test_json_keeps_the_exact_key(capsys, monkeypatch: pytest.MonkeyPatch,
                                  tmp_path: Path) -> None:
    _lenient_input(monkeypatch)
    log = _hostile_log(tmp_path)
    cli.main(["owed", "--at", "2026-07-01", "--format", "json", "--events", str(log),
              "--client", "X", "--in-force-from", "2026-04-01", "--engine", "python"])
    data = json.loads(capsys.readouterr()[0])
    assert HOSTILE in [o["cle"] for o in data["obligations"]]


def test_errors_printed_are_made_visible(capsys, tmp_path: Path) -> None:
    log = tmp_path / "j\x1b[31m.jsonl"
    log.write_text("{", encoding="utf-8")
    code = cli.main(["owed", "--events", str(log), "--client", "X", "--in-force-from",
                     "2026-04-01", "--engine", "python"])
    err = capsys.readouterr()[1]
    assert code == 2 and "\x1b" not in err and "\\x1b[31m" in err


def test_a_huge_key_is_shown_in_linear_time() -> None:
    # An 8 MB key used to take minutes to wrap; the table cuts user text at MAX_CELL.
    table = new_table(["a", "b"], fold=frozenset({1}))
    started = time.perf_counter()
    table.add_row("x", cell("K" * 8_000_000))
    text = render(table)
    elapsed = time.perf_counter() - started
    assert "…" in text and len(text) < 2_000
    print(f"8 MB key rendered in {elapsed:.3f} s")  # a figure, never a threshold


def test_events_from_standard_input(tmp_path: Path) -> None:
    line = json.dumps({"type": "facture_emise", "date": "2026-05-01", "par": "mcn",
                       "facture": "F-1", "montant": "100.00", "periode": "2026-04"})
    done = subprocess.run(
        [sys.executable, "-m", "entente_regles.cli", "owed", "--events", "-", "--client", "X",
         "--in-force-from", "2026-04-01", "--at", "2026-07-01", "--engine", "python",
         "--format", "json"], input=line + "\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    keys = [o["cle"] for o in json.loads(done.stdout)["obligations"]]
    assert "F-1" in keys


def test_report_header_shows_a_notified_termination_without_look_ahead() -> None:
    agreement = er.Agreement(client="X", in_force_from=date(2026, 4, 1), engine="python")
    events = [er.Event("avis_resiliation", date(2026, 6, 1), by="client",
                       received=date(2026, 6, 3))]
    evaluation = agreement.evaluate(events)
    html = render_report(evaluation, "X", date(2026, 7, 1))
    header = html.split("</header>")[0]
    assert 'id="resiliation-en-cours"' in header and "2026-09-01" in header
    summary = html.split('<section id="sommaire"')[1].split("</section>")[0]
    assert 'id="sommaire-resiliation"' in summary and "2026-09-01" in summary
    before = render_report(evaluation, "X", date(2026, 5, 31)).split("</header>")[0]
    assert "resiliation-en-cours" not in before  # the notice is not known yet
    after = render_report(evaluation, "X", date(2026, 9, 2)).split("</header>")[0]
    assert "entente PAS en vigueur" in after and "resiliation-en-cours" not in after


def test_report_header_lists_other_pending_effects() -> None:
    agreement = er.Agreement(client="X", in_force_from=date(2026, 4, 1),
                             services={"hebergement": date(2026, 4, 1)}, engine="python")
    events = [er.Event("avis_modification_service", date(2026, 6, 1), by="mcn",
                       data={"service": "hebergement", "date_effet": date(2026, 8, 1),
                             "modification": "M-1"})]
    evaluation = agreement.evaluate(events)
    header = render_report(evaluation, "X", date(2026, 7, 1)).split("</header>")[0]
    assert 'id="effets-annonces"' in header and "2026-08-01" in header
    assert "hebergement" in header
    later = render_report(evaluation, "X", date(2026, 8, 1)).split("</header>")[0]
    assert "effets-annonces" not in later


def test_progress_display_only_on_a_terminal(monkeypatch, capsys) -> None:
    monkeypatch.setattr(cli, "PROGRESS_DELAY", 0.0)
    with cli.progress("lecture"):
        time.sleep(0.05)
    assert capsys.readouterr().err == ""  # stderr is not a terminal here: nothing shown

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    fake = Tty()
    monkeypatch.setattr(sys, "stderr", fake)
    with cli.progress("lecture"):
        time.sleep(0.3)
    assert "lecture" in fake.getvalue()


# ---------------------------------------------------------------- issue 22: report size


def _journal(path: Path, keys: list[str]) -> Path:
    from datetime import timedelta
    with path.open("w", encoding="utf-8") as out:
        for i, key in enumerate(keys):
            day = date(2026, 5, 1) + timedelta(days=i % 150)
            out.write(json.dumps({"type": "facture_emise", "date": day.isoformat(),
                                  "par": "mcn", "facture": key, "montant": "100.00",
                                  "periode": f"{day.year}-{day.month - 1:02d}"}) + "\n")
    return path


def _report(tmp_path: Path, journal: Path, *argv: str) -> Path:
    """``entente-regles rapport`` run in this process (``cli.main``, which ``python -m`` runs):
    the same page, without starting Python again."""
    agreement_file, _ = bundled_example()
    page = tmp_path / "rapport.html"
    code = cli.main(["rapport", "--agreement", str(agreement_file), "--events", str(journal),
                     "-o", str(page), *argv])
    assert code == 0
    return page


def test_long_text_wraps_on_the_report_page(tmp_path: Path) -> None:
    """A 3,000-character key made the page 47,543 px wide (headings did not wrap): user text
    (keys, rule ids, explanations) wraps anywhere when it must, other text between words;
    tests/test_browser_report.py measures that nothing overflows at 1280 and 390 px."""
    key = "F-" + "K" * 3000
    page = _report(tmp_path, _journal(tmp_path / "long.jsonl", [key]), "--at", "2026-07-15")
    html = page.read_text(encoding="utf-8")
    assert key in html
    body_rule = re.search(r"body \{[^}]*\}", html)
    assert body_rule is not None and "overflow-wrap: break-word" in body_rule.group(0)
    user_text = re.search(r"\.key, \.id, [^{]*\{[^}]*\}", html)
    assert user_text is not None and "overflow-wrap: anywhere" in user_text.group(0)
    assert "word-break: break-all" not in html  # keys no longer break mid-word when they fit


def test_a_large_report_is_cut_and_says_where_the_rest_is(tmp_path: Path) -> None:
    """100,000 unpaid invoices made a 270 MB page: each table shows its first MAX_ROWS rows
    (by urgency), and a sentence says how many more there are and which command lists them."""
    from entente_regles.outputs.html import MAX_ROWS
    count = MAX_ROWS + 150
    journal = _journal(tmp_path / "many.jsonl", [f"F-{i:05d}" for i in range(count)])
    page = _report(tmp_path, journal, "--at", "2027-01-15")
    html = page.read_text(encoding="utf-8")
    assert page.stat().st_size < 3_000_000  # 1.2 MB; 270 MB for 100,000 before the cut
    owed = re.search(r'<section id="dues">(.*?)</section>', html, re.S)
    assert owed is not None and owed.group(1).count("<tr data-statut=") == MAX_ROWS
    heading = re.search(r"<h2>Obligations dues : (\d+) ", owed.group(1))
    assert heading is not None
    total = int(heading.group(1))  # the heading counts them all
    assert total >= count
    assert (f"Les {MAX_ROWS} premières lignes sur {total} sont affichées "
            f"({total - MAX_ROWS} de plus)") in owed.group(1)
    assert "entente-regles owed --at 2027-01-15 --format csv (ou json)" in owed.group(1)
    aging = re.search(r'<section id="soldes">(.*?)</section>', html, re.S)
    assert aging is not None and f"sur {count} sont affichées" in aging.group(1)
    assert "entente-regles soldes --at 2027-01-15 --format csv" in aging.group(1)
    assert html.count("<figure class=\"timeline\" id=") == MAX_ROWS
    assert 'id="timelines-cut"' in html
    for anchor in re.findall(r'<a href="#(ob-[0-9a-f]+)">', owed.group(1)):
        assert f'<details id="{anchor}">' in html  # every owed row shown links somewhere
    english = _report(tmp_path, journal, "--at", "2027-01-15", "--lang", "en")
    assert (f"The first {MAX_ROWS} of {total} rows are shown"
            in english.read_text(encoding="utf-8"))


def test_a_very_large_owed_table_is_laid_out_plainly_in_the_same_columns(
        monkeypatch, tmp_path: Path) -> None:
    """100,000 owed invoices took minutes in rich's layout: beyond PLAIN_ROWS rows the table
    is laid out plainly, the same text as rich's when nothing needs folding."""
    from entente_regles.outputs import text
    agreement_file, _ = bundled_example()
    journal = _journal(tmp_path / "many.jsonl", [f"F-{i:05d}" for i in range(300)])
    snapshot = er.Agreement.from_toml(agreement_file).evaluate(journal).at(date(2027, 1, 15))
    with_rich = text.owed_table(snapshot, "MSSS", "fr")
    monkeypatch.setattr(text, "PLAIN_ROWS", 0)
    assert text.owed_table(snapshot, "MSSS", "fr") == with_rich
    table = text.new_table(["Art.", "Clé", "Solde"], right=frozenset({2}), fold=frozenset({1}))
    for i in range(3):
        table.add_row("9.3", cell(f"F-{i}\u4e2d"), f"{i * 1000},00 $")
    plain = render(table)
    monkeypatch.undo()
    assert plain == render(table)
    assert plain.splitlines()[1] == "----- ------ ---------"


# ------------------------------------------------- issue 20: the page leads with what matters


def _bundled_page(lang: str = "fr", **extra: object) -> str:
    agreement_file, journal = bundled_example()
    agreement = er.Agreement.from_toml(agreement_file)
    return render_report(agreement.evaluate(journal), "MSSS", date(2026, 7, 15),
                         lang, **extra)  # type: ignore[arg-type]


def test_summary_band_in_french_and_english() -> None:
    """What each party owes, what is late, the next 7 days and today, in the language asked;
    the 7 days are those after the date asked (2026-07-16 to 2026-07-22)."""
    for lang, words in (("fr", ("En bref", "Dû par client", "2 obligation(s), dont 2 en retard",
                                "jusqu'au 2026-07-22", "Aujourd'hui")),
                        ("en", ("At a glance", "Owed by client", "2 obligation(s), 2 late",
                                "up to 2026-07-22", "Today"))):
        page = html.unescape(_bundled_page(lang))
        summary = page.split('<section id="sommaire"')[1].split("</section>")[0]
        for word in words:
            assert word in summary, (lang, word)
        assert summary.count('class="case partie"') == 3  # client, mcn, both parties
    english = _bundled_page("en")
    assert "Obligations owed: 5 (2 late)" in english
    assert " : " not in english.split("<body>")[1].split("<script>")[0]  # no French colon


def test_late_rows_first_titles_first_policy_dates_explained() -> None:
    page = _bundled_page()
    owed = page.split('<section id="dues">')[1].split("</section>")[0]
    assert owed.index('id="table-retard"') < owed.index('id="table-dues"')
    late = owed.split('id="table-retard"')[1].split("</table>")[0]
    assert late.count('data-statut="en_retard"') == 2 and "a_echoir" not in late
    # the title first, the rule id under it, smaller
    assert '>Payer la facture</a> <small class="id">paiement-facture</small>' in late
    # a vague standard's row shows its policy date, marked and explained under the table
    assert "dans les plus brefs délais <span class=\"politique\">politique 2026-07-15*" in owed
    assert "aucun délai stipulé <span class=\"politique\">politique 2026-07-08*" in owed
    assert "à échoir*" in owed and "pas une échéance contractuelle" in owed
    assert "politique-msss-2026" not in owed or "« politique-msss-2026 »" in owed
    aging = page.split('<section id="soldes">')[1].split("</section>")[0]
    titled = re.findall(r'<td class="titre"><a href="#(ob-[0-9a-f]+)">Payer la facture</a> '
                        r'<small class="id">paiement-facture</small></td>', aging)
    assert len(titled) == 2 and all(f'<details id="{a}">' in page for a in titled)


def test_print_layout_and_the_page_without_script() -> None:
    """Printed, every explanation is open (CSS ``::details-content``, and the script opens
    them before printing); without the script, nothing is hidden but the sorting hint."""
    page = _bundled_page()
    printed = page.split("@media print {")[1].split("\n}\n")[0]
    assert "details::details-content { content-visibility: visible; display: block; }" \
        in printed
    assert "break-inside: avoid" in printed and "position: static" in printed
    assert re.findall(r'class="[^"]*js-seul[^"]*"', page) == ['class="legend-tri js-seul"']
    assert 'beforeprint' in SORT_SCRIPT and "d.open = true" in SORT_SCRIPT
    assert f"script-src '{SCRIPT_HASH}'" in page  # the one script, by its hash


def test_column_names_written_in_css_are_escaped() -> None:
    """The card layout writes each column's name in CSS (``content: "…"``): quotes,
    backslashes, angle brackets and controls cannot end the string or the style element."""
    from entente_regles.outputs.html import css_string
    written = str(css_string('Dû "par"\\ </style><script>\n'))
    assert written == '"Dû \\22 par\\22 \\5c  \\3c /style\\3e \\3c script\\3e \\a "'
    assert "<" not in written and written.count('"') == 2


def test_the_weeks_changes_sit_below_the_summary() -> None:
    """The page shows the digest of ``Evaluation.changes`` below the summary, above the owed
    tables, each change with its date, kind, key and amount; without it, no such section."""
    agreement_file, journal = bundled_example()
    evaluation = er.Agreement.from_toml(agreement_file).evaluate(journal)
    on = date(2026, 7, 31)
    changes = evaluation.changes(date(2026, 7, 24), on, "fr")
    assert len(changes) == 2
    page = render_report(evaluation, "MSSS", on, changes=changes)
    section = page.split('<section id="changements">')[1].split("</section>")[0]
    assert page.index('id="sommaire"') < page.index('id="changements"') \
        < page.index('<section id="dues">')
    assert "Ce qui a changé" in section and "2026-07-24 → 2026-07-31" in section
    assert section.count("<tr>") == 3  # the head and the two changes
    assert "F-2026-04" in section and "2026-07-28" in section and "paiement" in section
    assert "2\xa0500,00\xa0$" in section
    english = render_report(evaluation, "MSSS", on, "en",
                            changes=evaluation.changes(date(2026, 7, 24), on, "en"))
    assert "What changed" in english and "payment" in english
    assert 'id="changements"' not in render_report(evaluation, "MSSS", on)


def test_rapport_shows_the_changes_since_depuis(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code = cli.main(["rapport", "--at", "2026-07-31", "--depuis", "2026-06-30",
                     "-o", str(out)])
    assert code == 0
    section = out.read_text(encoding="utf-8").split('<section id="changements">')[1]
    assert "2026-06-30 → 2026-07-31" in section.split("</section>")[0]


def test_ticks_and_single_state_grouping() -> None:
    from entente_regles.outputs.timelines import ticks
    months = ticks(date(2026, 5, 1), date(2026, 10, 13), "fr_CA")
    assert [t.label for t in months] == ["juin 2026", "juill. 2026", "août 2026",
                                         "sept. 2026"]
    assert [t.minor for t in months] == [False, True, False, True]
    assert all(0 < t.x <= 92 for t in months)
    years = ticks(date(2020, 1, 15), date(2035, 1, 1), "en_CA")
    assert 0 < len(years) <= 7 and all(t.label.isdigit() for t in years)
    assert len(ticks(date(2026, 5, 1), date(9999, 12, 31), "fr_CA")) > 0
    last = ticks(date(9999, 1, 1), date(9999, 12, 31), "fr_CA")  # no date past 9999
    assert [t.label for t in last][:2] == ["mars 9999", "mai 9999"]
