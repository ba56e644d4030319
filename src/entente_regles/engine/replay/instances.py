"""The replay's instance lifecycle: an obligation instance arises (with its deadline), is
performed, paid, ended or breached, passes its deadline, or is ended for the future."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from entente_regles.calendar.legal import BeyondCalendar
from entente_regles.core.event import Event
from entente_regles.core.values import Text
from entente_regles.engine.compiled import NORM_FIELD, SIGNAL_EXPIRY, Act, Norm
from entente_regles.engine.matching import Fact, new_fact
from entente_regles.engine.replay.items import Expiry
from entente_regles.engine.replay.records import Instance
from entente_regles.engine.replay.state import ReplayState, party_of

ONE_DAY = timedelta(days=1)
_NO_FIELDS: Mapping[str, Any] = MappingProxyType({})  # shared by every instance fact
_BEYOND = Text(f"au-delà du calendrier : l'échéance tomberait après le {date.max}",
               f"beyond the calendar: the deadline would fall after {date.max}")


class Lifecycle(ReplayState):
    """Instances: their birth, deadline, performance, end and breach."""

    def create(self, norm: Norm, on: date, key: str | None, event: Event | None,
               debtor: str | None, creditor: str | None, origin: Text | None = None,
               period_end: date | None = None) -> Instance | None:
        # Norm.survives, without its call for a norm that has no survival test (most)
        survives = norm.survives_termination or (
            bool(norm.survival_tests) and norm.survives(event.data if event is not None else None))
        end = self.end
        if not (self.ctx.in_force_from <= on and (end is None or on < end)) \
                and not survives:  # not self.in_force(on), inlined: once per instance
            self.diag("hors_vigueur", norm.article, on,
                      f"l'entente n'est pas en vigueur le {on} : l'obligation « {norm.label.fr} »"
                      " ne naît pas", f"the agreement is not in force on {on}: the obligation "
                      f"'{norm.label.en}' does not arise", severity="info", event=event,
                      rule=norm.id)
            return None
        service = None
        if norm.service_field is not None and event is not None:
            service = str(event.data.get(norm.service_field))
            if self.track_services and not self.service_in_force(service, on):
                self.diag("service_inconnu", norm.article, on,
                          f"le service {service!r} n'est pas en vigueur le {on}",
                          f"service {service!r} is not in force on {on}", severity="erreur",
                          event=event, rule=norm.id)
                return None
        unique = norm.duplicates == "diagnostic"
        known = self.keys.get(norm.id) if unique else None
        if known is not None and key in known:
            self.diag("doublon", norm.article, on,
                      f"« {norm.label.fr} » existe déjà pour la clé {key!r} : ignoré",
                      f"'{norm.label.en}' already exists for key {key!r}: ignored",
                      severity="erreur", event=event, rule=norm.id)
            return None
        self.seq += 1  # next_seq(), inlined: once per instance
        amount_field = norm.trigger.amount_field
        inst = Instance(self.seq, norm, key, debtor, creditor, on, event, origin,
                        amount=None if event is None or amount_field is None
                        else event.data[amount_field], service=service, survives=survives)
        self.set_deadline(inst, event, period_end)
        self.instances.append(inst)
        self.by_seq[inst.seq] = inst
        if unique:
            if known is None:
                known = self.keys[norm.id] = set()
            known.add(key)
        if key is not None:
            keys = self.keys_by_norm.get(norm.id)
            if keys is None:
                keys = self.keys_by_norm[norm.id] = []
            keys.append(key)
        self.session.add_instance(
            new_fact(Fact, (inst.seq, "instance", norm.id, debtor, key, _NO_FIELDS)))
        if self.session.retires:
            self.open.append(inst)
        deadline = inst.deadline
        if deadline is not None and deadline < date.max and norm.id in self.c.expiry_acts:
            self.seq += 1  # schedule(), inlined: once per instance whose expiry acts
            self.agenda.schedule(deadline + ONE_DAY, Expiry(inst), self.seq)
        return inst

    def set_deadline(self, inst: Instance, event: Event | None, period_end: date | None) -> None:
        spec = inst.norm.deadline
        if spec is None:
            return
        if spec.form == "jours":
            delay = self.delays.get((spec.days, inst.triggered_on))
            if delay is None:  # shared: instances born on one day share their delay
                delay = self.delays[(spec.days, inst.triggered_on)] = (
                    self.c.param(spec.days, inst.triggered_on),
                    self.c.source_of(spec.days, inst.triggered_on))
            days, inst.amendment = delay
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
            # The rule's references check that the power is exercised by this very event.
            assert self.effect_of is not None and self.effect_of[0] is event
            effect = self.effect_of[1]
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
        debtor = party_of(norm.debtor, event.by)
        creditor = party_of(norm.creditor, event.by)
        self.create(norm, event.date, key, event, debtor, creditor)

    def execute(self, inst: Instance, act: Act, event: Event) -> None:
        on = event.date
        window = inst.deadline_on(on) if inst.norm.kind == "faculte" else None
        if window is not None and on > window and not inst.closed_by(on):
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
            else:  # frequent (every invoice of a period already invoiced): formatted once
                memo = ("deja_executee", inst.norm.id, str(inst.key))
                if not self.diag_again(memo, "deja_executee", inst.norm.article, on, "info",
                                       event, inst.norm.id):
                    self.diag("deja_executee", inst.norm.article, on,
                              f"« {inst.norm.label.fr} » ({inst.key}) n'était plus due",
                              f"'{inst.norm.label.en}' ({inst.key}) was no longer owed",
                              severity="info", event=event, rule=inst.norm.id, memo=memo)
            return
        if act.amount_field is None or inst.amount is None:
            inst.performed_on, inst.performed_by = on, event
            return
        balance = inst.pay(on, event.data[act.amount_field], event)
        if balance <= 0:
            inst.performed_on, inst.performed_by = on, event
        if balance < 0:
            self.diag("paiement_excedentaire", inst.norm.article, on,
                      f"trop-payé de {-balance} sur « {inst.key} »",
                      f"overpayment of {-balance} on '{inst.key}'",
                      severity="erreur", event=event, rule=inst.norm.id)

    def extinguish(self, inst: Instance, act: Act, event: Event) -> None:
        if inst.closed_by(event.date):
            return
        inst.ended_on = event.date
        inst.end_reason = act.reason or Text(event.type, event.type)
        inst.performed_by = None

    def breach(self, inst: Instance, act: Act, event: Event) -> None:
        if inst.closed_by(event.date):
            if inst.breached_on is not None:
                self.diag("violation_repetee", inst.norm.article, event.date,
                          f"nouveau manquement à « {inst.norm.label.fr} »",
                          f"further breach of '{inst.norm.label.en}'",
                          severity="erreur", event=event, rule=inst.norm.id)
            return
        inst.breached_on, inst.breach_event = event.date, event

    def on_expiry(self, on: date, inst: Instance) -> None:
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
                        party_of(norm.debtor, inst.debtor), party_of(norm.creditor, inst.debtor),
                        origin)

    @staticmethod
    def end_for_the_future(inst: Instance, on: date, reason: Text, settled: date) -> None:
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

def _receipt_note(event: Event) -> Text:
    return Text(f"avis reçu le {event.received_on}"
                + (" (réception présumée le jour de l'envoi)" if event.received is None else ""),
                f"notice received on {event.received_on}"
                + (" (receipt presumed on the day it was sent)" if event.received is None else ""))

