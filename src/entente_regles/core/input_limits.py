"""Every bound the library puts on its input, in one place (documented in docs/limites.md).

A value outside these bounds is refused at the edge with an error naming the file, the line
and the field; nothing inside them can make the engine fail, hang or answer twice.
"""

from __future__ import annotations

import re
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

# A JSON Lines record is one line: longer than this (two million characters, thousands of
# times a real event) it is refused before parsing, so a hostile line costs neither time
# nor memory.
MAX_JSON_LINE_CHARS = 2_000_000

# TOML files people write (rule files, the vocabulary, calendars, agreement files) are
# refused before the TOML parser sees them when larger than this, or when a key has more
# parts than MAX_TOML_DEPTH (``a.b.c`` is 3, in a ``[table.header]`` or before ``=``): the
# parser's cost grows with the square of a key's depth. Tables and arrays nested deeper
# than MAX_TOML_DEPTH are refused once parsed, by their key path.
MAX_TOML_BYTES = 2_000_000
MAX_TOML_DEPTH = 32

# Characters refused in event text and identifiers: C0 and C1 controls, the line and
# paragraph separators, and every format character (Unicode category Cf: zero-width
# space, joiners, word joiner, byte-order mark, bidi controls, tags…), which draw nothing
# and make two different keys print alike (``F-1`` and ``F-1\u200b``).
INVISIBLE_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u00ad\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def invisible_character(text: str) -> str | None:
    """The first character of ``text`` refused as invisible, written ``U+200B``; None if
    there is none."""
    found = INVISIBLE_CHARACTERS.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


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
