"""Interest on late payment accrued to a date (issue 19, decision 68): simple interest on the
late balance, segment by segment as payments reduce it.

:func:`accrue` is the one computation: it takes an instance's balance history (the balance
owed from each date on) and the first day interest runs, and works on nothing else, so that
whatever changes when interest runs (a dispute holding back part of a balance, a
suspension) can feed it its own history. :func:`interest_at` reads an instance's history and
start as known on the date asked (records dated on or before it only: no look-ahead).

Conventions (docs/format-regles.md, « Intérêt ») : each day from the start to the date
asked, both included, bears interest on the balance owed at the start of that day (a
payment reduces the balance from the next day: the day it is made still bears interest on
it, as "from the due date to the day of payment" counts); each segment's interest is
rounded once, by the rule book's rule; the total is the sum of the segments'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

import attrs

from entente_regles.core.values import Lang
from entente_regles.engine.replay import InstanceRecord
from entente_regles.engine.replay.held import payable_history
from entente_regles.query.presentation import Presentation
from entente_regles.rules.money import (
    EXACT,
    Computation,
    InterestTerms,
    segment_interest,
    year_fractions,
)
from entente_regles.words.explanations import plural
from entente_regles.words.interest import say
from entente_regles.words.money import format_rate

ONE_DAY = timedelta(days=1)
ZERO = Decimal(0)


@attrs.frozen
class Segment:
    """Days ``first`` to ``last`` (both included) bearing interest on ``balance``."""

    first: date
    last: date
    balance: Decimal
    days: int
    interest: Decimal


@attrs.frozen
class Accrual:
    """Interest accrued to ``on``: its ``segments`` and their ``total`` (rounded by the rule
    book's rule); ``start``: the first day it runs (None: not started, e.g. no default yet)."""

    on: date
    terms: InterestTerms
    start: date | None
    segments: tuple[Segment, ...]
    total: Decimal


def accrue(balances: Sequence[tuple[date, Decimal]], start: date | None, on: date,
           terms: InterestTerms) -> Accrual:
    """Interest accrued from ``start`` to ``on`` (both included) on ``balances``: the balance
    owed from each date on, in date order (the first one from the debt's birth). Nothing
    before ``start``, nothing on a balance of zero or less."""
    zero = terms.zero
    if start is None or on < start:
        return Accrual(on, terms, start, (), zero)
    segments: list[Segment] = []
    for i, (since, balance) in enumerate(balances):
        until = balances[i + 1][0] - ONE_DAY if i + 1 < len(balances) else on
        first, last = max(since, start), min(until, on)
        if first > last or balance <= 0:
            continue
        days, interest = segment_interest(balance, first, last, terms)
        segments.append(Segment(first, last, balance, days, interest))
    return Accrual(on, terms, start, tuple(segments),
                   sum((s.interest for s in segments), zero))


def balance_history(inst: InstanceRecord, on: date) -> list[tuple[date, Decimal]]:
    """The balance ``inst`` owes from each date on, as known on ``on``: its amount from its
    birth, then after each payment made on or before ``on`` from the day after it; nothing
    from the day it was discharged (ended). With a dispute holding part of it back, only the
    payable part bears interest (decision 71)."""
    ended = inst.ended_on
    if inst.holds:
        return payable_history(inst, on, ended if ended is not None and ended <= on else None)
    amount = inst.amount
    assert amount is not None
    history = [(inst.triggered_on, amount)]
    for payment in inst.payments:
        if payment.on > on:
            break
        step = (payment.on + ONE_DAY, amount - payment.total)
        if history[-1][0] == step[0]:
            history[-1] = step
        else:
            history.append(step)
    if ended is not None and ended <= on:
        history = [h for h in history if h[0] < ended] + [(ended, ZERO)]
    return history


def start_of(inst: InstanceRecord, on: date, terms: InterestTerms) -> date | None:
    """The first day interest runs, as known on ``on``: the day after the deadline, or the
    first day the debtor is in default under a demand known by then (None: not yet)."""
    if terms.since == "demeure":
        days = [d.in_default_on for d in inst.demands if d.known_on <= on]
        return min(days) if days else None
    deadline = inst.deadline_on(on)
    return None if deadline is None or deadline >= date.max else deadline + ONE_DAY


def interest_total(inst: InstanceRecord, on: date) -> Decimal | None:
    """The total of :func:`interest_at` (None: no interest stated), without building the
    accrual when none has started (what every record of an instance reads)."""
    terms = inst.interest
    if terms is None or inst.amount is None or on < inst.triggered_on:
        return None
    start = start_of(inst, on, terms)
    if start is None or on < start:
        return terms.zero
    return accrue(balance_history(inst, on), start, on, terms).total


def interest_at(inst: InstanceRecord, on: date) -> Accrual | None:
    """Interest ``inst`` has accrued by ``on`` (None: its rule states no interest, or it
    tracks no amount)."""
    terms = inst.interest
    if terms is None or inst.amount is None or on < inst.triggered_on:
        return None
    start = start_of(inst, on, terms)
    if start is None or on < start:  # the common case (paid in time, no default): no history
        return accrue((), start, on, terms)
    return accrue(balance_history(inst, on), start, on, terms)




def money_lines(inst: InstanceRecord, on: date, lang: Lang, shown: Presentation) -> list[str]:
    """How ``inst``'s amount was computed and the interest it has accrued by ``on``, in
    words (for its explanation; empty when neither applies)."""
    lines = []
    locale = shown.locale(lang)
    computed = inst.amount_computation
    if computed is not None:
        lines.append(computation_line(computed, lang, shown))
    accrued = interest_at(inst, on)
    if accrued is not None:
        terms = accrued.terms
        since = say("since_deadline" if terms.since != "demeure" else "since_default", lang)
        if accrued.start is not None and accrued.start <= on:
            since += say("from", lang, start=accrued.start)
        else:
            since += say("not_yet_default" if terms.since == "demeure" else "not_yet", lang)
        rate = format_rate(terms.rate, locale)
        lines.append(say("interest", lang, on=on, total=shown.amount(accrued.total, lang),
                         rate=rate, basis=terms.basis, since=since))
        for segment in accrued.segments:
            fraction = " + ".join(f"{days} / {year}" for days, year in year_fractions(
                segment.first, segment.last, terms.basis))
            lines.append(say("segment", lang, first=segment.first, last=segment.last,
                             days=segment.days, s=plural(segment.days),
                             balance=shown.amount(segment.balance, lang), rate=rate,
                             fraction=fraction, interest=shown.amount(segment.interest, lang)))
    return lines


def computation_line(computed: Computation, lang: Lang, shown: Presentation) -> str:
    """A computed amount with its values (« 2 000,00 XTS × 17 / 30 jours = 1 133,33 XTS »)."""
    locale = shown.locale(lang)
    rounding = computed.rounding
    rounded = ""
    if computed.exact != computed.result:
        shown_places = rounding.decimals + 4  # enough to see why it rounds as it does
        exact = computed.exact.quantize(Decimal(1).scaleb(-shown_places), ROUND_DOWN, EXACT)
        rounded = say("rounded", lang, mode=say(rounding.mode, lang),
                      decimals=rounding.decimals, s=plural(rounding.decimals),
                      exact=format_rate(exact.normalize(EXACT), locale)
                      + ("…" if exact != computed.exact else ""))
    return say(computed.kind, lang,
               rate="" if computed.rate is None else (
                   format_rate(computed.rate, locale) if computed.kind == "pourcentage"
                   else shown.amount(computed.rate, lang)),
               base="" if computed.base is None else shown.amount(computed.base, lang),
               days=computed.days, s=plural(computed.days or 0), period=computed.period_days,
               result=shown.amount(computed.result, lang), rounded=rounded)


__all__ = ["Accrual", "Segment", "accrue", "balance_history", "computation_line",
           "interest_at", "interest_total", "money_lines", "start_of"]
