"""Every public class, function and method of the public API has a docstring (the API
reference of the documentation site is generated from them)."""

from __future__ import annotations

import inspect
from types import ModuleType

import entente_regles
from entente_regles.core import textsafe
from entente_regles.outputs import csv, ics
from entente_regles.outputs import html as html_report
from entente_regles.outputs import text as report
from entente_regles.query import agenda, aging, frames

MODULES: tuple[ModuleType, ...] = (entente_regles, agenda, aging, html_report, ics, report,
                                   csv, frames, textsafe)


def _missing() -> list[str]:
    missing = []
    for module in MODULES:
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if not (obj.__doc__ or "").strip():
                missing.append(f"{module.__name__}.{name}")
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    target = member.fget if isinstance(member, property) else member
                    if inspect.isfunction(target) or isinstance(member, classmethod):
                        func = target.__func__ if isinstance(member, classmethod) else target
                        if not (func.__doc__ or "").strip():
                            missing.append(f"{module.__name__}.{name}.{attr}")
    return sorted(set(missing))


def test_public_api_has_docstrings() -> None:
    assert _missing() == []


def test_docs_never_point_outside_the_repository() -> None:
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    pages = [*sorted((root / "docs").rglob("*.md")), root / "README.md"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for outside in ("DESIGN.md", "notes/", "shared/", "/work/"):
            assert outside not in text, f"{page.relative_to(root)} mentions {outside}"
