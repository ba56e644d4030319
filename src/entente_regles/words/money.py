"""Amounts as people read them: :func:`format_amount`, the one formatting of money that every
output uses (text tables, explanations, the agenda, the .ics file, the report page).

An amount is written with Babel (CLDR data) in the agreement's currency (an ISO 4217 code)
and in the locale of the output's language (a Babel locale such as ``fr_CA`` or
``en_GB``): the currency's symbol, its place, the separators and the sign are the locale's.
Without a currency, it is a plain number with two decimals in that locale. The currency and
the locales are the rule book's (``[entente] monnaie`` and ``locales``): nothing here names
one (the examples use ``XTS``, the ISO 4217 code reserved for tests).

Never rounded (see docs/decisions.md, "Montants"): an amount shows every decimal it has,
padded to the currency's minor unit (``0.125`` keeps its third decimal; in a currency
without minor unit, ``1234.5`` keeps its half), so what is shown is what is owed. Beyond
the library's input limits (an amount the event reader never lets in) the result is still
text, never an error: a huge or tiny amount in plain scientific form with its currency
code, ``NaN``/``Infinity`` as such.
"""

from __future__ import annotations

import copy
from decimal import Decimal, localcontext
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal, parse_pattern

DECIMALS = 2
"""Decimals shown (at least) for an amount without a currency."""
MAX_DIGITS = 60
"""Beyond this many digits before or after the decimal point (far beyond any amount the
library accepts: see ``core.input_limits.MAX_AMOUNT``), an amount is written plainly."""


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=64)
def _plain_pattern(name: str) -> NumberPattern:
    """The locale's decimal pattern with exactly ``DECIMALS`` decimals at least."""
    standard = _locale(name).decimal_formats[None]
    pattern = copy.copy(parse_pattern(standard.pattern))
    pattern.frac_prec = (DECIMALS, DECIMALS)
    return pattern


def _fallback(amount: Decimal, currency: str | None) -> str:
    return f"{amount} {currency}" if currency else str(amount)


def format_amount(amount: Decimal, currency: str | None, locale: str) -> str:
    """``amount`` written in ``currency`` (ISO 4217; None: a plain number with two decimals)
    for ``locale`` (a Babel locale name such as ``fr_CA``), exact: never rounded.

    >>> format_amount(Decimal("12500.00"), "XTS", "fr_CA")
    '12\\xa0500,00\\xa0XTS'
    >>> format_amount(Decimal("-20"), "XTS", "en_GB")
    '-XTS20.00'
    >>> format_amount(Decimal("0.125"), None, "en_CA")
    '0.125'
    """
    if not amount.is_finite():
        return _fallback(amount, currency)
    # the same few amounts come back row after row (totals, usual invoices): Babel once each
    return _written(str(abs(amount) if amount.is_zero() else amount), currency, locale)


@lru_cache(maxsize=4096)
def _written(text: str, currency: str | None, locale: str) -> str:
    """:func:`format_amount` of the finite amount ``text`` (``str`` of its ``Decimal``: two
    amounts equal but written with other decimals are not the same key)."""
    amount = Decimal(text)
    _, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)
    whole, fraction = max(len(digits) + exponent, 1), max(-exponent, 0)
    if whole > MAX_DIGITS or fraction > MAX_DIGITS:
        return _fallback(amount, currency)
    with localcontext() as context:  # Babel quantizes: room for every digit, none lost
        context.prec = whole + fraction + 8
        if currency is None:
            return format_decimal(amount, format=_plain_pattern(locale), locale=_locale(locale),
                                  decimal_quantization=False)
        return format_currency(amount, currency, locale=_locale(locale),
                               decimal_quantization=False)


__all__ = ["DECIMALS", "MAX_DIGITS", "format_amount"]


def format_rate(value: Decimal, locale: str) -> str:
    """A rate or a plain number (``5``, ``12.5``) in ``locale``'s digits and decimal sign,
    exact: every decimal it has, none added (``format_rate(Decimal("12.5"), "fr_CA")`` is
    ``'12,5'``)."""
    try:
        return format_decimal(value, locale=_locale(locale), decimal_quantization=False)
    except (ValueError, ArithmeticError):  # beyond Babel's reach: written plainly
        return str(value)
