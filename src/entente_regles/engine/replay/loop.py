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

from collections.abc import Callable, Sequence, Set
from datetime import date
from functools import partial
from operator import attrgetter
from typing import NamedTuple

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.event import Event
from entente_regles.core.gc_pause import collection_paused
from entente_regles.engine.amendments import collect
from entente_regles.engine.compiled import (
    Act,
    CompiledRules,
    DemandSpec,
    Effect,
    Handler,
    Power,
    Role,
    event_fields,
)
from entente_regles.engine.matching import Backend, Fact, Match, Session, new_fact
from entente_regles.engine.replay.demands import Demands
from entente_regles.engine.replay.effects import Effects
from entente_regles.engine.replay.items import (
    EndAgreement,
    EndService,
    EntryIntoForce,
    Expiry,
    PeriodTick,
    StartService,
)
from entente_regles.engine.replay.records import Context, Instance, ReplayResult

_NO_NORMS: frozenset[str] = frozenset()  # no instance acted on
# The roles as module constants: on Python 3.11 reading a member off its Enum class costs a
# descriptor call, several times per event in handle().
_TRIGGER, _EXECUTION, _EXTINCTION, _VIOLATION, _CONTROL, _EFFECT = (
    Role.TRIGGER, Role.EXECUTION, Role.EXTINCTION, Role.VIOLATION, Role.CONTROL, Role.EFFECT)


class _Plan(NamedTuple):
    """What a combination of matched rules does with an event (see ``_Replay._plan``)."""

    handled: tuple[Handler, ...]  # the handler of each match, in match order
    powers: tuple[Power, ...]  # exercised first, each target once, in match order
    interpreted: bool | None  # None: only effects that may be idle, and controls
    demands: tuple[DemandSpec, ...]
    acted_on: frozenset[str]  # the norms whose instances the matched rules act on
    unknown: bool  # a norm not acted on reports its own unknown references for this type
    plain: bool  # no power, no demand, no unknown reference, content interpreted (most)


class _Replay(Effects, Demands):
    """The walk over events and the agenda, dispatching to the layers below."""

    plans: dict[str | tuple[str, ...], _Plan]  # see ReplayState.plans

    def begin(self) -> None:
        """Schedule the entry into force and the first periods."""
        self.schedule(self.ctx.in_force_from, EntryIntoForce())
        self.schedule_periods()

    def advance(self, limit: date) -> None:
        """Process the agenda up to ``limit`` included."""
        while (next_item := self.agenda.pop_until(limit)) is not None:
            on, item = next_item
            match item:  # disjoint types (the agenda orders them): the commonest first
                case Expiry(inst):
                    self.on_expiry(on, inst)
                case EndAgreement(event, article):
                    self.end_agreement(on, event, article)
                case EndService(service, event, article):
                    self.end_service(on, service, event, article)
                case StartService(service, event):
                    self.start_service(on, service, event)
                case EntryIntoForce():
                    self.on_entry(on)
                case PeriodTick(norm, k):
                    self.on_period(on, norm, k)
        self.horizon = max(self.horizon, limit)

    def feed(self, events: Sequence[Event]) -> None:
        """Replay ``events``, given in date order (events of one date in their order in the
        log), none dated before the processed horizon. Their amendments are read first: the
        parameters are dated before the walk (see ``amendments``)."""
        amendments, notes = collect(self.c, events, self.ctx.in_force_from)
        if amendments:
            self.c = self.c.with_amendments(amendments)
            self.delays.clear()  # a delay may now read an amendment
            self.plans.clear()
        self.diagnostics += notes
        agenda = self.agenda
        for event in events:
            on = event.date
            first = agenda.next_date()
            if first is not None and first <= on:
                self.advance(on)
            elif on > self.horizon:  # nothing due by then: advance() would only move on
                self.horizon = on
            self.handle(event)
            if len(self.open) >= self.open_mark:  # retire_closed()'s own test, without a call
                self.retire_closed()

    def result(self) -> ReplayResult:
        return ReplayResult(self.instances, self.diagnostics, self.end, self.end_event,
                            self.services, self.horizon, effects=self.effects,
                            terminations=self.terminations)

    def handle(self, event: Event) -> None:
        if event.date < self.ctx.in_force_from:
            self.diag("avant_entree_en_vigueur", self.c.entry_into_force_article, event.date,
                      f"événement antérieur à l'entrée en vigueur ({self.ctx.in_force_from}) : "
                      "sans effet", f"event before entry into force ({self.ctx.in_force_from}): "
                      "no effect", event=event)
            return
        self.effect_of = None
        self.seq += 1  # next_seq(), inlined: once per event
        fact = new_fact(Fact, (self.seq, "evenement", event.type, event.by, None,
                               event_fields(self.c, event)))
        matches = self.session.match(fact)
        if not matches:
            if not self.reports_unknown(event):
                self.no_rule_applies(event)
            self.unknown_references(event, _NO_NORMS)
            return
        rules = (matches[0].rule_id if len(matches) == 1
                 else tuple([m.rule_id for m in matches]))
        plan = self.plans.get(rules)
        if plan is None:
            plan = self._plan(rules, event.type, matches)
        handled = plan.handled
        plain = plan.plain
        if not plain:
            for power in plan.powers:
                if not self.exercise(power, event):
                    return  # a void act has no other effect
            interpreted = plan.interpreted
            if interpreted is None:  # only effects and controls: is every effect idle?
                interpreted = not all(self._idle(h, event) for h in handled
                                      if h.role is _EFFECT)
            if not interpreted:
                self.uninterpreted(event, handled)
        for found, handler in zip(matches, handled, strict=False):  # as many, by construction
            role = handler.role  # by identity, the commonest roles first
            if role is _TRIGGER:
                assert handler.norm is not None
                self.trigger_from_event(handler.norm, event)
            elif role is _EXECUTION or role is _EXTINCTION or role is _VIOLATION:
                assert found.instance_seq is not None and handler.act is not None
                inst = self.by_seq[found.instance_seq]
                if role is _EXECUTION:
                    self.execute(inst, handler.act, event)
                else:
                    self.act_on(role, inst, handler.act, event)
            elif role is _CONTROL:
                assert handler.control is not None
                self.control(handler.control, event)
            elif role is _EFFECT:
                assert handler.effect is not None
                self.effect(handler.effect, event)
        if plain:
            return
        for demand in plan.demands:
            self.demand(demand, event, plan.acted_on)
        if plan.unknown:
            self.unknown_references(event, plan.acted_on)

    def _plan(self, rules: str | tuple[str, ...], event_type: str,
              matches: Sequence[Match]) -> _Plan:
        """What the rules ``matches`` name (``rules``: their ids) do with an event, worked
        out once per combination of rules (the roles depend on the rules only, not on the
        event) and kept."""
        handlers = self.c.handlers
        handled = tuple(handlers[m.rule_id] for m in matches)
        # The powers in match order (a dict, not a set: whatever the hash seed).
        powers: dict[str, Power] = {}
        demands: list[DemandSpec] = []
        interpreted: bool | None = False
        # An act's rule joins its norm's instances: the instance it matched is of that norm.
        acted_on = frozenset(h.target for h in handled
                             if h.role in (Role.EXECUTION, Role.EXTINCTION, Role.VIOLATION))
        unknown = any(norm.unknown_reference is not None and norm.id not in acted_on
                      for norm, _ in self.c.unknown_reference_acts.get(event_type, ()))
        for handler in handled:
            role = handler.role
            if role is Role.POWER:
                assert handler.power is not None
                powers[handler.target] = handler.power
            elif role is Role.DEMAND:
                assert handler.demand is not None
                demands.append(handler.demand)
            if role is Role.EFFECT:
                effect = handler.effect
                if effect is None or effect.effect.parameters_field is None:
                    interpreted = True  # never idle
                elif interpreted is False:
                    interpreted = None  # idle or not: the event's fields say
            elif role is not Role.CONTROL:
                interpreted = True
        plan = _Plan(handled, tuple(powers.values()), interpreted, tuple(demands), acted_on,
                     unknown, not powers and interpreted is True and not demands and not unknown)
        self.plans[rules] = plan
        return plan

    def no_rule_applies(self, event: Event) -> None:
        """No rule matched ``event``: a reference to no live obligation, or no rule at all."""
        acting = event.type in self.c.acting_types
        self.diag("reference_inconnue" if acting else "evenement_sans_effet",
                  self.fed_articles(event.type),
                  event.date,
                  "aucune obligation ouverte ne correspond à cet événement (clé, règle ou "
                  "partie)" if acting else "aucune règle ne s'applique à cet événement",
                  "no live obligation matches this event (key, rule or party)" if acting
                  else "no rule applies to this event",
                  severity="avertissement" if acting else "info", event=event)

    def act_on(self, role: Role, inst: Instance, act: Act, event: Event) -> None:
        """Perform, extinguish or breach ``inst`` by ``event``."""
        match role:
            case Role.EXECUTION:
                self.execute(inst, act, event)
            case Role.EXTINCTION:
                self.extinguish(inst, act, event)
            case _:
                self.breach(inst, act, event)

    def effect(self, effect: Effect, event: Event) -> None:
        """Apply an ``[[effet]]`` rule, unless the control it requires failed (the control's
        own diagnostic then says why)."""
        required = next((c for c in self.c.book.controls if c.id == effect.requires_control),
                        None)
        if required is not None and required.missing(event):
            return
        self.apply_effect(effect.effect, event, effect.article,
                          self.field_date(effect.effect, event), effect.label)

    def reports_unknown(self, event: Event) -> bool:
        """Does a norm report its own unknown reference for this event type?"""
        return event.type in self.c.unknown_reference_acts

    def unknown_references(self, event: Event, matched_norms: Set[str]) -> None:
        for norm, act in self.c.unknown_reference_acts.get(event.type, ()):
            if norm.unknown_reference is None or norm.id in matched_norms:
                continue
            ref = event.data.get(act.key_field, "?")
            keys = self.keys_by_norm.get(norm.id, [])
            shown = ", ".join(keys[-12:]) or "aucune"  # the latest ones
            self.diag("reference_inconnue", norm.article, event.date,
                      f"{norm.unknown_reference.fr} ({act.key_field} = {ref} ; "
                      f"existantes : {shown})",
                      f"{norm.unknown_reference.en} ({act.key_field} = {ref}; "
                      f"existing: {shown.replace('aucune', 'none')})",
                      severity=norm.unknown_reference_severity, event=event,
                      rule=norm.id)

    def _idle(self, handler: Handler, event: Event) -> bool:
        """An amendment's effect on an event that changes no parameter: nothing of it is
        read (its content is then reported as not interpreted)."""
        if handler.role is not Role.EFFECT or handler.effect is None:
            return False
        field = handler.effect.effect.parameters_field
        return field is not None and field not in event.data

    def uninterpreted(self, event: Event, handled: Sequence[Handler]) -> None:
        """An event that only controls apply to and that passes them: its content is not
        interpreted (say so rather than drop it in silence)."""
        for handler in handled:
            control = handler.control
            if control is not None and control.missing(event):
                return
        self.diag("contenu_non_interprete", self.fed_articles(event.type), event.date,
                  "acte conforme, mais son contenu n'est pas interprété : les règles encodées "
                  "n'en sont pas modifiées", "a conforming act, but its content is not "
                  "interpreted: the encoded rules are unchanged", severity="info", event=event)


_event_date: Callable[[Event], date] = attrgetter("date")


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
        self._state = _Replay(compiled, ctx, None, date.min)
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
    def calendar(self) -> LegalCalendar:
        """The agreement's legal calendar (its policy's working days)."""
        return self._state.cal

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
                self._state.session = session
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

