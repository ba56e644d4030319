"""Replay an event log through a backend, with simulated time, into dated records.

Time is simulated: an agenda holds the dates that matter (deadlines passing, effective
dates, period starts, entry into force) and the replay walks events and agenda items in
date order, up to a horizon. It never reads the wall clock. Every record it produces is
dated, so the status of anything at a date X is a pure function of what happened on or
before X (see ``evaluation``).
"""

from __future__ import annotations

import contextlib
import heapq
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from .amendments import collect
from .calendar import BeyondCalendar, DeadlineComputation, LegalCalendar
from .compiled import (
    NORM_FIELD,
    SIGNAL_ENTRY,
    SIGNAL_EXPIRY,
    SIGNAL_PERIOD,
    Act,
    Amendment,
    CompiledRules,
    Control,
    DemandSpec,
    EffectSpec,
    Handler,
    Norm,
    Power,
    event_fields,
)
from .gc_pause import collection_paused
from .matching import Backend, Fact, Session
from .model import Diagnostic, Event, Text, other_party

# Agenda priorities within one day: the agreement or a service ends at the start of its
# effective date, then deadlines of the previous day are passed, then things begin.
_END_AGREEMENT, _END_SERVICE, _EXPIRY, _START_SERVICE, _ENTRY, _PERIOD = range(6)
ONE_DAY = timedelta(days=1)
_MESSAGES_KEPT = 4096  # distinct diagnostic messages shared at a time
_NO_FIELDS: Mapping[str, Any] = MappingProxyType({})  # shared by every instance fact
_BEYOND = Text(f"au-delà du calendrier : l'échéance tomberait après le {date.max}",
               f"beyond the calendar: the deadline would fall after {date.max}")


@attrs.define(weakref_slot=False)
class Payment:
    on: date
    amount: Decimal
    event: Event


@attrs.define
class DemandRecord:
    """An act of a ``[[demeure]]`` rule applied to an instance, known from ``known_on``.

    ``deadline`` is the last day the debtor may perform from then on (None: the act changed
    no deadline, the instance being late already); ``in_default_on`` the first day the
    debtor is in default under it; ``late_since`` the first late day when it was late
    already; ``term_kept`` the later contractual term that still governs.
    """

    spec: DemandSpec
    event: Event
    known_on: date
    deadline: date | None
    in_default_on: date
    computation: DeadlineComputation | None = None
    late_since: date | None = None
    term_kept: date | None = None


@attrs.define(weakref_slot=False)
class Instance:
    """One obligation instance, filled in as the replay goes; read-only afterwards."""

    seq: int
    norm: Norm
    key: str | None
    debtor: str | None  # None: both parties
    creditor: str | None
    triggered_on: date
    trigger_event: Event | None
    origin: Text | None = None  # why it arose, when not an event (period, expiry, entry)
    deadline: date | None = None
    computation: DeadlineComputation | None = None
    deadline_note: Text | None = None
    standard: str | None = None
    policy_deadline: date | None = None
    amount: Decimal | None = None
    service: str | None = None
    # tuples, not lists: most instances have none or one (memory, at a million events)
    payments: tuple[Payment, ...] = ()
    paid_totals: tuple[Decimal, ...] = ()  # running total after each payment
    performed_on: date | None = None
    performed_by: Event | None = None
    ended_on: date | None = None
    end_reason: Text | None = None
    breached_on: date | None = None
    breach_event: Event | None = None
    survives: bool = False  # survives termination (its norm, or its trigger's fields)
    demands: tuple[DemandRecord, ...] = ()
    outlived: tuple[date, Text] | None = None  # the end it outlived, late or breached
    expired: bool = False  # its dated deadline passed (consequences arose)
    amendment: Amendment | None = None  # the amendment that set its delay, if any

    def pay(self, payment: Payment) -> Decimal:
        """Record a payment (in date order); returns the balance left."""
        total = self.paid_totals[-1] + payment.amount if self.paid_totals else payment.amount
        self.payments += (payment,)
        self.paid_totals += (total,)
        assert self.amount is not None
        return self.amount - total

    def paid_by(self, on: date) -> Decimal:
        """Total paid on or before ``on``: a running total, so a query costs a bisection."""
        count = bisect_right(self.payments, on, key=lambda p: p.on)
        return self.paid_totals[count - 1] if count else Decimal(0)

    def closed_by(self, on: date) -> bool:
        """Terminal on ``on``: performed, ended or breached by then."""
        performed, ended, breached = self.performed_on, self.ended_on, self.breached_on
        return ((performed is not None and performed <= on) or (ended is not None and ended <= on)
                or (breached is not None and breached <= on))

    def deadline_on(self, on: date) -> date | None:
        """The last day to perform as known on ``on``: the contractual deadline (none once a
        mere window has passed), or the one a demand known by then fixed."""
        found = self.deadline
        if self.norm.window_only and found is not None and on > found:
            found = None
        for demand in self.demands:
            if demand.known_on <= on and demand.deadline is not None:
                found = demand.deadline
        return found

    def late_on(self, on: date) -> bool:
        """Owed and past its deadline (an obligation to act; a faculty is never late)."""
        if self.norm.kind != "obligation" or self.closed_by(on) or on < self.triggered_on:
            return False
        deadline = self.deadline_on(on)
        return deadline is not None and on > deadline


@attrs.define
class ServiceState:
    """A service's intervals in force ([start, end) each) and its dated history. A service
    withdrawn and added again keeps its earlier interval, so past answers do not change."""

    name: str
    periods: list[list[date | None]]
    history: list[tuple[date, Text]] = attrs.field(factory=list)

    def in_force(self, on: date) -> bool:
        return any(start is not None and start <= on and (end is None or on < end)
                   for start, end in self.periods)

    def end_at(self, on: date) -> bool:
        """End the open interval on ``on``; False when none is open by then."""
        if not self.periods:
            return False
        last = self.periods[-1]
        if last[1] is not None and last[1] <= on:
            return False
        last[1] = on
        return True

    def start_at(self, on: date) -> None:
        if not self.in_force(on):
            self.periods.append([on, None])


@attrs.frozen
class Context:
    """What the replay needs to know about the agreement besides its events."""

    client: str
    in_force_from: date
    services: Mapping[str, date]  # declared services and their start dates
    calendar: LegalCalendar


@attrs.frozen
class EffectRecord:
    """A dated effect of a power or an effect rule (end of the agreement, a service ending,
    starting or changing), as the replay applied it: the agenda lists these dates."""

    on: date
    action: str
    article: str
    event: Event
    service: str | None = None
    label: Text | None = None


@attrs.frozen
class TerminationNotice:
    """A notice that ends the agreement: known on ``event.date``, effective on ``effective``
    (the first day without the agreement)."""

    event: Event
    article: str
    effective: date


@attrs.define
class ReplayResult:
    instances: list[Instance]
    diagnostics: list[Diagnostic]
    agreement_end: date | None
    end_event: Event | None
    services: dict[str, ServiceState]
    horizon: date
    effects: list[EffectRecord] = attrs.field(factory=list)
    terminations: list[TerminationNotice] = attrs.field(factory=list)


def _receipt_note(event: Event) -> Text:
    return Text(f"avis reçu le {event.received_on}"
                + (" (réception présumée le jour de l'envoi)" if event.received is None else ""),
                f"notice received on {event.received_on}"
                + (" (receipt presumed on the day it was sent)" if event.received is None else ""))


class _Replay:
    def __init__(self, compiled: CompiledRules, ctx: Context, session: Session | None,
                 horizon: date) -> None:
        self.c = compiled
        self.ctx = ctx
        self.cal = ctx.calendar
        self.session: Session = session  # type: ignore[assignment]  # set by Replay
        self.horizon = horizon  # the agenda has been processed up to this date
        self.seq = 0
        self.agenda: list[tuple[date, int, int, tuple[Any, ...]]] = []
        self.instances: list[Instance] = []
        self.by_seq: dict[int, Instance] = {}
        self.keys: dict[str, set[str | None]] = {}  # norm id -> keys, if duplicates reported
        self.keys_by_norm: dict[str, list[str]] = {}
        self.diagnostics: list[Diagnostic] = list(compiled.diagnostics)
        self.end: date | None = None
        self.end_event: Event | None = None
        self.terminations: list[TerminationNotice] = []
        self.services = {name: ServiceState(name, [[max(start, ctx.in_force_from), None]])
                         for name, start in ctx.services.items()}
        self.track_services = bool(ctx.services)
        self.effect_dates: dict[int, date] = {}
        self.periods_done: set[tuple[str, int]] = set()
        self.effects: list[EffectRecord] = []
        self.open: list[Instance] = []  # instances not yet retired from the backend
        self.deadlines: dict[tuple[date, int], DeadlineComputation] = {}
        self.agenda_items: dict[str, Any] = {
            name[len("_agenda_"):]: getattr(self, name)
            for name in dir(self) if name.startswith("_agenda_")}
        self.acts_on = {"execution": self._execution, "extinction": self._extinction,
                        "violation": self._violation}
        self.open_mark = 64
        self.messages: dict[tuple[str, str], Text] = {}

    # ------------------------------------------------------------------ plumbing
    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def schedule(self, on: date, priority: int, item: tuple[Any, ...]) -> None:
        heapq.heappush(self.agenda, (on, priority, self.next_seq(), item))

    def diag(self, code: str, article: str, on: date, fr: str, en: str,
             severity: str = "avertissement", event: Event | None = None,
             rule: str | None = None) -> None:
        message = self.messages.get((fr, en))  # one Text per distinct message (memory)
        if message is None:
            if len(self.messages) >= _MESSAGES_KEPT:
                self.messages.clear()
            message = self.messages[(fr, en)] = Text(fr, en)
        self.diagnostics.append(Diagnostic(code, article, on, message,
                                           severity, event, rule))  # type: ignore[arg-type]

    def in_force(self, on: date) -> bool:
        return self.ctx.in_force_from <= on and (self.end is None or on < self.end)

    def advance(self, limit: date) -> None:
        while self.agenda and self.agenda[0][0] <= limit:
            on, _, _, item = heapq.heappop(self.agenda)
            self.agenda_items[item[0]](on, *item[1:])
        self.horizon = max(self.horizon, limit)

    def retire_closed(self) -> None:
        """Tell the backend which instances are closed (amortised: when the list doubles)."""
        if len(self.open) < self.open_mark:
            return
        on = self.horizon
        still = []
        for inst in self.open:
            if inst.closed_by(on):
                self.session.retire_instance(inst.seq)
            else:
                still.append(inst)
        self.open = still
        self.open_mark = 2 * len(still) + 64

    # ------------------------------------------------------------------ run
    def begin(self) -> None:
        self.schedule(self.ctx.in_force_from, _ENTRY, ("entry",))
        for norm in self.c.period_norms:
            self._schedule_period(norm, 0)

    def feed(self, events: Sequence[Event]) -> None:
        """Replay ``events`` (none dated before the processed horizon), in date order, events
        of one date in their order in the log. Their amendments are read first: the
        parameters are dated before the walk (see ``amendments``)."""
        amendments, notes = collect(self.c, events, self.ctx.in_force_from)
        self.c = self.c.with_amendments(amendments)
        self.diagnostics += notes
        for event in sorted(events, key=_event_date):  # stable: a date's events keep their order
            self.advance(event.date)
            self.handle(event)
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
        fact = Fact(self.next_seq(), "evenement", event.type, event.by, None,
                    event_fields(self.c, event))
        matches = self.session.match(fact)
        handled = [self.c.handlers[m.rule_id] for m in matches]
        # dict, not set: powers are exercised in match order, whatever the hash seed.
        powers = {h.target: h.power for h in handled if h.role == "pouvoir"}
        for power in powers.values():
            assert power is not None
            if not self.exercise(power, event):
                return  # a void act has no other effect
        interpreted = any(h.role != "controle" and not self._idle(h, event) for h in handled)
        if matches and not interpreted:
            self.uninterpreted(event, handled)
        if not matches and not self.reports_unknown(event):
            acting = event.type in self.c.acting_types
            self.diag("reference_inconnue" if acting else "evenement_sans_effet",
                      self._fed_articles(event.type),
                      event.date,
                      "aucune obligation ouverte ne correspond à cet événement (clé, règle ou "
                      "partie)" if acting else "aucune règle ne s'applique à cet événement",
                      "no live obligation matches this event (key, rule or party)" if acting
                      else "no rule applies to this event",
                      severity="avertissement" if acting else "info", event=event)
        performed_types: set[str] = set()
        for match, handler in zip(matches, handled, strict=True):
            act_on = self.acts_on.get(handler.role)
            if act_on is not None:  # execution, extinction, violation of an instance
                assert match.instance_seq is not None and handler.act is not None
                inst = self.by_seq[match.instance_seq]
                performed_types.add(inst.norm.id)
                act_on(inst, handler.act, event)
            elif handler.role == "controle":
                assert handler.control is not None
                self.control(handler.control, event)
            elif handler.role == "effet":
                effect = handler.effect
                assert effect is not None
                required = next((c for c in self.c.book.controls
                                 if c.id == effect.requires_control), None)
                if required is not None and required.missing(event):
                    continue  # the control's own diagnostic says why
                self.apply_effect(effect.effect, event, effect.article,
                                  self._field_date(effect.effect, event), effect.label)
            elif handler.role == "declencheur":
                assert handler.norm is not None
                self.trigger_from_event(handler.norm, event)
        for handler in handled:
            if handler.role == "demeure":
                assert handler.demand is not None
                self.demand(handler.demand, event, performed_types)
        self.unknown_references(event, performed_types)

    def _fed_articles(self, event_type: str) -> str:
        return self.c.fed_articles.get(event_type, "-")

    def reports_unknown(self, event: Event) -> bool:
        """Does a norm report its own unknown reference for this event type?"""
        return event.type in self.c.unknown_reference_acts

    def unknown_references(self, event: Event, matched_norms: set[str]) -> None:
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
        if handler.role != "effet" or handler.effect is None:
            return False
        field = handler.effect.effect.parameters_field
        return field is not None and field not in event.data

    def uninterpreted(self, event: Event, handled: list[Handler]) -> None:
        """An event that only controls apply to and that passes them: its content is not
        interpreted (say so rather than drop it in silence)."""
        for handler in handled:
            control = handler.control
            if control is not None and control.missing(event):
                return
        self.diag("contenu_non_interprete", self._fed_articles(event.type), event.date,
                  "acte conforme, mais son contenu n'est pas interprété : les règles encodées "
                  "n'en sont pas modifiées", "a conforming act, but its content is not "
                  "interpreted: the encoded rules are unchanged", severity="info", event=event)

    # ------------------------------------------------------------------ demands
    def demand(self, spec: DemandSpec, event: Event, acted_norms: set[str]) -> None:
        """Put the debtor of an owed instance in default (C.c.Q. mechanism of the rule)."""
        rule_id = str(event.data.get(spec.rule_field, ""))
        key = event.data.get(spec.key_field) if spec.key_field is not None else None
        norm = self.c.norm_by_id.get(rule_id)
        on = event.date
        if norm is not None and norm.kind == "continue":
            if norm.id not in acted_norms:  # a breach by the wrong party, or after the end
                self._no_demand(spec, event, "reference_inconnue",
                                "aucune obligation ouverte ne correspond à cet événement "
                                "(clé, règle ou partie)",
                                "no live obligation matches this event (key, rule or party)")
            return
        if norm is None or norm.kind != "obligation":
            self._no_demand(spec, event, "reference_inconnue",
                            f"{rule_id!r} n'est pas une obligation de l'entente : sans effet",
                            f"{rule_id!r} is not an obligation of the agreement: no effect")
            return
        owed = [i for i in self.instances if i.norm is norm and i.triggered_on <= on
                and not i.closed_by(on) and (key is None or i.key == str(key))]
        if not owed:
            self._no_demand(spec, event, "reference_inconnue",
                            f"aucune instance due de {rule_id} pour la clé {key!r} le {on} : "
                            "sans effet", f"no owed instance of {rule_id} for key {key!r} on "
                            f"{on}: no effect")
            return
        role = "creancier" if spec.by == "creancier" else "debiteur"
        role_en = "creditor" if spec.by == "creancier" else "debtor"
        allowed = [i for i in owed if _may_act(i, event.by, spec.by)]
        if not allowed:
            who = owed[0].creditor if spec.by == "creancier" else owed[0].debtor
            self._no_demand(spec, event, "partie_non_habilitee",
                            f"{event.by} n'est pas {role} de {rule_id} ({key or '-'}) "
                            f"({role} : {who or 'parties'}) : sans effet",
                            f"{event.by} is not the {role_en} of {rule_id} ({key or '-'}) "
                            f"({who or 'both parties'}): no effect")
            return
        if key is None and len(allowed) > 1:
            keys = ", ".join(str(i.key) for i in allowed)
            self._no_demand(spec, event, "reference_inconnue",
                            f"plusieurs instances dues de {rule_id} ({keys}) : la clé est "
                            "requise ; sans effet", f"several owed instances of {rule_id} "
                            f"({keys}): the key is required; no effect")
            return
        for inst in allowed:
            self._apply_demand(spec, event, inst)

    def _no_demand(self, spec: DemandSpec, event: Event, code: str, fr: str, en: str) -> None:
        self.diag(code, spec.article, event.date, fr, en, event=event, rule=spec.id)

    def _apply_demand(self, spec: DemandSpec, event: Event, inst: Instance) -> None:
        on = event.date
        computation = None
        if spec.delay_field is not None:
            computation = self.cal.explain_after(event.received_on,
                                                 int(event.data[spec.delay_field]))
            fixed = computation.deadline
        else:
            fixed = on - ONE_DAY  # in default from the act's own date
        current = inst.deadline_on(on)
        if inst.norm.window_only and inst.deadline is not None and on <= inst.deadline:
            current = inst.deadline
        if inst.late_on(on):
            assert current is not None
            inst.demands += (DemandRecord(spec, event, on, None, max(fixed, current) + ONE_DAY,
                                          computation, late_since=current + ONE_DAY),)
            return
        term_kept = None
        if spec.delay_field is not None and current is not None and current >= fixed:
            term_kept, fixed = current, current
        inst.demands += (DemandRecord(spec, event, on, fixed, fixed + ONE_DAY, computation,
                                      term_kept=term_kept),)

    # ------------------------------------------------------------------ instances
    def create(self, norm: Norm, on: date, key: str | None, event: Event | None,
               debtor: str | None, creditor: str | None, origin: Text | None = None,
               period_end: date | None = None) -> Instance | None:
        survives = norm.survives(event.data if event is not None else None)
        if not self.in_force(on) and not survives:
            self.diag("hors_vigueur", norm.article, on,
                      f"l'entente n'est pas en vigueur le {on} : l'obligation « {norm.label.fr} »"
                      " ne naît pas", f"the agreement is not in force on {on}: the obligation "
                      f"'{norm.label.en}' does not arise", severity="info", event=event,
                      rule=norm.id)
            return None
        service = None
        if norm.service_field is not None and event is not None:
            service = str(event.data.get(norm.service_field))
            if self.track_services and not self._service_in_force(service, on):
                self.diag("service_inconnu", norm.article, on,
                          f"le service {service!r} n'est pas en vigueur le {on}",
                          f"service {service!r} is not in force on {on}", severity="erreur",
                          event=event, rule=norm.id)
                return None
        if norm.duplicates == "diagnostic" and key in self.keys.get(norm.id, ()):
            self.diag("doublon", norm.article, on,
                      f"« {norm.label.fr} » existe déjà pour la clé {key!r} : ignoré",
                      f"'{norm.label.en}' already exists for key {key!r}: ignored",
                      severity="erreur", event=event, rule=norm.id)
            return None
        inst = Instance(self.next_seq(), norm, key, debtor, creditor, on, event, origin,
                        service=service, survives=survives)
        if event is not None and norm.trigger.amount_field is not None:
            inst.amount = event.data[norm.trigger.amount_field]
        self.set_deadline(inst, event, period_end)
        self.instances.append(inst)
        self.by_seq[inst.seq] = inst
        if norm.duplicates == "diagnostic":
            self.keys.setdefault(norm.id, set()).add(key)
        if key is not None:
            self.keys_by_norm.setdefault(norm.id, []).append(key)
        self.session.add_instance(Fact(inst.seq, "instance", norm.id, debtor, key, _NO_FIELDS))
        self.open.append(inst)
        if inst.deadline is not None and inst.deadline < date.max:
            self.schedule(inst.deadline + ONE_DAY, _EXPIRY, ("expiry", inst))
        return inst

    def set_deadline(self, inst: Instance, event: Event | None, period_end: date | None) -> None:
        spec = inst.norm.deadline
        if spec is None:
            return
        if spec.form == "jours":
            days = self.c.param(spec.days, inst.triggered_on)
            inst.amendment = self.c.source_of(spec.days, inst.triggered_on)
            start = inst.triggered_on
            if event is not None and spec.since == "reception":
                start = event.received_on
                if event.received is None:
                    inst.deadline_note = _receipt_note(event)
            elif event is not None and spec.since not in ("date", "reception"):
                start = event.data[spec.since]
            computation = self.deadlines.get((start, days))
            if computation is None:  # shared: invoices of one day share their deadline
                try:
                    computation = self.cal.explain_after(start, days)
                except BeyondCalendar:
                    inst.deadline_note = _BEYOND
                    return
                self.deadlines[(start, days)] = computation
            inst.computation = computation
            inst.deadline = inst.computation.deadline
        elif spec.form == "norme":
            assert spec.standard is not None
            inst.standard = spec.standard
            working = self.cal.policy.vague_deadline(spec.standard)
            if working is not None:
                with contextlib.suppress(BeyondCalendar):  # no indicative date in the calendar
                    inst.policy_deadline = self.cal.add_working_days(inst.triggered_on, working)
        elif spec.form == "fin_periode":
            if period_end is None:  # the period ends beyond the calendar
                inst.deadline_note = _BEYOND
                return
            inst.deadline = period_end
            inst.deadline_note = Text(f"dernier jour de la période ({period_end})",
                                      f"last day of the period ({period_end})")
        elif spec.form == "veille_effet":
            assert event is not None
            effect = self.effect_dates[id(event)]
            inst.deadline = effect - ONE_DAY
            inst.deadline_note = Text(f"veille de la prise d'effet ({effect})",
                                      f"day before it takes effect ({effect})")

    def trigger_from_event(self, norm: Norm, event: Event) -> None:
        trig = norm.trigger
        if trig.excluded and all(event.data.get(name) == value
                                 for name, value in trig.excluded):
            return  # "sauf": this event does not create this norm's instance
        key = None
        if trig.key_field is not None:
            value = event.data.get(trig.key_field)
            key = None if value is None else str(value)
        debtor = _party(norm.debtor, event.by)
        creditor = _party(norm.creditor, event.by)
        self.create(norm, event.date, key, event, debtor, creditor)

    def _execution(self, inst: Instance, act: Act, event: Event) -> None:
        on = event.date
        window = inst.deadline_on(on)
        if inst.norm.kind == "faculte" and window is not None and on > window \
                and not inst.closed_by(on):
            self.diag("faculte_expiree", inst.norm.article, on,
                      f"« {inst.norm.label.fr} » ({inst.key}) : fenêtre close le {window}",
                      f"'{inst.norm.label.en}' ({inst.key}): window closed on {window}",
                      severity="info", event=event, rule=inst.norm.id)
            return
        if inst.closed_by(on):
            if act.amount_field is not None:
                amount = event.data[act.amount_field]
                self.diag("paiement_excedentaire", inst.norm.article, on,
                          f"paiement de {amount} sur « {inst.key} » déjà acquittée ou éteinte",
                          f"payment of {amount} on '{inst.key}', already settled or discharged",
                          severity="erreur", event=event, rule=inst.norm.id)
            else:
                self.diag("deja_executee", inst.norm.article, on,
                          f"« {inst.norm.label.fr} » ({inst.key}) n'était plus due",
                          f"'{inst.norm.label.en}' ({inst.key}) was no longer owed",
                          severity="info", event=event, rule=inst.norm.id)
            return
        if act.amount_field is None or inst.amount is None:
            inst.performed_on, inst.performed_by = on, event
            return
        balance = inst.pay(Payment(on, event.data[act.amount_field], event))
        if balance <= 0:
            inst.performed_on, inst.performed_by = on, event
        if balance < 0:
            self.diag("paiement_excedentaire", inst.norm.article, on,
                      f"trop-payé de {-balance} sur « {inst.key} »",
                      f"overpayment of {-balance} on '{inst.key}'",
                      severity="erreur", event=event, rule=inst.norm.id)

    def _extinction(self, inst: Instance, act: Act, event: Event) -> None:
        if inst.closed_by(event.date):
            return
        inst.ended_on = event.date
        inst.end_reason = act.reason or Text(event.type, event.type)
        inst.performed_by = None

    def _violation(self, inst: Instance, act: Act, event: Event) -> None:
        if inst.closed_by(event.date):
            if inst.breached_on is not None:
                self.diag("violation_repetee", inst.norm.article, event.date,
                          f"nouveau manquement à « {inst.norm.label.fr} »",
                          f"further breach of '{inst.norm.label.en}'",
                          severity="erreur", event=event, rule=inst.norm.id)
            return
        inst.breached_on, inst.breach_event = event.date, event

    # ------------------------------------------------------------------ powers and effects
    def exercise(self, power: Power, event: Event) -> bool:
        if power.holder != "parties" and event.by != power.holder:
            self.diag("pouvoir_non_detenu", power.article, event.date,
                      f"{event.by} ne détient pas le pouvoir « {power.label.fr} » "
                      f"(titulaire : {power.holder}) : acte sans effet",
                      f"{event.by} does not hold the power '{power.label.en}' "
                      f"(holder: {power.holder}): the act has no effect",
                      severity="erreur", event=event, rule=power.id)
            return False
        try:
            effect_on = self._effect_date(power, event)
        except OverflowError:  # BeyondCalendar, or Python's own date overflow
            self.diag("effet_hors_calendrier", power.article, event.date,
                      f"« {power.label.fr} » prendrait effet au-delà du calendrier (après le "
                      f"{date.max}) : sans effet avant", f"'{power.label.en}' would take effect "
                      f"beyond the calendar (after {date.max}): no effect before",
                      event=event, rule=power.id)
            return True
        self.effect_dates[id(event)] = effect_on
        self.apply_effect(power.effect, event, power.article, effect_on, power.label)
        return True

    def _effect_date(self, power: Power, event: Event) -> date:
        """When an exercise of ``power`` takes effect, with the notice the rule requires
        (a non-conforming notice is corrected by law and reported)."""
        effect_on = self._field_date(power.effect, event)
        notice = power.notice
        if notice is not None:
            days = self.c.param(notice.days, event.received_on)
            received = event.received_on
            if notice.before_field is not None:
                proposed = event.data[notice.before_field]
                latest = self.cal.before(proposed, days)
                if received > latest:
                    effect_on = received + timedelta(days=days)
                    while self.cal.before(effect_on, days) < received:
                        effect_on += ONE_DAY
                    self.diag("preavis_tardif", power.article, event.date,
                              f"avis reçu le {received}, après le {latest} (au moins {days} jours "
                              f"avant le {proposed}) : prise d'effet reportée au {effect_on}",
                              f"notice received on {received}, after {latest} (at least {days} "
                              f"days before {proposed}): takes effect on {effect_on} instead",
                              event=event, rule=power.id)
                else:
                    effect_on = proposed
            else:
                earliest = received + timedelta(days=days + 1)
                proposed = effect_on if power.effect.date_field in event.data else earliest
                if proposed < earliest:
                    self.diag("preavis_insuffisant", power.article, event.date,
                              f"date d'effet demandée {proposed} avant le délai minimum de "
                              f"{days} jours suivant la réception ({received}) : prend effet "
                              f"le {earliest}",
                              f"requested effective date {proposed} is before the {days}-day "
                              f"minimum after receipt ({received}): takes effect on {earliest}",
                              event=event, rule=power.id)
                effect_on = max(proposed, earliest)
        return effect_on

    def _field_date(self, spec: EffectSpec, event: Event) -> date:
        if spec.date_field is not None and spec.date_field in event.data:
            value = event.data[spec.date_field]
            assert isinstance(value, date)
            return value
        return event.date

    def apply_effect(self, spec: EffectSpec, event: Event, article: str, on: date,
                     label: Text | None = None) -> None:
        """Apply an effect dated ``on``. A date agreed before the event (retroactive) takes
        effect on that date, at once: what was done by the event's date stays done, what was
        still owed then and depended on the changed state is discharged from the agreed date
        (see the end handlers)."""
        if spec.action == "modifier_parametres":
            return  # dated parameters, read from the log before the walk (amendments.py)
        retroactive = on < event.date
        if retroactive:
            self.diag("effet_retroactif", article, event.date,
                      f"date d'effet convenue {on} antérieure à l'événement : l'effet est "
                      f"rétroactif au {on} ; ce qui était accompli le {event.date} demeure",
                      f"agreed effective date {on} is before the event: the effect is "
                      f"retroactive to {on}; what was done by {event.date} stands",
                      severity="info", event=event)
        service = None if spec.service_field is None else str(event.data[spec.service_field])
        if spec.action == "fin_entente" and self.end is not None and self.end <= on:
            self.terminations.append(TerminationNotice(event, article, self.end))
            self.diag("resiliation_deja_prevue", article, event.date,
                      f"la fin de l'entente est déjà fixée au {self.end}",
                      f"the agreement already ends on {self.end}", severity="info",
                      event=event)
            return
        self.effects.append(EffectRecord(on, spec.action, article, event, service, label))
        if spec.action == "fin_entente":
            self.end, self.end_event = on, event
            self.terminations.append(TerminationNotice(event, article, on))
            if retroactive:
                self._agenda_end_agreement(on, event, article)
            else:
                self.schedule(on, _END_AGREEMENT, ("end_agreement", event, article))
        elif spec.action == "fin_service":
            assert service is not None
            if retroactive:
                self._agenda_end_service(on, service, event, article)
            else:
                self.schedule(on, _END_SERVICE, ("end_service", service, event, article))
        elif spec.action == "debut_service":
            assert service is not None
            if retroactive:
                self._agenda_start_service(on, service, event)
            else:
                self.schedule(on, _START_SERVICE, ("start_service", service, event))
        else:  # journal_service: a dated note in the service's history
            assert service is not None
            state = self.services.get(service)
            if state is not None:
                note = label or Text(event.type, event.type)
                state.history.append((on, Text(f"{note.fr} (art. {article})",
                                               f"{note.en} (art. {article})")))

    def control(self, control: Control, event: Event) -> None:
        missing = control.missing(event)
        if missing:
            self.diag(control.code, control.article, event.date,
                      f"{control.message.fr} (manque : {', '.join(missing)})",
                      f"{control.message.en} (missing: {', '.join(missing)})",
                      severity=control.severity, event=event, rule=control.id)

    def _service_in_force(self, name: str, on: date) -> bool:
        state = self.services.get(name)
        return state is not None and state.in_force(on)

    # ------------------------------------------------------------------ agenda items
    def _agenda_entry(self, on: date) -> None:
        fact = Fact(self.next_seq(), "signal", SIGNAL_ENTRY)
        for match in self.session.match(fact):
            norm = self.c.norm(self.c.handlers[match.rule_id].target)
            origin = Text(f"entrée en vigueur de l'entente ({on})",
                          f"entry into force of the agreement ({on})")
            if norm.trigger.per_party:
                for party in ("mcn", "client"):
                    self.create(norm, on, party, None, party, other_party(party), origin)
            else:
                debtor = None if norm.debtor == "parties" else norm.debtor
                self.create(norm, on, debtor, None, debtor,
                            None if norm.creditor == "parties" else norm.creditor, origin)

    def _agenda_expiry(self, on: date, inst: Instance) -> None:
        """The day after a deadline: the contractual one (a lapse, or consequences arise) or
        one a demand fixed (the instance is then simply late)."""
        if inst.closed_by(on) or inst.expired or inst.deadline != on - ONE_DAY:
            return  # performed or ended, already passed, or a demand's own deadline
        inst.expired = True
        demanded = any(d.deadline is not None and d.known_on < on for d in inst.demands)
        if inst.norm.lapses and not demanded:
            inst.ended_on, inst.end_reason = on, inst.norm.on_expiry
        fact = Fact(self.next_seq(), "signal", SIGNAL_EXPIRY, inst.debtor, inst.key,
                    {NORM_FIELD: inst.norm.id})
        for match in self.session.match(fact):
            norm = self.c.norm(self.c.handlers[match.rule_id].target)
            origin = Text(f"délai de « {inst.norm.label.fr} » (art. {inst.norm.article}) expiré "
                          f"le {inst.deadline} sans exécution",
                          f"time for '{inst.norm.label.en}' (art. {inst.norm.article}) ran out "
                          f"on {inst.deadline} without performance")
            self.create(norm, on, inst.key, inst.trigger_event,
                        _party(norm.debtor, inst.debtor), _party(norm.creditor, inst.debtor),
                        origin)

    def _agenda_end_agreement(self, on: date, event: Event, article: str) -> None:
        if self.end != on:
            return  # superseded by an earlier end
        reason = Text(f"fin de l'entente le {on} (art. {article})",
                      f"agreement ended on {on} (art. {article})")
        settled = max(on, event.date)  # a retroactive end leaves what was done by then
        for inst in self.instances:
            if not inst.survives:
                self._end_for_the_future(inst, on, reason, settled)
        for state in self.services.values():
            state.end_at(on)
        self._close_periods(on)

    def _agenda_end_service(self, on: date, service: str, event: Event, article: str) -> None:
        # A service this replay never saw start is not invented here: it would then appear
        # to have been in force since entry into force, before the withdrawal was known.
        state = self.services.get(service)
        if state is not None and not state.end_at(on):
            return
        if state is not None:
            state.history.append((on, Text(f"retrait du service (art. {article})",
                                       f"service withdrawn (art. {article})")))
        reason = Text(f"retrait du service {service} le {on} (art. {article})",
                      f"service {service} withdrawn on {on} (art. {article})")
        settled = max(on, event.date)  # a retroactive withdrawal leaves what was done by then
        for inst in self.instances:
            if inst.service == service and not inst.norm.survives_withdrawal:
                self._end_for_the_future(inst, on, reason, settled)

    @staticmethod
    def _end_for_the_future(inst: Instance, on: date, reason: Text, settled: date) -> None:
        """An end works for the future only: what is still due is discharged; a default
        already acquired (late, or breached) stays, its debtor at fault. An end agreed on
        ``settled`` with effect on an earlier ``on`` (retroactive) leaves what was done by
        ``settled`` as it was; what was still owed is discharged from ``on``, or from its
        birth when later."""
        if (inst.breached_on is not None and inst.breached_on < on) or inst.late_on(on):
            if inst.outlived is None:
                inst.outlived = (on, reason)
            return
        if inst.closed_by(settled):
            return
        window = inst.deadline_on(on)
        if inst.norm.kind == "faculte" and window is not None and on > window:
            return  # a window already closed stays as it closed
        inst.ended_on, inst.end_reason = max(on, inst.triggered_on), reason

    def _agenda_start_service(self, on: date, service: str, event: Event) -> None:
        if not self.in_force(on):
            return
        state = self.services.setdefault(service, ServiceState(service, []))
        state.start_at(on)
        state.history.append((on, Text("ajout du service", "service added")))

    # ------------------------------------------------------------------ periods
    def _period(self, norm: Norm, k: int) -> tuple[date, date | None, str, str]:
        return period_bounds(self.c, self.cal, self.ctx.in_force_from, norm, k)

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
            self.schedule(tick, _PERIOD, ("period", norm, k))

    def _agenda_period(self, on: date, norm: Norm, k: int) -> None:
        start, end, label, next_label = self._period(norm, k)
        if self.end is not None and start >= self.end:
            return  # the period begins after the agreement ended: no more periods
        if (norm.id, k) in self.periods_done:
            return
        if self.end is not None and (end is None or end >= self.end):
            end = self.end - ONE_DAY  # the last period stops with the agreement
        else:
            self._schedule_period(norm, k + 1)
        if norm.trigger.birth == "debut" and not self.in_force(on):
            return
        self.periods_done.add((norm.id, k))
        fact = Fact(self.next_seq(), "signal", SIGNAL_PERIOD, None, None, {NORM_FIELD: norm.id})
        if not self.session.match(fact):
            return
        key = label if norm.trigger.key_of == "periode" else next_label
        shown_end = end if end is not None else f"> {date.max}"
        origin = Text(f"période {label} ({start} au {shown_end})",
                      f"period {label} ({start} to {shown_end})")
        self.create(norm, on, key, None, _party(norm.debtor, None),
                    _party(norm.creditor, None), origin, period_end=end)

    def _close_periods(self, on: date) -> None:
        """When the agreement ends inside a period, that period ends with it: its instance
        (born the day after the period ends) arises on the effective date."""
        for norm in self.c.period_norms:
            trig = norm.trigger
            if trig.birth != "lendemain_fin":
                continue
            k = 0
            while True:
                start, end, _, _ = self._period(norm, k)
                if start >= on:
                    break
                if end is None or end >= on:
                    self.schedule(on, _PERIOD, ("period", norm, k))
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
            base = cal.fiscal_year_start(origin)

            def nth(j: int) -> date:
                if base.year + j > date.max.year:
                    raise BeyondCalendar(f"exercice {base.year + j}",
                                         f"fiscal year {base.year + j}")
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


def _event_date(event: Event) -> date:
    return event.date


def _party(role: str, actor: str | None) -> str | None:
    if role in ("mcn", "client"):
        return role
    if role == "parties" or actor is None:
        return None
    return actor if role == "auteur" else other_party(actor)


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

    def _step(self, action: Any, *args: Any) -> None:
        if self._broken:
            raise RuntimeError("this replay failed earlier: start a new one")
        try:
            with self._backend.session(self._compiled.rules, resume=self._session) as session, \
                    collection_paused():
                self._state.session = session
                action(*args)
                self._session = session
        except BaseException:
            self._broken = True
            raise

    def feed(self, events: Sequence[Event]) -> None:
        if events:
            first = min(e.date for e in events)
            if first < self._state.horizon:
                raise ValueError(f"events dated {first}, before the replayed horizon "
                                 f"{self._state.horizon}")
            self._step(self._state.feed, events)

    def advance(self, horizon: date) -> None:
        """Process the agenda up to ``horizon`` included (items an event scheduled on its own
        date included)."""
        agenda = self._state.agenda
        if horizon > self._state.horizon or self._session is None or (
                agenda and agenda[0][0] <= horizon):
            self._step(self._state.advance, horizon)


def _may_act(inst: Instance, party: str | None, role: str) -> bool:
    """May ``party`` make a demand on ``inst`` (as its creditor) or record its own breach
    (as its debtor)? An instance owed by or to both parties accepts either."""
    who = inst.creditor if role == "creancier" else inst.debtor
    return who is None or who == party


__all__ = ["Context", "DemandRecord", "EffectRecord", "Instance", "Replay", "ReplayResult",
           "ServiceState", "TerminationNotice", "period_bounds", "replay"]
