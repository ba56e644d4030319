"""Tables for programs: CSV text and (optionally) pandas frames from typed records.

Records hold typed values (``date``, ``Decimal``, ``str``, ``bool``, ``None``). CSV writes
them exactly: UTF-8, a header row, ISO dates, amounts as decimal strings, comma-separated
(never ``;``), empty cells for missing values. pandas is an optional extra
(``pip install "entente-regles[pandas]"``); without it :func:`frame` says how to get it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas


class MissingExtraError(ImportError):
    """An optional dependency (an extra) is not installed."""


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


def frame(records: list[dict[str, Any]], columns: list[str]) -> pandas.DataFrame:
    """A ``pandas.DataFrame`` of ``records`` (columns in that order)."""
    try:
        import pandas
    except ImportError:
        raise MissingExtraError(
            "to_frame() demande pandas, une dépendance facultative : "
            "pip install \"entente-regles[pandas]\" / to_frame() needs pandas, an optional "
            "dependency: pip install \"entente-regles[pandas]\"") from None
    return pandas.DataFrame.from_records(records, columns=columns)


__all__ = ["MissingExtraError", "cell", "frame", "to_csv"]
