"""CSV text from typed records: UTF-8, a header row, ISO dates, amounts as exact decimal
strings, comma-separated (never ``;``), empty cells for missing values.

Formula guard (OWASP, « CSV injection »): a spreadsheet runs a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``), and some
also after a leading tab or carriage return. By default such a cell gets a leading ``'``,
which spreadsheets show as text and do not keep in the value. A cell that is a plain
number (``-5.00``, ``+3``) cannot be a formula and keeps its value: negative amounts stay
numbers. By default too, control, bidi and invisible format characters in a cell are shown
as escapes (:func:`entente_regles.core.textsafe.visible`), as in every output people read:
a spreadsheet would otherwise draw ``F-1\u202e`` reversed or ``F-1\u200b`` like ``F-1``.
``raw=True`` (the command's ``--csv-brut`` / ``--raw-csv``) writes every value exactly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from entente_regles.core.textsafe import visible

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def cell(value: Any) -> str:
    """One CSV cell: ISO date, exact decimal string, ``true``/``false``, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def neutralised(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet could read it as a formula (it
    begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return), unless it is a plain
    number such as ``-5.00``."""
    if text.startswith(FORMULA_STARTS) and _PLAIN_NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def safe_cell(text: str) -> str:
    """A cell for a spreadsheet: invisible and control characters made visible, then the
    formula guard (:func:`neutralised`)."""
    return neutralised(visible(text))


def to_csv(records: Iterable[Mapping[str, Any]], columns: Sequence[str], *,
           raw: bool = False) -> str:
    """CSV text with a header row (``\\n`` line ends, RFC 4180 quoting); unless ``raw``,
    each cell goes through :func:`safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        cells = [cell(record.get(name)) for name in columns]
        writer.writerow(cells if raw else [safe_cell(c) for c in cells])
    return out.getvalue()


__all__ = ["FORMULA_STARTS", "cell", "neutralised", "safe_cell", "to_csv"]
