"""What a rule file declares besides its rules: permissions, parameters, cross-references,
sentences left unencoded, the precedence clause, and the worked examples with their
expectations (run as tests on both engines). Frozen values, read by ``rule_reader``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from entente_regles.core.values import Text


@attrs.frozen
class Permission:
    id: str
    article: str
    holder: str
    label: Text
    why_no_duty: str


@attrs.frozen
class Parameter:
    name: str
    value: int | str | bool
    annex_may_override: bool
    source: str
    article: str
    file: str
    amendable: bool = False  # an amendment (avenant) may change it from a date
    key: str = ""


@attrs.frozen
class CrossReference:
    """A sentence whose duty is carried by rules of another article (e.g. 13.1.3 by 9.3)."""

    article: str
    rules: tuple[str, ...]
    explanation: str
    file: str


@attrs.frozen
class Unencoded:
    article: str
    text: str
    reason: str


@attrs.frozen
class Expectation:
    on: date
    norm: str
    key: str | None
    status: str | None = None
    deadline: date | None = None
    balance: str | None = None
    debtor: str | None = None
    policy_late: bool | None = None
    absent: bool = False
    known_on: date | None = None  # asked as known on this date (default: ``on``)
    amount: str | None = None  # « montant »: the amount it tracks (decision 67)
    interest: str | None = None  # « interet »: interest accrued by ``on`` (decision 68)
    held: str | None = None  # the part of the balance held back (« retenu », decision 71)


@attrs.frozen
class Example:
    name: str
    file: str
    index: int
    agreement: Mapping[str, Any]
    events: tuple[Mapping[str, Any], ...]
    expected: tuple[Expectation, ...]
    diagnostics: tuple[tuple[date | None, str], ...]
    in_force: tuple[tuple[date, bool], ...]
    # (date, last day in force while a termination is pending; None: none pending)
    pending: tuple[tuple[date, date | None], ...] = ()


@attrs.frozen
class Precedence:
    """Which article settles a disparity between the agreement and an annex."""

    article: str
    code: str
    message: Text


__all__ = ["CrossReference", "Example", "Expectation", "Parameter", "Permission", "Precedence",
           "Unencoded"]
