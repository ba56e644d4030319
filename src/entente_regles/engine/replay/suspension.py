"""Suspension and resumption of another party's obligation (decision 69): a power's (or an
effect rule's) ``suspendre`` stops the deadline of the open instances it names; ``reprendre``,
or the power's condition ceasing to hold (``reprise = "condition"``), lets it run again,
moved by the days suspended and rolled off a non-working day by the agreement's calendar.

Every fact is dated by the act (or the day the condition was seen to cease), on or before
the day it is recorded: an answer about a date X reads only spells begun by X and ends on
or before X (:meth:`Instance.deadline_on`), so it never depends on later events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import attrs

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.event import Event
from entente_regles.core.values import Text
from entente_regles.engine.compiled import EffectAction, EffectSpec
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.engine.replay.instances import Instances
from entente_regles.engine.replay.items import Agenda, Expiry
from entente_regles.engine.replay.records import Instance, Suspension
from entente_regles.engine.replay.state import InUse
from entente_regles.words.replay import both

_ONE_DAY = timedelta(days=1)


@attrs.define
class _Lapsing:
    """A suspension that ends by itself on the first day its condition is seen not to
    hold: ``holds`` asks the condition for a date."""

    spell: Suspension
    inst: Instance
    holds: Callable[[date], bool]
    seen: date  # the last day it was seen to hold


class Suspensions:
    """Applies ``suspendre`` and ``reprendre``; owns the suspensions waiting for their
    condition to lapse (:meth:`check`, after each event and agenda item)."""

    def __init__(self, in_use: InUse, calendar: LegalCalendar, agenda: Agenda,
                 instances: Instances, diagnostics: Diagnostics) -> None:
        self._in_use = in_use
        self._calendar = calendar
        self._agenda = agenda
        self._instances = instances
        self._diagnostics = diagnostics
        # read by the walk: while it is empty, check has nothing to do
        self.lapsing: list[_Lapsing] = []

    def apply(self, spec: EffectSpec, event: Event, article: str, label: Text,
              holds: Callable[[date], bool] | None = None) -> None:
        """``event`` suspends or resumes the instances ``spec`` names (``holds``: the
        power's condition, for a suspension that ends when it stops holding)."""
        on = event.date
        targets = self._targets(spec, event)
        if spec.action is EffectAction.SUSPEND:
            for inst in targets:
                self._suspend(inst, event, article, label,
                              holds if spec.resume_on_lapse else None, spec.working_days)
            if not any(inst.suspended_on(on) is not None for inst in targets):
                self._diagnostics.report(
                    "suspension_sans_effet", article, on,
                    both("suspension_void", norm=spec.norm, key=self._key(spec, event)),
                    severity="info", event=event)
            return
        resumed = [inst for inst in targets if inst.suspended_on(on) is not None]
        for inst in resumed:
            spell = inst.suspended_on(on)
            assert spell is not None
            self._resume(inst, spell, on, event, article)
        if not resumed:
            self._diagnostics.report(
                "reprise_sans_suspension", article, on,
                both("resumption_void", norm=spec.norm, key=self._key(spec, event)),
                severity="info", event=event)

    @staticmethod
    def _key(spec: EffectSpec, event: Event) -> str:
        if spec.key_field is None:
            return "*"
        return str(event.data.get(spec.key_field, "-"))

    def _targets(self, spec: EffectSpec, event: Event) -> list[Instance]:
        """The open instances of ``spec.norm`` the act names: of its key (``cle``), owed by
        its author or by the other party (``debiteur``), or all of them."""
        on = event.date
        found = []
        key = None if spec.key_field is None else str(event.data.get(spec.key_field))
        wanted = None
        if spec.debtor == "auteur":
            wanted = event.by
        elif spec.debtor is not None:
            wanted = self._in_use.compiled.other_party.get(event.by or "")
        for inst in self._instances.all:
            if inst.norm.id != spec.norm or inst.triggered_on > on or inst.closed_by(on):
                continue
            if (key is not None and inst.key != key) or (
                    wanted is not None and inst.debtor is not None and inst.debtor != wanted):
                continue
            found.append(inst)
        return found

    def _suspend(self, inst: Instance, event: Event, article: str, label: Text,
                 holds: Callable[[date], bool] | None, working_days: bool) -> None:
        """Stop ``inst``'s deadline from ``event``'s date; an instance already late, or
        already suspended, is left as it is (decision 69)."""
        on = event.date
        if inst.late_on(on) or inst.suspended_on(on) is not None:
            return
        spell = Suspension(on, event, article, label, inst.deadline_on(on),
                           working_days=working_days)
        inst.suspensions = (*inst.suspensions, spell)
        if holds is not None:
            self.lapsing.append(_Lapsing(spell, inst, holds, on))

    def _resume(self, inst: Instance, spell: Suspension, on: date, event: Event | None,
                article: str | None) -> None:
        """The deadline runs again from ``on``: the one known when the first suspension
        began, moved by the days of every suspension so far — calendar days, rolled off a
        non-working day by the agreement's calendar, once; or, with ``jours = "ouvrables"``,
        the working days suspended counted as working days (decision 69)."""
        spell.end, spell.resumed_by, spell.resume_article = on, event, article
        first = inst.suspensions[0]
        base = first.base
        if base is None:
            return
        try:
            if first.working_days:  # the n-th working day after it: no roll to explain
                days = sum(self._working_days(s.start, s.end) for s in inst.suspensions
                           if s.end is not None)
                spell.moved = self._calendar.add_working_days(base, days)
            else:
                days = sum((s.end - s.start).days for s in inst.suspensions
                           if s.end is not None)
                spell.computation = self._calendar.explain_after(base, days)
                spell.moved = spell.computation.deadline
            spell.counted = days
        except OverflowError:  # beyond the calendar: no deadline the replay can date
            spell.moved = None
            return
        if spell.moved < date.max and inst.norm.id in self._in_use.compiled.expiry_acts:
            self._agenda.schedule(spell.moved + _ONE_DAY, Expiry(inst))

    def _working_days(self, start: date, end: date) -> int:
        """The working days from ``start`` (included) to ``end`` (excluded)."""
        count, day = 0, start
        while day < end:
            count += self._calendar.is_working_day(day)
            day += _ONE_DAY
        return count

    def check(self, on: date) -> None:
        """Resume each suspension whose condition has stopped holding by ``on``, on the
        first day it does not hold since the last day it was seen to hold (the records as
        they stand: what happened on ``on`` so far counted; a day's answer reads only
        records dated that day or before, so the days in between may be asked afresh: a
        faculty's window, say, closes with no event). A condition that stopped holding and
        holds again by ``on`` with no event or dated step between is not seen to stop."""
        if not self.lapsing:
            return
        still = []
        for waiting in self.lapsing:
            spell = waiting.spell
            if spell.end is not None or waiting.inst.closed_by(on):
                continue  # resumed by an act, or performed or ended meanwhile
            if waiting.holds(on):
                waiting.seen = on
                still.append(waiting)
                continue
            day = waiting.seen  # the first day since then it does not hold: a one-off walk
            while day < on and waiting.holds(day):
                day += _ONE_DAY
            self._resume(waiting.inst, spell, day, None, None)
        self.lapsing = still

