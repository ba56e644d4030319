"""Benchmark: the rulebook checker and the loader on the bundled rules and on hostile rule
directories (a label of 100,000 digits, 60 obligations' worth of durable limits, 500 bad keys).

    python benchmarks/bench_check.py

Prints seconds per run (best of a few). No assertions: figures only.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from entente_regles.check import check_directory
from entente_regles.rules.resources import bundled_rules_dir
from entente_regles.rules.rulebook import load_each

SEEDS = Path(__file__).resolve().parents[1] / "tests" / "regles_defectueuses"


def best(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def hostile(root: Path, name: str, change: Callable[[str], str]) -> Path:
    target = root / name
    shutil.copytree(SEEDS / "aucune", target)
    path = target / "09-3-paiement.toml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def main() -> None:
    rules = bundled_rules_dir()
    print(f"load_each(regles/)           {best(lambda: load_each(rules)) * 1000:8.1f} ms")
    print(f"check_directory(regles/)     {best(lambda: check_directory(rules)) * 1000:8.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        label = hostile(root, "label", lambda s: s.replace(
            '"Payer la facture"', '"Payer la facture ' + "1" * 100_000 + '"'))
        bad = hostile(root, "keys", lambda s: s.replace(
            "survit_resiliation = true", "survit_resiliation = true\n" + "\n".join(
                f"inconnue_{i} = {i}" for i in range(500))))
        took = best(lambda: check_directory(label)) * 1000
        print(f"check, label of 100,000 digits {took:6.1f} ms")
        print(f"check, 500 unknown keys        {best(lambda: check_directory(bad)) * 1000:6.1f} ms"
              f"  ({len(check_directory(bad))} findings)")
        durable = SEEDS / "limites_durable"
        print(f"check, 60 rules on one field   "
              f"{best(lambda: check_directory(durable)) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
