"""Interest, held parts and suspensions where users look (issue 19; decisions 68, 69, 71):
the text ``owed`` and ``soldes`` tables, the report page, the portfolio's tables and totals,
the agenda, in French and English, on the test rule books ``tests/regles_periodes`` (an
invoice partly disputed, one wholly disputed) and ``tests/regles_vente`` (a delivery
suspended while the deposit is late).

A held part is never late (71): the late totals leave it out and the aging totals count it
as not yet due; interest is shown beside the balances, never added to them (68); a
suspended instance shows since when, and no deadline (69).
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from entente_regles import Agreement, Event, RuleBook
from entente_regles.cli import commands as cli
from entente_regles.outputs.html import render_report
from entente_regles.outputs.text import aging_table, owed_table

ROOT = Path(__file__).resolve().parent
START = date(2026, 3, 2)
ON = date(2026, 5, 15)
# F-1: 1 000,00 of which 300,00 disputed, nothing paid (late for 700,00); F-2: 500,00 late;
# F-3: 400,00 wholly disputed (past its deadline, never late); F-4: 200,00 late.
LOG = [
    {"type": "facture", "date": "2026-03-02", "par": "fournisseur", "facture": "F-1",
     "montant": "1000.00"},
    {"type": "contestation", "date": "2026-03-10", "par": "client", "contestation": "C-1",
     "facture": "F-1", "montant_conteste": "300.00"},
    {"type": "facture", "date": "2026-03-02", "par": "fournisseur", "facture": "F-2",
     "montant": "500.00"},
    {"type": "facture", "date": "2026-03-20", "par": "fournisseur", "facture": "F-3",
     "montant": "400.00"},
    {"type": "contestation", "date": "2026-03-25", "par": "client", "contestation": "C-3",
     "facture": "F-3", "montant_conteste": "400.00"},
    {"type": "facture", "date": "2026-04-01", "par": "fournisseur", "facture": "F-4",
     "montant": "200.00"},
]


def _events(log: list[dict[str, str]]) -> list[Event]:
    return [Event(e["type"], date.fromisoformat(e["date"]), e["par"],
                  data={k: Decimal(v) if k.startswith("montant") else v
                        for k, v in e.items() if k not in ("type", "date", "par")})
            for e in log]


@pytest.fixture(scope="module")
def held() -> Agreement:
    return Agreement(client="DEMO", in_force_from=START,
                     rules=RuleBook.from_directory(ROOT / "regles_periodes"))


@pytest.fixture(scope="module")
def suspended() -> Agreement:
    return Agreement(client="DEMO", in_force_from=START,
                     rules=RuleBook.from_directory(ROOT / "regles_vente"))


def _spaced(text: str) -> str:
    """``text`` with the locales' non-breaking spaces (thousands, « : ») as plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _rows(table: str) -> dict[str, str]:
    """The rows of a text table by their invoice key."""
    return {found.group(1): line for line in table.splitlines()
            if line[:1].isdigit() and (found := re.search(r"\s(F-\d)\s", line))}


def test_owed_table_shows_the_held_part_and_no_days_late_for_a_held_only_balance(
        held: Agreement) -> None:
    snapshot = held.evaluate(_events(LOG)).at(ON)
    fr = _spaced(owed_table(snapshot, "DEMO", "fr"))
    header = next(line for line in fr.splitlines() if line.startswith("Art."))
    assert header.split()[-3:] == ["Solde", "Retenu", "Intérêt"]
    rows = _rows(fr)
    assert rows["F-1"].endswith("1 000,00  300,00     4,22")
    assert "retard 44 j" in rows["F-1"]
    assert "à échoir" in rows["F-3"] and "retard" not in rows["F-3"]  # held: never late
    assert "400,00  400,00" in rows["F-3"]
    assert "Retenu : la part du solde retenue par une contestation" in fr
    en = _spaced(owed_table(snapshot, "DEMO", "en"))
    assert "Held: the part of the balance held back by a dispute" in en
    assert "1,000.00  300.00      4.22" in _rows(en)["F-1"]


def test_the_figures_portfolio_totals_read_are_those_of_the_views(held: Agreement) -> None:
    snapshot = held.evaluate(_events(LOG)).at(ON)
    assert snapshot.owed_figures() == [
        (ob.debtor, ob.amount, ob.balance, ob.status, ob.deadline, ob.held, ob.interest)
        for ob in snapshot.owed]
    assert [f.held for f in snapshot.owed_figures()][:4] == [
        Decimal("300.00"), Decimal("0.00"), Decimal("400.00"), Decimal("0.00")]


def test_soldes_counts_a_held_part_as_not_yet_due(held: Agreement) -> None:
    aging = held.evaluate(_events(LOG)).at(ON).aging()
    assert aging.totals == {"a_echoir": Decimal("700.00"), "1_30": Decimal("200.00"),
                            "31_60": Decimal("1200.00"), "61_90": Decimal("0.00"),
                            "plus_90": Decimal("0.00")}
    assert aging.total == Decimal("2100.00")  # every balance, held or not
    assert [line.to_record().get("retenu") for line in aging.lines] == [None] * 4  # records
    table = _spaced(aging_table(aging, "DEMO", "fr"))
    assert "Retenu" in table and "les totaux la comptent comme non" in table
    assert re.search(r"non échu\s+1\s+700,00", table)
    assert re.search(r"31 à 60 jours\s+2\s+1 200,00", table)
    assert "the totals count it as not yet" in aging_table(aging, "DEMO", "en")


def test_report_page_late_total_leaves_out_the_held_part(held: Agreement) -> None:
    evaluation = held.evaluate(_events(LOG))
    page = _spaced(render_report(evaluation, "DEMO", ON, "fr"))
    band = page[page.index('id="sommaire-retard"'):page.index('id="sommaire-semaine"')]
    # 1 000,00 − 300,00 held + 500,00 + 200,00; interest 4,22 + 3,01 + 0,38
    assert "1 400,00" in band and "hors 300,00 retenus par une contestation" in band
    assert "plus 7,61 d&#39;intérêt couru" in band
    late = page[page.index('id="table-retard"'):page.index('id="dues-autres"')]
    assert "<th class=\"num\">Intérêt</th>" in late
    assert "dont 300,00 retenus" in late
    assert "4,22" in late
    other = page[page.index('id="table-dues"'):page.index('id="soldes"')]
    assert "F-3" in other and "retard" not in other  # held only: not late, no days late
    en = render_report(evaluation, "DEMO", ON, "en")
    assert "not counting 300.00 held by a dispute" in en
    assert "plus 7.61 interest accrued" in en and "of which 300.00 held" in en


def test_a_suspended_instance_reads_as_suspended_since_with_no_deadline(
        suspended: Agreement) -> None:
    evaluation = suspended.evaluate([Event("avis_suspension", date(2026, 3, 16), "vendeur")])
    on = date(2026, 4, 15)
    fr = _spaced(owed_table(evaluation.at(on), "DEMO", "fr"))
    line = next(line for line in fr.splitlines() if line.startswith("2 "))
    assert "suspendue" in line and "depuis le 2026-03-16" in line and "retard" not in line
    assert "Suspendue : pas d'échéance ni de retard pendant la suspension" in fr
    en = owed_table(evaluation.at(on), "DEMO", "en")
    assert "since 2026-03-16" in en and "Suspended: no deadline and no lateness" in en
    page = render_report(evaluation, "DEMO", on, "en")
    other = page[page.index('id="table-dues"'):page.index('id="soldes"')]
    assert "suspended" in other and "since 2026-03-16" in other
    # agenda (and so the .ics): no deadline of the delivery while it is suspended
    agenda = evaluation.agenda(on, date(2026, 7, 31), as_of=on)
    assert not [item for item in agenda if item.rule == "livrer"]
    # the aging has no line for it (no amount) and it is never late
    assert evaluation.at(on).aging().lines == ()


def test_portfolio_late_total_leaves_out_held_parts_and_shows_interest_apart(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, log in (("a", LOG), ("b", LOG[:2])):
        folder = tmp_path / "pf" / name
        folder.mkdir(parents=True)
        (folder / "entente.toml").write_text(
            f'client = "{name.upper()}"\nen_vigueur_le = 2026-03-02\n', encoding="utf-8")
        (folder / "journal.jsonl").write_text(
            "".join(json.dumps(e) + "\n" for e in log), encoding="utf-8")
    common = ["--dir", str(tmp_path / "pf"), "--rules", str(ROOT / "regles_periodes"),
              "--at", ON.isoformat()]
    assert cli.main(["portefeuille", "owed", *common]) == 0
    out = _spaced(capsys.readouterr().out)
    assert re.search(r"a\s+A\s+2 100,00\s+1 400,00", out)  # F-1's 300,00 held: not late
    assert re.search(r"b\s+B\s+1 000,00\s+700,00", out)
    assert "Intérêt couru" in out and re.search(r"client\s+3 100,00\s+5\s+2 100,00", out)
    assert cli.main(["portefeuille", "owed", *common, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(e["en_retard"], e["interet"]) for e in report["ententes"]] == [
        ("1400.00", "7.61"), ("700.00", "4.22")]
    assert report["totaux"][0]["interet"] == "11.83"  # never in « du » nor « en_retard »
    assert (report["totaux"][0]["du"], report["totaux"][0]["en_retard"]) == (
        "3100.00", "2100.00")
    assert cli.main(["portefeuille", "soldes", *common, "--lang", "en"]) == 0
    out = _spaced(capsys.readouterr().out)
    assert re.search(r"a\s+A\s+700.00\s+200.00\s+1,200.00", out)
    assert re.search(r"b\s+B\s+300.00\s+0.00\s+700.00", out)
    assert re.search(r"Total\s+1,000.00\s+200.00\s+1,900.00", out)
