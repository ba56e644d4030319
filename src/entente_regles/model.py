"""Frozen value types shared by every step: parties, statuses, events, diagnostics, errors."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

import attrs

from .textsafe import visible

Lang = Literal["fr", "en"]
Party = Literal["mcn", "client"]
PARTIES: tuple[Party, Party] = ("mcn", "client")  # the agreement's two parties, the one copy
EITHER_PARTY = "parties"  # in rule files: owed by, to or held by either party
ParameterValue = int | str | bool
FieldValue = str | Decimal | date | bool | tuple[str, ...] | Mapping[str, ParameterValue]


def other_party(party: str) -> str:
    """The party that is not ``party``."""
    first, second = PARTIES
    return second if party == first else first


class Status(enum.Enum):
    """Status of an obligation instance at a date; the value is the code used in files."""

    DUE = "a_echoir"
    LATE = "en_retard"
    SATISFIED = "satisfaite"
    SATISFIED_LATE = "satisfaite_en_retard"
    DISCHARGED = "eteinte"
    IN_FORCE = "en_vigueur"
    BREACHED = "violee"

    @property
    def terminal(self) -> bool:
        """True for statuses that never change afterwards."""
        return self in _TERMINAL

    @property
    def owed(self) -> bool:
        """True for ``DUE`` and ``LATE``: the instance is still owed."""
        return self in _OWED

    def label(self, lang: Lang = "fr") -> str:
        """The status in words, in French or English."""
        return _STATUS_LABELS[self][0 if lang == "fr" else 1]


class OptionStatus(enum.Enum):
    """Status of a faculty (a right with a window) at a date; the value is the file code."""

    OPEN = "ouverte"
    EXERCISED = "exercee"
    EXPIRED = "expiree"

    def label(self, lang: Lang = "fr") -> str:
        """The status in words, in French or English."""
        return {"ouverte": ("ouverte", "open"), "exercee": ("exercée", "exercised"),
                "expiree": ("expirée", "expired")}[self.value][0 if lang == "fr" else 1]


_TERMINAL = frozenset({Status.SATISFIED, Status.SATISFIED_LATE, Status.DISCHARGED, Status.BREACHED})
_OWED = frozenset({Status.DUE, Status.LATE})
_STATUS_LABELS = {
    Status.DUE: ("à échoir", "due"),
    Status.LATE: ("en retard", "late"),
    Status.SATISFIED: ("satisfaite", "satisfied"),
    Status.SATISFIED_LATE: ("satisfaite en retard", "satisfied late"),
    Status.DISCHARGED: ("éteinte", "discharged"),
    Status.IN_FORCE: ("en vigueur", "in force"),
    Status.BREACHED: ("violée", "breached"),
}


@attrs.frozen
class Text:
    """A short text in French and English."""

    fr: str
    en: str

    def __call__(self, lang: Lang = "fr") -> str:
        return self.fr if lang == "fr" else self.en


VAGUE_STANDARDS: Mapping[str, Text] = {  # the wording of each vague standard
    "immediatement": Text("immédiatement", "immediately"),
    "plus_brefs_delais": Text("dans les plus brefs délais", "as soon as possible"),
    "meilleurs_delais": Text("dans les meilleurs délais", "as promptly as possible"),
    "sans_delai": Text("aucun délai stipulé", "no time limit stipulated"),
}


def _freeze_data(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(data))


@attrs.frozen(eq=True)
class Event:
    """A dated event of the agreement's life.

    ``received`` is the date a notice was received when it differs from ``date``; ``data``
    holds the fields its type declares (already typed once validated: Decimal for money,
    date for dates). ``source`` says where it came from ("journal.jsonl:12") for errors and
    explanations. ``recorded`` is the date the event became known (entered in the log), when
    later than ``date``: an answer "as known on K" uses only the events recorded on or before
    K, each still acting at its own ``date``.
    """

    type: str
    date: datetime.date
    by: str | None = None
    received: datetime.date | None = None
    data: Mapping[str, Any] = attrs.field(factory=dict, converter=_freeze_data)
    source: str | None = attrs.field(default=None, eq=False)
    recorded: datetime.date | None = attrs.field(default=None, kw_only=True)

    def __hash__(self) -> int:
        return hash((self.type, self.date, self.by, self.received, self.recorded, tuple(sorted(
            (k, repr(v)) for k, v in self.data.items()))))

    def with_source(self, source: str) -> Event:
        """This event, from ``source``: its (already private, frozen) data is shared, not
        copied."""
        return _replaced(self, "source", source)

    @property
    def received_on(self) -> datetime.date:
        """The receipt date, presumed to be the sending date when absent."""
        return self.received if self.received is not None else self.date

    @property
    def recorded_on(self) -> datetime.date:
        """The date the event became known: its own date unless recorded later."""
        return self.recorded if self.recorded is not None else self.date

    def describe(self, lang: Lang = "fr") -> str:
        """One line: type, date, author, receipt, fields, source (control characters in
        user text shown as escapes)."""
        fields = ", ".join(f"{k}={_show(v)}" for k, v in sorted(self.data.items()))
        by = f" par {self.by}" if lang == "fr" else f" by {self.by}"
        parts = f"{self.type} {self.date.isoformat()}{by if self.by else ''}"
        if self.received is not None:
            parts += (f" (reçu le {self.received})" if lang == "fr"
                      else f" (received {self.received})")
        if self.recorded is not None and self.recorded != self.date:
            parts += (f" (enregistré le {self.recorded})" if lang == "fr"
                      else f" (recorded {self.recorded})")
        if fields:
            parts += f" [{fields}]"
        if self.source:
            parts += f" — {self.source}"
        return visible(parts)


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "+".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}={_show(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@attrs.frozen
class Diagnostic:
    """Something rejected or non-conforming, with the article that says so.

    ``severity`` is "erreur" (input rejected or a rule breached), "avertissement" (a
    non-conforming act corrected by the law, e.g. a short notice) or "info".
    """

    code: str
    article: str
    on: date
    message: Text
    severity: Literal["erreur", "avertissement", "info"] = "avertissement"
    event: Event | None = None
    rule: str | None = None

    def describe(self, lang: Lang = "fr") -> str:
        """One line: date, code, article, message, event (safe to print)."""
        art = f"art. {self.article}"
        text = f"{self.on.isoformat()} [{self.code}] {art} : {self.message(lang)}"
        if self.event is not None:
            text += f" ({self.event.describe(lang)})"
        return visible(text)


def event_with_data(event: Event, data: dict[str, Any]) -> Event:
    """``event`` with ``data`` as its fields: a dict made for it alone, frozen as it is, not
    copied again (validation's conversions, once per converted event)."""
    return _replaced(event, "data", MappingProxyType(data))


_EVENT_FIELDS = ("type", "date", "by", "received", "data", "source", "recorded")


def _replaced(event: Event, field: str, value: object) -> Event:
    """``event`` with one field replaced, the others shared, without the constructor's
    conversion (the value is already in its final form)."""
    new = object.__new__(Event)
    for name in _EVENT_FIELDS:
        object.__setattr__(new, name, value if name == field else getattr(event, name))
    return new


class EntenteError(Exception):
    """Base class of the errors this library raises on bad input."""


@attrs.frozen
class ErrorLocation:
    file: str
    line: int | None = None
    key: str | None = None


class InputError(EntenteError):
    """Bad input: names the file, the line or key path, and what was expected, fr and en."""

    def __init__(self, where: ErrorLocation, fr: str, en: str) -> None:
        self.where = where
        self.fr = fr
        self.en = en
        super().__init__(self.describe("fr") + "\n" + self.describe("en"))

    def describe(self, lang: Lang = "fr") -> str:
        """Where and what, in one line: file, line, key, message in ``lang``."""
        place = self.where.file
        if self.where.line is not None:
            place += f":{self.where.line}" if lang == "en" else f", ligne {self.where.line}"
        if self.where.key:
            place += f" [{self.where.key}]" if lang == "en" else f", clé {self.where.key}"
        return f"{place} : {self.fr}" if lang == "fr" else f"{place}: {self.en}"


class RuleFileError(InputError):
    """A rule file (or agreement file) that does not validate; ``code`` classifies the problem
    for the rulebook checker (e.g. ``evenement_inconnu``), None when it has no class of its own.
    """

    def __init__(self, where: ErrorLocation, fr: str, en: str, code: str | None = None) -> None:
        self.code = code
        super().__init__(where, fr, en)


class EventError(InputError):
    """An event (log line or Python object) that does not validate."""


class EngineUnavailable(EntenteError):
    """The engine asked for cannot run here (e.g. durable_rules on Python 3.13+)."""

    def __init__(self, fr: str, en: str) -> None:
        self.fr, self.en = fr, en
        super().__init__(f"{fr}\n{en}")


class EngineLimitError(EntenteError):
    """The rules exceed a limit of the engine asked for; refused before it starts."""

    def __init__(self, limits: list[str]) -> None:
        self.limits = limits  # each "French / English"
        halves = [limit.split(" / ", 1) for limit in limits]
        self.fr = "\n".join(h[0] for h in halves)
        self.en = "\n".join(h[-1] for h in halves)
        super().__init__("\n".join(limits))
