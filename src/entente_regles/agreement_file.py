"""Reading an agreement file (TOML: ``client``, ``en_vigueur_le``, ``services``, ``annexe``,
``politique``) or the same keys from a mapping, through the one validation layer: every
problem is reported at once, in the file's own keys (``en_vigueur_le``, ``politique.name``),
with its line when the file is known."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from .calendar import Policy
from .model import ErrorLocation
from .validation import RuleFileErrors, TomlSource, TomlTable, collecting

AGREEMENT_KEYS = ("client", "en_vigueur_le", "services", "annexe", "politique")
POLICY_KEYS = tuple(field.name for field in attrs.fields(Policy))
_DATE = ("une date AAAA-MM-JJ", "a date YYYY-MM-DD")


def agreement_arguments(spec: Mapping[str, Any], where: ErrorLocation,
                        source: TomlSource | None = None) -> dict[str, Any]:
    """The keyword arguments of ``Agreement`` (client, in_force_from, services, annex,
    policy) the keys of ``spec`` give; any problem raises :class:`RuleFileErrors` naming each
    one. ``where``: the file (and the key path of ``spec`` in it, for an example's
    ``entente`` table)."""
    if source is None:
        source = TomlSource(where.file, "", dict(spec))
        source.fallback_line = where.line
    root = TomlTable(spec, source, where.key or "")
    found: dict[str, Any] = {}
    found["client"] = collecting(source, lambda: root.text("client"))
    found["in_force_from"] = collecting(source, lambda: root.get(
        "en_vigueur_le", (date,), _DATE, True))
    found["services"] = collecting(source, lambda: _services(root))
    found["annex"] = collecting(source, lambda: root.get(
        "annexe", (dict,), ("une table de paramètres", "a table of parameters"), False, {}))
    found["policy"] = collecting(source, lambda: _policy(root))
    root.seen.update(AGREEMENT_KEYS)
    root.done()
    if source.problems:
        raise RuleFileErrors(tuple(source.problems))
    return found


def _services(root: TomlTable) -> dict[str, date | None] | list[str] | None:
    value = root.get("services", (dict, list), ("une table { service = date } ou une liste "
                                                "de noms", "a table { service = date } or a "
                                                "list of names"), False)
    if value is None:
        return None
    if isinstance(value, list):
        for i, name in enumerate(value):
            if not isinstance(name, str) or not name.strip():
                root.source.add(root.error(f"services[{i}]", f"un nom de service (texte) "
                                           f"attendu, reçu {name!r}", "a service name (a "
                                           f"string) expected, got {name!r}"))
        return [str(name) for name in value]
    table = root.table("services")
    assert table is not None
    out: dict[str, date | None] = {}
    for name in value:
        if value[name] is None:  # from a mapping: in force from the agreement's start
            table.seen.add(name)
            out[name] = None
            continue
        out[name] = collecting(table.source, lambda name=name: table.get(  # type: ignore[misc]
            name, (date,), _DATE, True))
    return out


def _policy(root: TomlTable) -> Policy:
    table = root.table("politique", required=False)
    if table is None:
        return Policy()
    values = {key: table.raw(key) for key in POLICY_KEYS if key in table.data}
    for key, value in values.items():
        try:
            Policy(**{key: value})
        except (TypeError, ValueError) as exc:
            table.source.add(table.error(key, f"valeur invalide : {exc}",
                                         f"invalid value: {exc}"))
    table.seen.update(POLICY_KEYS)
    table.done()
    try:
        return Policy(**values)
    except (TypeError, ValueError) as exc:
        raise table.error(None, f"politique invalide : {exc}", f"invalid policy: {exc}"
                          ) from None


def read_agreement_file(path: str) -> TomlSource:
    """An agreement file, read and parsed (errors name the file and line)."""
    return TomlSource.read(Path(path), path)


__all__ = ["AGREEMENT_KEYS", "POLICY_KEYS", "agreement_arguments", "read_agreement_file"]
