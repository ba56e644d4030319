"""Instructions per run, counted by valgrind: a figure that does not move with the machine's
load (wall-clock times here vary by 30 % and more from one run to the next).

    python benchmarks/bench_instructions.py                # the default engine, 10,000 pairs
    python benchmarks/bench_instructions.py --regclock     # regclock too, when installed
    python benchmarks/bench_instructions.py --src ../other/src   # another tree, to compare

The workload is ``bench_engines.ours`` (validation, replay, every status at the last date)
on ``bench_evaluate.make_events``. The process is counted twice, doing the workload once
(warm-up: imports, rule files, first run) and three times; the difference over two is the
cost of one warm run. Needs valgrind (``apt-get install valgrind``); about a minute.
Figures only, no assertion. Instructions are not time (cache misses and the collector's
walks cost more per instruction), but a change that removes instructions from the hot path
shows here even when the clock cannot tell.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_CHILD = """
import sys
sys.path[:0] = [{src!r}, {here!r}]
from bench_engines import ours, regclock_run
from bench_evaluate import make_events
events = make_events({n})
on = max(e.date for e in events)
run = (lambda: regclock_run(events, on)) if {regclock!r} else (lambda: ours(None, events, on))
for _ in range({runs}):
    run()
"""


def count(src: str, n: int, runs: int, regclock: bool) -> int:
    """Instructions of a process doing the workload ``runs`` times."""
    code = _CHILD.format(src=src, here=str(HERE), n=n, runs=runs, regclock=regclock)
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_run(src: str, n: int, regclock: bool) -> int:
    return (count(src, n, 3, regclock) - count(src, n, 1, regclock)) // 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="invoice/payment pairs")
    parser.add_argument("--src", default=str(HERE.parent / "src"),
                        help="the source tree to count (default: this one)")
    parser.add_argument("--regclock", action="store_true", help="count regclock too")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind): nothing counted")
        return 0
    print(f"## instructions per warm run, {args.n:,} invoice/payment pairs")
    ours_count = per_run(args.src, args.n, False)
    print(f"entente-regles, default engine ({args.src}): {ours_count / 1e6:,.0f} M")
    if args.regclock:
        try:
            import regclock  # noqa: F401
        except ImportError:
            print("regclock: not installed (pip install regclock)")
        else:
            theirs = per_run(args.src, args.n, True)
            print(f"regclock: {theirs / 1e6:,.0f} M "
                  f"(entente-regles / regclock: {ours_count / theirs:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
