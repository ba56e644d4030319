"""Benchmark: answers "owed on X, as known on K" on a log where some payments are recorded late.

    python benchmarks/bench_knowledge.py                      # N=2,000 invoices, python engine
    python benchmarks/bench_knowledge.py --n 10000 --late 0.05 --engine durable

Builds the invoice/payment log of ``bench_evaluate.py`` and records a share (``--late``) of
the payments 1 to 30 days after they were made (``recorded``). Prints: the cost of
``Agreement.evaluate`` (the full replay), how many distinct partial replays the knowledge
index needs, the cost of a first question that needs a new partial replay, of a repeated
question (cached), and of questions with K = X (the default) at random dates. No assertions:
figures only.
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from datetime import timedelta

import attrs
from bench_evaluate import START, make_events

import entente_regles as er
from entente_regles.query.as_known import KnowledgeIndex


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="invoices (default 2,000)")
    parser.add_argument("--late", type=float, default=0.05,
                        help="share of payments recorded late (default 0.05)")
    parser.add_argument("--engine", choices=("python", "durable"), default="python")
    parser.add_argument("--queries", type=int, default=12,
                        help="random dates asked about (default 12)")
    args = parser.parse_args()
    rng = random.Random(8)
    events = []
    for event in make_events(args.n):
        if event.type == "paiement" and rng.random() < args.late:
            event = attrs.evolve(event, recorded=event.date + timedelta(days=rng.randint(1, 30)))
        events.append(event)
    index = KnowledgeIndex.of(events)
    late = sum(1 for e in events if e.recorded_on > e.date)
    print(f"{len(events)} events, {late} recorded late, "
          f"{len(index.late_dates)} distinct late knowledge dates "
          f"(at most {len(index.late_dates)} partial replays for K >= X)")
    agreement = er.Agreement(client="BENCH", in_force_from=START, engine=args.engine)
    er.RuleBook.bundled()
    began = time.perf_counter()
    evaluation = agreement.evaluate(events)
    full = time.perf_counter() - began
    print(f"evaluate (full replay): {full * 1000:.0f} ms")
    last = max(e.date for e in events)
    days = (last - START).days
    xs = [START + timedelta(days=rng.randrange(days)) for _ in range(args.queries)]
    began = time.perf_counter()
    for x in xs:
        evaluation.at(x)
    default = (time.perf_counter() - began) / len(xs)
    print(f"at(X) (K = X, default), {len(xs)} random dates: {default * 1000:.1f} ms per question "
          "(includes building the partial replays it needs)")
    began = time.perf_counter()
    for x in xs:
        evaluation.at(x)
    print(f"the same questions again (cached): "
          f"{(time.perf_counter() - began) / len(xs) * 1e6:.0f} µs per question")
    x = START + timedelta(days=days // 2)
    k = x + timedelta(days=15)
    began = time.perf_counter()
    evaluation.at(x, known_on=k)
    first = time.perf_counter() - began
    began = time.perf_counter()
    evaluation.at(x + timedelta(days=1), known_on=k)
    again = time.perf_counter() - began
    print(f"at(X, known_on=X+15): first {first * 1000:.0f} ms, another X with the same K "
          f"{again * 1000:.1f} ms")
    began = time.perf_counter()
    evaluation.at(x, known_on=last + timedelta(days=60))
    print(f"at(X, known_on=after every recording) (the full replay): "
          f"{(time.perf_counter() - began) * 1000:.1f} ms")
    tracemalloc.start()  # memory, measured apart so that it does not slow the timings
    measured = agreement.evaluate(events)
    base = tracemalloc.get_traced_memory()[0]
    for x in xs:
        measured.at(x)
    print(f"memory: full evaluation {base / 1e6:.1f} MB; with the partial replays of the "
          f"{len(xs)} questions {tracemalloc.get_traced_memory()[0] / 1e6:.1f} MB")
    tracemalloc.stop()


if __name__ == "__main__":
    main()
