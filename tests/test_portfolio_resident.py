"""The default executor's resident workers (issue 21): each evaluation stays in the worker
process that made it, and every answer across the portfolio is asked there. Asked first
there (nothing brought here), the answers are those of evaluations kept in this process;
a refresh extends a kept evaluation where it is kept, and an evaluation asked for by
itself is brought here."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_portfolio import GOOD, LATER, alone, make_portfolio

import entente_regles as er
from entente_regles.portfolio import evaluation as portfolio_evaluation
from entente_regles.portfolio.evaluation import RefreshStats

ON, KNOWN = date(2026, 11, 20), date(2026, 11, 1)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_portfolio(tmp_path / "portefeuille")


@pytest.fixture
def resident(root: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[er.PortfolioEvaluation]:
    monkeypatch.setattr(portfolio_evaluation, "INLINE_BYTES", 0)  # the pool, however small
    with er.Portfolio.from_directory(root).evaluate() as evaluation:
        yield evaluation


def _kept_remotely(evaluation: er.PortfolioEvaluation) -> set[str]:
    return {agreement for agreement, held in evaluation._held.items()
            if held.worker is not None and held.evaluation is None}


def _everything(snapshot: er.PortfolioSnapshot) -> dict[str, Any]:
    """Every answer across the portfolio, in plain data."""
    start, end = snapshot.on, snapshot.on + timedelta(days=120)
    return {
        "totals": snapshot.owed_totals(),
        "clients": snapshot.by_client(),
        "aging": [(a.currency, a.lines, a.totals) for a in snapshot.aging()],
        "agenda": [(e.agreement, e.client, e.item.to_record(), e.item.explain("fr"),
                    e.item.explain("en"), e.item.uid) for e in snapshot.agenda(start, end)],
        "changes": [(c.agreement, c.client, c.change.to_dict(), c.change.text)
                    for c in snapshot.changes(date(2026, 6, 30))],
        "owed": snapshot.owed_dicts(),
        "records": snapshot.owed_records(),
        "currencies": {a: snapshot.presentation(a).currency for a in snapshot},
    }


def test_answers_asked_in_the_workers_are_those_asked_here(
        resident: er.PortfolioEvaluation, root: Path) -> None:
    assert _kept_remotely(resident) == set(GOOD)
    used = resident.worker_usage()  # what each worker used so far
    assert resident._pool is not None and len(used) == resident._pool.size
    assert sum(u.agreements for u in used) == len(GOOD)
    assert all(u.cpu_seconds > 0 and (u.peak_mb is None or u.peak_mb > 0) for u in used)
    assert len({u.pid for u in used}) == len(used)
    with ThreadPoolExecutor(max_workers=2) as threads:
        here = er.Portfolio.from_directory(root).evaluate(threads)
    for on, known_on in ((ON, None), (ON, KNOWN), (date(2027, 4, 30), None)):
        asked = _everything(resident.at(on, known_on))
        assert asked == _everything(here.at(on, known_on))
        assert asked["totals"] and asked["agenda"] and asked["changes"]
    assert _kept_remotely(resident) == set(GOOD)  # nothing was brought here to answer
    # one agreement asked for by itself is brought here, and answers as it alone
    assert resident.at(ON)["beta"].to_dict() == alone(root / "beta").at(ON).to_dict()
    assert _kept_remotely(resident) == set(GOOD) - {"beta"}
    assert _everything(resident.at(ON)) == _everything(here.at(ON))


def test_a_refresh_extends_where_the_evaluation_is_kept(
        resident: er.PortfolioEvaluation, root: Path) -> None:
    with (root / "alpha" / "journal.jsonl").open("a", encoding="utf-8") as log:
        log.write(LATER)  # later events: extended in its worker
    with (root / "gamma" / "journal.jsonl").open("a", encoding="utf-8") as log:
        log.write('{"type": "paiement", "date": "2027-05-01", "par": "client", '
                  '"facture": "F-2027-03", "montant": "abc"}\n')  # a bad line: an error
    with (root / "beta" / "journal.jsonl").open("a", encoding="utf-8") as log:
        log.write('{"type": "paiement", "date": "2026-12-01", "par": "client", "facture": '
                  '"F-2026-05", "montant": "1.00"}\n')  # dated before the last: replayed
    assert resident.refresh().stats == RefreshStats(4, 2, 1, 3)
    assert _kept_remotely(resident) == {"alpha", "beta", "delta", "epsilon"}
    assert [(e.agreement, e.where.key) for e in resident.errors if e.agreement == "gamma"] \
        == [("gamma", "montant")]
    asked = resident.at(date(2027, 4, 30))
    lines = {line.agreement: line for line in asked.by_client()}
    for agreement in ("alpha", "beta"):
        alone_then = alone(root / agreement).at(date(2027, 4, 30))
        assert lines[agreement].owed_count == len(alone_then.owed)
        assert asked.owed_dicts()[agreement] == [ob.to_dict() for ob in alone_then.owed]
    assert asked["alpha"].to_dict() == alone(root / "alpha").at(date(2027, 4, 30)).to_dict()


def test_closing_brings_every_evaluation_here(resident: er.PortfolioEvaluation,
                                              root: Path) -> None:
    before = _everything(resident.at(ON))
    resident.close()
    assert not _kept_remotely(resident)
    assert _everything(resident.at(ON)) == before
    assert resident.refresh().stats == RefreshStats(7, 0, 0, 2)


def test_a_released_evaluation_says_it_is_closed(root: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio_evaluation, "INLINE_BYTES", 0)
    with er.Portfolio.from_directory(root).evaluate() as evaluation:
        pass
    with pytest.raises(RuntimeError, match="evaluation closed"):
        evaluation.at(ON).owed_totals()


def test_as_many_workers_as_asked(root: Path) -> None:
    with er.Portfolio.from_directory(root).evaluate(workers=1) as one:
        assert one._pool is not None and one._pool.size == 1  # asked: even for a small one
        assert _kept_remotely(one) == set(GOOD)
        inline = er.Portfolio.from_directory(root).evaluate()  # small: in this process
        assert not _kept_remotely(inline)
        assert _everything(one.at(ON)) == _everything(inline.at(ON))
    for bad in (0, -1, 1.5, "2"):
        with pytest.raises(ValueError, match="workers"):
            er.Portfolio.from_directory(root).evaluate(workers=bad)  # type: ignore[arg-type]

