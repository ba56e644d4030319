"""The default engine of this working tree against the same engine at another git revision,
measured alternately on the same workload, so that the machine's load falls on both alike.

    python benchmarks/bench_against.py e3b446e            # 10,000 pairs, 8 rounds each
    python benchmarks/bench_against.py HEAD~3 --rounds 12 --n 5000

Each round runs one fresh interpreter per side (bytecode compiled beforehand, as pip leaves
an installed copy); each interpreter builds the workload (``bench_evaluate.make_events``,
public API only), then times validation + replay + every status at the last date, best of
three. The revision is checked out into a temporary git worktree, removed at the end.
Figures only, no assertion: best and median events/s per side, and their ratio.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = """
import gc, json, sys, time
from datetime import date
sys.path.insert(0, {bench!r})
from bench_evaluate import START, make_events
import entente_regles as er
events = make_events({n})
on = max(e.date for e in events)
agreement = er.Agreement(client="BENCH", in_force_from=START)
best = float("inf")
for _ in range(3):
    gc.collect()
    began = time.perf_counter()
    snapshot = agreement.evaluate(events).at(on)
    late = sum(1 for o in snapshot.obligations if o.status is er.Status.LATE)
    best = min(best, time.perf_counter() - began)
print(json.dumps({{"events": len(events), "seconds": best, "late": late,
                  "module": er.__file__}}))
"""


def run(src: Path, n: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = CHILD.format(bench=str(HERE), n=n)
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="a git revision of this repository (e.g. HEAD~3)")
    parser.add_argument("--n", type=int, default=10_000, help="invoice/payment pairs")
    parser.add_argument("--rounds", type=int, default=8, help="runs per side, alternating")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), args.revision],
                       cwd=ROOT, check=True)
        try:
            sides = {"this tree": ROOT / "src", args.revision: other / "src"}
            for src in sides.values():
                compileall.compile_dir(str(src), quiet=1)
            rates: dict[str, list[float]] = {name: [] for name in sides}
            late: dict[str, set[float]] = {name: set() for name in sides}
            for i in range(args.rounds):
                order = list(sides.items()) if i % 2 == 0 else list(sides.items())[::-1]
                for name, src in order:
                    result = run(src, args.n)
                    rates[name].append(result["events"] / result["seconds"])
                    late[name].add(result["late"])
            print(f"{args.n} pairs, {args.rounds} alternating rounds, {sys.version.split()[0]}")
            for name in sides:
                print(f"  {name:>12}: best {max(rates[name]):>9,.0f} events/s, "
                      f"median {statistics.median(rates[name]):>9,.0f}, late {sorted(late[name])}")
            mine, theirs = rates["this tree"], rates[args.revision]
            print(f"  ratio this/{args.revision}: best {max(mine) / max(theirs):.3f}, "
                  f"median {statistics.median(mine) / statistics.median(theirs):.3f}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT,
                           check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
