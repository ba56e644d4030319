"""pandas frames from typed records. pandas is an optional extra
(``pip install "entente-regles[pandas]"``); without it :func:`frame` says how to get it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas


class MissingExtraError(ImportError):
    """An optional dependency (an extra) is not installed."""


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


__all__ = ["MissingExtraError", "frame"]
