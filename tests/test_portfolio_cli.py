"""The portfolio on the command line (``entente-regles portefeuille …``) and the generated
example portfolio it can write (``portfolio/generate.py``). Small portfolios only: a few
clients over one year."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import entente_regles as er
from entente_regles.cli import commands as cli
from entente_regles.portfolio.generate import generate_portfolio


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_generated_agreement_and_log_loads(tmp_path: Path) -> None:
    folders = generate_portfolio(tmp_path, clients=5, years=1, seed=3)
    assert [f.name for f in folders] == sorted(f.name for f in tmp_path.iterdir())
    assert len(folders) == 5
    kinds: set[str] = set()
    for folder in folders:
        agreement = er.Agreement.from_toml(folder / "entente.toml")
        events = agreement.read_events(folder / "journal.jsonl")
        assert events, folder
        kinds.update(e.type for e in events)
        evaluation = agreement.evaluate(events)
        # nothing refused or non-conforming: at most information
        assert all(d.severity == "info" for d in evaluation.diagnostics), folder
    assert {"facture_emise", "paiement"} <= kinds


def test_generation_is_deterministic_and_each_client_is_its_own(tmp_path: Path) -> None:
    generate_portfolio(tmp_path / "a", clients=4, years=1, seed=7)
    generate_portfolio(tmp_path / "b", clients=4, years=1, seed=7)
    generate_portfolio(tmp_path / "c", clients=2, years=1, seed=7)
    generate_portfolio(tmp_path / "d", clients=2, years=1, seed=8)
    a = _tree(tmp_path / "a")
    assert a == _tree(tmp_path / "b")
    c = _tree(tmp_path / "c")
    assert c == {k: v for k, v in a.items() if k in c}  # client i does not depend on N
    assert c != _tree(tmp_path / "d")


def test_some_generated_agreements_end_and_some_terminations_are_pending(
        tmp_path: Path) -> None:
    folders = generate_portfolio(tmp_path, clients=60, years=1, seed=0)
    terminated = [f for f in folders
                  if '"avis_resiliation"' in (f / "journal.jsonl").read_text(encoding="utf-8")]
    assert terminated
    last_day = date(2027, 3, 31)
    states = set()
    for folder in terminated:
        agreement = er.Agreement.from_toml(folder / "entente.toml")
        snapshot = agreement.evaluate(agreement.read_events(folder / "journal.jsonl")).at(
            last_day)
        states.add("pending" if snapshot.termination_pending is not None else
                   "ended" if not snapshot.agreement_in_force else "in force")
    assert {"pending", "ended"} <= states


def test_a_heavy_log_holds_about_1100_events_a_year(tmp_path: Path) -> None:
    (folder,) = generate_portfolio(tmp_path, clients=1, years=1, heavy=True)
    agreement = er.Agreement.from_toml(folder / "entente.toml")
    events = agreement.read_events(folder / "journal.jsonl")
    assert 900 <= len(events) <= 1300
    dates = [e.date for e in events]
    assert dates == sorted(dates)


# --------------------------------------------------------------------------- the commands

AT = "2027-02-15"
ON = date(2027, 2, 15)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("portefeuille")
    generate_portfolio(root, clients=4, years=1, seed=1)
    return root


@pytest.fixture(scope="module")
def one_by_one(portfolio: Path) -> dict[str, er.Snapshot]:
    """Each agreement of the portfolio asked alone, as ``owed`` would."""
    answers = {}
    for folder in sorted(portfolio.iterdir()):
        agreement = er.Agreement.from_toml(folder / "entente.toml")
        evaluation = agreement.evaluate(agreement.read_events(folder / "journal.jsonl"))
        answers[folder.name] = evaluation.at(ON)
    return answers


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_owed_table_one_line_per_client_and_totals(capsys: pytest.CaptureFixture[str],
                                                  portfolio: Path,
                                                  one_by_one: dict[str, er.Snapshot]) -> None:
    code, out, err = run(capsys, "portefeuille", "owed", "--dir", str(portfolio), "--at", AT)
    assert code == 0, err
    assert out.startswith(f"Portefeuille au {AT}, connu le {AT} : 4 entente(s) répondue(s), "
                          "0 en erreur")
    for agreement in one_by_one:
        assert agreement in out
    assert "Totaux par débiteur" in out
    code, english, _ = run(capsys, "portfolio", "owed", "--dir", str(portfolio), "--at", AT,
                           "--lang", "en")
    assert code == 0 and english.startswith(f"Portfolio on {AT}")
    assert "Totals by debtor" in english


def test_owed_json_and_csv_equal_the_one_by_one_answers(
        capsys: pytest.CaptureFixture[str], portfolio: Path,
        one_by_one: dict[str, er.Snapshot]) -> None:
    code, out, err = run(capsys, "portefeuille", "owed", "--dir", str(portfolio), "--at", AT,
                         "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert [a["entente"] for a in report["ententes"]] == list(one_by_one)
    late_total = Decimal(0)
    for line in report["ententes"]:
        alone = one_by_one[line["entente"]]
        assert line["obligations"] == [ob.to_dict() for ob in alone.owed]
        assert line["nombre_dues"] == len(alone.owed)
        assert line["nombre_en_retard"] == len(alone.late)
        late = sum((ob.balance or Decimal(0) for ob in alone.late), Decimal(0))
        assert Decimal(line["en_retard"]) == late
        late_total += late
    assert sum(Decimal(t["en_retard"]) for t in report["totaux"]) == late_total
    assert report["erreurs"] == []
    code, out, _ = run(capsys, "portefeuille", "owed", "--dir", str(portfolio), "--at", AT,
                       "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert len(rows) == sum(len(s.owed) for s in one_by_one.values())
    assert {r["entente"] for r in rows} <= set(one_by_one)


def test_soldes_and_agenda(capsys: pytest.CaptureFixture[str], portfolio: Path,
                           one_by_one: dict[str, er.Snapshot]) -> None:
    code, out, err = run(capsys, "portefeuille", "soldes", "--dir", str(portfolio), "--at", AT,
                         "--format", "json")
    assert code == 0, err
    (currency,) = json.loads(out)["monnaies"]
    expected = sum((s.aging().total for s in one_by_one.values()), Decimal(0))
    assert Decimal(currency["total"]) == expected > 0
    code, table, _ = run(capsys, "portefeuille", "soldes", "--dir", str(portfolio), "--at", AT)
    assert code == 0 and "plus de 90 jours" in table
    code, out, err = run(capsys, "portefeuille", "agenda", "--dir", str(portfolio), "--at", AT,
                         "--au", "2027-03-31", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert all("2027-02-15" <= r["date"] <= "2027-03-31" for r in rows)
    code, table, _ = run(capsys, "portefeuille", "agenda", "--dir", str(portfolio), "--at", AT,
                         "--au", "2027-03-31")
    assert code == 0 and f"{len(rows)} élément(s)" in table


def test_changements_merges_each_agreements_digest(capsys: pytest.CaptureFixture[str],
                                                   portfolio: Path) -> None:
    """The portfolio's weekly digest is every agreement's ``Evaluation.changes`` over the same
    window, tagged with its agreement, in date order; the table says how many."""
    since = "2026-12-31"
    code, out, err = run(capsys, "portefeuille", "changements", "--dir", str(portfolio),
                         "--at", AT, "--depuis", since, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["depuis"], report["au"]) == (since, AT)
    expected = []
    for folder in sorted(portfolio.iterdir()):
        agreement = er.Agreement.from_toml(folder / "entente.toml")
        evaluation = agreement.evaluate(agreement.read_events(folder / "journal.jsonl"))
        expected += [{"entente": folder.name, "organisme": agreement.client, **c.to_dict()}
                     for c in evaluation.changes(date.fromisoformat(since), ON)]
    expected.sort(key=lambda c: (c["date"], c["entente"]))
    assert report["changements"] == expected and expected
    code, table, _ = run(capsys, "portfolio", "changes", "--dir", str(portfolio), "--at", AT,
                         "--since", since, "--lang", "en")
    assert code == 0 and f"to {AT} (included): {len(expected)} change(s)" in table


def test_rapport_writes_an_index_and_a_page_per_agreement(
        capsys: pytest.CaptureFixture[str], portfolio: Path, tmp_path: Path,
        one_by_one: dict[str, er.Snapshot]) -> None:
    target = tmp_path / "pages"
    code, _, err = run(capsys, "portefeuille", "rapport", "--dir", str(portfolio), "--at", AT,
                       "-o", str(target))
    assert code == 0, err
    index = (target / "index.html").read_text(encoding="utf-8")
    for agreement in one_by_one:
        assert f'<a href="{agreement}.html">' in index
        page = (target / f"{agreement}.html").read_text(encoding="utf-8")
        assert '<section id="dues">' in page and '<section id="changements">' in page
    assert "index.html" in err


def test_a_bad_agreement_is_reported_and_the_others_answered(
        capsys: pytest.CaptureFixture[str], portfolio: Path, tmp_path: Path) -> None:
    root = tmp_path / "mixte"
    shutil.copytree(portfolio, root)
    folders = sorted(p.name for p in root.iterdir())
    bad_file = root / folders[1] / "entente.toml"
    bad_file.write_text("inconnue = 1\n" + bad_file.read_text(encoding="utf-8"),
                        encoding="utf-8")
    bad_log = root / folders[2] / "journal.jsonl"
    lines = bad_log.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace('"par": ', '"montant_x": "1", "par": ', 1)
    bad_log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "portefeuille", "owed", "--dir", str(root), "--at", AT,
                         "--lang", "en")
    assert code == 1
    assert "2 agreement(s) answered, 2 in error" in out
    assert folders[0] in out and folders[3] in out
    assert f"agreement {folders[1]} — {bad_file}:1 [inconnue]: unknown key" in err
    assert f"agreement {folders[2]} — {bad_log}:4" in err and "montant_x" in err
    code, out, err = run(capsys, "portefeuille", "owed", "--dir", str(root), "--at", AT,
                         "--format", "json")
    assert code == 1
    errors = json.loads(out)["erreurs"]
    assert [(e["entente"], e["ligne"]) for e in errors] == [(folders[1], 1), (folders[2], 4)]
    assert errors[0]["cle"] == "inconnue" and errors[1]["fichier"] == str(bad_log)


def test_progress_lines_when_asked(capsys: pytest.CaptureFixture[str],
                                   portfolio: Path) -> None:
    code, _, err = run(capsys, "portefeuille", "owed", "--dir", str(portfolio), "--at", AT,
                       "--progres", "--travailleurs", "0")
    assert code == 0
    assert err.splitlines()[-1].startswith("ententes évaluées : 4/4, ")
    code, _, err = run(capsys, "portefeuille", "owed", "--dir", str(portfolio), "--at", AT)
    assert code == 0 and err == ""  # not a terminal, not asked: nothing


def test_bad_sources_and_options_exit_2(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    code, _, err = run(capsys, "portefeuille", "owed", "--dir", str(tmp_path / "absent"),
                       "--at", AT)
    assert code == 2 and "portfolio directory not found" in err
    code, _, err = run(capsys, "portefeuille", "owed", "--at", AT)
    assert code == 2 and "--dir" in err
    code, _, err = run(capsys, "portefeuille", "owed", "--dir", str(tmp_path), "--at",
                       "9999-01-01")
    assert code == 2 and "--at" in err
    code, _, err = run(capsys, "portefeuille", "exemple", str(tmp_path), "--clients", "0")
    assert code == 2 and "--clients" in err


def test_exemple_writes_a_portfolio_ready_to_ask(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    target = tmp_path / "essai"
    code, out, err = run(capsys, "portefeuille", "exemple", str(target), "--clients", "3",
                         "--annees", "1", "--lang", "en")
    assert code == 0, err
    assert out.startswith(f"3 agreements written in {target} (")
    assert f"portefeuille owed --dir {target} --at 2027-03-31" in out
    assert sorted(p.name for p in target.iterdir()) == ["001-msss", "002-meq", "003-mtmd"]
    code, _, err = run(capsys, "portefeuille", "exemple", str(target))
    assert code == 2 and "not empty" in err  # never written over


def test_importer_then_db_answers_as_the_directory(capsys: pytest.CaptureFixture[str],
                                                   portfolio: Path, tmp_path: Path) -> None:
    database = tmp_path / "portefeuille.db"
    code, out, err = run(capsys, "portefeuille", "importer", str(portfolio), "--db",
                         str(database), "--importe-le", "2027-02-16")
    assert code == 0, err
    assert out.startswith(f"4 entente(s) importée(s) dans sqlite:///{database} (")
    answers = []
    for source in (["--dir", str(portfolio)], ["--db", f"sqlite:///{database}"]):
        code, out, err = run(capsys, "portefeuille", "owed", *source, "--at", AT,
                             "--format", "json")
        assert code == 0, err
        answers.append(json.loads(out))
    assert answers[0] == answers[1]
    # the same import again: each agreement refused (already there), exit 1
    code, _, err = run(capsys, "portefeuille", "importer", str(portfolio), "--db",
                       str(database), "--lang", "en")
    assert code == 1 and "is already in the database" in err
    # a log appended to one agreement: its answer moves, as the same lines in its folder
    first = sorted(p.name for p in portfolio.iterdir())[0]
    extra = tmp_path / "ajout.jsonl"
    extra.write_text('{"type": "incident", "date": "2027-02-14", "par": "client", '
                     '"incident": "INC-X", "nature": "securite"}\n', encoding="utf-8")
    code, out, err = run(capsys, "portefeuille", "importer", "--db", str(database),
                         "--journal", f"{first}={extra}")
    assert code == 0, err
    assert out.startswith("1 événement(s) ajouté(s) au journal de 1 entente(s)")
    code, out, _ = run(capsys, "portefeuille", "owed", "--db", str(database), "--at", AT,
                       "--format", "json")
    (moved,) = [a for a in json.loads(out)["ententes"] if a["entente"] == first]
    assert any(ob["cle"] == "INC-X" for ob in moved["obligations"])
