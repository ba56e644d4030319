"""Periodic duties performed in advance (``avance = true`` on an act, decision 72): an act
naming a period of a periodic norm that has not arisen yet is kept, and performs that
period's instance when it arises (on time, dated the act's own date). An act naming a period
that does not exist, or that arose already, is left to the usual diagnostics; one kept for a
period the agreement's end prevents is reported on the day the end takes effect.

No look-ahead: a kept act changes nothing before the period arises, and the period arises
from the calendar alone."""

from __future__ import annotations

from datetime import date, timedelta

from entente_regles.calendar.legal import BeyondCalendar, LegalCalendar
from entente_regles.core.event import Event
from entente_regles.engine.compiled import Act, Norm
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.engine.replay.periods import period_bounds
from entente_regles.engine.replay.records import Instance
from entente_regles.engine.replay.standing import Standing
from entente_regles.engine.replay.state import InUse, party_of
from entente_regles.words.replay import both

ONE_DAY = timedelta(days=1)
_MAX_PERIODS = 12 * 200  # a label further than this from the start names no period


class Advance:
    """The acts kept for periods still to come, by (norm, period key, debtor)."""

    def __init__(self, in_use: InUse, calendar: LegalCalendar, standing: Standing,
                 diagnostics: Diagnostics) -> None:
        self._in_use = in_use
        self._calendar = calendar
        self._standing = standing
        self._diagnostics = diagnostics
        # (norm, key, debtor) -> the act, and the first day of the period it names
        self._pending: dict[tuple[str, str, str | None], tuple[Event, Act, date]] = {}
        self._arisen: set[tuple[str, str | None]] = set()
        acts: dict[str, list[tuple[Norm, Act]]] = {}
        for norm in in_use.compiled.norms:
            for act in norm.performances:
                if act.advance:
                    acts.setdefault(act.event, []).append((norm, act))
        self._acts = acts
        self.types = frozenset(acts)  # the event types it reads

    @property
    def active(self) -> bool:
        """Does any rule perform in advance?"""
        return bool(self._acts)

    def on_event(self, event: Event) -> bool:
        """Keep ``event`` for each period still to come that it names; True when kept."""
        kept = False
        for norm, act in self._acts.get(event.type, ()):
            if act.tests and not all(event.data.get(n) == v for n, v in act.tests):
                continue
            value = event.data.get(act.key_field)
            if value is None:
                continue
            key = str(value)
            if (norm.id, key) in self._arisen:
                continue  # the period arose: the backend joined the act with its instance
            compiled = self._in_use.compiled
            debtor = party_of(norm.debtor, event.by, compiled)
            if act.by == "debiteur" and debtor is not None and event.by != debtor:
                continue
            found = self._arises_on(norm, key, event.date)
            if found is None:
                continue  # no such period to come: the usual diagnostics say so
            mark = (norm.id, key, debtor)
            if mark in self._pending:
                self._diagnostics.report("deja_executee", norm.article, event.date,
                                         both("no_longer_owed", label=norm.label, key=key),
                                         severity="info", event=event, rule=norm.id)
            else:
                arises, start = found
                self._pending[mark] = (event, act, start)
                self._diagnostics.report("execution_anticipee", norm.article, event.date,
                                         both("performed_in_advance", label=norm.label,
                                              key=key, on=arises),
                                         severity="info", event=event, rule=norm.id)
            kept = True
        return kept

    def _arises_on(self, norm: Norm, key: str, on: date) -> tuple[date, date] | None:
        """The day the period of ``norm`` keyed ``key`` arises, if that is after ``on`` and
        before any end known by ``on``, and its first day; None when no such period is still
        to come."""
        compiled = self._in_use.compiled
        origin = self._standing.in_force_from
        trig = norm.trigger
        try:
            if trig.period_year:
                first = int(key.split("-", 1)[0])
                k = first - origin.year - (1 if trig.key_of == "periode_suivante" else 0)
                candidates = [k - 1, k, k + 1]
            else:
                year, month = (int(part) for part in key.split("-"))
                months = compiled.param(trig.period_months, origin)
                gap = year * 12 + month - (origin.year * 12 + origin.month)
                if gap % months:
                    return None
                k = gap // months - (1 if trig.key_of == "periode_suivante" else 0)
                candidates = [k]
        except ValueError:
            return None
        for j in candidates:
            if not 0 <= j <= _MAX_PERIODS:
                continue
            try:
                start, end, label, next_label = period_bounds(compiled, self._calendar,
                                                              origin, norm, j)
            except BeyondCalendar:
                return None
            if (label if trig.key_of == "periode" else next_label) != key:
                continue
            if trig.birth == "debut":
                arises = start
            elif end is None or end == date.max:
                return None
            else:
                arises = end + ONE_DAY
            ends = self._standing.end
            if arises <= on or (ends is not None and start >= ends):
                return None
            return arises, start
        return None

    def on_arise(self, inst: Instance) -> tuple[Event, Act] | None:
        """``inst`` (of a norm with acts in advance) arose: the act kept for it, if any."""
        self._arisen.add((inst.norm.id, inst.key))
        if inst.key is None:
            return None
        found = self._pending.pop((inst.norm.id, inst.key, inst.debtor), None)
        if found is None:
            found = self._pending.pop((inst.norm.id, inst.key, None), None)
        return None if found is None else found[:2]

    def on_end(self, on: date) -> None:
        """The agreement's end took effect on ``on``: the acts kept for periods that begin
        on or after it name periods that will never exist."""
        for mark, (event, _, start) in list(self._pending.items()):
            if start >= on:
                del self._pending[mark]
                norm = self._in_use.compiled.norm(mark[0])
                self._diagnostics.report("periode_inexistante", norm.article, on,
                                         both("period_never_arises", label=norm.label,
                                              key=mark[1], on=on),
                                         severity="avertissement", event=event, rule=norm.id)


__all__ = ["Advance"]
