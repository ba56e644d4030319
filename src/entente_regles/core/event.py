"""The dated event of an agreement's life, and the diagnostic the replay attaches to one."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

import attrs

from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang, Text


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
        colon = " :" if lang == "fr" else ":"  # French typography puts a space before it
        text = f"{self.on.isoformat()} [{self.code}] {art}{colon} {self.message(lang)}"
        if self.event is not None:
            text += f" ({self.event.describe(lang)})"
        return visible(text)


def event_with_data(event: Event, data: dict[str, Any]) -> Event:
    """``event`` with ``data`` as its fields: a dict made for it alone, frozen as it is, not
    copied again (validation's conversions, once per converted event)."""
    return _replaced(event, "data", MappingProxyType(data))


def built_event(type: str, date: datetime.date, by: str | None,
                received: datetime.date | None, data: dict[str, Any], source: str | None,
                recorded: datetime.date | None) -> Event:
    """``Event(type, date, by, received, data, source=source, recorded=recorded)`` for a
    reader that made ``data`` for this event alone: frozen as it is, not copied again, and
    the fields set without the constructor's conversion (a log's reader, once per line)."""
    new = _new(Event)
    _set_type(new, type)
    _set_date(new, date)
    _set_by(new, by)
    _set_received(new, received)
    _set_data(new, MappingProxyType(data))
    _set_source(new, source)
    _set_recorded(new, recorded)
    return new


_new = object.__new__
# Each slot's own setter (the frozen class refuses setattr): no lookup by name per event
_set_type, _set_date, _set_by, _set_received, _set_data, _set_source, _set_recorded = (
    Event.__dict__[name].__set__
    for name in ("type", "date", "by", "received", "data", "source", "recorded"))
_EVENT_FIELDS = ("type", "date", "by", "received", "data", "source", "recorded")


def _replaced(event: Event, field: str, value: object) -> Event:
    """``event`` with one field replaced, the others shared, without the constructor's
    conversion (the value is already in its final form)."""
    new = object.__new__(Event)
    for name in _EVENT_FIELDS:
        object.__setattr__(new, name, value if name == field else getattr(event, name))
    return new


