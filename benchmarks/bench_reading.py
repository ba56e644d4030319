"""Issue 21's two biggest costs per event, measured apart: reading and validating a log's
lines, and shipping an evaluation between processes (packing it in the worker, unpacking
and resuming it in the parent).

    python benchmarks/bench_reading.py                 # 8 heavy agreements, 3 years
    python benchmarks/bench_reading.py --clients 2 --dir /tmp/pf   # keep (and reuse) files

Prints, with no assertion, the best of 3 CPU times (``time.process_time``) for each step,
in µs per event, over the logs written by ``generate_portfolio(heavy=True, seed=0)``.
Unpacking runs with the cyclic collector paused, as ``PortfolioEvaluation`` unpacks. Last,
a worker's whole job (``portfolio.worker.run_job``: read, check, evaluate, pack), the CPU a
default pool's workers spend and the portfolio benchmark cannot count: on a machine shared
with other work, compare this figure, not wall-clock seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from entente_regles.agreement import Agreement
from entente_regles.calendar import legal
from entente_regles.core.gc_pause import collection_paused
from entente_regles.events.log import read_events
from entente_regles.portfolio.generate import generate_portfolio
from entente_regles.portfolio.shipping import pack, unpack
from entente_regles.portfolio.sources import Entry
from entente_regles.portfolio.worker import Job, run_job
from entente_regles.rules.rulebook import RuleBook


def best_cpu(work: Callable[[], object], runs: int = 3) -> float:
    """The smallest CPU time of ``runs`` runs of ``work``, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--dir", help="where to write the portfolio (kept, reused)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.dir or scratch)
        folders = sorted(p for p in root.glob("*") if (p / "journal.jsonl").exists())
        if len(folders) != args.clients:
            folders = generate_portfolio(root, clients=args.clients, years=args.years,
                                         heavy=True, seed=0)
        run(folders)


def run(folders: list[Path]) -> None:
    book = RuleBook.bundled()
    logs = [folder / "journal.jsonl" for folder in folders]
    agreements = [Agreement.from_toml(folder / "entente.toml") for folder in folders]
    events = [read_events(log, book) for log in logs]
    count = sum(len(e) for e in events)
    print(f"{len(folders)} agreements, {count:,} events")

    reading = best_cpu(lambda: [read_events(log, book) for log in logs])
    print(f"reading and validating: {reading * 1e6 / count:7.1f} µs/event "
          f"({reading:.2f} CPU-s)")

    evaluations = [a.evaluate(e) for a, e in zip(agreements, events, strict=True)]
    packed: list[bytes] = []

    def pack_all() -> None:
        packed[:] = [pack(a, ev.replayed)
                     for a, ev in zip(agreements, evaluations, strict=True)]

    packing = best_cpu(pack_all)
    size = sum(len(p) for p in packed)
    print(f"packing:                {packing * 1e6 / count:7.1f} µs/event "
          f"({packing:.2f} CPU-s, {size / 1e6:.1f} MB)")

    def unpack_all() -> None:
        for data in packed:
            with collection_paused():  # as the portfolio unpacks
                agreement, replayed = unpack(data, None)
                agreement.resume(replayed)

    unpacking = best_cpu(unpack_all)
    print(f"unpacking and resuming: {unpacking * 1e6 / count:7.1f} µs/event "
          f"({unpacking:.2f} CPU-s)")

    # A portfolio worker's whole job (read, check, evaluate, pack), the calendar's caches
    # emptied before each run: the CPU per event a worker pays, as a pool's workers do not
    # show in the portfolio benchmark's CPU column.
    jobs = [Job(Entry(folder.name, str(folder / "entente.toml"), str(folder / "journal.jsonl")),
                None, "python", True) for folder in folders]

    def run_jobs() -> None:
        for name in ("_after", "_working_days", "_day_off", "_reason"):
            cached = getattr(legal, name, None)
            if cached is not None:
                cached.cache_clear()
        for job in jobs:
            run_job(job)

    working = best_cpu(run_jobs)
    print(f"a worker's whole job:   {working * 1e6 / count:7.1f} µs/event "
          f"({working:.2f} CPU-s), then the parent's unpacking and resuming")


if __name__ == "__main__":
    main()
