"""Partial holds in the replay (``retenue``, decision 71): the acts that hold back part of an
instance's balance and those that lift it. The records and the lateness they leave are in
``held``."""

from __future__ import annotations

from decimal import Decimal

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.event import Event
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.engine.replay.held import ZERO, HoldRecord, held_on
from entente_regles.engine.replay.records import Instance
from entente_regles.engine.replay.state import InUse
from entente_regles.rules.norms import Hold, Release
from entente_regles.words.replay import both


class Holds:
    """The holds of the replay: the instances of norms with a ``retenue``, by norm and key,
    and the open holds by reference."""

    def __init__(self, in_use: InUse, calendar: LegalCalendar, diagnostics: Diagnostics
                 ) -> None:
        self._in_use = in_use
        self._calendar = calendar
        self._diagnostics = diagnostics
        self._by_key: dict[tuple[str, str | None], list[Instance]] = {}
        # (norm, reference) -> the open holds it names
        self._open: dict[tuple[str, str], list[tuple[Instance, HoldRecord]]] = {}
        holding: dict[str, list[str]] = {}
        releasing: dict[str, list[tuple[str, Hold]]] = {}
        for norm in in_use.compiled.norms:
            if norm.hold is not None:
                holding.setdefault(norm.hold.event, []).append(norm.id)
                for lifting in norm.hold.releases:
                    releasing.setdefault(lifting.event, []).append((norm.id, norm.hold))
        self._holding = holding
        self._releasing = releasing
        self.types = frozenset(holding) | frozenset(releasing)  # the event types it reads

    def register(self, inst: Instance) -> None:
        """``inst`` (of a norm with a hold) arose: acts naming its key may hold part of it."""
        self._by_key.setdefault((inst.norm.id, inst.key), []).append(inst)

    def on_event(self, event: Event) -> bool:
        """Apply ``event`` if it holds or lifts part of a balance; True when it did."""
        used = False
        for norm_id in self._holding.get(event.type, ()):
            used = self._hold(norm_id, event) or used
        for norm_id, hold in self._releasing.get(event.type, ()):
            used = self._release(norm_id, hold, event) or used
        return used

    def _hold(self, norm_id: str, event: Event) -> bool:
        compiled = self._in_use.compiled
        norm = compiled.norm(norm_id)
        hold = norm.hold
        assert hold is not None
        value = event.data.get(hold.key_field)
        key = None if value is None else str(value)
        found = [i for i in self._by_key.get((norm_id, key), ())
                 if not i.closed_by(event.date) and i.triggered_on <= event.date]
        if not found:  # said, never silent: nothing owed under that key holds anything
            self._diagnostics.report("retenue_sans_objet", norm.article, event.date,
                                     both("hold_nothing_owed", label=norm.label, key=key,
                                          on=event.date),
                                     severity="avertissement", event=event, rule=norm.id)
            return False
        inst = found[-1]
        on = event.date
        asked = event.data.get(hold.amount_field)
        if not isinstance(asked, Decimal) or inst.amount is None:
            return False  # no amount named (an optional field): nothing is held
        deadline = inst.deadline_on(on)
        if deadline is not None and on > deadline:
            self._diagnostics.report("retenue_tardive", norm.article, on,
                                     both("hold_too_late", label=norm.label, key=key,
                                          deadline=deadline),
                                     severity="avertissement", event=event, rule=norm.id)
            return True
        free = inst.amount - inst.paid_by(on) - (held_on(inst, on) or ZERO)
        amount = asked
        if asked > free:
            amount = free if free > 0 else ZERO
            self._diagnostics.report("retenue_excedentaire", norm.article, on,
                                     both("hold_exceeds", asked=self._diagnostics.amount(asked),
                                          held=self._diagnostics.amount(amount), key=key),
                                     severity="avertissement", event=event, rule=norm.id)
        ref = str(event.data.get(hold.ref_field))
        record = HoldRecord(ref, on, amount, event)
        inst.holds = (*inst.holds, record)
        self._open.setdefault((norm_id, ref), []).append((inst, record))
        return True

    def _release(self, norm_id: str, hold: Hold, event: Event) -> bool:
        used = False
        for lifting in hold.releases:
            if lifting.event != event.type:
                continue
            ref = str(event.data.get(lifting.ref_field))
            for inst, record in self._open.pop((norm_id, ref), ()):
                used = True
                self._lift(inst, record, hold, lifting, event)
        return used

    def _lift(self, inst: Instance, record: HoldRecord, hold: Hold, lifting: Release,
              event: Event) -> None:
        """``event`` lifts ``record``: the part it names (or, naming none, all of it when the
        release says « exigible ») becomes payable; the rest is no longer owed, recorded as a
        credit on the balance."""
        on = event.date
        named = None if lifting.payable_field is None else event.data.get(lifting.payable_field)
        if isinstance(named, Decimal):
            payable = min(named, record.amount)
            if named > record.amount:
                diagnostics = self._diagnostics
                diagnostics.report("levee_excedentaire", inst.norm.article, on,
                                   both("release_exceeds", named=diagnostics.amount(named),
                                        held=diagnostics.amount(record.amount), key=inst.key),
                                   severity="avertissement", event=event, rule=inst.norm.id)
        else:
            payable = record.amount if lifting.rest == "exigible" else ZERO
        days = self._in_use.compiled.param(hold.days, on)
        due = self._calendar.after(on, days) if days else on
        deadline = inst.deadline_on(on)
        if deadline is not None and deadline > due:
            due = deadline
        record.released_on, record.release_event = on, event
        record.payable, record.due = payable, due
        credit = record.amount - payable
        if credit > 0 and not inst.closed_by(on) and inst.pay(on, credit, event) <= 0:
            inst.performed_on, inst.performed_by = on, event


__all__ = ["Holds"]
