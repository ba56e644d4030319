"""Benchmark: conditions on state (``disponible_si``) and triggers on state, on the test rule
book ``tests/regles_etat`` (issue 19, decisions 60–62).

    python benchmarks/bench_conditions.py              # N=2,000 invoices
    python benchmarks/bench_conditions.py --n 10000 --queries 20

N invoices over about three years, paid on time (60 %), late (30 %) or never (10 %); a
suspension naming each late invoice, some too early (void: condition not met), a receipt
for each payment (a norm arising when the invoice is satisfied). Prints events per second
for ``Agreement.evaluate`` and microseconds per ``Evaluation.at`` query (each query computes
the status of every conditioned faculty: one condition check each). No assertions.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import entente_regles as er

START = date(2026, 4, 1)
SPAN_DAYS = 3 * 365
BOOK = Path(__file__).resolve().parent.parent / "tests" / "regles_etat"


def make_events(n: int, seed: int = 2026) -> list[er.Event]:
    rng = random.Random(seed)
    events: list[er.Event] = []
    amount = Decimal("100.00")
    for i in range(n):
        issued = START + timedelta(days=rng.randrange(SPAN_DAYS))
        number = f"F-{i}"
        events.append(er.Event("facture_emise", issued, "mcn",
                               data={"facture": number, "montant": amount}))
        draw = rng.random()
        if draw < 0.6:
            paid = issued + timedelta(days=rng.randrange(1, 28))
        elif draw < 0.9:
            paid = issued + timedelta(days=rng.randrange(35, 90))
            events.append(er.Event("suspension", issued + timedelta(days=rng.randrange(20, 60)),
                                   "mcn", data={"facture": number}))
        else:
            continue
        events.append(er.Event("paiement", paid, "client",
                               data={"facture": number, "montant": amount}))
        events.append(er.Event("recu", paid + timedelta(days=rng.randrange(0, 8)), "mcn",
                               data={"facture": number}))
    events.sort(key=lambda e: e.date)
    return events


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--engine", default="python", choices=("python", "reference",
                                                               "durable"))
    args = parser.parse_args(argv)
    rules = er.RuleBook.from_directory(BOOK)
    events = make_events(args.n)
    agreement = er.Agreement(client="X", in_force_from=START, rules=rules,
                             engine=args.engine)
    began = time.perf_counter()
    evaluation = agreement.evaluate(events)
    elapsed = time.perf_counter() - began
    rng = random.Random(7)
    days = [START + timedelta(days=rng.randrange(SPAN_DAYS + 90)) for _ in range(args.queries)]
    began = time.perf_counter()
    options = 0
    for day in days:
        options += len(evaluation.at(day).options)
    per_query = (time.perf_counter() - began) / len(days) * 1e6
    voided = sum(1 for d in evaluation.diagnostics if d.code == "condition_non_remplie")
    print(f"Python {sys.version.split()[0]}, N={args.n:,} invoices, {len(events):,} events, "
          f"{args.engine}")
    print(f"evaluate {elapsed:.2f} s  {len(events) / elapsed:,.0f} events/s  "
          f"at() {per_query:,.0f} µs/query  ({options / len(days):,.0f} options on average; "
          f"{voided:,} suspensions void)")


if __name__ == "__main__":
    main(sys.argv[1:])
