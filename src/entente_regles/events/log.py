"""Event-log readers: JSON Lines files and Python objects, validated against the vocabulary.

Each field's value is read by ``fields``; this module checks events as a whole (type,
party, dates, required and unknown keys) and reads files.

A line that does not validate raises :class:`EventError` naming the file, the line and the
field, in French and English. Nothing is silently dropped.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from operator import call
from pathlib import Path
from typing import Any, Literal, Protocol, overload

import attrs

from entente_regles.core.errors import ErrorLocation, EventError
from entente_regles.core.event import Event, built_event, event_with_data
from entente_regles.core.input_limits import (
    CENT,
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_AMOUNT,
    MAX_QUOTED,
    in_date_range,
    invisible_character,
    quoted,
)
from entente_regles.events.fields import (
    AMOUNT,
    ISO_DATE,
    PERIOD,
    amount_in_cents,
    field_error,
    parse_date,
    parse_field,
)
from entente_regles.events.json_lines import (
    JSON_BLANK,
    SURROGATE,
    parse_json_line,
    plain_object,
    plain_objects,
)
from entente_regles.rules.vocabulary import (
    RESERVED_KEYS,
    EventType,
    FieldSpec,
    Vocabulary,
)


def event_from_mapping(obj: object, vocabulary: Vocabulary, where: ErrorLocation) -> Event:
    """Validate one raw event (a dict from JSON or TOML) and build an :class:`Event`."""

    def at(key: str) -> ErrorLocation:
        return ErrorLocation(where.file, where.line, key if not where.key else f"{where.key}.{key}")

    if type(obj) is not dict and not isinstance(obj, Mapping):
        raise field_error(where, "un objet {...} attendu pour un événement",
                          "expected an object {...} for an event")
    kind = obj.get("type")
    if not isinstance(kind, str):
        raise field_error(at("type"), "champ « type » manquant ou non textuel",
                          "missing or non-string field 'type'")
    spec = vocabulary.get(kind)
    if spec is None:
        known = ", ".join(sorted(vocabulary.types))
        raise field_error(at("type"), f"type d'événement inconnu {quoted(kind)} ; types connus : "
                          f"{known}", f"unknown event type {quoted(kind)}; known types: {known}")
    if "date" not in obj:
        raise field_error(at("date"), "champ « date » manquant", "missing field 'date'")
    when = _plain_date(obj["date"], where.file)
    if when is None:
        when = parse_date(obj["date"], at("date"))
    by = obj.get("par")
    if by is None:
        raise field_error(at("par"), f"champ « par » manquant (parmi {', '.join(spec.parties)})",
                          f"missing field 'par' (one of {', '.join(spec.parties)})")
    if by not in spec.parties:
        raise field_error(at("par"), f"« par » doit être parmi {', '.join(spec.parties)}, reçu "
                          f"{quoted(by)}", f"'par' must be one of {', '.join(spec.parties)}, got "
                          f"{quoted(by)}")
    received = None
    if obj.get("recu_le") is not None:
        received = (_plain_date(obj["recu_le"], where.file)
                    or parse_date(obj["recu_le"], at("recu_le")))
        if received < when:
            raise field_error(at("recu_le"), f"reçu le {received} avant son envoi le {when}",
                              f"received on {received}, before it was sent on {when}")
    recorded = None
    if obj.get("enregistre_le") is not None:
        recorded = (_plain_date(obj["enregistre_le"], where.file)
                    or parse_date(obj["enregistre_le"], at("enregistre_le")))
        if recorded < when:
            raise field_error(at("enregistre_le"),
                              f"enregistré le {recorded}, avant sa date {when} : un événement "
                              "ne peut être connu avant d'avoir eu lieu",
                              f"recorded on {recorded}, before its date {when}: an event cannot "
                              "be known before it happens")
    data: dict[str, Any] = {}
    plain = _plain_checks(spec)
    for name, value in obj.items():
        if name in RESERVED_KEYS:
            continue
        plain_field = plain.get(name) if type(name) is str else None
        if plain_field is not None and value is not None:
            typed = plain_field[1](value)  # the common case: no location (built on error only)
            if typed is not None:
                data[plain_field[0]] = typed  # the vocabulary's string
                continue
        field = spec.fields.get(name) if isinstance(name, str) else None
        if field is None:
            allowed = ", ".join(sorted(spec.fields)) or "aucun / none"
            shown = quoted(name)
            short = isinstance(name, str) and 0 < len(name) <= MAX_QUOTED and name.isprintable()
            raise field_error(at(name if short else shown),
                              f"champ inconnu pour {kind} : {shown} (champs : {allowed})",
                              f"unknown field for {kind}: {shown} (fields: {allowed})")
        if value is None and field.optional:
            continue
        data[field.name] = parse_field(field, value, at(name))  # the vocabulary's string
    fields = spec.fields
    for name, field in () if data.keys() >= fields.keys() else fields.items():
        if name not in data and not field.optional:
            fr, en = field.help
            raise field_error(at(name), f"champ obligatoire manquant pour {kind} : {name} ({fr})",
                              f"missing required field for {kind}: {name} ({en})")
    # The file's name, never its path: explanations, reports and calendar files carry the
    # source, and a path of the machine has no place in them (errors keep the full path).
    name = _file_name(where.file)
    source = name if where.line is None else f"{name}:{where.line}"
    # the vocabulary's own strings: one copy of each type and party name, however long the log
    party = spec.parties[spec.parties.index(by)]
    return Event(spec.name, when, by=party, received=received, data=data, source=source,
                 recorded=recorded)


def events_from_text(text: str, file: str, vocabulary: Vocabulary,
                     numbers: Sequence[int] | None = None, first_line: int = 1) -> list[Event]:
    """The events of a JSON Lines log's decoded ``text`` (lines split on ``\\n`` only, blank
    lines and ``#`` lines skipped), each line validated against ``vocabulary`` as
    :func:`event_from_mapping` validates it; the first line that does not validate raises
    its :class:`EventError`, naming ``file`` and the line: ``numbers[i]`` for the i-th line
    when given, else ``first_line + i``.

    The lines are decoded together when they can be (see ``plain_objects``), and the common
    line (see :func:`_plain_event`) is read without a location object; any other goes the
    general way, which names the error."""
    if not file.endswith(".toml"):  # TOML dates are not text: the general way says so
        events = _events_at_once(text, file, vocabulary, numbers, first_line)
        if events is not None:
            return events
    return _events_line_by_line(text, file, vocabulary, numbers, first_line)


def _events_at_once(text: str, file: str, vocabulary: Vocabulary,
                    numbers: Sequence[int] | None, first_line: int) -> list[Event] | None:
    """:func:`events_from_text` for a file that is not TOML, its lines decoded in one call
    (``plain_objects``); None, having raised nothing, when they cannot be (a line that does
    not start with ``{``, or is not JSON): the caller then reads each line on its own, for
    the same events or the same first error."""
    positions: list[int] = []
    lines: list[str] = []
    for position, line in enumerate(text.split("\n")):
        stripped = line.strip(JSON_BLANK)
        if not stripped or stripped[0] == "#":
            continue
        if stripped[0] != "{":
            return None
        positions.append(position)
        lines.append(stripped)
    if numbers is not None and positions and positions[-1] >= len(numbers):
        return None  # the line-by-line way fails where it fails
    decoded = plain_objects(lines)
    if decoded is None:
        return None
    objects, decoded_quotes = decoded
    shown = (map(numbers.__getitem__, positions) if numbers is not None
             else map(first_line.__add__, positions))
    sources = map(f"{_file_name(file)}:".__add__, map(str, shown))
    plans = _line_plans(vocabulary)
    events: list[Event] = []
    append = events.append
    # Quotes met: the lines' own, four per key for the lines read the quick way (see below)
    quotes = 0
    for position, line, obj, source in zip(positions, lines, objects, sources, strict=True):
        if obj is not None:  # the common line: no location object made
            keys = (obj.get("type", ""), *obj)  # no type: no plan
            plan = plans.get(keys)
            if plan is None and keys not in plans:
                plan = _line_plan(vocabulary, plans, keys)
            if plan is not None:
                event = _plain_event(obj, plan, source)
                if event is not None:
                    append(event)
                    quotes += plan[3]
                    continue
            quotes += line.count('"')
        number = numbers[position] if numbers is not None else first_line + position
        where = ErrorLocation(file, number)
        try:
            append(event_from_mapping(parse_json_line(line, where), vocabulary, where))
        except EventError:
            return None  # maybe not the first error: see below
    # Every value of a line read the quick way is text (its readers take nothing else): such
    # a line holds at least four quotes per key of its object (a key and its value, quoted;
    # a key given twice leaves fewer keys than the line's pairs, and no escape hides a quote
    # in these lines), four exactly when no key is given twice. The lines decoded hold as
    # many quotes as counted above only if each of those lines holds four per key: else a
    # line read the quick way gave a key twice, and the line-by-line way refuses it (as it
    # names the first error, should another line be refused).
    if quotes != decoded_quotes:
        return None
    return events


def _events_line_by_line(text: str, file: str, vocabulary: Vocabulary,
                         numbers: Sequence[int] | None, first_line: int) -> list[Event]:
    """:func:`events_from_text`, each line decoded on its own."""
    shown = _file_name(file)
    plain = not file.endswith(".toml")  # TOML dates are not text: the general way says so
    plans = _line_plans(vocabulary)
    events: list[Event] = []
    append = events.append
    for position, line in enumerate(text.split("\n")):
        stripped = line.strip(JSON_BLANK)
        if not stripped or stripped[0] == "#":
            continue
        number = numbers[position] if numbers is not None else first_line + position
        obj = plain_object(stripped) if plain else None
        if obj is not None and "type" in obj:  # the common line: no location object made
            keys = (obj["type"], *obj)
            plan = plans.get(keys)
            if plan is None and keys not in plans:
                plan = _line_plan(vocabulary, plans, keys)
            event = None if plan is None else _plain_event(obj, plan, f"{shown}:{number}")
            if event is not None:
                append(event)
                continue
        where = ErrorLocation(file, number)
        append(event_from_mapping(parse_json_line(stripped, where), vocabulary, where))
    return events


# How a log line of one event type, with its keys in one order, is read when all its values
# are text: the type's name and its parties (each name to the vocabulary's own string), per
# key other than the reserved ones the field's name and what reads its value (see
# _text_reader), and the line's number of quotes (four per key). Each reader, as the dates
# and the parties, takes text only: a value of any other kind (a number, null, as decoded by
# ``plain_objects``) is not read here.
_Read = Callable[[Any], Any]
_Fields = tuple[tuple[str, str, _Read, _Read], ...]
_LinePlan = tuple[str, dict[str, str], _Fields, int]
_LINE_PLANS: dict[int, tuple[Vocabulary, dict[tuple[str, ...], _LinePlan | None]]] = {}
_MAX_LINE_PLANS = 1024  # (type, order of keys) kept per vocabulary; beyond, worked out anew
_MAX_VOCABULARIES = 64
_DATES: dict[str, date] = {}  # dates read so far (a log names few days), each one in range
_MAX_DATES = 8192  # bounded all the same: beyond, read each time


def _line_plans(vocabulary: Vocabulary) -> dict[tuple[str, ...], _LinePlan | None]:
    """The plans worked out so far for ``vocabulary``'s logs (for the last vocabularies
    read: a process reading many rule books keeps no more than ``_MAX_VOCABULARIES``)."""
    known = _LINE_PLANS.get(id(vocabulary))
    if known is None or known[0] is not vocabulary:
        if len(_LINE_PLANS) >= _MAX_VOCABULARIES:
            _LINE_PLANS.clear()
        known = _LINE_PLANS[id(vocabulary)] = (vocabulary, {})
    return known[1]


def _line_plan(vocabulary: Vocabulary, plans: dict[tuple[str, ...], _LinePlan | None],
               keys: tuple[str, ...]) -> _LinePlan | None:
    """The plan for ``keys``, worked out and kept (up to ``_MAX_LINE_PLANS``)."""
    plan = _new_line_plan(vocabulary, keys)
    if len(plans) < _MAX_LINE_PLANS:
        plans[keys] = plan
    return plan


def _plain_event(obj: dict[str, str], plan: _LinePlan, source: str) -> Event | None:
    """What :func:`event_from_mapping` returns for ``obj`` (a line's object whose values
    are all text, see ``plain_object``, with the type and order of keys of ``plan``) read
    from a file that is not TOML, with ``source``, when the line is valid and of the common
    kind; None when this is not sure (the general way then reads the line, and names any
    error)."""
    kind, parties, fields, _ = plan
    has_received, has_recorded = "recu_le" in obj, "enregistre_le" in obj
    when = _DATES.get(obj["date"]) or _read_date(obj["date"])
    by = parties.get(obj["par"])
    if when is None or by is None:
        return None
    received = recorded = None
    if has_received:
        received = _DATES.get(obj["recu_le"]) or _read_date(obj["recu_le"])
        if received is None or received < when:
            return None
    if has_recorded:
        recorded = _DATES.get(obj["enregistre_le"]) or _read_date(obj["enregistre_le"])
        if recorded is None or recorded < when:
            return None
    data: dict[str, Any] = {}
    for key, name, known, read in fields:
        value = obj[key]
        typed = known(value) or read(value)
        if typed is None:
            return None
        data[name] = typed
    return built_event(kind, when, by, received, data, source, recorded)


def _read_date(text: str) -> date | None:
    """:func:`_plain_date` for a log line's date text (not in TOML), kept for next time."""
    when = _plain_date(text, "")
    if when is not None and len(_DATES) < _MAX_DATES:
        _DATES[text] = when
    return when


_READ_RESERVED = frozenset(("type", "date", "par", "recu_le", "enregistre_le"))


def _new_line_plan(vocabulary: Vocabulary, keys: tuple[str, ...]) -> _LinePlan | None:
    """The plan for a line of type ``keys[0]`` whose keys come in the order ``keys[1:]``;
    None unless the type is known, ``date`` and ``par`` are there, and every other key is
    a field of the type read by :func:`_plain_checks`, every required field among them."""
    spec = vocabulary.get(keys[0])
    names = keys[1:]
    if spec is None or "date" not in names or "par" not in names:
        return None
    fields = []
    for key in names:
        if key in RESERVED_KEYS:
            if key not in _READ_RESERVED:  # every value of a line read must be read as text
                return None
            continue
        field = spec.fields.get(key)
        readers = None if field is None else _text_reader(field)
        if readers is None:
            return None
        fields.append((key, field.name, *readers))  # type: ignore[union-attr]
    if any(not field.optional and name not in names for name, field in spec.fields.items()):
        return None
    parties = {party: party for party in spec.parties}
    return spec.name, parties, tuple(fields), 4 * len(names)


def _text_reader(field: FieldSpec) -> tuple[_Read, _Read] | None:
    """What reads ``field`` from a log line's text as parse_field does, in the common
    cases: the lookup of the values already read (a dict's ``get``, no Python call) and,
    when it finds nothing, the reading (None for anything else: parse_field then reads it
    or says why). None for a field whose kind has no such reading of text. A value read is
    never empty text nor a zero amount: true, so that the lookup's None is told apart by
    ``or``."""
    if field.kind == "montant":
        return _AMOUNTS.get, _text_amount
    if field.kind == "periode":
        return _VALID_PERIODS.get, _text_period
    if field.kind == "texte":
        if not field.choices:
            return _PLAIN_TEXTS.get, _text_plain
        # _already_typed's answer for a choice depends on its text alone: asked once
        typed = {choice: choice for choice in field.choices if _already_typed(field, choice)}
        return typed.get, _not_a_choice
    return None


def _not_a_choice(value: object) -> None:
    """None: ``value`` is not one of a field's choices read unchanged."""
    return None


def _text_plain(value: object) -> object:
    """``value`` when :func:`_typed_text` says it is read unchanged, else None; ASCII text
    is tested inline (printable ASCII holds no blank but the space). A short text read is
    kept for next time (a payment names its invoice, a notice its incident)."""
    if type(value) is not str:
        return None
    if value.isascii():
        if not value or not value.isprintable() or value[0] == " " or value[-1] == " ":
            return None
    elif not _typed_text(value):
        return None
    if len(value) <= _MAX_KEPT_TEXT:
        if len(_PLAIN_TEXTS) >= _MAX_PLAIN_TEXTS:
            _PLAIN_TEXTS.clear()  # bounded: a text is named again soon after, if ever
        _PLAIN_TEXTS[value] = value
    return value


_PLAIN_TEXTS: dict[str, str] = {}  # texts read unchanged so far
_MAX_PLAIN_TEXTS = 8192
_MAX_KEPT_TEXT = 64  # longer texts are read each time


def _text_period(value: object) -> object:
    """``value`` when :func:`_typed_period` says it is read unchanged, else None."""
    return value if value in _VALID_PERIODS or _typed_period(value) else None


# An amount in cents as written in logs: a Decimal read from it has two decimals and is no
# more than MAX_AMOUNT already (what amount_in_cents returns, but for zero).
_CENTS_TEXT = re.compile(r"[0-9]{1,12}\.[0-9]{2}", re.ASCII)


def _text_amount(value: str) -> Decimal | None:
    """:func:`_plain_amount` for text, the common text first, each amount read kept for
    next time (a payment repeats its invoice's amount; Decimals are immutable); None for a
    value that is not text."""
    amount = _AMOUNTS.get(value)
    if amount is not None:
        return amount
    if type(value) is not str:
        return None
    if _CENTS_TEXT.fullmatch(value) is not None:
        amount = Decimal(value)
        if not amount:
            return None  # zero: parse_amount refuses it
    else:
        amount = _plain_amount(value)
        if amount is None:
            return None
    if len(_AMOUNTS) >= _MAX_AMOUNTS:
        _AMOUNTS.clear()  # bounded: a log's amounts repeat soon after, if ever
    _AMOUNTS[value] = amount
    return amount


_AMOUNTS: dict[str, Decimal] = {}
_MAX_AMOUNTS = 4096


@lru_cache(maxsize=64)
def _file_name(file: str) -> str:
    """The name of ``file`` without its folders (the file itself when it has no name)."""
    return os.path.basename(file) or file


def _plain_date(value: object, file: str) -> date | None:
    """What :func:`parse_date` returns for ``value`` read from ``file`` in the common cases
    (an ISO ``YYYY-MM-DD`` string outside a TOML file, a date), within the accepted range;
    None for anything else: :func:`parse_date` then says why (or accepts it)."""
    if type(value) is str:
        if len(value) != 10 or not ISO_DATE.fullmatch(value) or file.endswith(".toml"):
            return None
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return None
    if type(value) is date and EARLIEST_DATE <= value <= LATEST_DATE:
        return value
    return None


# A field's value read as parse_field reads it, in the common cases only, with no location
# (None: parse_field then reads it, naming the field on error). Per event type, name to check.
_Plain = Callable[[object], Any]
_PLAIN: dict[int, tuple[EventType, dict[str, tuple[str, _Plain]]]] = {}


def _plain_checks(spec: EventType) -> dict[str, tuple[str, _Plain]]:
    """Per field name of ``spec`` read this way: the field's name and its check."""
    known = _PLAIN.get(id(spec))
    if known is None or known[0] is not spec:
        checks: dict[str, tuple[str, _Plain]] = {}
        for name, field in spec.fields.items():
            if field.kind == "montant":
                checks[name] = (field.name, _plain_amount)
            elif field.kind in ("texte", "periode", "booleen"):
                checks[name] = (field.name, partial(_plain_value, _typed_check(field)))
        known = _PLAIN[id(spec)] = (spec, checks)
    return known[1]


def _plain_value(typed: _Check, value: object) -> object:
    """``value`` when parse_field would return it unchanged (see :func:`_already_typed`)."""
    return value if typed(value) else None


def _plain_amount(value: object) -> Decimal | None:
    """An amount written as decimal text of ASCII digits (no blanks around) or a Decimal,
    in cents as parse_amount returns it; None for anything else (parse_amount says why)."""
    if type(value) is str:
        if not AMOUNT.fullmatch(value):
            return None
        return amount_in_cents(Decimal(value))
    if type(value) is Decimal:
        return amount_in_cents(value)
    return None


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
            raise field_error(ErrorLocation(where.file, where.line, f"data.{name}"),
                              f"{name!r} est réservé : utilisez l'attribut de Event",
                              f"{name!r} is reserved: use the Event attribute")
        if isinstance(value, tuple):
            value = list(value)
        raw[name] = value
    checked = event_from_mapping(raw, vocabulary, where)
    return Event(checked.type, checked.date, checked.by, checked.received, checked.data,
                 source=event.source, recorded=checked.recorded)


class VocabularySource(Protocol):
    """Anything that carries an event vocabulary (a ``RuleBook``)."""

    @property
    def vocabulary(self) -> Vocabulary: ...


_Check = Callable[[object], bool]
# A log's events of one type carry their fields in one or a few orders: per event type, the
# checks of each order of keys met (each field's spec and its "already typed" test, in that
# order), for the order's keys that are valid together (known fields, every required one).
# A value to its typed form, as parse_field would return it, or None: then parse_field says
_Convert = Callable[[object], Any]
_Checks = tuple[tuple[_Check, ...], tuple[FieldSpec, ...],  # aligned with the keys
                tuple[_Convert | None, ...]]
_PLANS: dict[int, tuple[EventType, dict[tuple[object, ...], _Checks]]] = {}
_MAX_ORDERS = 64  # orders of keys kept per type; beyond (never in practice) worked out anew


def _checks(spec: EventType, keys: tuple[object, ...]) -> _Checks | None:
    """The checks for an event of type ``spec`` whose fields come in the order ``keys``;
    None when the keys are not valid together (the mapping's way then names the error).
    Worked out once per type and order of keys."""
    known = _PLANS.get(id(spec))
    if known is None or known[0] is not spec:
        known = _PLANS[id(spec)] = (spec, {})
    orders = known[1]
    found = orders.get(keys)
    if found is not None:
        return found
    fields = spec.fields
    if not all(type(name) is str and name in fields for name in keys) or any(
            not field.optional and name not in keys for name, field in fields.items()):
        return None
    specs = tuple(fields[name] for name in keys)  # type: ignore[index]
    found = (tuple(_typed_check(field) for field in specs), specs,
             tuple(_cents if field.kind == "montant" else None for field in specs))
    if len(orders) < _MAX_ORDERS:
        orders[keys] = found
    return found


def _typed_check(field: FieldSpec) -> _Check:
    """:func:`_already_typed` for one field, its kind's branch chosen once."""
    kind = field.kind
    if kind == "montant":
        return _typed_amount
    if kind == "periode":
        return _typed_period
    if kind == "texte" and not field.choices:
        return _typed_text
    return partial(_already_typed, field)


_ZERO = Decimal(0)


def _typed_amount(value: object) -> bool:
    # same_quantum: finite with exponent -2, i.e. written in cents
    return (type(value) is Decimal and value.same_quantum(CENT)
            and _ZERO < value <= MAX_AMOUNT)  # Decimal to Decimal: no int conversion


def _cents(value: object) -> Decimal | None:
    """An amount given as a ``Decimal`` with fewer decimals than cents (``Decimal("1234.5")``,
    ``Decimal("500")``) in cents, as parse_amount returns it, without its way of naming
    errors; None for anything else (parse_amount then accepts it or says why not)."""
    return amount_in_cents(value) if type(value) is Decimal else None


def _typed_text(value: object) -> bool:
    if type(value) is not str or not value or value != value.strip():
        return False
    # ASCII text is in NFC and holds no surrogate (isascii is a flag, not a scan); any text
    # holding an invisible character goes to parse_field, which refuses it by name
    if value.isascii():
        return value.isprintable()
    return (unicodedata.is_normalized("NFC", value) and not SURROGATE.search(value)
            and invisible_character(value) is None)


_VALID_PERIODS: dict[str, str] = {}  # periods found valid so far (a log names few months)
_MAX_VALID_PERIODS = 4096  # bounded all the same: beyond, checked each time


def _typed_period(value: object) -> bool:
    """A period written as parse_field returns it: "YYYY-MM" (ASCII, so already in NFC)."""
    if type(value) is not str:
        return False
    if value in _VALID_PERIODS:
        return True
    if value.isascii() and PERIOD.fullmatch(value) is not None:
        if len(_VALID_PERIODS) < _MAX_VALID_PERIODS:
            _VALID_PERIODS[value] = value
        return True
    return False


def _already_typed(field: FieldSpec, value: object) -> bool:
    """Is ``value`` exactly what :func:`parse_field` would return for it (the common case
    of events built in Python with typed values)? Only cheap, certain cases say yes."""
    kind = field.kind
    if kind == "montant":  # in cents, within bounds: parse_amount returns it unchanged
        return _typed_amount(value)
    if kind == "texte":
        return _typed_text(value) and (not field.choices or value in field.choices)
    if kind == "periode":
        return _typed_period(value)
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
    keys = tuple(data)
    known = _PLANS.get(id(spec))  # _checks(spec, keys), its lookups inlined: once per event
    checks = known[1].get(keys) if known is not None and known[0] is spec else None
    if checks is None:
        checks = _checks(spec, keys)
        if checks is None:
            return None
    tests, fields, converters = checks
    if all(map(call, tests, data.values())):  # every value already typed: the common case
        return event
    converted: dict[str, Any] | None = None
    for field, typed_already, convert, value in zip(fields, tests, converters, data.values(),
                                                    strict=True):
        if typed_already(value):
            continue
        if value is None:  # the mapping's way drops an optional one, refuses a required one
            return None
        typed = None if convert is None else convert(value)
        if typed is None:
            try:
                typed = parse_field(field, list(value) if isinstance(value, tuple) else value,
                                     where)
            except EventError:
                return None
        if typed is not value and (type(typed) is not type(value) or typed != value
                                   or (isinstance(value, Decimal)
                                       and str(typed) != str(value))):
            if converted is None:
                converted = dict(data)
            converted[field.name] = typed
    if converted is None:
        return event
    return event_with_data(event, converted)


@attrs.frozen
class EventsRead:
    """A log read with ``errors="collect"``: the ``events`` of its valid lines, in order, and
    a :class:`EventError` for each line that does not validate (file, line, key, what was
    expected), in line order. ``ok``: no problem."""

    events: tuple[Event, ...]
    problems: tuple[EventError, ...]

    @property
    def ok(self) -> bool:
        """Every line validated."""
        return not self.problems


@overload
def read_events(path: str | Path,
                vocabulary: Vocabulary | VocabularySource | None = None, *,
                errors: Literal["raise"] = "raise") -> list[Event]: ...


@overload
def read_events(path: str | Path,
                vocabulary: Vocabulary | VocabularySource | None = None, *,
                errors: Literal["collect"]) -> EventsRead: ...


def read_events(path: str | Path,
                vocabulary: Vocabulary | VocabularySource | None = None, *,
                errors: Literal["raise", "collect"] = "raise") -> list[Event] | EventsRead:
    """Read a JSON Lines event log, each line validated against ``vocabulary``.

    ``vocabulary``: the agreement's event vocabulary — a :class:`Vocabulary`, or anything
    that has one (a ``RuleBook``, whose ``vocabulary`` it is). Without it, the log is
    validated against the bundled (MCN) rule book's vocabulary: give the rule book of any
    other agreement (``read_events(path, rulebook)``), or read through the agreement
    (``Agreement.read_events(path)``), which always uses its own.

    ``errors``: ``"raise"`` (the default) raises :class:`EventError` at the first line that
    does not validate; ``"collect"`` reads every line and returns an :class:`EventsRead`,
    the events of the valid lines with every line's problem (a file that cannot be read at
    all still raises).

    Blank lines and lines starting with ``#`` are skipped. Lines are split on ``\\n`` only
    (JSON Lines), so U+2028 or U+0085 inside a string stay in it; a ``\\r`` before the
    ``\\n`` and a UTF-8 byte-order mark are accepted.
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors : « raise » ou « collect » attendu, reçu {errors!r} / "
                         f"errors: 'raise' or 'collect' expected, got {errors!r}")
    vocab = _vocabulary(vocabulary)
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise EventError(ErrorLocation(file), f"lecture impossible : {exc.strerror}",
                         f"cannot read: {exc.strerror}") from None
    problems: list[EventError] = []
    lines: Sequence[str | None]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[:exc.start].count(b"\n") + 1
        not_utf8 = EventError(ErrorLocation(file, bad_line), "le fichier n'est pas en UTF-8 "
                              f"(octet {exc.start})", f"the file is not UTF-8 (byte "
                              f"{exc.start})")
        if errors == "raise":
            raise not_utf8 from None
        lines = _lines_decoded(raw, file, problems)
    else:
        if errors == "raise":
            return events_from_text(text, file, vocab)
        lines = text.split("\n")
    events: list[Event] = []  # every line read, each problem kept
    for number, line in enumerate(lines, start=1):
        if line is None:
            continue  # not UTF-8: its problem is recorded
        stripped = line.strip(JSON_BLANK)
        if not stripped or stripped.startswith("#"):
            continue
        where = ErrorLocation(file, number)
        try:
            events.append(event_from_mapping(parse_json_line(stripped, where), vocab, where))
        except EventError as exc:
            problems.append(exc)
    problems.sort(key=lambda p: p.where.line or 0)
    return EventsRead(tuple(events), tuple(problems))


def _vocabulary(vocabulary: Vocabulary | VocabularySource | None) -> Vocabulary:
    if vocabulary is None:
        from entente_regles.rules.rulebook import RuleBook

        return RuleBook.bundled().vocabulary
    if isinstance(vocabulary, Vocabulary):
        return vocabulary
    owned = getattr(vocabulary, "vocabulary", None)
    if not isinstance(owned, Vocabulary):
        raise TypeError(f"vocabulary: a Vocabulary or a RuleBook expected, got "
                        f"{type(vocabulary).__name__}")
    return owned


def _lines_decoded(raw: bytes, file: str, problems: list[EventError]) -> list[str | None]:
    """The lines of a file that is not all UTF-8, each decoded on its own: None for a line
    that is not, its problem recorded (line and byte, counted from the file's start)."""
    found: list[str | None] = []
    offset = 0
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            found.append(chunk.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError as exc:
            byte = offset + exc.start
            problems.append(EventError(ErrorLocation(file, number), "ligne qui n'est pas en "
                                       f"UTF-8 (octet {byte})", f"a line that is not UTF-8 "
                                       f"(byte {byte})"))
            found.append(None)
        offset += len(chunk) + 1
    return found


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

