"""Event-log readers: JSON Lines files and Python objects, validated against the vocabulary.

A line that does not validate raises :class:`EventError` naming the file, the line and the
field, in French and English. Nothing is silently dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .json_lines import JSON_BLANK, SURROGATE, FloatLiteral, parse_json_line
from .limits import (
    CENT,
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_AMOUNT,
    MAX_QUOTED,
    in_date_range,
    quoted,
)
from .model import PARTIES, ErrorLocation, Event, EventError, ParameterValue
from .vocabulary import (
    FIELD_KIND_HELP,
    MAX_FIELD_INTEGER,
    RESERVED_KEYS,
    EventType,
    FieldSpec,
    Vocabulary,
)

# ASCII digits only: Python's \d, int() and Decimal() also read Arabic-Indic or full-width
# digits, which are not amounts, months or dates in this format.
_PERIOD = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])", re.ASCII)
_FISCAL = re.compile(r"([0-9]{4})-([0-9]{4})", re.ASCII)
_AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def _fail(where: ErrorLocation, fr: str, en: str) -> EventError:
    return EventError(where, fr, en)


def parse_date(value: object, where: ErrorLocation) -> date:
    """An event's date: a ``datetime.date`` (not a datetime) or an ISO ``YYYY-MM-DD`` string,
    within the accepted range (see ``limits``)."""
    if isinstance(value, datetime):
        raise _fail(where, f"une date sans heure attendue (AAAA-MM-JJ), reçu {value}",
                    f"expected a date without a time of day (YYYY-MM-DD), got {value}")
    if isinstance(value, str):
        if where.file.endswith(".toml"):
            raise _fail(where, f"dans un fichier TOML, une date s'écrit sans guillemets : "
                        f"retirez-les ({quoted(value)})",
                        f"in a TOML file a date is written without quotes: remove them "
                        f"({quoted(value)})")
        value = _iso_date(value, where)
    if not isinstance(value, date):
        raise _fail(where, f"date attendue au format AAAA-MM-JJ, reçu {quoted(value)}",
                    f"expected a date YYYY-MM-DD, got {quoted(value)}")
    if not in_date_range(value):
        raise _fail(where, f"date {value} hors de la plage acceptée ({EARLIEST_DATE} au "
                    f"{LATEST_DATE})", f"date {value} outside the accepted range "
                    f"({EARLIEST_DATE} to {LATEST_DATE})")
    return value


def _iso_date(text: str, where: ErrorLocation) -> date:
    """Only ``YYYY-MM-DD``: Python also reads ``20260801`` and ``2026-W31-3``, which an event
    log must not carry (a typo there would pass in silence)."""
    if not _ISO_DATE.fullmatch(text):
        raise _fail(where, f"date attendue au format AAAA-MM-JJ (p. ex. 2026-08-01), reçu "
                    f"{quoted(text)}", f"expected a date YYYY-MM-DD (e.g. 2026-08-01), got "
                    f"{quoted(text)}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(where, f"le jour {text} n'existe pas au calendrier (une date AAAA-MM-JJ "
                    "attendue)", f"the day {text} does not exist in the calendar (expected a "
                    "date YYYY-MM-DD)") from None


def parse_amount(value: object, where: ErrorLocation) -> Decimal:
    """Money, on every path (JSON, TOML, Python): a ``Decimal`` or a decimal string of ASCII
    digits, positive, in cents at most, no more than ``MAX_AMOUNT``; returned in cents."""
    amount: Decimal | None = None
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str) and _AMOUNT.fullmatch(value.strip()):
        amount = Decimal(value.strip())
    if amount is None or not amount.is_finite():
        fr, en = FIELD_KIND_HELP["montant"]
        raise _fail(where, f"{fr} attendu, reçu {quoted(value)}",
                    f"expected {en}, got {quoted(value)}")
    if amount <= 0:
        raise _fail(where, f"montant strictement positif attendu, reçu {quoted(value)}",
                    f"expected an amount greater than zero, got {quoted(value)}")
    if amount > MAX_AMOUNT:
        raise _fail(where, f"montant supérieur au maximum accepté ({MAX_AMOUNT}) : "
                    f"{quoted(value)}", f"amount above the accepted maximum ({MAX_AMOUNT}): "
                    f"{quoted(value)}")
    if amount % CENT != 0:
        raise _fail(where, f"au plus deux décimales (des cents), reçu {quoted(value)}",
                    f"at most two decimals (cents), got {quoted(value)}")
    return amount.quantize(CENT)


def _parse_parameters(value: object, where: ErrorLocation) -> Mapping[str, ParameterValue]:
    """A table of parameter names to scalar values; which names and types are valid is the
    rules' business (an amendment naming an unknown one is a diagnostic, not an input error)."""
    fr, en = FIELD_KIND_HELP["parametres"]
    if not isinstance(value, Mapping) or not value:
        raise _fail(where, f"{fr} attendu, reçu {quoted(value)}",
                    f"expected {en}, got {quoted(value)}")
    out: dict[str, ParameterValue] = {}
    for name, item in value.items():
        at = ErrorLocation(where.file, where.line, f"{where.key}.{name}")
        if not isinstance(name, str) or not name.strip():
            raise _fail(where, f"nom de paramètre vide ou non textuel : {quoted(name)}",
                        f"empty or non-string parameter name: {quoted(name)}")
        if isinstance(item, FloatLiteral | float) or not isinstance(item, int | str | bool) \
                or (isinstance(item, str) and not item.strip()):
            raise _fail(at, "un entier, un texte non vide ou un booléen attendu, reçu "
                        f"{quoted(item)}", "expected an integer, a non-empty string or a "
                        f"boolean, got {quoted(item)}")
        out[unicodedata.normalize("NFC", name.strip())] = (
            unicodedata.normalize("NFC", item.strip()) if isinstance(item, str) else item)
    return MappingProxyType(out)


def _parse_field(spec: FieldSpec, value: object, where: ErrorLocation) -> Any:
    kind = spec.kind
    if kind == "parametres":
        return _parse_parameters(value, where)
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
    elif kind == "entier":
        if isinstance(value, int) and not isinstance(value, bool) \
                and 1 <= value <= MAX_FIELD_INTEGER:
            if not spec.choices or value in spec.choices:
                return value
            allowed = ", ".join(str(c) for c in spec.choices)
            raise _fail(where, f"une valeur parmi {allowed} attendue, reçu {quoted(value)}",
                        f"expected one of {allowed}, got {quoted(value)}")
    elif kind == "parties":
        if isinstance(value, list) and value and all(v in PARTIES for v in value):
            return tuple(sorted(set(value)))
    elif kind == "montant":
        return parse_amount(value, where)
    elif isinstance(value, str) and value.strip():
        if SURROGATE.search(value):
            raise _fail(where, f"texte invalide (demi-paire de substitution UTF-16) : "
                        f"{quoted(value)}", f"invalid text (a lone UTF-16 surrogate): "
                        f"{quoted(value)}")
        text = unicodedata.normalize("NFC", value.strip())
        if kind == "texte" and (not spec.choices or text in spec.choices):
            return text
        if kind == "texte":
            allowed = ", ".join(str(c) for c in spec.choices)
            raise _fail(where, f"une valeur parmi {allowed} attendue, reçu {quoted(value)}",
                        f"expected one of {allowed}, got {quoted(value)}")
        if kind == "periode" and _PERIOD.fullmatch(text):
            return text
        m = _FISCAL.fullmatch(text)
        if kind == "exercice" and m and int(m.group(2)) == int(m.group(1)) + 1:
            return text
    fr, en = FIELD_KIND_HELP[kind]
    raise _fail(where, f"{fr} attendu, reçu {quoted(value)}",
                f"expected {en}, got {quoted(value)}")


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
        raise _fail(at("type"), f"type d'événement inconnu {quoted(kind)} ; types connus : "
                    f"{known}", f"unknown event type {quoted(kind)}; known types: {known}")
    if "date" not in obj:
        raise _fail(at("date"), "champ « date » manquant", "missing field 'date'")
    when = parse_date(obj["date"], at("date"))
    by = obj.get("par")
    if by is None:
        raise _fail(at("par"), f"champ « par » manquant (parmi {', '.join(spec.parties)})",
                    f"missing field 'par' (one of {', '.join(spec.parties)})")
    if by not in spec.parties:
        raise _fail(at("par"), f"« par » doit être parmi {', '.join(spec.parties)}, reçu "
                    f"{quoted(by)}", f"'par' must be one of {', '.join(spec.parties)}, got "
                    f"{quoted(by)}")
    received = None
    if obj.get("recu_le") is not None:
        received = parse_date(obj["recu_le"], at("recu_le"))
        if received < when:
            raise _fail(at("recu_le"), f"reçu le {received} avant son envoi le {when}",
                        f"received on {received}, before it was sent on {when}")
    recorded = None
    if obj.get("enregistre_le") is not None:
        recorded = parse_date(obj["enregistre_le"], at("enregistre_le"))
        if recorded < when:
            raise _fail(at("enregistre_le"), f"enregistré le {recorded}, avant sa date {when} : "
                        "un événement ne peut être connu avant d'avoir eu lieu",
                        f"recorded on {recorded}, before its date {when}: an event cannot be "
                        "known before it happens")
    data: dict[str, Any] = {}
    for name, value in obj.items():
        if name in RESERVED_KEYS:
            continue
        field = spec.fields.get(name) if isinstance(name, str) else None
        if field is None:
            allowed = ", ".join(sorted(spec.fields)) or "aucun / none"
            shown = quoted(name)
            short = isinstance(name, str) and 0 < len(name) <= MAX_QUOTED and name.isprintable()
            raise _fail(at(name if short else shown),
                        f"champ inconnu pour {kind} : {shown} (champs : {allowed})",
                        f"unknown field for {kind}: {shown} (fields: {allowed})")
        if value is None and field.optional:
            continue
        data[field.name] = _parse_field(field, value, at(name))  # the vocabulary's string
    for name, field in spec.fields.items():
        if name not in data and not field.optional:
            fr, en = FIELD_KIND_HELP[field.kind]
            raise _fail(at(name), f"champ obligatoire manquant pour {kind} : {name} ({fr})",
                        f"missing required field for {kind}: {name} ({en})")
    source = where.file if where.line is None else f"{where.file}:{where.line}"
    # the vocabulary's own strings: one copy of each type and party name, however long the log
    party = next(p for p in spec.parties if p == by)
    return Event(spec.name, when, by=party, received=received, data=data, source=source,
                 recorded=recorded)


def validate_event(event: Event, vocabulary: Vocabulary, where: ErrorLocation) -> Event:
    """Check an :class:`Event` built in Python; returns it with typed fields.

    Checked in place, field by field: the event is returned as it is when it is already
    valid and typed (a new one only when a field's value is converted, e.g. "100.00" to a
    Decimal; its ``source`` stays its own, None when it has none: ``where`` only locates
    errors). Anything unexpected goes the mapping's way, for the same error as a log line
    would get."""
    checked = _checked_in_place(event, vocabulary, where)
    if checked is not None:
        return checked
    raw: dict[str, Any] = {"type": event.type, "date": event.date, "par": event.by}
    if event.received is not None:
        raw["recu_le"] = event.received
    if event.recorded is not None:
        raw["enregistre_le"] = event.recorded
    for name, value in event.data.items():
        if name in RESERVED_KEYS:
            raise _fail(ErrorLocation(where.file, where.line, f"data.{name}"),
                        f"{name!r} est réservé : utilisez l'attribut de Event",
                        f"{name!r} is reserved: use the Event attribute")
        if isinstance(value, tuple):
            value = list(value)
        raw[name] = value
    checked = event_from_mapping(raw, vocabulary, where)
    return Event(checked.type, checked.date, checked.by, checked.received, checked.data,
                 source=event.source, recorded=checked.recorded)


_REQUIRED: dict[int, tuple[EventType, int]] = {}


def _required_count(spec: EventType) -> int:
    """How many fields ``spec`` requires (computed once per event type)."""
    known = _REQUIRED.get(id(spec))
    if known is None or known[0] is not spec:
        known = _REQUIRED[id(spec)] = (spec, sum(
            1 for field in spec.fields.values() if not field.optional))
    return known[1]


def _already_typed(field: FieldSpec, value: object) -> bool:
    """Is ``value`` exactly what :func:`_parse_field` would return for it (the common case
    of events built in Python with typed values)? Only cheap, certain cases say yes."""
    kind = field.kind
    if kind == "montant":  # in cents, within bounds: parse_amount returns it unchanged
        # same_quantum: finite with exponent -2, i.e. written in cents
        return (type(value) is Decimal and value.same_quantum(CENT)
                and 0 < value <= MAX_AMOUNT)
    if kind == "texte":
        if type(value) is not str or not value or value != value.strip():
            return False
        # ASCII text is in NFC and holds no surrogate (isascii is a flag, not a scan)
        return ((value.isascii() or (unicodedata.is_normalized("NFC", value)
                                     and not SURROGATE.search(value)))
                and (not field.choices or value in field.choices))
    if kind == "date":
        return type(value) is date and in_date_range(value)
    if kind == "booleen":
        return type(value) is bool
    return False


def _checked_in_place(event: Event, vocabulary: Vocabulary,
                      where: ErrorLocation) -> Event | None:
    """``event`` validated without a round trip through a mapping; None when something is
    off (the caller then takes the mapping's way, which names the error).

    An event that is valid and typed is returned as it is (never copied: a Python-built event
    without a ``source`` keeps none); a new one only when a field's value is converted."""
    spec = vocabulary.types.get(event.type)
    when = event.date
    if spec is None or type(when) is not date or not EARLIEST_DATE <= when <= LATEST_DATE \
            or event.by not in spec.parties:
        return None
    received = event.received
    if received is not None and not (type(received) is date and in_date_range(received)
                                     and received >= when):
        return None
    recorded = event.recorded
    if recorded is not None and not (type(recorded) is date and in_date_range(recorded)
                                     and recorded >= when):
        return None
    data = event.data
    converted: dict[str, Any] | None = None
    fields = spec.fields
    required = 0
    dropped = False
    for name, value in data.items():
        field = fields.get(name) if type(name) is str else None
        if field is None:
            return None
        if not field.optional:
            required += 1
        if value is None:
            if not field.optional:
                return None
            dropped = True
            continue
        if _already_typed(field, value):
            continue
        try:
            typed = _parse_field(field, list(value) if isinstance(value, tuple) else value,
                                 where)
        except EventError:
            return None
        if typed is not value and (type(typed) is not type(value) or typed != value
                                   or (isinstance(value, Decimal)
                                       and str(typed) != str(value))):
            if converted is None:
                converted = dict(data)
            converted[name] = typed
    if required != _required_count(spec):
        return None
    if dropped:
        converted = {k: v for k, v in (converted or data).items() if v is not None}
    if converted is None:
        return event
    return Event(spec.name, when, event.by, received, converted, source=event.source,
                 recorded=event.recorded)


def read_events(path: str | Path, vocabulary: Vocabulary | None = None) -> list[Event]:
    """Read a JSON Lines event log; blank lines and lines starting with ``#`` are skipped.

    Lines are split on ``\\n`` only (JSON Lines), so U+2028 or U+0085 inside a string stay
    in it; a ``\\r`` before the ``\\n`` and a UTF-8 byte-order mark are accepted.
    """
    if vocabulary is None:
        from .rulebook import RuleBook

        vocabulary = RuleBook.bundled().vocabulary
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise EventError(ErrorLocation(file), f"lecture impossible : {exc.strerror}",
                         f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[:exc.start].count(b"\n") + 1
        raise EventError(ErrorLocation(file, bad_line), "le fichier n'est pas en UTF-8 (octet "
                         f"{exc.start})", f"the file is not UTF-8 (byte {exc.start})") from None
    events: list[Event] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip(JSON_BLANK)
        if not stripped or stripped.startswith("#"):
            continue
        where = ErrorLocation(file, number)
        events.append(event_from_mapping(parse_json_line(stripped, where), vocabulary, where))
    return events


def validate_events(events: Iterable[Event], vocabulary: Vocabulary) -> list[Event]:
    checked = []
    for index, event in enumerate(events, start=1):
        if not isinstance(event, Event):
            raise EventError(ErrorLocation("<événements>", index),
                             f"un Event attendu, reçu {type(event).__name__}",
                             f"expected an Event, got {type(event).__name__}")
        fast = _checked_in_place(event, vocabulary, _UNSHOWN)  # no location object built
        if fast is not None:
            checked.append(fast)
            continue
        source = event.source
        where = ErrorLocation(source or "<événements>", None if source else index)
        checked.append(validate_event(event, vocabulary, where))
    return checked


_UNSHOWN = ErrorLocation("<événements>")  # never shown: the in-place check raises no error

