"""Benchmark: the small hostile inputs that used to cost quadratic or unbounded time.

    python benchmarks/bench_hostile.py                       # default sizes
    python benchmarks/bench_hostile.py --payments 10000 20000 --same-day 100000

Three families, each timed end to end (validation, replay, one ``at()`` and its JSON):

- many partial payments on one invoice (the balance was re-summed at every payment);
- vague standards under a policy with a large indicative deadline (working days were
  counted one by one, per instance);
- many events dated the same day.

Prints seconds per case. No assertions: figures only (see docs/limites.md).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import entente_regles as er

START = date(2026, 4, 1)


def _timed(label: str, work: Callable[[], object]) -> None:
    began = time.perf_counter()
    try:
        work()
    except (er.EntenteError, ValueError) as exc:  # a bound refused: a figure too
        print(f"{label:<58} refused: {str(exc).splitlines()[0][:70]}")
        return
    print(f"{label:<58} {time.perf_counter() - began:8.2f} s")


def partial_payments(n: int) -> None:
    issued = START + timedelta(days=35)
    events = [er.Event("facture_emise", issued, by="mcn",
                       data={"facture": "F-1", "montant": Decimal(n) / 100 + 1,
                             "periode": "2026-04"})]
    events += [er.Event("paiement", issued + timedelta(days=1 + i % 20), by="client",
                        data={"facture": "F-1", "montant": Decimal("0.01")})
               for i in range(n)]
    events.sort(key=lambda e: e.date)
    evaluation = er.Agreement(client="B", in_force_from=START, engine="python").evaluate(events)
    evaluation.at(issued + timedelta(days=40)).to_dict()


def vague_policy(days: int, instances: int) -> None:
    policy = er.Policy(vague_deadlines={"plus_brefs_delais": days})
    on = START + timedelta(days=10)
    events = [er.Event("incident", on + timedelta(days=i % 700), by="mcn",
                       data={"incident": f"I-{i}", "nature": "confidentialite"})
              for i in range(instances)]  # on distinct days: no computation is shared
    agreement = er.Agreement(client="B", in_force_from=START, policy=policy, engine="python")
    agreement.evaluate(events).at(on + timedelta(days=5)).to_dict()


def same_day(n: int, engine: er.agreement.Engine) -> None:
    on = START + timedelta(days=40)
    events = [er.Event("facture_emise", on, by="mcn",
                       data={"facture": f"F-{i}", "montant": "10.00", "periode": "2026-04"})
              for i in range(n)]
    er.Agreement(client="B", in_force_from=START, engine=engine).evaluate(events).at(on)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, nargs="*", default=[2_500, 10_000])
    parser.add_argument("--vague-days", type=int, nargs="*", default=[365, 1_000_000])
    parser.add_argument("--vague-instances", type=int, default=700)
    parser.add_argument("--same-day", type=int, nargs="*", default=[10_000])
    parser.add_argument("--engine", choices=("python", "durable"), default="python")
    args = parser.parse_args()
    er.RuleBook.bundled()  # load the rules outside the timed sections
    for n in args.payments:
        _timed(f"{n:,} partial payments on one invoice", lambda n=n: partial_payments(n))
    for days in args.vague_days:
        _timed(f"{args.vague_instances} vague instances, policy deadline {days:,} working days",
               lambda d=days: vague_policy(d, args.vague_instances))
    for n in args.same_day:
        _timed(f"{n:,} events on one day ({args.engine})",
               lambda n=n: same_day(n, args.engine))


if __name__ == "__main__":
    main()
