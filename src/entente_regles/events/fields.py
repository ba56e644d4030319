"""The value of one event field, read from what a log gives (text, number, date, list,
table) into the type its kind declares, or an :class:`EventError` naming the field.

Dates are strict ISO ``YYYY-MM-DD`` within the accepted range; amounts are decimal text or
``Decimal`` in cents up to the maximum; ASCII digits only. The bounds are in ``limits``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from entente_regles.core.errors import ErrorLocation, EventError
from entente_regles.core.input_limits import (
    CENT,
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_AMOUNT,
    in_date_range,
    invisible_character,
    quoted,
)
from entente_regles.core.values import ParameterValue
from entente_regles.events.json_lines import SURROGATE, FloatLiteral
from entente_regles.rules.toml_tables import expected_fr
from entente_regles.rules.vocabulary import FIELD_KIND_HELP, MAX_FIELD_INTEGER, FieldSpec

# ASCII digits only: Python's \d, int() and Decimal() also read Arabic-Indic or full-width
# digits, which are not amounts, months or dates in this format.
PERIOD = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])", re.ASCII)  # "YYYY-MM"
_FISCAL = re.compile(r"([0-9]{4})-([0-9]{4})", re.ASCII)
AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?", re.ASCII)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


_ASCII_BLANK = " \t"


def refuse_invisible(text: str, where: ErrorLocation) -> None:
    """Refuse text holding a control, a line separator or an invisible format character
    (zero-width space, joiners, byte-order mark, bidi controls…): ``F-1`` and
    ``F-1\u200b`` would print alike and be two keys (docs/decisions.md)."""
    char = invisible_character(text)
    if char is not None:
        raise field_error(where, f"caractère invisible ou de contrôle {char} refusé dans "
                          f"{quoted(text)} (deux clés s'afficheraient pareil)",
                          f"invisible or control character {char} refused in {quoted(text)} "
                          "(two keys would print alike)")


def field_error(where: ErrorLocation, fr: str, en: str) -> EventError:
    return EventError(where, fr, en)


def parse_date(value: object, where: ErrorLocation) -> date:
    """An event's date: a ``datetime.date`` (not a datetime) or an ISO ``YYYY-MM-DD`` string,
    within the accepted range (see ``limits``)."""
    if isinstance(value, datetime):
        raise field_error(where, f"une date sans heure attendue (AAAA-MM-JJ), reçu {value}",
                          f"expected a date without a time of day (YYYY-MM-DD), got {value}")
    if isinstance(value, str):
        if where.file.endswith(".toml"):
            raise field_error(where, f"dans un fichier TOML, une date s'écrit sans guillemets : "
                              f"retirez-les ({quoted(value)})",
                              f"in a TOML file a date is written without quotes: remove them "
                              f"({quoted(value)})")
        value = _iso_date(value, where)
    if not isinstance(value, date):
        raise field_error(where, f"date attendue au format AAAA-MM-JJ, reçu {quoted(value)}",
                          f"expected a date YYYY-MM-DD, got {quoted(value)}")
    if not in_date_range(value):
        raise field_error(where, f"date {value} hors de la plage acceptée ({EARLIEST_DATE} au "
                          f"{LATEST_DATE})", f"date {value} outside the accepted range "
                          f"({EARLIEST_DATE} to {LATEST_DATE})")
    return value


def _iso_date(text: str, where: ErrorLocation) -> date:
    """Only ``YYYY-MM-DD``: Python also reads ``20260801`` and ``2026-W31-3``, which an event
    log must not carry (a typo there would pass in silence)."""
    if not ISO_DATE.fullmatch(text):
        raise field_error(where, f"date attendue au format AAAA-MM-JJ (p. ex. 2026-08-01), reçu "
                          f"{quoted(text)}", f"expected a date YYYY-MM-DD (e.g. 2026-08-01), got "
                          f"{quoted(text)}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise field_error(where, f"le jour {text} n'existe pas au calendrier (une date AAAA-MM-JJ "
                          "attendue)", f"the day {text} does not exist in the calendar (expected a "
                          "date YYYY-MM-DD)") from None


def parse_amount(value: object, where: ErrorLocation) -> Decimal:
    """Money, on every path (JSON, TOML, Python): a ``Decimal`` or a decimal string of ASCII
    digits, positive, in cents at most, no more than ``MAX_AMOUNT``; returned in cents."""
    amount: Decimal | None = None
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str) and AMOUNT.fullmatch(value.strip(_ASCII_BLANK)):
        amount = Decimal(value.strip(_ASCII_BLANK))
    if amount is not None:
        cents = amount_in_cents(amount)
        if cents is not None:
            return cents
    if isinstance(value, str) and not value.isascii():
        char = next(f"U+{ord(c):04X}" for c in value if not c.isascii())
        fr, en = FIELD_KIND_HELP["montant"]
        raise field_error(where, f"{expected_fr(fr)}, reçu {quoted(value)} : le caractère "
                          f"{char} n'est pas permis (seulement des chiffres ASCII et au plus un "
                          "point)", f"expected {en}, got {quoted(value)}: the character {char} "
                          "is not allowed (only ASCII digits and at most one point)")
    if amount is None or not amount.is_finite():
        fr, en = FIELD_KIND_HELP["montant"]
        raise field_error(where, f"{expected_fr(fr)}, reçu {quoted(value)}",
                          f"expected {en}, got {quoted(value)}")
    if amount <= 0:
        raise field_error(where, f"montant strictement positif attendu, reçu {quoted(value)}",
                          f"expected an amount greater than zero, got {quoted(value)}")
    if amount > MAX_AMOUNT:
        raise field_error(where, f"montant supérieur au maximum accepté ({MAX_AMOUNT}) : "
                          f"{quoted(value)}", f"amount above the accepted maximum ({MAX_AMOUNT}): "
                          f"{quoted(value)}")
    raise field_error(where, f"au plus deux décimales (des cents), reçu {quoted(value)}",
                      f"at most two decimals (cents), got {quoted(value)}")


_ZERO = Decimal(0)


def amount_in_cents(amount: Decimal) -> Decimal | None:
    """``amount`` in cents when it is an accepted amount (finite, positive, no more than
    ``MAX_AMOUNT``, no fraction of a cent); None otherwise (parse_amount says why)."""
    if amount.is_finite() and _ZERO < amount <= MAX_AMOUNT and not amount % CENT:
        return amount.quantize(CENT)
    return None


def _parse_parameters(value: object, where: ErrorLocation) -> Mapping[str, ParameterValue]:
    """A table of parameter names to scalar values; which names and types are valid is the
    rules' business (an amendment naming an unknown one is a diagnostic, not an input error)."""
    fr, en = FIELD_KIND_HELP["parametres"]
    if not isinstance(value, Mapping) or not value:
        raise field_error(where, f"{expected_fr(fr)}, reçu {quoted(value)}",
                          f"expected {en}, got {quoted(value)}")
    out: dict[str, ParameterValue] = {}
    for name, item in value.items():
        at = ErrorLocation(where.file, where.line, f"{where.key}.{name}")
        if not isinstance(name, str) or not name.strip():
            raise field_error(where, f"nom de paramètre vide ou non textuel : {quoted(name)}",
                              f"empty or non-string parameter name: {quoted(name)}")
        if isinstance(item, FloatLiteral | float) or not isinstance(item, int | str | bool) \
                or (isinstance(item, str) and not item.strip()):
            raise field_error(at, "un entier, un texte non vide ou un booléen attendu, reçu "
                              f"{quoted(item)}", "expected an integer, a non-empty string or a "
                              f"boolean, got {quoted(item)}")
        refuse_invisible(name, where)
        if isinstance(item, str):
            refuse_invisible(item, at)
        out[unicodedata.normalize("NFC", name.strip())] = (
            unicodedata.normalize("NFC", item.strip()) if isinstance(item, str) else item)
    return MappingProxyType(out)


def parse_field(spec: FieldSpec, value: object, where: ErrorLocation) -> Any:
    kind = spec.kind
    if kind == "parametres":
        return _parse_parameters(value, where)
    if isinstance(value, float | FloatLiteral):
        if kind == "montant":
            raise field_error(where, "un montant ne peut pas être un nombre à virgule flottante ; "
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
            raise field_error(where, f"une valeur parmi {allowed} attendue, reçu {quoted(value)}",
                              f"expected one of {allowed}, got {quoted(value)}")
    elif kind == "parties":
        if isinstance(value, list) and value and all(v in spec.parties for v in value):
            return tuple(sorted(set(value)))
    elif kind == "montant":
        return parse_amount(value, where)
    elif isinstance(value, str) and value.strip():
        if SURROGATE.search(value):
            raise field_error(where, f"texte invalide (demi-paire de substitution UTF-16) : "
                              f"{quoted(value)}", f"invalid text (a lone UTF-16 surrogate): "
                              f"{quoted(value)}")
        refuse_invisible(value, where)
        text = unicodedata.normalize("NFC", value.strip())
        if kind == "texte" and (not spec.choices or text in spec.choices):
            return text
        if kind == "texte":
            allowed = ", ".join(str(c) for c in spec.choices)
            raise field_error(where, f"une valeur parmi {allowed} attendue, reçu {quoted(value)}",
                              f"expected one of {allowed}, got {quoted(value)}")
        if kind == "periode" and PERIOD.fullmatch(text):
            return text
        m = _FISCAL.fullmatch(text)
        if kind == "exercice" and m and int(m.group(2)) == int(m.group(1)) + 1:
            return text
    fr, en = spec.help
    raise field_error(where, f"{expected_fr(fr)}, reçu {quoted(value)}",
                      f"expected {en}, got {quoted(value)}")
