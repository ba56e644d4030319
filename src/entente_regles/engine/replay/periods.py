"""The replay's signals: entry into force and the periods of periodic norms (a period's
instance arises at its start or the day after its end; the last period stops with the
agreement)."""

from __future__ import annotations

from datetime import date, timedelta

from entente_regles.calendar.legal import BeyondCalendar, LegalCalendar, fiscal_year_start
from entente_regles.engine.compiled import (
    NORM_FIELD,
    SIGNAL_ENTRY,
    SIGNAL_PERIOD,
    CompiledRules,
    Norm,
)
from entente_regles.engine.matching import Fact
from entente_regles.engine.replay.instances import Instances
from entente_regles.engine.replay.items import Agenda, PeriodTick
from entente_regles.engine.replay.standing import Standing
from entente_regles.engine.replay.state import InUse, parties_of
from entente_regles.words.replay import both, text

ONE_DAY = timedelta(days=1)


class Periods:
    """Entry into force and periods; owns the periods already done (each arises once)."""

    def __init__(self, in_use: InUse, calendar: LegalCalendar, standing: Standing,
                 agenda: Agenda, instances: Instances) -> None:
        self._in_use = in_use
        self._calendar = calendar
        self._standing = standing
        self._agenda = agenda
        self._instances = instances
        self._done: set[tuple[str, int]] = set()

    def on_entry(self, on: date) -> None:
        compiled = self._in_use.compiled
        fact = Fact(self._agenda.next_seq(), "signal", SIGNAL_ENTRY)
        for match in self._in_use.session.match(fact):
            norm = compiled.norm(compiled.handlers[match.rule_id].target)
            origin = text("entry_origin", on=on)
            for debtor, creditor in parties_of(norm, None, compiled):
                # keyed by its debtor (each party's own instance), or none
                if self._instances.create(norm, on, debtor, None, debtor, creditor,
                                          origin) is None:
                    break

    def schedule_periods(self) -> None:
        """Schedule the first period of every periodic norm."""
        for norm in self._in_use.compiled.period_norms:
            self._schedule_period(norm, 0)

    def _period(self, norm: Norm, k: int) -> tuple[date, date | None, str, str]:
        return period_bounds(self._in_use.compiled, self._calendar,
                             self._standing.in_force_from, norm, k)

    def _schedule_period(self, norm: Norm, k: int) -> None:
        try:
            start, end, _, _ = self._period(norm, k)
        except BeyondCalendar:
            return  # no period begins beyond the calendar
        if norm.trigger.birth == "debut":
            tick: date | None = start
        else:
            tick = None if end is None or end == date.max else end + ONE_DAY
        if tick is not None:  # processed once the replay gets there
            self._agenda.schedule(tick, PeriodTick(norm, k))

    def on_period(self, on: date, norm: Norm, k: int) -> None:
        start, end, label, next_label = self._period(norm, k)
        agreement_end = self._standing.end
        if agreement_end is not None and start >= agreement_end:
            return  # the period begins after the agreement ended: no more periods
        if (norm.id, k) in self._done:
            return
        if agreement_end is not None and (end is None or end >= agreement_end):
            end = agreement_end - ONE_DAY  # the last period stops with the agreement
        else:
            self._schedule_period(norm, k + 1)
        if norm.trigger.birth == "debut" and not self._standing.in_force(on):
            return
        self._done.add((norm.id, k))
        fact = Fact(self._agenda.next_seq(), "signal", SIGNAL_PERIOD, None, None,
                    {NORM_FIELD: norm.id})
        if not self._in_use.session.match(fact):
            return
        key = label if norm.trigger.key_of == "periode" else next_label
        shown_end = end if end is not None else f"> {date.max}"
        origin = text("period_origin", label=label, start=start, end=shown_end)
        for debtor, creditor in parties_of(norm, None, self._in_use.compiled):
            if self._instances.create(norm, on, key, None, debtor, creditor, origin,
                                      period_end=end) is None:
                break

    def close_periods(self, on: date) -> None:
        """When the agreement ends inside a period, that period ends with it: its instance
        (born the day after the period ends) arises on the effective date."""
        for norm in self._in_use.compiled.period_norms:
            trig = norm.trigger
            if trig.birth != "lendemain_fin":
                continue
            k = 0
            while True:
                start, end, _, _ = self._period(norm, k)
                if start >= on:
                    break
                if end is None or end >= on:
                    self._agenda.schedule(on, PeriodTick(norm, k))
                    break
                k += 1


def period_bounds(compiled: CompiledRules, cal: LegalCalendar, origin: date, norm: Norm,
                  k: int) -> tuple[date, date | None, str, str]:
    """Start, end and labels (own, next) of the k-th period of a periodic ``norm`` for an
    agreement in force from ``origin``: computed from the start date, never chained. The end
    is None when the period ends beyond the calendar; :class:`BeyondCalendar` when the
    period itself begins beyond it."""
    trig = norm.trigger
    if trig.period_year:
        if cal.policy.renewal_year == "fiscal":
            base = fiscal_year_start(origin, compiled.fiscal_year_start)

            def nth(j: int) -> date:
                if base.year + j > date.max.year:
                    raise BeyondCalendar(*both("fiscal_year", year=base.year + j))
                return base.replace(year=base.year + j)
        else:
            def nth(j: int) -> date:
                return cal.add_months(origin, 12 * j, rounding="end_of_month")
        start = nth(k)
        label = f"{start.year}-{start.year + 1}"
        next_label = f"{start.year + 1}-{start.year + 2}"
    else:
        months = compiled.param(trig.period_months, origin)
        base = origin.replace(day=1)

        def nth(j: int) -> date:
            return cal.add_months(base, months * j)
        start = nth(k)
        year, month = divmod(base.year * 12 + base.month - 1 + months * (k + 1), 12)
        label = f"{start.year:04d}-{start.month:02d}"
        next_label = f"{year:04d}-{month + 1:02d}"
    try:
        end: date | None = nth(k + 1) - ONE_DAY
    except BeyondCalendar:
        end = None
    return max(start, origin), end, label, next_label
