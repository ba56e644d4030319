"""Issue 21's replay alone: ``Agreement.evaluate_checked`` of logs read beforehand.

    python benchmarks/bench_replay.py --dir /tmp/pf-heavy --logs 20

Reads the first ``--logs`` folders of ``--dir`` (each ``entente.toml`` and
``journal.jsonl``, as ``generate_portfolio(heavy=True)`` writes them; written there when
the directory holds none), the events once with ``portfolio.sources.log_events`` (not
counted), then prints, with no assertion, the best of 3 CPU times (``time.process_time``,
the cyclic collector as it is) of evaluating them all, in µs per event: with the calendar's
caches emptied before each run (a fresh worker) and kept (a worker that evaluated them
before).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from entente_regles.agreement import Agreement
from entente_regles.calendar import legal
from entente_regles.portfolio.generate import generate_portfolio
from entente_regles.portfolio.sources import log_events
from entente_regles.rules.rulebook import RuleBook


def best_cpu(work: Callable[[], object], before: Callable[[], object] = lambda: None,
             runs: int = 3) -> float:
    """The smallest CPU time of ``runs`` runs of ``work`` (``before`` run first, not
    counted), in seconds."""
    best = float("inf")
    for _ in range(runs):
        before()
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def empty_caches() -> None:
    for name in ("_after", "_working_days", "_day_off", "_reason", "_law", "_year_days"):
        cached = getattr(legal, name, None)
        if cached is not None:
            cached.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="the portfolio's folders (kept, reused)")
    parser.add_argument("--logs", type=int, default=20)
    args = parser.parse_args()
    root = Path(args.dir)
    folders = sorted(p for p in root.glob("*") if (p / "journal.jsonl").exists())
    if not folders:
        folders = generate_portfolio(root, clients=args.logs, years=3, heavy=True, seed=0)
    folders = folders[:args.logs]
    vocabulary = RuleBook.bundled().vocabulary
    jobs = [(Agreement.from_toml(folder / "entente.toml"),
             log_events((folder / "journal.jsonl").read_bytes(),
                        str(folder / "journal.jsonl"), vocabulary))
            for folder in folders]
    count = sum(len(events) for _, events in jobs)

    def evaluate_all() -> None:
        for agreement, events in jobs:
            agreement.evaluate_checked(events, vocabulary)

    print(f"{len(jobs)} agreements, {count:,} events")
    cold = best_cpu(evaluate_all, empty_caches)
    print(f"replay, calendar caches emptied: {cold * 1e6 / count:6.1f} µs/event "
          f"({cold:.2f} CPU-s)")
    warm = best_cpu(evaluate_all)
    print(f"replay, calendar caches kept:    {warm * 1e6 / count:6.1f} µs/event "
          f"({warm:.2f} CPU-s)")


if __name__ == "__main__":
    main()
