"""The replay's powers and effects: a power exercised (by its holder, with the notice the rule
requires), and what an effect changes: the agreement's end, a service withdrawn or added,
a note in a service's history. The one module that changes :class:`Standing`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.event import Event
from entente_regles.core.values import EITHER_PARTY, Text
from entente_regles.engine.compiled import (
    CompiledRules,
    Control,
    Effect,
    EffectAction,
    EffectSpec,
    Power,
)
from entente_regles.engine.replay.acts import end_for_the_future
from entente_regles.engine.replay.conditions import condition_key
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.engine.replay.instances import Instances
from entente_regles.engine.replay.items import Agenda, EndAgreement, EndService, StartService
from entente_regles.engine.replay.periods import Periods
from entente_regles.engine.replay.records import (
    EffectRecord,
    Instance,
    ServiceState,
    TerminationNotice,
)
from entente_regles.engine.replay.standing import Standing
from entente_regles.engine.replay.state import InUse
from entente_regles.engine.replay.suspension import Suspensions
from entente_regles.engine.replay.terms import EXPIRY, PERFORMANCE, TERMINATION, TermPlan
from entente_regles.rules.norms import Notice
from entente_regles.rules.vocabulary import PerformanceEnd
from entente_regles.words.replay import both, text

ONE_DAY = timedelta(days=1)


class Effects:
    """Powers exercised and effects applied; owns the effects and the termination notices
    recorded, and changes what is in force (:class:`Standing`)."""

    def __init__(self, in_use: InUse, calendar: LegalCalendar, standing: Standing,
                 agenda: Agenda, instances: Instances, periods: Periods,
                 diagnostics: Diagnostics, term: TermPlan | None = None,
                 performance: PerformanceEnd | None = None) -> None:
        self._in_use = in_use
        self._calendar = calendar
        self._standing = standing
        self._agenda = agenda
        self._instances = instances
        self._periods = periods
        self._diagnostics = diagnostics
        self.term = term
        self._performance = performance
        # [fin_par_execution] toutes = true: the end decided on a day, which an obligation
        # arising later that day undoes: (day, effect, notice, the end known before)
        self._every: tuple[date, EffectRecord, TerminationNotice,
                           tuple[date | None, Event | None, str | None]] | None = None
        self.records: list[EffectRecord] = []
        self.terminations: list[TerminationNotice] = []
        self.suspensions: Suspensions | None = None  # suspendre / reprendre (set by the walk)
        # terms renewed by an act (decision 74): the act, and the number of the term it opens
        self.renewals: list[tuple[Event, int]] = []

    def exercise(self, power: Power, event: Event) -> bool | date:
        """``event`` exercises ``power``: False when the act is void (it has no other
        effect), else the date it takes effect (True: beyond the calendar)."""
        if power.holder != EITHER_PARTY and event.by != power.holder:
            self._diagnostics.report(
                "pouvoir_non_detenu", power.article, event.date,
                both("power_not_held", by=event.by, label=power.label, holder=power.holder),
                severity="erreur", event=event, rule=power.id)
            return False
        how = TERMINATION
        try:
            if self.term is not None and power.id == self.term.term.notice_power:
                effect_on, how = self._term_end(power, event), EXPIRY
            else:
                effect_on = self._effect_date(power, event)
        except OverflowError:  # BeyondCalendar, or Python's own date overflow
            self._diagnostics.report(
                "effet_hors_calendrier", power.article, event.date,
                both("effect_beyond_calendar", label=power.label, last=date.max),
                event=event, rule=power.id)
            return True
        holds = None
        if power.condition is not None and power.effect.resume_on_lapse:
            holds = condition_gate(self._instances, power, event)
        self.apply(power.effect, event, power.article, effect_on, power.label, how, holds)
        return effect_on

    def _term_end(self, power: Power, event: Event) -> date:
        """A notice of non-renewal: the agreement ends at the end of the first term whose
        notice limit the receipt meets; a late one lets the current term renew (decision 65),
        which is reported."""
        plan = self.term
        assert plan is not None
        k, current = plan.ended_by_notice(event.received_on)
        end = plan.end_of(k)
        if k > current:
            latest = plan.notice_limit(current)
            self._diagnostics.report(
                "preavis_tardif", power.article, event.date,
                both("late_non_renewal", received=event.received_on, latest=latest,
                     days=plan.notice_days, renewed=plan.end_of(current),
                     effective=end, last_day=end - ONE_DAY),
                event=event, rule=power.id)
        return end

    def schedule_expiry(self) -> None:
        """A term whose renewals are counted: the agreement expires at the end of the last
        one, unless something ends it first."""
        plan = self.term
        if plan is None or (plan.last is None and not plan.by_option):
            return
        last = 0 if plan.by_option or plan.last is None else plan.last
        try:
            on = plan.end_of(last)  # by an act: the initial term's end, until renewed
        except OverflowError:
            return  # expires beyond the calendar: never, for the replay
        self._standing.end, self._standing.end_how = on, EXPIRY
        self._agenda.schedule(on, EndAgreement(None, plan.term.article))

    def renew(self, event: Event) -> bool:
        """A term renewed only by an act (decision 74): ``event``, received during the term
        that is to expire and by its renewal limit, renews it once; late, or with no renewal
        left, or when something else ends the agreement, it changes nothing (a diagnostic;
        a second act in a term already renewed, an information). True when ``event`` is such
        an act."""
        plan = self.term
        if plan is None or event.type != plan.term.renewal_event:
            return False
        standing = self._standing
        article = plan.term.article
        end = standing.end
        k = plan.index_on(event.received_on)  # the term it is received in renews, once
        if end is not None and k is not None and standing.end_how == EXPIRY \
                and end > plan.end_of(k) and end > event.date:
            self._diagnostics.report("renouvellement_deja_fait", article, event.date,
                                     both("renewal_again", renewal=plan.end_of(k)),
                                     severity="info", event=event)
            return True
        if end is None or k is None or standing.end_how != EXPIRY or plan.end_of(k) != end \
                or end <= event.date:
            self._diagnostics.report("renouvellement_sans_effet", article, event.date,
                                     both("renewal_void"), severity="avertissement",
                                     event=event)
            return True
        limit = plan.renewal_limit(k)
        if event.received_on > limit:
            self._diagnostics.report("renouvellement_tardif", article, event.date,
                                     both("renewal_late", received=event.received_on,
                                          limit=limit, last_day=end - ONE_DAY),
                                     severity="avertissement", event=event)
            return True
        if plan.last is not None and k >= plan.last:
            self._diagnostics.report("renouvellement_epuise", article, event.date,
                                     both("renewal_exhausted", last_day=end - ONE_DAY),
                                     severity="avertissement", event=event)
            return True
        try:
            following = plan.end_of(k + 1)
        except OverflowError:
            return True  # renewed beyond the calendar: never expires
        standing.end = following
        self._agenda.schedule(following, EndAgreement(None, article))
        self.renewals.append((event, k + 1))
        return True

    def check_performance(self, event: Event, performed_now: Instance) -> None:
        """After ``event`` performed ``performed_now``: when every instance of each
        obligation of ``[fin_par_execution]`` is performed (each having arisen), the
        agreement ends by performance the day after the last one (decision 65). Looks at the
        instances only when ``performed_now`` is one of those obligations'."""
        ending = self._performance
        if ending is not None and ending.every:
            self._check_every(event, performed_now, ending.article)
            return
        if ending is None or performed_now.norm.id not in ending.obligations \
                or performed_now.performed_on is None:
            return
        wanted, seen = set(ending.obligations), set()
        performed: list[date] = []
        for inst in self._instances.all:
            if inst.norm.id in wanted:
                if inst.performed_on is None:
                    return  # one still owed (or ended otherwise): not ended by performance
                seen.add(inst.norm.id)
                performed.append(inst.performed_on)
        if seen != wanted:
            return  # an obligation of the list has not arisen yet
        on = max(performed) + ONE_DAY
        if self._standing.end is not None and self._standing.end <= on:
            return
        self._decide_end(EffectRecord(on, EffectAction.END_AGREEMENT, ending.article, event,
                                      None, None), False, PERFORMANCE)

    def _check_every(self, event: Event, performed_now: Instance, article: str) -> None:
        """``[fin_par_execution] toutes = true``: once ``event`` performed an obligation and no
        obligation instance that arose by its date remains open, the agreement ends by
        performance the next day (decision 74)."""
        day = event.date
        if performed_now.norm.kind != "obligation" or performed_now.performed_on is None:
            return
        for inst in self._instances.all:
            if inst.norm.kind == "obligation" and inst.triggered_on <= day \
                    and not inst.closed_by(day):
                return  # one still open (owed, or late)
        on = day + ONE_DAY
        standing = self._standing
        if standing.end is not None and standing.end <= on:
            return
        before = (standing.end, standing.end_event, standing.end_how)
        effect = EffectRecord(on, EffectAction.END_AGREEMENT, article, event, None, None)
        self._decide_end(effect, False, PERFORMANCE)
        self._every = (day, effect, self.terminations[-1], before)

    def reopen(self, inst: Instance) -> None:
        """An obligation instance arose on the day a performance left none open (later that
        day, e.g. a consequence of that performance): the end it decided is undone, since
        something remains owed (decision 74)."""
        found = self._every
        if found is None or inst.norm.kind != "obligation":
            return
        day, effect, notice, (end, end_event, end_how) = found
        if inst.triggered_on != day:
            if inst.triggered_on > day:
                self._every = None  # the end stands
            return
        self._every = None
        self.records.remove(effect)
        self.terminations.remove(notice)
        standing = self._standing
        standing.end, standing.end_event, standing.end_how = end, end_event, end_how

    def _effect_date(self, power: Power, event: Event) -> date:
        """When an exercise of ``power`` takes effect, with the notice the rule requires
        (a non-conforming notice is corrected by law and reported)."""
        effect_on = field_date(power.effect, event)
        notice = power.notice
        if notice is None:
            return effect_on
        days = self._in_use.compiled.param(notice.days, event.received_on)
        received = event.received_on
        if notice.before_field is not None:
            proposed: date = event.data[notice.before_field]
            latest = latest_receipt(notice, self._calendar, proposed, days)
            if received <= latest:
                return proposed
            effect_on = received + timedelta(days=days)
            while self._calendar.before(effect_on, days) < received:
                effect_on += ONE_DAY
            self._diagnostics.report(
                "preavis_tardif", power.article, event.date,
                both("late_notice", received=received, latest=latest, days=days,
                     proposed=proposed, effective=effect_on), event=event, rule=power.id)
            return effect_on
        earliest = received + timedelta(days=days + 1)
        proposed = effect_on if power.effect.date_field in event.data else earliest
        if proposed < earliest:  # received after latest_receipt(…, proposed, days)
            self._diagnostics.report(
                "preavis_insuffisant", power.article, event.date,
                both("short_notice", proposed=proposed, days=days, received=received,
                     earliest=earliest), event=event, rule=power.id)
        return max(proposed, earliest)

    def apply_rule(self, effect: Effect, event: Event) -> None:
        """Apply an ``[[effet]]`` rule, unless the control it requires failed (the control's
        own diagnostic then says why)."""
        required = None if effect.requires_control is None \
            else self._in_use.compiled.control_by_id.get(effect.requires_control)
        if required is not None and required.missing(event):
            return
        self.apply(effect.effect, event, effect.article, field_date(effect.effect, event),
                   effect.label)

    def apply(self, spec: EffectSpec, event: Event, article: str, on: date,
              label: Text | None = None, how: str = TERMINATION,
              holds: Callable[[date], bool] | None = None) -> None:
        """Apply an effect dated ``on``. A date agreed before the event (retroactive) takes
        effect on that date, at once: what was done by the event's date stays done, what was
        still owed then and depended on the changed state is discharged from the agreed date
        (see the end handlers)."""
        if spec.action is EffectAction.AMEND:
            return  # dated parameters, read from the log before the walk (amendments.py)
        if spec.action is EffectAction.SUSPEND or spec.action is EffectAction.RESUME:
            assert self.suspensions is not None
            self.suspensions.apply(spec, event, article, label or Text(event.type, event.type),
                                   holds)
            return  # dated by the act (decision 69)
        retroactive = on < event.date
        if retroactive:
            self._diagnostics.report("effet_retroactif", article, event.date,
                                     both("retroactive_effect", on=on, event_date=event.date),
                                     severity="info", event=event)
        service = None if spec.service_field is None else str(event.data[spec.service_field])
        if spec.action is EffectAction.END_AGREEMENT:
            self._decide_end(EffectRecord(on, spec.action, article, event, service, label),
                             retroactive, how)
            return
        assert service is not None
        self.records.append(EffectRecord(on, spec.action, article, event, service, label))
        match spec.action:
            case EffectAction.END_SERVICE if retroactive:
                self.end_service(on, service, event, article)
            case EffectAction.END_SERVICE:
                self._agenda.schedule(on, EndService(service, event, article))
            case EffectAction.START_SERVICE if retroactive:
                self.start_service(on, service, event)
            case EffectAction.START_SERVICE:
                self._agenda.schedule(on, StartService(service, event))
            case EffectAction.SERVICE_NOTE:
                state = self._standing.services.get(service)
                if state is not None:
                    note = label or Text(event.type, event.type)
                    state.history.append((on, text("service_note", note=note,
                                                   article=article)))

    def _decide_end(self, effect: EffectRecord, retroactive: bool,
                    how: str = TERMINATION) -> None:
        """``effect`` ends the agreement on its date (the first day without it), unless an
        end already fixed comes first."""
        on, event, article = effect.on, effect.event, effect.article
        standing = self._standing
        if standing.end is not None and standing.end <= on:
            self.terminations.append(TerminationNotice(event, article, standing.end,
                                                       standing.end_how or how))
            self._diagnostics.report("resiliation_deja_prevue", article, event.date,
                                     both("end_already_set", end=standing.end),
                                     severity="info", event=event)
            return
        self.records.append(effect)
        standing.end, standing.end_event, standing.end_how = on, event, how
        self.terminations.append(TerminationNotice(event, article, on, how))
        if retroactive:
            self.end_agreement(on, event, article)
        else:
            self._agenda.schedule(on, EndAgreement(event, article))

    def end_agreement(self, on: date, event: Event | None, article: str) -> None:
        if self._standing.end != on:
            return  # superseded by an earlier end
        reason = text("agreement_ended", on=on, article=article)
        # a retroactive end leaves what was done by then
        settled = on if event is None else max(on, event.date)
        for inst in self._instances.all:
            if not inst.survives:
                end_for_the_future(inst, on, reason, settled)
        for state in self._standing.services.values():
            state.end_at(on)
        self._periods.close_periods(on)
        self._instances.on_end(on, settled, event, reason)  # what arises at the end (decision 61)

    def end_service(self, on: date, service: str, event: Event, article: str) -> None:
        # A service this replay never saw start is not invented here: it would then appear
        # to have been in force since entry into force, before the withdrawal was known.
        state = self._standing.services.get(service)
        if state is not None and not state.end_at(on):
            return
        if state is not None:
            state.history.append((on, text("service_withdrawn", article=article)))
        reason = text("service_withdrawn_on", service=service, on=on, article=article)
        settled = max(on, event.date)  # a retroactive withdrawal leaves what was done by then
        for inst in self._instances.all:
            if inst.service == service and not inst.norm.survives_withdrawal:
                end_for_the_future(inst, on, reason, settled)

    def start_service(self, on: date, service: str, event: Event) -> None:
        if not self._standing.in_force(on):
            return
        state = self._standing.services.setdefault(service, ServiceState(service, []))
        state.start_at(on)
        state.history.append((on, text("service_added")))


def latest_receipt(notice: Notice, calendar: LegalCalendar, effective: date, days: int) -> date:
    """The last day a notice of ``days`` days may be received for an effect on ``effective``:
    ``days`` days before it by the legal calendar (« au moins N jours avant »), or the day
    before the ``days`` full days after receipt (« N jours suivant la réception », the effect
    at the earliest on the next day)."""
    if notice.before_field is not None:
        return calendar.before(effective, days)
    return effective - timedelta(days=days + 1)


def notice_limit(compiled: CompiledRules, calendar: LegalCalendar, power: Power,
                 effective: date) -> tuple[date, int] | None:
    """The last day a notice exercising ``power`` may be received for an effect on
    ``effective``, with the days of notice in force on that day: the latest receipt date the
    replay accepts (:meth:`Effects.exercise` reads the delay as in force on the receipt, so an
    amendment applies to the notices received from its effective date). None: no receipt
    date would do, or ``power`` needs no notice."""
    notice = power.notice
    if notice is None:
        return None
    days = notice.days
    starts = [date.min]
    if isinstance(days, str):
        starts += sorted({a.effective for a in compiled.amendments if a.name == days[1:]}
                         - {date.min})
    best: tuple[date, int] | None = None
    for i, start in enumerate(starts):  # the delay is constant from each start to the next
        in_force = compiled.param(days, start)
        try:
            latest = latest_receipt(notice, calendar, effective, in_force)
        except OverflowError:  # BeyondCalendar, or before 0001-01-01
            continue
        if i + 1 < len(starts):
            latest = min(latest, starts[i + 1] - timedelta(days=1))
        if latest >= start and (best is None or latest > best[0]):
            best = (latest, compiled.param(days, latest))
    return best


def condition_gate(instances: Instances, power: Power, event: Event
                   ) -> Callable[[date], bool]:
    """Whether ``power``'s condition holds on a date, for the key and holder of ``event``
    (the act exercising it): what a suspension that ends with it asks (decision 69)."""
    condition = power.condition
    assert condition is not None
    return partial(instances.conditions.holds, condition, key=condition_key(condition, event),
                   holder=event.by)


def field_date(spec: EffectSpec, event: Event) -> date:
    """The date an effect names in ``event`` (its ``date_field``), else the event's."""
    if spec.date_field is not None and spec.date_field in event.data:
        value = event.data[spec.date_field]
        assert isinstance(value, date)
        return value
    return event.date


def check_control(control: Control, event: Event, diagnostics: Diagnostics) -> None:
    """Report what ``event`` lacks under ``control``, if anything."""
    missing = control.missing(event)
    if missing:
        listed = ", ".join(missing)
        diagnostics.report(control.code, control.article, event.date,
                           both("control_failed", message=control.message, missing=listed),
                           severity=control.severity, event=event, rule=control.id)
