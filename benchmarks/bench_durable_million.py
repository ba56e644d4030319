"""A 1,000,000-event log through durable_rules and through the default engine: same answers?

    python benchmarks/bench_durable_million.py                  # 1,000,000 events (minutes)
    python benchmarks/bench_durable_million.py --events 100000

The log is ``bench_evaluate.make_events`` (invoices and payments over three years). Both
evaluations are asked about a few dates; every instance's rule, key, status, deadline and
balance, the agreement's state and the diagnostics are compared. Prints times, events/s and
the peak memory of the process. Figures only, no assertion; exits 1 if the answers differ.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_evaluate import START, make_events

import entente_regles as er


def digest(evaluation: er.Evaluation, dates: list) -> tuple[str, int]:  # type: ignore[type-arg]
    h = hashlib.sha256()
    count = 0
    for on in dates:
        snap = evaluation.at(on)
        h.update(f"{on} {snap.agreement_in_force} {snap.services_in_force}".encode())
        for ob in snap.obligations:
            count += 1
            h.update(f"{ob.rule}|{ob.key}|{ob.status.value}|{ob.deadline}|{ob.balance}|"
                     f"{ob.performed_on}|{ob.ended_on}\n".encode())
        for d in snap.diagnostics:
            h.update(d.describe("en").encode())
    return h.hexdigest(), count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    events = make_events(max(1, round(args.events / 2.05)))
    last = max(e.date for e in events)
    dates = [START + timedelta(days=400), last - timedelta(days=30), last,
             last + timedelta(days=730)]
    er.RuleBook.bundled()
    print(f"Python {sys.version.split()[0]}, {len(events):,} events, questions at "
          f"{', '.join(str(d) for d in dates)}")
    results = {}
    for engine in ("python", "durable"):
        began = time.perf_counter()
        try:
            evaluation = er.Agreement(client="BENCH", in_force_from=START,
                                      engine=engine).evaluate(events)
        except er.EntenteError as exc:
            print(f"{engine:8} refused: {exc}")
            return 1
        replayed = time.perf_counter() - began
        results[engine] = digest(evaluation, dates)
        took = time.perf_counter() - began
        del evaluation
        print(f"{engine:8} evaluate {replayed:8.1f} s ({len(events) / replayed:9,.0f} events/s), "
              f"with the questions {took:8.1f} s; {results[engine][1]:,} instance-dates; "
              f"peak RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f}"
              " MB")
    same = results["python"] == results["durable"]
    print("same answers" if same else "ANSWERS DIFFER", results["python"][0][:16],
          results["durable"][0][:16])
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
