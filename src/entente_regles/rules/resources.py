"""Files shipped with the package: the agreement's rule files and the example agreement and
event log (``importlib.resources`` inside an installed wheel, the repository in a checkout)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXAMPLE_AGREEMENT = "entente.toml"
EXAMPLE_EVENTS = "journal.jsonl"


def bundled_rules_dir() -> Path:
    """``regles/`` inside the installed wheel, or at the repository root in a checkout."""
    inside = resources.files("entente_regles") / "regles"
    if inside.is_dir():
        return Path(str(inside))
    checkout = Path(__file__).resolve().parents[3] / "regles"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("regles/ not found next to the package")


def bundled_example() -> tuple[Path, Path]:
    """Paths of the example agreement file and event log shipped inside the package."""
    folder = resources.files("entente_regles") / "exemple"
    agreement = folder / EXAMPLE_AGREEMENT
    events = folder / EXAMPLE_EVENTS
    if not (agreement.is_file() and events.is_file()):
        raise FileNotFoundError(
            "exemple intégré introuvable dans le paquet entente_regles / "
            "bundled example not found inside the entente_regles package")
    return Path(str(agreement)), Path(str(events))
