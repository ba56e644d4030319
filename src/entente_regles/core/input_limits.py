"""Every bound the library puts on its input, in one place (documented in docs/limites.md).

A value outside these bounds is refused at the edge with an error naming the file, the line
and the field; nothing inside them can make the engine fail, hang or answer twice.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# Dates an event may carry (its date, its receipt date, its date fields) and the dates an
# agreement may name (entry into force, a service's start): a century and a quarter either
# side of the agreement's signature, far beyond any real log, far enough from year 9999 that
# every deadline and period they start stays computable.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

# Money: cents, and at most a trillion dollars less a cent on any one amount. Sums of
# millions of such amounts stay exact in Decimal's default 28 significant digits.
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")

# A policy's indicative deadline for a vague standard, in working days (about a year and a
# half): beyond that, a vague standard (a rule book's « as soon as possible ») means nothing.
MAX_VAGUE_WORKING_DAYS = 365

# JSON Lines event logs: an event is one object whose values are scalars or a list, so
# deeper nesting is refused before parsing; integers are never a field's value, so a long
# one is refused before Python converts it.
MAX_JSON_DEPTH = 20
MAX_JSON_INTEGER_DIGITS = 30

# Longest value quoted back in an error message (the rest is elided).
MAX_QUOTED = 80


def in_date_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def quoted(value: object) -> str:
    """``repr(value)``, shortened for an error message when it is long."""
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return f"<entier de {value.bit_length() if isinstance(value, int) else '?'} bits>"
    if len(text) <= MAX_QUOTED:
        return text
    return f"{text[:MAX_QUOTED - 20]}…{text[-10:]} ({len(text)} car./chars)"
