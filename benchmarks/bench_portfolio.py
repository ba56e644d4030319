"""The portfolio's figures (issue 21): 300 agreements × three years of heavy logs (918,703
events for seed 0), written by ``generate_portfolio(heavy=True)``.

    python benchmarks/bench_portfolio.py                       # everything, 300 agreements
    python benchmarks/bench_portfolio.py --clients 30 --skip-dask
    python benchmarks/bench_portfolio.py --dir /tmp/pf         # keep (and reuse) the files
    python benchmarks/bench_portfolio.py --executors 2 --skip-fresh   # one run and Dask

Prints, with no assertion:

- the time to evaluate the portfolio with the default executor (resident workers, one per
  core), with 1 and 2 resident workers (``evaluate(workers=N)``), and with a
  ``ProcessPoolExecutor`` of 1 and 2 workers given as any executor (the evaluations packed
  and sent to the parent); the CPU of the parent and its workers, and the peak memory of
  each run (the parent's maximum resident set, each worker's: ``WorkerUsage.peak_mb`` or
  ``getrusage(RUSAGE_CHILDREN)``), each run in a fresh interpreter so that one run's
  memory does not hide the next's;
- the same through a Dask ``distributed`` ``LocalCluster`` (2 worker processes of one
  thread; its start-up apart), and its ratio to the 2 resident workers;
- after one more day of events appended to 10 agreements' logs, the time to a fresh
  answer (``refresh`` + ``at`` + totals);
- ``portefeuille owed --at`` on the evaluated portfolio: the in-process ``at(d)`` with
  ``by_client()`` and ``owed_totals()``, and the command line end to end (which evaluates
  the portfolio first).

Targets of the issue: < 15 s on 2 cores, < 1.5 GB, < 1 s after the append, < 100 ms owed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

AT = date(2029, 3, 15)
TIMED_RUN = r"""
import json, resource, sys, time
from concurrent.futures import ProcessPoolExecutor
from entente_regles import RuleBook
from entente_regles.portfolio import Portfolio

RuleBook.bundled()  # the rule book loaded outside the timed section, as a server would
workers, shipped = json.loads(sys.argv[2])
portfolio = Portfolio.from_directory(sys.argv[1])
def cpu():
    own, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
cpu_before = cpu()
began = time.perf_counter()
if shipped:  # any executor of the user's: evaluations packed and sent to this process
    with ProcessPoolExecutor(max_workers=workers) as pool:
        evaluation = portfolio.evaluate(pool)
else:  # the default: resident workers keep the evaluations they make
    evaluation = portfolio.evaluate(workers=workers)
elapsed = time.perf_counter() - began
used = evaluation.worker_usage()  # the resident workers' own CPU and memory
cpu_seconds = cpu() - cpu_before + sum(u.cpu_seconds for u in used)
snapshot = evaluation.at(__import__("datetime").date.fromisoformat(sys.argv[3]))
lines = snapshot.by_client()
print(json.dumps({
    "seconds": elapsed, "cpu": cpu_seconds, "agreements": len(evaluation),
    "events": evaluation.events,
    "errors": len(evaluation.errors), "owed": sum(line.owed_count for line in lines),
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "children_mb": max([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]
                       + [u.peak_mb or 0 for u in used]),
    "workers_mb": sum(u.peak_mb or 0 for u in used),
}))
"""


def _run(script: str, *args: str, file: bool = False) -> dict[str, float]:
    command = [sys.executable, script] if file else [sys.executable, "-c", script]
    done = subprocess.run([*command, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def generate(root: Path, clients: int) -> None:
    from entente_regles.portfolio.generate import generate_portfolio
    marker = root / f".bench-{clients}"
    if marker.exists():
        print(f"portfolio reused: {root}")
        return
    began = time.perf_counter()
    generate_portfolio(root, clients=clients, years=3, seed=0, heavy=True)
    marker.write_text("", encoding="utf-8")
    size = sum(p.stat().st_size for p in root.rglob("journal.jsonl"))
    print(f"generated {clients} agreements in {time.perf_counter() - began:.1f} s, "
          f"logs {size / 1e6:.0f} MB")


def executors(root: Path, which: list[str]) -> float:
    print("\nevaluation (fresh interpreter per run; bundled rule book loaded before timing;"
          "\nCPU: user + system seconds of the parent and its workers (resident workers say "
          "their own);\nsum MB: the parent's peak and each worker's; for a process pool, "
          "every worker counted at the largest one's peak)")
    print(f"{'executor':<28}{'seconds':>9}{'CPU s':>8}{'events/s':>12}{'parent MB':>11}"
          f"{'largest worker MB':>19}{'sum MB':>8}", flush=True)
    pool2 = 0.0
    runs = {"default": (f"default (cpu_count = {os.cpu_count()})", None, False),
            "1": ("resident, 1 worker", 1, False), "2": ("resident, 2 workers", 2, False),
            "pool1": ("process pool, 1 worker", 1, True),
            "pool2": ("process pool, 2 workers", 2, True)}
    for label, workers, shipped in (runs[name] for name in which):
        r = _run(TIMED_RUN, str(root), json.dumps([workers, shipped]), AT.isoformat())
        if workers == 2 and not shipped:
            pool2 = r["seconds"]
        workers_mb = r["workers_mb"] or r["children_mb"] * (workers or os.cpu_count() or 1)
        print(f"{label:<28}{r['seconds']:>9.2f}{r['cpu']:>8.1f}"
              f"{r['events'] / r['seconds']:>12,.0f}"
              f"{r['self_mb']:>11.0f}{r['children_mb']:>19.0f}"
              f"{r['self_mb'] + workers_mb:>8.0f}")
        print(f"{'':<28}{int(r['agreements'])} agreements, {int(r['events']):,} events, "
              f"{int(r['errors'])} in error, {int(r['owed'])} instances owed on {AT}",
              flush=True)
    return pool2


DASK_RUN = r"""
import json, resource, sys, time
from dask.distributed import Client, LocalCluster
from entente_regles import RuleBook
from entente_regles.portfolio import Portfolio

if __name__ == "__main__":
    RuleBook.bundled()
    began = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        started = time.perf_counter() - began
        portfolio = Portfolio.from_directory(sys.argv[1])
        began = time.perf_counter()
        evaluation = portfolio.evaluate(client.get_executor())
        elapsed = time.perf_counter() - began
        memory = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(json.dumps({"seconds": elapsed, "startup": started, "events": evaluation.events,
                      "agreements": len(evaluation),
                      "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "workers_mb": sum(memory.values()) / 1024}))
"""


def dask(root: Path, pool2: float) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(DASK_RUN)
    try:
        r = _run(script.name, str(root), file=True)
    finally:
        os.unlink(script.name)
    ratio = f", {r['seconds'] / pool2:.2f} × the 2 resident workers" if pool2 else ""
    print(f"\nDask LocalCluster (2 processes × 1 thread): {r['seconds']:.2f} s{ratio} "
          f"(cluster start-up {r['startup']:.1f} s apart); parent {r['self_mb']:.0f} MB, "
          f"workers {r['workers_mb']:.0f} MB in all")


def fresh_and_owed(root: Path) -> None:
    from entente_regles import RuleBook
    from entente_regles.portfolio import Portfolio
    RuleBook.bundled()
    portfolio = Portfolio.from_directory(root)
    began = time.perf_counter()
    evaluation = portfolio.evaluate()
    print(f"\nevaluated once more in this process's pool: {time.perf_counter() - began:.2f} s")
    times = []
    for _ in range(5):
        began = time.perf_counter()
        snapshot = evaluation.at(AT)
        lines = snapshot.by_client()
        totals = snapshot.owed_totals()
        times.append(time.perf_counter() - began)
    print(f"owed --at in process (at + by_client + owed_totals, {len(lines)} agreements, "
          f"{len(totals)} totals): first {times[0] * 1000:.0f} ms, then "
          f"{min(times[1:]) * 1000:.0f} ms (the same date asked again: each "
          f"agreement's snapshot is kept by its evaluation)")
    # one more day of events appended to 10 agreements
    folders = sorted(p for p in root.iterdir() if p.is_dir())[:10]
    backups = {f: (f / "journal.jsonl").read_bytes() for f in folders}
    try:
        for n, folder in enumerate(folders):
            log = folder / "journal.jsonl"
            last = json.loads(backups[folder].decode("utf-8").rstrip("\n").rsplit("\n", 1)[-1])
            day = date.fromisoformat(last["date"]) + timedelta(days=1)
            invoice = f"B-{day.isoformat()}-{n}"
            with log.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"type": "facture_emise", "date": day.isoformat(),
                                      "par": "mcn", "facture": invoice, "montant": "100.00",
                                      "periode": (day.replace(day=1) - timedelta(days=1))
                                      .strftime("%Y-%m")}) + "\n")
                out.write(json.dumps({"type": "paiement", "date": day.isoformat(),
                                      "par": "client", "facture": invoice,
                                      "montant": "100.00"}) + "\n")
        began = time.perf_counter()
        evaluation.refresh()
        refreshed = time.perf_counter() - began
        snapshot = evaluation.at(AT)
        snapshot.by_client()
        snapshot.owed_totals()
        total = time.perf_counter() - began
        print(f"after one day appended to 10 agreements: refresh {refreshed * 1000:.0f} ms "
              f"({evaluation.stats}), fresh answer (refresh + at + totals) "
              f"{total * 1000:.0f} ms")
    finally:
        for folder, data in backups.items():
            (folder / "journal.jsonl").write_bytes(data)
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "entente_regles", "portefeuille", "owed",
                           "--dir", str(root), "--at", AT.isoformat()], capture_output=True,
                          text=True, check=False)
    print(f"CLI end to end (evaluates first): portefeuille owed --at {AT}: "
          f"{time.perf_counter() - began:.2f} s, exit {done.returncode}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to write the portfolio (kept; reused when there)")
    parser.add_argument("--executors", default="default,1,2,pool1,pool2",
                        help="which runs, among default, 1 and 2 (resident workers), pool1 "
                             "and pool2 (a process pool given as executor), comma-separated")
    parser.add_argument("--pool-seconds", type=float, default=0.0,
                        help="the 2 resident workers' time, for the Dask ratio when not run "
                             "here")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-fresh", action="store_true",
                        help="skip the append, refresh and owed figures")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-portefeuille-") as temporary:
        root = args.dir if args.dir is not None else Path(temporary)
        root.mkdir(parents=True, exist_ok=True)
        generate(root, args.clients)
        which = [name for name in args.executors.split(",") if name]
        pool2 = executors(root, which) if which else 0.0
        if not args.skip_dask:
            dask(root, pool2 or args.pool_seconds)
        if not args.skip_fresh:
            fresh_and_owed(root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
