"""The portfolio (issue 21): many agreements evaluated at once give, agreement by agreement,
the answers each gives alone, whatever the executor and the source; a bad agreement is
reported without stopping the others; a refresh redoes only what changed."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import entente_regles as er
from entente_regles.portfolio import evaluation as portfolio_evaluation
from entente_regles.portfolio import worker

AGREEMENT, LOG = (Path(p) for p in er.bundled_example())
QUESTIONS = [(date(2026, 7, 15), None), (date(2027, 4, 30), None),
             (date(2026, 9, 30), date(2026, 7, 1))]
GOOD = ["alpha", "beta", "delta", "epsilon", "gamma"]
LATER = ('{"type": "facture_emise", "date": "2027-04-02", "par": "mcn", "facture": '
         '"F-2027-03", "montant": "15200.00", "periode": "2027-03"}\n'
         '{"type": "paiement", "date": "2027-04-20", "par": "client", "facture": "F-2027-03", '
         '"montant": "15200.00"}\n')


def _events() -> list[str]:
    return LOG.read_text(encoding="utf-8").splitlines(keepends=True)


def _write(folder: Path, agreement: str, log: str) -> None:
    folder.mkdir(parents=True)
    (folder / "entente.toml").write_text(agreement, encoding="utf-8")
    (folder / "journal.jsonl").write_text(log, encoding="utf-8")


def make_portfolio(root: Path) -> Path:
    """Five agreements made from the bundled example with small variations, one with a bad
    agreement file and one with a bad log line."""
    text, lines = AGREEMENT.read_text(encoding="utf-8"), _events()
    log = "".join(lines)
    _write(root / "alpha", text, log)  # the example itself
    _write(root / "beta", text.replace('client = "MSSS"', 'client = "MTQ"')
           .replace("teletravail = 2026-06-01\n", ""), log)  # another client, two services
    _write(root / "gamma", text.replace('client = "MSSS"', 'client = "SAAQ"'),
           "".join(line for line in lines if "F-2026-05" not in line))  # events removed
    _write(root / "delta", text.replace('client = "MSSS"', 'client = "RAMQ"'),
           log.split('{"type": "facture_emise", "date": "2026-10-02"')[0]
           + '{"type": "avis_resiliation", "date": "2026-10-01", "par": "client"}\n')
    _write(root / "epsilon", text.replace('client = "MSSS"', 'client = "CNESST"'),
           log.replace('"montant": "10000.00"', '"montant": "19000.00"'))  # overpaid
    _write(root / "zeta-bad-file", text.replace("en_vigueur_le", "en_vigueur_du"), log)
    _write(root / "eta-bad-log", text, log.replace('"montant": "14750.00"', '"montant": 1', 1))
    return root


@pytest.fixture
def portfolio_dir(tmp_path: Path) -> Path:
    return make_portfolio(tmp_path / "portefeuille")


def alone(folder: Path) -> er.Evaluation:
    """One agreement evaluated on its own, as the library always did."""
    return er.Agreement.from_toml(folder / "entente.toml").evaluate(folder / "journal.jsonl")


def _answer(snapshot: er.Snapshot, sources: bool) -> dict[str, object]:
    """A snapshot as JSON; ``sources`` False: without the place each diagnostic's event was
    read from (a file's line, or a database row)."""
    answer = snapshot.to_dict()
    if not sources:
        for diagnostic in answer["diagnostics"]:
            assert diagnostic.pop("evenement")
    return answer


def assert_same_answers(evaluation: er.PortfolioEvaluation, root: Path,
                        sources: bool = True) -> None:
    assert sorted(evaluation) == GOOD
    each = {agreement: alone(root / agreement) for agreement in GOOD}
    for on, known_on in QUESTIONS:
        snapshot = evaluation.at(on, known_on)
        assert sorted(snapshot) == GOOD
        for agreement in GOOD:
            expected = each[agreement].at(on, known_on=known_on)
            assert _answer(snapshot[agreement], sources) == _answer(expected, sources), \
                (agreement, on)
    start, end = date(2026, 7, 15), date(2026, 12, 31)
    merged = evaluation.at(start).agenda(start, end)
    for agreement in GOOD:
        own = each[agreement].agenda(start, end, as_of=start)
        assert [x.item.to_record() for x in merged if x.agreement == agreement] == \
            [item.to_record() for item in own]


def _threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=2)


def _processes() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=2)


@pytest.mark.parametrize("make", [None, _threads, _processes], ids=["default", "threads",
                                                                    "processes"])
def test_portfolio_answers_as_each_agreement_alone(
        portfolio_dir: Path, make: Callable[[], ThreadPoolExecutor | ProcessPoolExecutor] | None
        ) -> None:
    portfolio = er.Portfolio.from_directory(portfolio_dir)
    assert portfolio.ids == ("alpha", "beta", "delta", "epsilon", "eta-bad-log", "gamma",
                             "zeta-bad-file")
    if make is None:
        evaluation = portfolio.evaluate()
    else:
        with make() as executor:
            evaluation = portfolio.evaluate(executor)
    assert evaluation.stats == portfolio_evaluation.RefreshStats(0, 0, 7, 2)
    assert_same_answers(evaluation, portfolio_dir)


def test_default_pool_of_processes(portfolio_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past INLINE_BYTES, the default spreads the agreements over a pool of processes."""
    monkeypatch.setattr(portfolio_evaluation, "INLINE_BYTES", 0)
    seen: list[tuple[int, int, int]] = []
    evaluation = er.Portfolio.from_directory(portfolio_dir).evaluate(
        progress=lambda *done: seen.append(done))
    assert [done for done, _, _ in seen] == list(range(1, 8))
    assert {total for _, total, _ in seen} == {7}
    assert seen[-1][2] == evaluation.events > 0
    assert_same_answers(evaluation, portfolio_dir)


def test_dask_distributed_runs_the_same_code(portfolio_dir: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        evaluation = er.Portfolio.from_directory(portfolio_dir).evaluate(client.get_executor())
    assert_same_answers(evaluation, portfolio_dir)


def test_bad_agreements_are_reported_the_others_answered(portfolio_dir: Path) -> None:
    evaluation = er.Portfolio.from_directory(portfolio_dir).evaluate()
    errors = {(e.agreement, Path(e.where.file).name, e.where.line, e.where.key)
              for e in evaluation.errors}
    assert ("zeta-bad-file", "entente.toml", None, "en_vigueur_le") in errors
    assert ("zeta-bad-file", "entente.toml", 10, "en_vigueur_du") in errors
    bad_line = next(e for e in evaluation.errors if e.agreement == "eta-bad-log")
    assert Path(bad_line.where.file).name == "journal.jsonl"
    assert bad_line.where.key == "montant"
    lines = (portfolio_dir / "eta-bad-log" / "journal.jsonl").read_text().splitlines()
    assert '"montant": 1,' in lines[bad_line.where.line - 1]
    assert bad_line.describe("fr").startswith("entente eta-bad-log — ")
    assert bad_line.describe("en").startswith("agreement eta-bad-log — ")
    snapshot = evaluation.at(date(2026, 7, 15))
    assert snapshot.errors == evaluation.errors
    assert "eta-bad-log" not in snapshot and len(snapshot) == 5
    copy = pickle.loads(pickle.dumps(bad_line))
    assert (copy.agreement, copy.where, copy.fr, copy.en) == \
        (bad_line.agreement, bad_line.where, bad_line.fr, bad_line.en)


def test_a_folder_not_named_by_an_agreement_id_is_reported_alone(
        portfolio_dir: Path, tmp_path: Path) -> None:
    from entente_regles.portfolio import import_directory

    shutil.copytree(portfolio_dir / "alpha", portfolio_dir / "alpha ")  # a blank at its end
    evaluation = er.Portfolio.from_directory(portfolio_dir).evaluate()
    assert sorted(evaluation) == GOOD
    (error,) = (e for e in evaluation.errors if e.where.file == str(portfolio_dir / "alpha "))
    assert error.agreement is None and error.where.line is None
    assert "identifiant d'entente invalide 'alpha '" in error.describe("fr")
    assert "invalid agreement id 'alpha '" in error.describe("en")
    evaluation.refresh()
    assert evaluation.stats.reused == 8 and evaluation.stats.failed == 3
    report = import_directory(portfolio_dir, tmp_path / "p.db")
    assert report.imported == tuple(GOOD)
    assert any(e.where.file == str(portfolio_dir / "alpha ") for e in report.errors)


def test_totals_across_the_portfolio(portfolio_dir: Path) -> None:
    on = date(2026, 7, 15)
    snapshot = er.Portfolio.from_directory(portfolio_dir).evaluate().at(on)
    lines = {line.agreement: line for line in snapshot.by_client()}
    assert {a: line.client for a, line in lines.items()} == {
        "alpha": "MSSS", "beta": "MTQ", "delta": "RAMQ", "epsilon": "CNESST", "gamma": "SAAQ"}
    alpha = alone(portfolio_dir / "alpha").at(on)
    owed_by_client = sum((ob.balance or Decimal(0) for ob in alpha.owed if ob.debtor == "client"),
                         Decimal(0))
    assert lines["alpha"].owed["client"] == owed_by_client > 0
    assert lines["alpha"].late == sum((ob.balance or Decimal(0) for ob in alpha.late), Decimal(0))
    assert lines["alpha"].currency == "CAD"
    for agreement in snapshot:  # the figures totals read are those of the views
        assert snapshot[agreement].owed_figures() == [
            (ob.debtor, ob.amount, ob.balance, ob.status, ob.deadline, ob.held, ob.interest)
            for ob in snapshot[agreement].owed]
    totals = {(t.currency, t.debtor): t for t in snapshot.owed_totals()}
    client = totals[("CAD", "client")]
    assert client.owed == sum(line.owed["client"] for line in lines.values())
    assert client.late == sum(line.late for line in lines.values())
    assert client.owed_count == sum(
        1 for a in snapshot for ob in snapshot[a].owed if ob.debtor == "client")
    (aging,) = snapshot.aging()
    assert aging.currency == "CAD"
    assert aging.total == sum(snapshot[a].aging().total for a in snapshot)
    assert sum(aging.counts.values()) == len(aging.lines)
    later = er.Portfolio.from_directory(portfolio_dir).evaluate().at(date(2026, 10, 15))
    pending = {line.agreement: line.termination_pending for line in later.by_client()}
    assert pending["delta"] is not None and pending["alpha"] is None


def test_refresh_redoes_only_what_changed(portfolio_dir: Path) -> None:
    evaluation = er.Portfolio.from_directory(portfolio_dir).evaluate()
    assert evaluation.refresh().stats == portfolio_evaluation.RefreshStats(7, 0, 0, 2)
    for agreement in ("alpha", "gamma"):  # later events appended: extended
        with (portfolio_dir / agreement / "journal.jsonl").open("a", encoding="utf-8") as log:
            log.write(LATER)
    with (portfolio_dir / "beta" / "journal.jsonl").open("a", encoding="utf-8") as log:
        log.write('{"type": "paiement", "date": "2026-12-01", "par": "client", "facture": '
                  '"F-2026-05", "montant": "1.00"}\n')  # dated before the last: replayed
    toml = portfolio_dir / "epsilon" / "entente.toml"
    toml.write_text(toml.read_text().replace("CNESST", "CNESST-2"))  # agreement file: replayed
    shutil.rmtree(portfolio_dir / "zeta-bad-file")  # gone
    (portfolio_dir / "theta").mkdir()  # new, its log missing: an error
    shutil.copy(portfolio_dir / "alpha" / "entente.toml", portfolio_dir / "theta")
    assert evaluation.refresh().stats == portfolio_evaluation.RefreshStats(2, 2, 3, 2)
    assert evaluation.at(date(2027, 4, 30)).client("epsilon") == "CNESST-2"
    assert [e.where.file for e in evaluation.errors if e.agreement == "theta"] == \
        [str(portfolio_dir / "theta" / "journal.jsonl")]
    assert_same_answers(evaluation, portfolio_dir)
    assert evaluation.refresh().stats == portfolio_evaluation.RefreshStats(7, 0, 0, 2)
    shutil.copy(portfolio_dir / "alpha" / "journal.jsonl", portfolio_dir / "theta")
    assert evaluation.refresh().stats == portfolio_evaluation.RefreshStats(6, 0, 1, 1)
    assert "theta" in evaluation


def test_dates_are_dates(portfolio_dir: Path) -> None:
    evaluation = er.Portfolio.from_directory(portfolio_dir).evaluate()
    for bad in (None, "2026-07-15"):
        with pytest.raises(TypeError, match=r"datetime\.date"):
            evaluation.at(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="known_on"):
        evaluation.at(date(2026, 7, 15), known_on="2026-07-01")  # type: ignore[arg-type]


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(er.PortfolioError) as caught:
        er.Portfolio.from_directory(tmp_path / "nowhere")
    assert caught.value.agreement is None
    assert "portfolio directory not found" in caught.value.describe("en")


# -- the database source -------------------------------------------------------------------

def test_database_gives_the_directory_answers(portfolio_dir: Path, tmp_path: Path) -> None:
    from entente_regles.portfolio import import_directory

    database = tmp_path / "portefeuille.db"
    report = import_directory(portfolio_dir, database, imported_on=date(2026, 12, 5))
    assert report.imported == tuple(GOOD)
    assert {e.agreement for e in report.errors} == {"eta-bad-log", "zeta-bad-file"}
    assert report.events == sum(
        1 for a in GOOD for line in (portfolio_dir / a / "journal.jsonl").read_text().splitlines()
        if line.strip() and not line.startswith("#"))
    evaluation = er.Portfolio.from_database(database).evaluate()
    assert evaluation.errors == ()
    assert_same_answers(evaluation, portfolio_dir, sources=False)
    again = import_directory(portfolio_dir, f"sqlite:///{database}")
    assert again.imported == () and {e.agreement for e in again.errors} >= set(GOOD)
    assert "already" in next(e for e in again.errors if e.agreement == "alpha").describe("en")
    replaced = import_directory(portfolio_dir, database, replace=True)
    assert replaced.imported == tuple(GOOD) and replaced.events == report.events


def test_database_rows_and_appending_by_insert(portfolio_dir: Path, tmp_path: Path) -> None:
    import sqlalchemy as sa

    from entente_regles.portfolio import database as db

    url = f"sqlite:///{tmp_path / 'p.db'}"
    db.import_directory(portfolio_dir, url, imported_on=date(2026, 12, 5))
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sa.select(db.schema_version.c.version)).scalar_one() == 1
        row = connection.execute(sa.select(db.ententes).where(db.ententes.c.id == "alpha")).one()
        assert row.texte == (portfolio_dir / "alpha" / "entente.toml").read_text()
        assert row.importe_le == date(2026, 12, 5)
        assert row.empreinte_regles.startswith("sha256:")
        notice = connection.execute(sa.select(db.evenements).where(
            db.evenements.c.entente == "alpha", db.evenements.c.recu_le.is_not(None))).first()
        assert notice is not None and notice.recu_le == date(2026, 6, 4)
        assert notice.ligne in (portfolio_dir / "alpha" / "journal.jsonl").read_text()
    evaluation = er.Portfolio.from_database(url).evaluate()
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "alpha.jsonl").write_text(LATER)
    (logs / "nobody.jsonl").write_text(LATER)
    (logs / "bad.jsonl").write_text(LATER + LATER.replace('"15200.00"', "15200"))
    report = db.import_logs({"alpha": logs / "alpha.jsonl", "nobody": logs / "nobody.jsonl",
                             "beta": logs / "bad.jsonl"}, url)
    assert report.imported == ("alpha",) and report.events == 2
    assert [(e.agreement, e.where.line) for e in report.errors] == [("beta", 3), ("nobody", None)]
    with engine.begin() as connection:  # a plain INSERT appends an event
        connection.execute(db.evenements.insert().values(
            entente="gamma", seq=1000, date=date(2027, 4, 2), ligne=LATER.splitlines()[0]))
    assert evaluation.refresh().stats == portfolio_evaluation.RefreshStats(3, 2, 0, 0)
    on = date(2027, 4, 30)
    alpha = er.Agreement.from_toml(portfolio_dir / "alpha" / "entente.toml").evaluate(
        [*er.read_events(portfolio_dir / "alpha" / "journal.jsonl"),
         *er.read_events(logs / "alpha.jsonl")])
    assert _answer(evaluation.at(on)["alpha"], False) == _answer(alpha.at(on), False)
    assert evaluation.at(on)["gamma"].find("paiement-facture", "F-2027-03") is not None
    with engine.begin() as connection:  # an agreement file changed in place: replayed
        connection.execute(db.ententes.update().where(db.ententes.c.id == "beta").values(
            texte=(portfolio_dir / "beta" / "entente.toml").read_text().replace("MTQ", "MTMD")))
    assert evaluation.refresh().stats == portfolio_evaluation.RefreshStats(4, 0, 1, 0)
    assert evaluation.at(on).client("beta") == "MTMD"
    engine.dispose()


def test_database_of_another_version_is_refused(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from entente_regles.portfolio import database as db

    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        db.metadata.create_all(connection)
        connection.execute(db.schema_version.insert().values(version=99))
    engine.dispose()
    with pytest.raises(er.PortfolioError) as caught:
        er.Portfolio.from_database(path)
    assert "version 99" in caught.value.describe("en")
    assert "version 1" in caught.value.describe("fr")
    (tmp_path / "empty.db").touch()
    with pytest.raises(er.PortfolioError, match="not a portfolio database"):
        er.Portfolio.from_database(tmp_path / "empty.db")


def test_bad_line_in_database_names_its_seq(portfolio_dir: Path, tmp_path: Path) -> None:
    import sqlalchemy as sa

    from entente_regles.portfolio import database as db

    url = f"sqlite:///{tmp_path / 'p.db'}"
    db.import_directory(portfolio_dir, url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(db.evenements.insert().values(
            entente="beta", seq=77, date=date(2027, 5, 1),
            ligne='{"type": "paiement", "date": "2027-05-01", "par": "client"}'))
    engine.dispose()
    evaluation = er.Portfolio.from_database(url).evaluate()
    (error,) = evaluation.errors
    assert (error.agreement, error.where.line) == ("beta", 77)
    assert error.where.file.endswith("#evenements/beta")
    assert sorted(evaluation) == [a for a in GOOD if a != "beta"]


class _Inline(Executor):
    """The simplest executor of all: runs each job at once, in this process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_any_executor_and_an_evaluation_that_cannot_travel(
        portfolio_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An executor of no known kind gets packed evaluations back; one that cannot be packed
    is reported for its agreement, the others answered."""
    evaluation = er.Portfolio.from_directory(portfolio_dir).evaluate(_Inline())
    assert_same_answers(evaluation, portfolio_dir)
    real_pack = worker.pack

    def pack(agreement: er.Agreement, replayed: object) -> bytes:
        if agreement.client == "MTQ":
            raise TypeError("cannot pickle 'Calendrier' object")
        return real_pack(agreement, replayed)  # type: ignore[arg-type]

    monkeypatch.setattr(worker, "pack", pack)
    evaluation = er.Portfolio.from_directory(portfolio_dir).evaluate(_Inline())
    assert "beta" not in evaluation and "alpha" in evaluation
    (error,) = [e for e in evaluation.errors if e.agreement == "beta"]
    assert "ThreadPoolExecutor" in error.describe("en")
    assert "TypeError: cannot pickle" in error.describe("fr")


def test_a_rule_book_of_its_own(tmp_path: Path) -> None:
    """Another agreement (its own rule book, parties and currency), packed as for another
    process: the rule book is not sent, the parent's own is put back; the totals are in that
    agreement's currency."""
    csa = Path(__file__).parent.parent / "regles" / "common-paper-csa"
    book = er.RuleBook.from_directory(csa)
    for name in ("harbour", "quay"):
        (tmp_path / name).mkdir()
        shutil.copy(csa / "entente.toml", tmp_path / name)
        shutil.copy(csa / "journal.jsonl", tmp_path / name)
    evaluation = er.Portfolio.from_directory(tmp_path, rules=book).evaluate(_Inline())
    assert evaluation.errors == ()
    assert evaluation.agreement("quay").rules is book
    on = date(2026, 9, 30)
    alone_csa = er.Agreement.from_toml(csa / "entente.toml", rules=book).evaluate(
        csa / "journal.jsonl").at(on)
    snapshot = evaluation.at(on, lang="en")
    assert _answer(snapshot["harbour"], False) == _answer(alone_csa, False)
    (total,) = [t for t in snapshot.owed_totals() if t.owed]
    assert total.currency == "GBP" and total.agreements == 2
    assert total.owed == 2 * sum((ob.balance or Decimal(0) for ob in alone_csa.owed
                                  if ob.debtor == total.debtor), Decimal(0))
