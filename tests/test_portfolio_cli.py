"""The portfolio on the command line (``entente-regles portefeuille …``) and the generated
example portfolio it can write (``portfolio/generate.py``). Small portfolios only: a few
clients over one year."""

from __future__ import annotations

from pathlib import Path

import entente_regles as er
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


def test_a_heavy_log_holds_about_1100_events_a_year(tmp_path: Path) -> None:
    (folder,) = generate_portfolio(tmp_path, clients=1, years=1, heavy=True)
    agreement = er.Agreement.from_toml(folder / "entente.toml")
    events = agreement.read_events(folder / "journal.jsonl")
    assert 900 <= len(events) <= 1300
    dates = [e.date for e in events]
    assert dates == sorted(dates)
