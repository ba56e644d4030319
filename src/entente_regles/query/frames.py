"""pandas frames from typed records. pandas is an optional extra
(``pip install "entente-regles[pandas]"``, which brings pyarrow too); without it
:func:`frame` says how to get it.

Columns keep their types (decision 55): dates (``au``, ``echeance``, ``date``…) are
``datetime64[ns]`` (``NaT`` where there is no date); amounts (``montant``, ``solde``,
``interet``) are exact decimals, ``decimal128(38, 2)[pyarrow]`` when pyarrow is installed,
else ``object`` columns of ``Decimal`` (never floats: a float would round the cents);
booleans and day counts are ``bool`` and ``int64``; codes and texts are pandas' string
type."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from entente_regles.words.api import MESSAGES

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas

# The columns, by their output key, that hold dates or amounts in every record of the API
# (an obligation's, an agenda item's, an aging line's): typed even when the frame is empty.
DATE_COLUMNS = frozenset({"au", "date", "echeance", "nee_le", "executee_le", "eteinte_le",
                          "echeance_politique"})
AMOUNT_COLUMNS = frozenset({"montant", "solde", "interet", "retenu"})  # interet: decision 68
AMOUNT_PRECISION = 38  # digits of a pyarrow decimal128: far beyond the largest amount accepted
AMOUNT_SCALE = 2       # cents: an amount has at most two decimals (docs/limites.md)


class MissingExtraError(ImportError):
    """An optional dependency (an extra) is not installed."""


def frame(records: Sequence[Mapping[str, Any]], columns: list[str],
          method: str = "to_frame") -> pandas.DataFrame:
    """A ``pandas.DataFrame`` of ``records`` (columns in that order), dates and amounts
    typed (see the module's docstring)."""
    try:
        import pandas
    except ImportError:
        raise MissingExtraError(MESSAGES.say("missing_pandas", "fr", method=method) + " / "
                                + MESSAGES.say("missing_pandas", "en", method=method)) from None
    data: dict[str, Any] = {}
    for column in columns:
        values = [record.get(column) for record in records]
        if column in DATE_COLUMNS:
            data[column] = pandas.Series(pandas.to_datetime(pandas.Series(values, dtype=object)),
                                         dtype="datetime64[ns]")
        elif column in AMOUNT_COLUMNS:
            data[column] = _amounts(pandas, values)
        else:  # pandas infers: bool, int64, its string type (object when there is no row)
            data[column] = pandas.Series(values, dtype=None if values else object)
    return pandas.DataFrame(data, columns=columns)


def _amounts(pandas: Any, values: list[Decimal | None]) -> Any:
    """Exact decimals: a pyarrow decimal column when pyarrow is installed, else ``object``."""
    try:
        import pyarrow
    except ImportError:
        return pandas.Series(values, dtype=object)
    # A scale wider than cents only if a value needs it: converting never rounds.
    exponents = [v.as_tuple().exponent for v in values if v is not None]
    scale = max([AMOUNT_SCALE] + [-e for e in exponents if isinstance(e, int)])
    return pandas.Series(values, dtype=pandas.ArrowDtype(
        pyarrow.decimal128(AMOUNT_PRECISION, scale)))


__all__ = ["AMOUNT_COLUMNS", "DATE_COLUMNS", "MissingExtraError", "frame"]
