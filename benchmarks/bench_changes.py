"""Benchmark the weekly digest (``Evaluation.changes``) on a large log: a week, a quarter
and a year, beside the snapshot of the same day and the text table.

    python benchmarks/bench_changes.py                 # N=10,000 invoices, python engine
    python benchmarks/bench_changes.py --n 2000

Prints seconds per operation. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_evaluate import START, make_events

import entente_regles as er
from entente_regles.cli.commands import changes_table


def timed(label: str, action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    print(f"{label:<48} {time.perf_counter() - started:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    agreement = er.Agreement(client="BENCH", in_force_from=START, engine="python")
    events = make_events(args.n)
    evaluation = timed(f"evaluate ({len(events)} events)", lambda: agreement.evaluate(events))
    on = START + timedelta(days=400)
    timed("at(on).owed", lambda: len(evaluation.at(on).owed))
    for days, name in ((7, "a week"), (91, "a quarter"), (365, "a year")):
        changes = timed(f"changes, {name}",
                        lambda days=days: evaluation.changes(on - timedelta(days=days), on))
        print(f"  {len(changes)} changes")
    week = evaluation.changes(on - timedelta(days=7), on)
    timed("changes table, a week", lambda: changes_table(week, "BENCH"))
    timed("changes to_dict, a week", week.to_dict)


if __name__ == "__main__":
    main()
