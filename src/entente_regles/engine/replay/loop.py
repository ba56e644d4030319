"""Replay an event log through a backend, with simulated time, into dated records.

Time is simulated: an agenda holds the dates that matter (deadlines whose passing acts:
a lapse, or a norm arising from it; effective dates, period starts, entry into force; a
deadline that merely makes its debtor late needs no date: lateness follows from the dates
alone, see ``views.status_at``) and the replay walks events and agenda items in
date order, up to a horizon. It never reads the wall clock. Every record it produces is
dated, so the status of anything at a date X is a pure function of what happened on or
before X (see ``evaluation``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from operator import attrgetter

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.event import Event
from entente_regles.core.gc_pause import collection_paused
from entente_regles.core.values import BREACHED, DISCHARGED, EITHER_PARTY, SATISFIED
from entente_regles.engine.amendments import collect
from entente_regles.engine.compiled import (
    CONTROL,
    EFFECT,
    EXECUTION,
    EXTINCTION,
    TRIGGER,
    VIOLATION,
    CompiledRules,
    Power,
    event_fields,
)
from entente_regles.engine.matching import (
    Backend,
    Fact,
    IndexedSession,
    Match,
    Session,
    new_named_tuple,
)
from entente_regles.engine.replay.acts import breach, execute, extinguish
from entente_regles.engine.replay.advance import Advance
from entente_regles.engine.replay.conditions import condition_key, describe
from entente_regles.engine.replay.deadlines import Deadlines
from entente_regles.engine.replay.demands import Demands
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.engine.replay.effects import Effects, check_control
from entente_regles.engine.replay.instances import Instances
from entente_regles.engine.replay.items import (
    Agenda,
    EndAgreement,
    EndService,
    EntryIntoForce,
    Expiry,
    PeriodTick,
    StartService,
    TermRenewal,
)
from entente_regles.engine.replay.periods import Periods
from entente_regles.engine.replay.plans import Plan, interprets, plan
from entente_regles.engine.replay.records import Context, Instance, ReplayResult
from entente_regles.engine.replay.renewals import Renewals
from entente_regles.engine.replay.standing import Standing
from entente_regles.engine.replay.state import InUse
from entente_regles.engine.replay.suspension import Suspensions
from entente_regles.engine.replay.terms import TermPlan
from entente_regles.engine.replay.unmatched import (
    no_rule_applies,
    uninterpreted,
    unknown_references,
)
from entente_regles.words.replay import both

_NO_NORMS: frozenset[str] = frozenset()
ONE_DAY = timedelta(days=1)  # no instance acted on


class Walk:
    """The walk over events and agenda items, dispatching each to the step it concerns;
    owns the horizon, the compiled rules in use (replaced when a feed brings amendments)
    and the plans of the combinations of rules met so far."""

    def __init__(self, compiled: CompiledRules, ctx: Context) -> None:
        self.ctx = ctx
        self.in_use = InUse(compiled)
        self.horizon = date.min  # the agenda has been processed up to this date
        self.agenda = agenda = Agenda()
        self.diagnostics = diagnostics = Diagnostics(compiled.diagnostics, compiled.agreement)
        self.standing = standing = Standing(ctx.in_force_from, ctx.services)
        calendar = ctx.calendar
        self.deadlines = Deadlines(self.in_use, calendar)
        self.instances = instances = Instances(self.in_use, standing, agenda, self.deadlines,
                                               diagnostics, calendar)
        self.periods = Periods(self.in_use, calendar, standing, agenda, instances)
        self.in_advance = Advance(self.in_use, calendar, standing, diagnostics)
        if self.in_advance.active:
            instances.arising, instances.ending = self._arising, self.in_advance.on_end
        if ctx.performance_end is not None and ctx.performance_end.every:
            instances.arising = self._arising
        self.demands = Demands(self.in_use, calendar, instances, diagnostics)
        term = None if ctx.term is None else TermPlan(
            ctx.term, ctx.term.start or ctx.in_force_from, calendar)
        self.effects = Effects(self.in_use, calendar, standing, agenda, instances,
                               self.periods, diagnostics, term, ctx.performance_end)
        self.renewals = Renewals(self.in_use, term, standing, agenda, instances)
        self.suspensions = self.effects.suspensions = Suspensions(
            self.in_use, calendar, agenda, instances, diagnostics)
        # the event types a hold, an act in advance or a renewal by an act reads
        renewing = None if term is None else term.term.renewal_event
        self._special = instances.holds.types | self.in_advance.types | (
            frozenset() if renewing is None else frozenset((renewing,)))
        # What each combination of matched rules does with an event: by its rule id when
        # one rule matched, by the tuple of their ids otherwise.
        self._plans: dict[str | tuple[str, ...], Plan] = {}
        self._in_force_from = ctx.in_force_from
        # does a performance end the agreement (decision 65)? if not, an act performing an
        # instance need not ask (Effects.check_performance would find nothing to do)
        self._ends_by_performance = ctx.performance_end is not None
        # the Python backend's session matches an event with no fact made (set by feed)
        self._match_event: Callable[[str, str | None, Mapping[str, object]],
                                    list[Match] | None] | None = None

    def begin(self) -> None:
        """Schedule the entry into force and the first periods."""
        self.agenda.schedule(self.ctx.in_force_from, EntryIntoForce())
        self.periods.schedule_periods()
        self.effects.schedule_expiry()
        self.renewals.schedule(1)

    def advance(self, limit: date) -> None:
        """Process the agenda up to ``limit`` included."""
        lapses = self.instances.lapses
        while (next_item := self.agenda.pop_until(limit)) is not None:
            on, item = next_item
            if lapses.active:  # the days before it are decided (decision 73)
                lapses.until(on - ONE_DAY)
                lapses.note(on)
            match item:  # disjoint types (the agenda orders them): the commonest first
                case Expiry(inst):
                    self.instances.on_expiry(on, inst)
                case EndAgreement(event, article):
                    self.effects.end_agreement(on, event, article)
                case EndService(service, event, article):
                    self.effects.end_service(on, service, event, article)
                case StartService(service, event):
                    self.effects.start_service(on, service, event)
                case EntryIntoForce():
                    self.periods.on_entry(on)
                case PeriodTick(norm, k):
                    self.periods.on_period(on, norm, k)
                case TermRenewal(k):
                    self.renewals.on_renewal(on, k)
            self.suspensions.check(on)  # a condition that ceased resumes (decision 69)
        if lapses.active and limit > date.min:
            lapses.until(limit - ONE_DAY)
        self.suspensions.check(limit)
        if limit > self.horizon:
            self.horizon = limit

    def feed(self, events: Sequence[Event]) -> None:
        """Replay ``events``, given in date order (events of one date in their order in the
        log), none dated before the processed horizon. Their amendments are read first: the
        parameters are dated before the walk (see ``amendments``)."""
        amendments, notes = collect(self.in_use.compiled, events, self.ctx.in_force_from)
        if amendments:
            self.in_use.compiled = self.in_use.compiled.with_amendments(amendments)
            self.deadlines.forget_delays()
            self._plans.clear()
        self.diagnostics.extend(notes)
        # the steps of each event, looked up once (none of them is replaced meanwhile)
        advance, handle = self.advance, self.handle
        suspensions, check = self.suspensions, self.suspensions.check
        lapses = self.instances.lapses
        noting = lapses.active
        due = self.agenda.dates  # the agenda's dates: its first, the next item's
        session = self.in_use.session
        # a session that moves closed instances out is told of them after each event
        retire = self.instances.retire_closed if session.retires else None
        self._match_event = session.match_event if isinstance(session, IndexedSession) \
            else None
        for event in events:
            on = event.date
            # a day with no item due and no condition to watch needs no advance: the
            # horizon alone moves (events come in date order; an item an event of the day
            # scheduled on that day is due before the next event)
            if noting or suspensions.lapsing or (due and due[0] <= on):
                advance(on)
                if noting:
                    lapses.note(on)
            elif on > self.horizon:
                self.horizon = on
            handle(event)
            if suspensions.lapsing:
                check(on)
            if retire is not None:
                retire(self.horizon)

    def result(self) -> ReplayResult:
        standing = self.standing
        return ReplayResult(self.instances.all, self.diagnostics.records, standing.end,
                            standing.end_event, standing.services, self.horizon,
                            effects=self.effects.records,
                            terminations=self.effects.terminations, end_how=standing.end_how,
                            renewals=self.effects.renewals)

    def handle(self, event: Event) -> None:
        """What the rules ``event`` matches do with it: powers first (a void act has no
        other effect), then each match in order, then demands and unknown references."""
        on = event.date
        in_use = self.in_use
        compiled = in_use.compiled
        in_force_from = self._in_force_from
        if on < in_force_from:
            self.diagnostics.report(
                "avant_entree_en_vigueur", compiled.entry_into_force_article,
                on, both("before_entry_into_force", start=in_force_from),
                event=event)
            return
        kind = event.type
        seq = self.agenda.next_seq()  # the event's fact's, made or not
        held = False
        if kind in self._special:  # decisions 71, 72, 74
            held = self.instances.holds.on_event(event)  # part of a balance held, released
            held = self.effects.renew(event) or held  # a term renewed by an act
            held = self.in_advance.on_event(event) or held  # kept for a period to come
        match_event = self._match_event
        matches = None if match_event is None else match_event(kind, event.by, event.data)
        if matches is None:
            matches = in_use.session.match(new_named_tuple(
                Fact, (seq, "evenement", kind, event.by, None, event_fields(compiled, event))))
        if not matches:
            if held:
                return
            if kind not in compiled.unknown_reference_acts:
                no_rule_applies(compiled, event, self.diagnostics)
            self._unknown_references(event, _NO_NORMS)
            return
        count = len(matches)
        rules = (matches[0].rule_id if count == 1
                 else (matches[0].rule_id, matches[1].rule_id) if count == 2
                 else tuple(map(_rule_id, matches)))
        found_plan = self._plans.get(rules)
        if found_plan is None:
            found_plan = self._plans[rules] = plan(compiled, kind, matches)
        handled = found_plan.handled
        plain = found_plan.plain
        effect_on = None  # when the power exercised by the event takes effect
        if not plain:
            for power in found_plan.powers:
                if power.condition is not None and (
                        power.holder == EITHER_PARTY or event.by == power.holder) \
                        and not self._condition_met(power, event):
                    return  # exercised without its ground: void (decision 60)
                exercised = self.effects.exercise(power, event)
                if exercised is False:
                    return  # a void act has no other effect
                if isinstance(exercised, date):
                    effect_on = exercised
            if not interprets(found_plan, event):
                uninterpreted(compiled, event, handled, self.diagnostics)
        instances = self.instances
        # as many handlers as matches, by construction (zip() without strict=: the keyword
        # argument costs more than the loop's body for most events)
        for found, handler in zip(matches, handled):  # noqa: B905
            role = handler.role  # by identity, the commonest roles first
            if role is TRIGGER:
                assert handler.norm is not None
                instances.trigger_from_event(handler.norm, event, effect_on)
            elif role is EXECUTION or role is EXTINCTION or role is VIOLATION:
                assert found.instance_seq is not None and handler.act is not None
                inst = instances.by_seq[found.instance_seq]
                signals = inst.norm.id in compiled.state_sources and not inst.closed_by(on)
                if role is EXECUTION:
                    execute(inst, handler.act, event, self.diagnostics)
                    if self._ends_by_performance:
                        self.effects.check_performance(event, inst)
                elif role is EXTINCTION:
                    extinguish(inst, handler.act, event)
                else:
                    breach(inst, event, self.diagnostics)
                if signals and inst.closed_by(on):
                    instances.on_state(on, inst, SATISFIED if role is EXECUTION
                                       else DISCHARGED if role is EXTINCTION else BREACHED)
            elif role is CONTROL:
                assert handler.control is not None
                check_control(handler.control, event, self.diagnostics)
            elif role is EFFECT:
                assert handler.effect is not None
                self.effects.apply_rule(handler.effect, event)
        if plain:
            return
        for demand in found_plan.demands:
            self.demands.demand(demand, event, found_plan.acted_on)
        if found_plan.unknown:
            self._unknown_references(event, found_plan.acted_on)

    def _arising(self, inst: Instance) -> None:
        """An instance arose: it reopens an end by performance decided the same day
        (decision 74); a period's, an act kept for it performs it, on the act's date."""
        self.effects.reopen(inst)
        if not self.in_advance.active or inst.norm.trigger.kind != "periode":
            return
        found = self.in_advance.on_arise(inst)
        if found is None:
            return
        event, act = found
        execute(inst, act, event, self.diagnostics)
        self.effects.check_performance(event, inst)
        if inst.closed_by(inst.triggered_on) \
                and inst.norm.id in self.in_use.compiled.state_sources:
            self.instances.on_state(inst.triggered_on, inst, SATISFIED)

    def _condition_met(self, power: Power, event: Event) -> bool:
        """Does ``power``'s condition hold on the day ``event`` exercises it (as the
        records stand then: the events of that day before it included)? If not, the act has
        no effect and a diagnostic says why."""
        condition = power.condition
        assert condition is not None
        key = condition_key(condition, event)
        if self.instances.conditions.holds(condition, event.date, key, event.by):
            return True
        compiled = self.in_use.compiled
        labels = {n.id: n.label for n in compiled.norms}
        said = describe(condition, labels, partial(compiled.param, on=event.date))
        self.diagnostics.report(
            "condition_non_remplie", power.article, event.date,
            both("condition_not_met", label=power.label, on=event.date, condition=said),
            severity="erreur", event=event, rule=power.id)
        return False

    def _unknown_references(self, event: Event, acted_on: frozenset[str]) -> None:
        unknown_references(self.in_use.compiled, event, acted_on, self.instances.keys_by_norm,
                           self.diagnostics)


_event_date: Callable[[Event], date] = attrgetter("date")
_rule_id: Callable[[Match], str] = attrgetter("rule_id")


def replay(compiled: CompiledRules, ctx: Context, events: Sequence[Event], backend: Backend,
           horizon: date) -> ReplayResult:
    """Replay ``events`` up to ``horizon`` in one go."""
    resumable = Replay(compiled, ctx, backend)
    resumable.feed(events)
    resumable.advance(horizon)
    return resumable.result


class Replay:
    """A replay that stops and continues where it stopped: :meth:`feed` more events (dated on
    or after :attr:`horizon`), :meth:`advance` the simulated time. Each step opens a backend
    session that resumes the previous one, so nothing is replayed twice."""

    def __init__(self, compiled: CompiledRules, ctx: Context, backend: Backend) -> None:
        self._compiled = compiled
        self._backend = backend
        self._session: Session | None = None
        self._state = Walk(compiled, ctx)
        self._broken = False
        self._step(self._state.begin)

    @property
    def horizon(self) -> date:
        """The date up to which the agenda has been processed."""
        return self._state.horizon

    @property
    def result(self) -> ReplayResult:
        return self._state.result()

    @property
    def compiled(self) -> CompiledRules:
        """The compiled rules this replay runs."""
        return self._compiled

    @property
    def rules_in_use(self) -> CompiledRules:
        """The compiled rules as amended by the events fed so far (their dated parameters):
        what the replay's steps read."""
        return self._state.in_use.compiled

    @property
    def term(self) -> TermPlan | None:
        """The agreement's term as the replay counts it (None: it has none)."""
        return self._state.effects.term

    @property
    def calendar(self) -> LegalCalendar:
        """The agreement's legal calendar (its policy's working days)."""
        return self._state.ctx.calendar

    @property
    def in_force_from(self) -> date:
        """The agreement's entry-into-force date."""
        return self._state.ctx.in_force_from

    def _step(self, action: Callable[[], None]) -> None:
        """Run ``action`` in a backend session resuming the previous one."""
        if self._broken:
            raise RuntimeError("this replay failed earlier: start a new one")
        try:
            with self._backend.session(self._compiled.rules, resume=self._session) as session, \
                    collection_paused():
                self._state.in_use.session = session
                action()
                self._session = session
        except BaseException:
            self._broken = True
            raise

    def feed(self, events: Sequence[Event]) -> None:
        """Replay ``events``, none dated before :attr:`horizon` (then, the horizon is the
        latest of their dates)."""
        if events:
            ordered = sorted(events, key=_event_date)  # stable: a date's events keep their order
            first = ordered[0].date
            if first < self._state.horizon:
                raise ValueError(f"events dated {first}, before the replayed horizon "
                                 f"{self._state.horizon}")
            self._step(partial(self._state.feed, ordered))

    def advance(self, horizon: date) -> None:
        """Process the agenda up to ``horizon`` included (items an event scheduled on its own
        date included)."""
        first = self._state.agenda.next_date()
        if horizon > self._state.horizon or self._session is None or (
                first is not None and first <= horizon):
            self._step(partial(self._state.advance, horizon))

