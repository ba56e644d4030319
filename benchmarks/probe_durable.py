"""Throughput of the two matching backends on one join rule.

N instances of norm "N" (keys F0..F{N-1}, two parties), then N payment events, each joining
one instance on its key and party. Prints instances/s, facts/s and the session close time.

    PYTHONPATH=src python benchmarks/probe_durable.py [N]
"""

from __future__ import annotations

import sys
import time

from entente_regles.engine.durable.backend import DurableBackend
from entente_regles.engine.matching import Backend, Fact, FieldTest, Join, MatchRule, PythonBackend

RULES = [
    MatchRule(
        "paiement-facture",
        "evenement",
        "paiement",
        (FieldTest("moyen", "virement"),),
        Join("N", "facture", same_party=True),
    )
]


def probe(backend: Backend, n: int) -> None:
    instances = [Fact(i, "instance", "N", f"P{i % 2}", f"F{i}") for i in range(n)]
    events = [
        Fact(
            n + i,
            "evenement",
            "paiement",
            f"P{i % 2}",
            None,
            {"facture": f"F{i}", "moyen": "virement", "montant": i},
        )
        for i in range(n)
    ]
    matched = 0
    start = time.perf_counter()
    with backend.session(RULES) as session:
        for fact in instances:
            session.add_instance(fact)
        added = time.perf_counter()
        for fact in events:
            matched += len(session.match(fact))
        done = time.perf_counter()
    closed = time.perf_counter()
    print(
        f"{backend.name:8} add_instance {n / (added - start):>12,.0f}/s"
        f"   match {n / (done - added):>12,.0f} facts/s"
        f"   close {1000 * (closed - done):8.1f} ms   matches {matched}"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for backend in (PythonBackend(), DurableBackend()):
        probe(backend, n)


if __name__ == "__main__":
    main()
