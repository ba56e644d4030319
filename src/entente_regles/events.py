"""Event-log readers: JSON Lines files and Python objects, validated against the vocabulary.

A line that does not validate raises :class:`EventError` naming the file, the line and the
field, in French and English. Nothing is silently dropped.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from .model import PARTIES, ErrorLocation, Event, EventError
from .vocabulary import FIELD_KIND_HELP, RESERVED_KEYS, EventType, FieldSpec, Vocabulary

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_FISCAL = re.compile(r"^(\d{4})-(\d{4})$")
_AMOUNT = re.compile(r"^\d+(\.\d+)?$")


Where = ErrorLocation | Callable[[], ErrorLocation]  # built only when an error is raised


def _fail(where: Where, fr: str, en: str) -> EventError:
    return EventError(where if isinstance(where, ErrorLocation) else where(), fr, en)


def parse_date(value: object, where: Where) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(where, f"date attendue au format AAAA-MM-JJ, reçu {value!r}",
                f"expected a date YYYY-MM-DD, got {value!r}")


def _parse_field(spec: FieldSpec, value: object, where: Where) -> Any:
    kind = spec.kind
    if isinstance(value, float | FloatLiteral):
        if kind == "montant":
            raise _fail(where, "un montant ne peut pas être un nombre à virgule flottante ; "
                        "écrivez-le en chaîne, p. ex. \"100.00\"",
                        "an amount cannot be a float; write it as a string, e.g. \"100.00\"")
        value = float(value)  # reported below as the wrong kind
    if kind == "date":
        return parse_date(value, where)
    if kind == "booleen":
        if isinstance(value, bool):
            return value
    elif kind == "parties":
        if isinstance(value, list) and value and all(v in PARTIES for v in value):
            return tuple(sorted(set(value)))
    elif kind == "montant":
        if isinstance(value, str) and _AMOUNT.match(value.strip()):
            try:
                amount = Decimal(value.strip())
            except InvalidOperation:
                amount = Decimal(0)
            if amount > 0:
                return amount
    elif isinstance(value, str) and value.strip():
        text = unicodedata.normalize("NFC", value.strip())
        if kind == "texte" and (not spec.choices or text in spec.choices):
            return text
        if kind == "texte":
            allowed = ", ".join(spec.choices)
            raise _fail(where, f"une valeur parmi {allowed} attendue, reçu {value!r}",
                        f"expected one of {allowed}, got {value!r}")
        if kind == "periode" and _PERIOD.match(text):
            return text
        m = _FISCAL.match(text)
        if kind == "exercice" and m and int(m.group(2)) == int(m.group(1)) + 1:
            return text
    fr, en = FIELD_KIND_HELP[kind]
    raise _fail(where, f"{fr} attendu, reçu {value!r}", f"expected {en}, got {value!r}")


def event_from_mapping(obj: object, vocabulary: Vocabulary, where: ErrorLocation) -> Event:
    """Validate one raw event (a dict from JSON or TOML) and build an :class:`Event`."""

    def at(key: str) -> ErrorLocation:
        return ErrorLocation(where.file, where.line, key if not where.key else f"{where.key}.{key}")

    if not isinstance(obj, Mapping):
        raise _fail(where, "un objet {...} attendu pour un événement",
                    "expected an object {...} for an event")
    kind = obj.get("type")
    if not isinstance(kind, str):
        raise _fail(at("type"), "champ « type » manquant ou non textuel",
                    "missing or non-string field 'type'")
    spec = vocabulary.get(kind)
    if spec is None:
        known = ", ".join(sorted(vocabulary.types))
        raise _fail(at("type"), f"type d'événement inconnu {kind!r} ; types connus : {known}",
                    f"unknown event type {kind!r}; known types: {known}")
    if "date" not in obj:
        raise _fail(at("date"), "champ « date » manquant", "missing field 'date'")
    when = parse_date(obj["date"], partial(at, "date"))
    by = obj.get("par")
    if by is None:
        raise _fail(at("par"), f"champ « par » manquant (parmi {', '.join(spec.parties)})",
                    f"missing field 'par' (one of {', '.join(spec.parties)})")
    if by not in spec.parties:
        raise _fail(at("par"), f"« par » doit être parmi {', '.join(spec.parties)}, reçu {by!r}",
                    f"'par' must be one of {', '.join(spec.parties)}, got {by!r}")
    received = None
    if obj.get("recu_le") is not None:
        received = parse_date(obj["recu_le"], partial(at, "recu_le"))
        if received < when:
            raise _fail(at("recu_le"), f"reçu le {received} avant son envoi le {when}",
                        f"received on {received}, before it was sent on {when}")
    data: dict[str, Any] = {}
    for name, value in obj.items():
        if name in RESERVED_KEYS:
            continue
        field = spec.fields.get(name)
        if field is None:
            allowed = ", ".join(sorted(spec.fields)) or "aucun / none"
            raise _fail(at(name), f"champ inconnu pour {kind} : {name!r} (champs : {allowed})",
                        f"unknown field for {kind}: {name!r} (fields: {allowed})")
        if value is None and field.optional:
            continue
        data[field.name] = _parse_field(field, value, partial(at, name))  # shared name
    for name, field in spec.fields.items():
        if name not in data and not field.optional:
            fr, en = FIELD_KIND_HELP[field.kind]
            raise _fail(at(name), f"champ obligatoire manquant pour {kind} : {name} ({fr})",
                        f"missing required field for {kind}: {name} ({en})")
    source = where.file if where.line is None else f"{where.file}:{where.line}"
    # the vocabulary's own strings: one copy of each type and party name, however long the log
    party = next(p for p in spec.parties if p == by)
    return Event(spec.name, when, by=party, received=received, data=data, source=source)


def validate_event(event: Event, vocabulary: Vocabulary, where: ErrorLocation) -> Event:
    """Check an :class:`Event` built in Python; returns it with typed fields.

    Checked in place, field by field: the event is returned as it is when it is already
    valid and typed (a new one only when a field's value is converted, e.g. "100.00" to a
    Decimal, or to give it a source). Anything unexpected goes the mapping's way, for the
    same error as a log line would get."""
    checked = _checked_in_place(event, vocabulary, where)
    if checked is not None:
        return checked
    raw: dict[str, Any] = {"type": event.type, "date": event.date, "par": event.by}
    if event.received is not None:
        raw["recu_le"] = event.received
    for name, value in event.data.items():
        if name in RESERVED_KEYS:
            raise _fail(ErrorLocation(where.file, where.line, f"data.{name}"),
                        f"{name!r} est réservé : utilisez l'attribut de Event",
                        f"{name!r} is reserved: use the Event attribute")
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        raw[name] = value
    checked = event_from_mapping(raw, vocabulary, where)
    return Event(checked.type, checked.date, checked.by, checked.received, checked.data,
                 source=event.source or checked.source)


_REQUIRED: dict[int, tuple[EventType, frozenset[str]]] = {}


def _required(spec: EventType) -> frozenset[str]:
    """The names of the fields ``spec`` requires (computed once per event type)."""
    known = _REQUIRED.get(id(spec))
    if known is None or known[0] is not spec:
        known = _REQUIRED[id(spec)] = (spec, frozenset(
            name for name, field in spec.fields.items() if not field.optional))
    return known[1]


def _already_typed(field: FieldSpec, value: object) -> bool:
    """Is ``value`` exactly what :func:`_parse_field` would return for it (the common case
    of events built in Python with typed values)? Only cheap, certain cases say yes."""
    kind = field.kind
    if kind == "montant":
        if type(value) is not Decimal or not value.is_finite() or value <= 0:
            return False
        exponent = value.as_tuple().exponent  # plain digits, as "12500.00" reads
        return isinstance(exponent, int) and exponent <= 0 and value.adjusted() >= -6
    if kind == "texte":
        return (type(value) is str and value != "" and value == value.strip()
                and unicodedata.is_normalized("NFC", value)
                and (not field.choices or value in field.choices))
    if kind == "date":
        return type(value) is date
    if kind == "booleen":
        return type(value) is bool
    return False


def _checked_in_place(event: Event, vocabulary: Vocabulary,
                      where: ErrorLocation) -> Event | None:
    """``event`` validated without a round trip through a mapping; None when something is
    off (the caller then takes the mapping's way, which names the error)."""
    spec = vocabulary.get(event.type)
    if spec is None or not isinstance(event.date, date) or event.by not in spec.parties:
        return None
    if event.received is not None and not (isinstance(event.received, date)
                                           and event.received >= event.date):
        return None
    data = event.data
    converted: dict[str, Any] | None = None
    fields = spec.fields
    for name, value in data.items():
        field = fields.get(name)
        if field is None or (value is None and not field.optional):
            return None
        if value is None or _already_typed(field, value):
            continue
        raw: object = value
        if isinstance(value, Decimal):
            raw = str(value)
        elif isinstance(value, tuple):
            raw = list(value)
        try:
            typed = _parse_field(field, raw, where)
        except EventError:
            return None
        if typed is not value and (type(typed) is not type(value) or typed != value
                                   or (isinstance(value, Decimal)
                                       and str(typed) != str(value))):
            if converted is None:
                converted = {k: v for k, v in data.items() if v is not None}
            converted[name] = typed
    if not _required(spec) <= data.keys():
        return None
    if converted is None and None in data.values():
        converted = {k: v for k, v in data.items() if v is not None}
    if converted is None and event.source is not None:
        return event
    source = event.source or (where.file if where.line is None else f"{where.file}:{where.line}")
    if converted is None:
        return event.with_source(source)
    return Event(spec.name, event.date, event.by, event.received, converted, source=source)


def read_events(path: str | Path, vocabulary: Vocabulary | None = None) -> list[Event]:
    """Read a JSON Lines event log; blank lines and lines starting with ``#`` are skipped."""
    if vocabulary is None:
        from .rulebook import RuleBook

        vocabulary = RuleBook.bundled().vocabulary
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise EventError(ErrorLocation(file), f"lecture impossible : {exc.strerror}",
                         f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise EventError(ErrorLocation(file), "le fichier n'est pas en UTF-8",
                         "the file is not UTF-8") from None
    events: list[Event] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = ErrorLocation(file, number)
        try:
            obj = json.loads(stripped, parse_float=FloatLiteral)
        except json.JSONDecodeError as exc:
            raise EventError(where, f"JSON invalide : {exc.msg} (colonne {exc.colno})",
                             f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        events.append(event_from_mapping(obj, vocabulary, where))
    return events


class FloatLiteral(str):
    """A JSON number with a fraction, kept as text so the field that holds it is named in the
    error (money is never a float)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def validate_events(events: Iterable[Event], vocabulary: Vocabulary) -> list[Event]:
    checked = []
    for index, event in enumerate(events, start=1):
        if not isinstance(event, Event):
            raise EventError(ErrorLocation("<événements>", index),
                             f"un Event attendu, reçu {type(event).__name__}",
                             f"expected an Event, got {type(event).__name__}")
        source = event.source
        if source is not None:  # the common case for a log read in: no location object
            fast = _checked_in_place(event, vocabulary, _SOURCED)
            if fast is not None:
                checked.append(fast)
                continue
        where = ErrorLocation(source or "<événements>", None if source else index)
        checked.append(validate_event(event, vocabulary, where))
    return checked


_SOURCED = ErrorLocation("<événements>")  # never shown: only used when the event has a source
