"""Shared helpers to write small rulebooks in tests: rule-file blocks built from their keys,
and variants of the seeded clean rulebook ``regles_defectueuses/aucune``."""

from __future__ import annotations

import shutil
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "regles_defectueuses"
CLEAN = SEEDS / "aucune"
PRECEDENCE = '''
[preseance]
code = "preseance_entente"
message = { fr = "L'entente a préséance.", en = "The agreement prevails." }
'''


def block(section: str, **keys: str) -> str:
    """``[[section]]`` with ``keys`` written as given (values are TOML text)."""
    lines = [f"\n[[{section}]]"] + [f"{key} = {value}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"


def obligation(ident: str, label: tuple[str, str], *, section: str = "obligation",
               debiteur: str = "mcn", creancier: str = "client", **keys: str) -> str:
    """An obligation (or ``obligation_continue``) block: id, label, parties, then ``keys``."""
    return block(section, id=f'"{ident}"', libelle=f'{{ fr = "{label[0]}", en = "{label[1]}" }}',
                 debiteur=f'"{debiteur}"', creancier=f'"{creancier}"', **keys)


def parameter(name: str, value: str, source: str) -> str:
    return block("parametre", nom=f'"{name}"', valeur=value, source=f'"{source}"')


def variant(tmp_path: Path, rules: dict[str, str] | None = None,
            vocabulary: dict[str, str] | None = None, extra: dict[str, str] | None = None,
            more_events: str = "") -> Path:
    """A copy of ``aucune/`` with text replaced (each old text must be present), files and
    event types added."""
    target = tmp_path / "regles"
    shutil.copytree(CLEAN, target)
    with (target / "evenements.toml").open("a", encoding="utf-8") as handle:
        handle.write(more_events)
    for name, changes in (("09-3-paiement.toml", rules), ("evenements.toml", vocabulary)):
        path = target / name
        text = path.read_text(encoding="utf-8")
        for old, new in (changes or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    for name, text in (extra or {}).items():
        (target / name).write_text(text, encoding="utf-8")
    return target
