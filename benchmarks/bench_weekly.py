"""Benchmark the weekly tools on a large log: agenda, .ics, aging, HTML report, and the
owed table with a huge key.

    python benchmarks/bench_weekly.py                  # N=10,000 invoices, python engine
    python benchmarks/bench_weekly.py --n 2000

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
from entente_regles.outputs.html import render_report
from entente_regles.outputs.ics import IcsQuestion, agenda_to_ics, read_previous
from entente_regles.outputs.text import aging_table, cell, new_table, owed_table, render


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
    agenda = timed("agenda, 90 days", lambda: evaluation.agenda(on, on + timedelta(days=90)))
    print(f"  {len(agenda)} items")
    year = timed("agenda, one year", lambda: evaluation.agenda(on, on + timedelta(days=365)))
    print(f"  {len(year)} items")
    cal = agreement.legal_calendar()
    data = timed("ics, one year", lambda: agenda_to_ics(year, "BENCH", cal))
    print(f"  {len(data)} bytes")
    # with the overdue items, the revisions and a previous file (agenda --precedent)
    question = IcsQuestion(evaluation, asked=on, as_of=on, in_force_from=START)
    full = timed("ics, one year, overdue items and SEQUENCE",
                 lambda: agenda_to_ics(year, "BENCH", cal, question=question))
    print(f"  {len(full)} bytes")
    previous = timed("ics, reading the previous file", lambda: read_previous(full, "old.ics"))
    again = IcsQuestion(evaluation, asked=on, as_of=on, previous=previous, in_force_from=START)
    timed("ics, one year, with --precedent", lambda: agenda_to_ics(year, "BENCH", cal,
                                                                  question=again))
    snapshot = evaluation.at(on)
    timed("aging table", lambda: aging_table(snapshot.aging(), "BENCH"))
    timed("owed table", lambda: owed_table(snapshot, "BENCH"))
    html = timed("HTML report", lambda: render_report(evaluation, "BENCH", on))
    print(f"  {len(html)} characters")
    table = new_table(["a", "b"], fold=frozenset({1}))
    table.add_row("x", cell("K" * 8_000_000))
    timed("table cell with an 8 MB key", lambda: render(table))


if __name__ == "__main__":
    main()
