"""Issue 22: the cost of a question far in time, and of a large report.

Prints, for each engine, the time and peak memory of ``owed --at DATE`` on the bundled
example (the command line accepts dates up to 2199-12-31; ``--api-9999`` also asks the API
for 9999-12-31, which replays every period up to it), then the size and time of the report
page and of the ``owed`` text table for N unpaid invoices.

    python benchmarks/bench_calendar_ends.py [--invoices 100000] [--api-9999]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from entente_regles.rules.resources import bundled_example


def _run(argv: list[str]) -> tuple[float, float, int]:
    """Seconds, peak MB (the largest child so far: getrusage's children figure), bytes written
    on stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "entente_regles", *argv],
                          capture_output=True, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        print(done.stderr.decode("utf-8", "replace"), file=sys.stderr)
    return seconds, max(peak, before) / 1024, len(done.stdout)


def _api_far(engine: str) -> str:
    code = ("import entente_regles as er, time, resource; from datetime import date; "
            "from entente_regles.rules.resources import bundled_example; "
            "a, j = bundled_example(); t = time.perf_counter(); "
            f"s = er.Agreement.from_toml(a, engine={engine!r}).evaluate(j)"
            ".at(date(9999, 12, 31)); "
            "print(f'{len(s.obligations)} instances, {time.perf_counter() - t:.1f} s, '"
            "f'{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() or done.stderr.strip()[-300:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--api-9999", action="store_true")
    args = parser.parse_args()
    for engine in ("python", "durable"):
        for day in ("2026-12-31", "2199-12-31"):
            seconds, peak, _ = _run(["owed", "--at", day, "--engine", engine])
            print(f"owed --at {day} --engine {engine}: {seconds:.1f} s, {peak:.0f} MB")
    if args.api_9999:  # after the command-line figures: the children's peak only grows
        for engine in ("python", "durable"):
            print(f"API at(9999-12-31), {engine}: {_api_far(engine)}")
    agreement, _ = bundled_example()
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "factures.jsonl"
        with journal.open("w", encoding="utf-8") as out:
            for i in range(args.invoices):
                day = date(2026, 5, 1) + timedelta(days=i % 200)
                out.write(json.dumps({"type": "facture_emise", "date": day.isoformat(),
                                      "par": "mcn", "facture": f"F-{i:06d}",
                                      "montant": "100.00",
                                      "periode": f"{day.year}-{day.month - 1:02d}"}) + "\n")
        common = ["--agreement", str(agreement), "--events", str(journal), "--at", "2027-01-15"]
        page = Path(folder) / "rapport.html"
        seconds, peak, _ = _run(["rapport", *common, "-o", str(page)])
        print(f"rapport, {args.invoices} invoices: {seconds:.1f} s, {peak:.0f} MB, "
              f"page {page.stat().st_size / 1e6:.2f} MB")
        for fmt in ("table", "csv", "json"):
            seconds, peak, size = _run(["owed", *common, "--format", fmt])
            print(f"owed --format {fmt}, {args.invoices} invoices: {seconds:.1f} s, "
                  f"{peak:.0f} MB, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
