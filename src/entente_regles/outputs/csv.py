"""CSV text from typed records: UTF-8, a header row, ISO dates, amounts as exact decimal
strings, comma-separated (never ``;``), empty cells for missing values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any


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


def to_csv(records: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text with a header row (``\\n`` line ends, RFC 4180 quoting)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([cell(record.get(name)) for name in columns])
    return out.getvalue()


__all__ = ["cell", "to_csv"]
