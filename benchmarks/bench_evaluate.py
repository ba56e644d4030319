"""Benchmark: replay N invoice/payment pairs, then ask ``at()`` about random dates.

    python benchmarks/bench_evaluate.py                 # N=10,000, both engines
    python benchmarks/bench_evaluate.py --n 2000 --engine python --queries 50

The log is a realistic mix over about three years from 2026-04-01: invoices issued every
working day or so, paid on time (75 %), late (15 %), or partly (10 %: part on time, the rest
late or never). Prints events per second for ``Agreement.evaluate`` (validation + replay)
and microseconds per ``Evaluation.at`` query at random dates. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

import entente_regles as er

START = date(2026, 4, 1)
SPAN_DAYS = 3 * 365


def make_events(n: int, seed: int = 2026) -> list[er.Event]:
    rng = random.Random(seed)
    events: list[er.Event] = []
    for i in range(n):
        issued = START + timedelta(days=30 + (i * SPAN_DAYS) // n)
        period = (issued.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        invoice = f"F-{i:06d}"
        amount = Decimal(rng.randrange(50_000, 2_500_000)) / 100
        events.append(er.Event("facture_emise", issued, by="mcn",
                               data={"facture": invoice, "montant": amount, "periode": period}))
        roll = rng.random()
        if roll < 0.75:  # on time
            events.append(_pay(issued + timedelta(days=rng.randint(1, 28)), invoice, amount))
        elif roll < 0.90:  # late
            events.append(_pay(issued + timedelta(days=rng.randint(35, 120)), invoice, amount))
        else:  # partial: part on time, the rest late or never
            part = (amount * Decimal(rng.choice(("0.25", "0.5", "0.8")))).quantize(Decimal("0.01"))
            events.append(_pay(issued + timedelta(days=rng.randint(5, 25)), invoice, part))
            if rng.random() < 0.5:
                events.append(_pay(issued + timedelta(days=rng.randint(40, 90)), invoice,
                                   amount - part))
    events.sort(key=lambda e: e.date)  # a log is written in date order
    return events


def _pay(on: date, invoice: str, amount: Decimal) -> er.Event:
    return er.Event("paiement", on, by="client", data={"facture": invoice, "montant": amount})


def bench(engine: er.agreement.Engine, events: list[er.Event], queries: int,
          seed: int = 7) -> None:
    agreement = er.Agreement(client="BENCH", in_force_from=START, engine=engine)
    er.RuleBook.bundled()  # load the rules outside the timed section
    began = time.perf_counter()
    evaluation = agreement.evaluate(events)
    took = time.perf_counter() - began
    rng = random.Random(seed)
    last = max(e.date for e in events)
    days = (last - START).days + 60
    dates = [START + timedelta(days=rng.randrange(days)) for _ in range(queries)]
    evaluation.at(dates[0])  # make sure the horizon covers the dates before timing
    began = time.perf_counter()
    owed = 0
    for on in dates:
        owed += len(evaluation.at(on).owed)
    per_query = (time.perf_counter() - began) / queries
    instances = len(evaluation.at(last).obligations)
    print(f"{engine:8}  events {len(events):7,}  evaluate {took:8.2f} s  "
          f"{len(events) / took:10,.0f} events/s  at() {per_query * 1e6:12,.0f} µs/query  "
          f"({instances:,} instances at the last date; {owed / queries:,.0f} owed on average)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="invoice/payment pairs")
    parser.add_argument("--engine", choices=("durable", "python", "both"), default="both")
    parser.add_argument("--queries", type=int, default=200, help="at() queries to time")
    args = parser.parse_args(argv)
    events = make_events(args.n)
    print(f"Python {sys.version.split()[0]}, N={args.n:,} invoices, {len(events):,} events, "
          f"{args.queries} queries")
    engines: list[er.agreement.Engine] = (["python", "durable"] if args.engine == "both"
                                          else [args.engine])
    for engine in engines:
        try:
            bench(engine, events, args.queries)
        except Exception as exc:  # report and go on with the other engine
            print(f"{engine:8}  FAILED: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
