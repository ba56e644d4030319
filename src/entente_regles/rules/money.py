"""Money arithmetic a rule file may ask for (issue 19, decisions 66–68): the rule book's
rounding rule (``[argent]``), amounts computed from parameters and event fields (a
percentage, a rate per day times days, a proration by days of a period) and the terms of
interest on late payment (``interet``).

Everything is :class:`~decimal.Decimal` under an explicit context (:data:`EXACT`): no float
ever. A computed amount is rounded once, by the rule book's rule, when it is computed; the
interest of each segment once, when it is computed (``query.interest``). Nothing here knows
an agreement: the rates, fields and parameters are the rule file's.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import attrs

ROUNDINGS = {"demi_superieur": decimal.ROUND_HALF_UP, "demi_pair": decimal.ROUND_HALF_EVEN,
             "inferieur": decimal.ROUND_DOWN, "superieur": decimal.ROUND_UP}
"""The rounding rules a rule book may name (``[argent] arrondi``) and Python's for each:
half away from zero, half to even (banker's), toward zero, away from zero."""
DEFAULT_ROUNDING = "demi_superieur"
DEFAULT_DECIMALS = 2
MAX_DECIMALS = 6
BASES = ("exact/365", "exact/exact", "30/360")
"""Day-count conventions of interest: actual days over 365; actual days over the length of
each calendar year (365 or 366); 30/360 (every month counted as 30 days, the year as 360)."""
SINCE = ("lendemain_echeance", "demeure")
"""Where interest starts: the day after the deadline, or the first day the debtor is in
default under a demand (``[[demeure]]``)."""
EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN, traps=[
    decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
"""The context of every computation before its one rounding: 60 significant digits, far
beyond any amount the library accepts, so nothing is lost before the rule rounds."""
HUNDRED = Decimal(100)
ONE_DAY = timedelta(days=1)


@attrs.frozen
class Rounding:
    """The rule book's rounding rule: ``mode`` (one of :data:`ROUNDINGS`) to ``decimals``
    places (the currency's minor unit)."""

    mode: str = DEFAULT_ROUNDING
    decimals: int = DEFAULT_DECIMALS

    def apply(self, value: Decimal) -> Decimal:
        """``value`` rounded by this rule (``Decimal("0.005")`` → ``0.01`` half-up)."""
        quantum = Decimal(1).scaleb(-self.decimals)
        return value.quantize(quantum, rounding=ROUNDINGS[self.mode], context=EXACT)


DEFAULT = Rounding()


@attrs.frozen
class AmountSpec:
    """A computed amount (``declencheur.montant = { … }``):

    - ``pourcentage``: ``rate`` % of the field ``base``;
    - ``taux_jour``: ``rate`` (an amount per day) times the whole number in field ``days``,
      or times the days from field ``start`` to field ``end``, both included;
    - ``prorata``: the field ``base`` times the days from ``since`` (a date field — the
      event's date when it leaves that field out — or ``date``: the event's date) to
      ``end``, both included, over the days from ``start`` to ``end``, both included (the
      share bounded by 0 and 1: a ``since`` before ``start`` refunds the whole period).

    ``rate``: a literal decimal text or « @paramètre »."""

    kind: Literal["pourcentage", "taux_jour", "prorata"]
    rate: str | None = None
    base: str | None = None
    days: str | None = None
    start: str | None = None
    end: str | None = None
    since: str | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        """The event fields it needs (``since`` may be left out: the event's date)."""
        return tuple(f for f in (self.base, self.days, self.start, self.end) if f is not None)


@attrs.frozen
class Computation:
    """How an amount was computed, with the values read: for its explanation."""

    kind: str
    result: Decimal
    exact: Decimal
    base: Decimal | None = None
    rate: Decimal | None = None
    days: int | None = None
    period_days: int | None = None
    rounding: Rounding = DEFAULT


def _days(first: date, last: date) -> int:
    """Days from ``first`` to ``last``, both included (0 when ``last`` is before)."""
    return max((last - first).days + 1, 0)


def compute(spec: AmountSpec, data: Mapping[str, object], on: date, rate: Decimal | None,
            rounding: Rounding) -> Computation | None:
    """The amount ``spec`` computes from an event's ``data`` (dated ``on``), ``rate`` read
    from its parameter or literal: rounded once by ``rounding``. None when a field it reads
    is absent (an optional field the event left out)."""
    if any(name not in data for name in spec.fields):
        return None
    base = data[spec.base] if spec.base is not None else None
    assert base is None or isinstance(base, Decimal)
    if spec.kind == "pourcentage":
        assert base is not None and rate is not None
        exact = EXACT.divide(EXACT.multiply(base, rate), HUNDRED)
        return Computation(spec.kind, rounding.apply(exact), exact, base, rate,
                           rounding=rounding)
    if spec.kind == "taux_jour":
        assert rate is not None
        if spec.days is not None:
            count = data[spec.days]
            assert isinstance(count, int)
        else:
            first, last = data[spec.start or ""], data[spec.end or ""]
            assert isinstance(first, date) and isinstance(last, date)
            count = _days(first, last)
        exact = EXACT.multiply(rate, Decimal(count))
        return Computation(spec.kind, rounding.apply(exact), exact, None, rate, count,
                           rounding=rounding)
    assert base is not None
    first, last = data[spec.start or ""], data[spec.end or ""]
    since = on if spec.since in (None, "date") else data.get(spec.since or "", on)
    assert isinstance(first, date) and isinstance(last, date) and isinstance(since, date)
    period = _days(first, last)
    if period == 0:
        return None
    remaining = min(_days(max(since, first), last), period)
    exact = EXACT.divide(EXACT.multiply(base, Decimal(remaining)), Decimal(period))
    return Computation(spec.kind, rounding.apply(exact), exact, base, None, remaining, period,
                       rounding=rounding)


@attrs.frozen
class InterestSpec:
    """Interest on late payment (``interet = { … }``): simple interest at the annual rate
    ``rate`` (percent; literal or « @paramètre »), by the day count ``basis``, from ``since``
    (:data:`SINCE`)."""

    rate: str
    basis: str = "exact/365"
    since: str = "lendemain_echeance"


@attrs.frozen
class InterestTerms:
    """An instance's interest terms, its rate read as in force on its birth."""

    rate: Decimal  # percent a year
    basis: str
    since: str
    rounding: Rounding = DEFAULT
    zero: Decimal = attrs.field(  # no interest, written to the rule book's decimals
        default=attrs.Factory(lambda self: self.rounding.apply(Decimal(0)), takes_self=True))


def _days_360(first: date, last: date) -> int:
    """30/360 days of the days from ``first`` to ``last``, both included (ISDA 30/360:
    the start is the day before ``first``; a 31st counts as the 30th)."""
    start = first - ONE_DAY
    d1 = min(start.day, 30)
    d2 = min(last.day, 30) if d1 == 30 else last.day
    return 360 * (last.year - start.year) + 30 * (last.month - start.month) + d2 - d1


def year_fractions(first: date, last: date, basis: str) -> list[tuple[int, int]]:
    """The days from ``first`` to ``last`` (both included) as (days, days of the year)
    pairs: one pair, or, under exact/exact, one per calendar year crossed."""
    if basis == "30/360":
        return [(_days_360(first, last), 360)]
    if basis == "exact/365":
        return [(_days(first, last), 365)]
    pairs = []
    while first <= last:
        year_end = min(date(first.year, 12, 31), last)
        length = 366 if _leap(first.year) else 365
        pairs.append((_days(first, year_end), length))
        first = year_end + ONE_DAY
    return pairs


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def segment_interest(balance: Decimal, first: date, last: date, terms: InterestTerms
                     ) -> tuple[int, Decimal]:
    """Interest on ``balance`` for the days ``first`` to ``last`` (both included): the day
    count, and the interest rounded once by the rule book's rule."""
    total = Decimal(0)
    days = 0
    for count, year in year_fractions(first, last, terms.basis):
        days += count
        total = EXACT.add(total, EXACT.divide(
            EXACT.multiply(EXACT.multiply(balance, terms.rate), Decimal(count)),
            EXACT.multiply(HUNDRED, Decimal(year))))
    return days, terms.rounding.apply(total)


def decimal_value(value: object) -> Decimal | None:
    """A parameter's or a literal's value as a decimal (an integer, or decimal text such
    as ``"5"`` or ``"12.5"``: ASCII digits, at most one point, no sign or exponent, at most
    13 digits before the point and 10 after); None when it is not one. The bounds keep every
    product of a rate, an amount and a day count exact in the computing context."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if 0 <= value < 10 ** 13 else None
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        return Decimal(value)
    return None


_DECIMAL_TEXT = re.compile(r"[0-9]{1,13}(?:\.[0-9]{1,10})?", re.ASCII)


RateReader = Callable[[str, date], Decimal]
"""Reads a rate (a literal decimal text, or « @paramètre » as in force on a date)."""


__all__ = ["BASES", "DEFAULT", "EXACT", "ROUNDINGS", "SINCE", "AmountSpec", "Computation",
           "InterestSpec", "InterestTerms", "RateReader", "Rounding", "compute",
           "decimal_value", "segment_interest", "year_fractions"]
