"""What an auditor needs to reproduce an answer: the package version and fingerprints.

A fingerprint is the SHA-256 of a canonical form of what the engine actually used: the rule
book as loaded (not the files' bytes, so comments and layout do not count, and the machine's
directory does not either), the policy, and the agreement's parameters (client, entry into
force, services, annex). Two runs with equal fingerprints, the same version, the same event
log and the same dates give the same answer. Every JSON report carries one (see
``outputs.provenance``); the HTML report reuses it.
"""

from __future__ import annotations

import enum
import hashlib
import json
import weakref
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from importlib import metadata
from typing import Any, cast

import attrs

PACKAGE = "entente-regles"
_SKIPPED = {"RuleBook": ("directory",)}  # where the rules sit on this machine does not count


def package_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        return "inconnue/unknown"


def canonical(obj: object) -> Any:
    """A JSON-ready form of ``obj`` that does not depend on hash seeds or set order."""
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, enum.Enum):
        return canonical(obj.value)
    if isinstance(obj, date | Decimal):
        return {"@": type(obj).__name__, "v": str(obj)}
    if attrs.has(type(obj)):
        name = type(obj).__name__
        skipped = _SKIPPED.get(name, ())
        fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cast(Any, type(obj)))
        return {"@": name, **{f.name: canonical(getattr(obj, f.name))
                              for f in fields if f.name not in skipped}}
    if isinstance(obj, Mapping):
        return {"@": "map", "v": sorted(([canonical(k), canonical(v)] for k, v in obj.items()),
                                        key=_dump)}
    if isinstance(obj, set | frozenset):
        return {"@": "set", "v": sorted((canonical(v) for v in obj), key=_dump)}
    if isinstance(obj, tuple | list):
        return [canonical(v) for v in obj]
    raise TypeError(f"valeur non canonisable / cannot canonicalise {type(obj).__name__}")


def _dump(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def digest(obj: object) -> str:
    """``sha256:`` and the hex digest of ``obj``'s canonical form."""
    return "sha256:" + hashlib.sha256(_dump(canonical(obj)).encode("ascii")).hexdigest()


# The rule book's digest, by rule book (frozen, loaded once, shared by every agreement that uses
# it): canonicalising a whole book takes tens of milliseconds, and a portfolio, a report or a
# test asks for the same book's fingerprint once per agreement or command. Keyed by identity
# (a book holds dicts: it has no hash); an entry goes when its book is collected.
_BOOK_DIGESTS: dict[int, str] = {}


def _book_digest(rulebook: object) -> str:
    key = id(rulebook)
    found = _BOOK_DIGESTS.get(key)
    if found is None:
        found = digest(rulebook)
        try:
            weakref.finalize(rulebook, _BOOK_DIGESTS.pop, key, None)
        except TypeError:  # not weakly referenceable: nothing tells when its id is free
            return found
        _BOOK_DIGESTS[key] = found
    return found


@attrs.frozen
class Fingerprint:
    """The version and the fingerprints of one agreement (rules, policy, parameters)."""

    version: str
    rules: str
    policy: str
    agreement: str
    engine: str

    @classmethod
    def of(cls, rulebook: object, policy: object, parameters: Mapping[str, object],
           engine: str) -> Fingerprint:
        """The fingerprint of an agreement's rule book, policy and parameters (the agreement
        file's keys: client, en_vigueur_le, services, annexe)."""
        return cls(package_version(), _book_digest(rulebook), digest(policy), digest(parameters),
                   engine)

    def to_dict(self, at: date | None = None, known_on: date | None = None) -> dict[str, Any]:
        """French keys, as in every JSON report; ``au`` and ``connu_le`` are the question's
        dates (``connu_le``: the knowledge date, ``au`` unless asked otherwise; None when not
        given)."""
        return {
            "version": self.version, "regles": self.rules, "politique": self.policy,
            "entente": self.agreement, "moteur": self.engine,
            "au": None if at is None else at.isoformat(),
            "connu_le": None if known_on is None else known_on.isoformat(),
        }
