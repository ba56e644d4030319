"""Acts on one instance: performed (or paid), ended, breached by an event, or ended for the
future by the agreement's end or a service's withdrawal. Each function changes only the
instance it is given (and reports through the diagnostics)."""

from __future__ import annotations

from datetime import date

from entente_regles.core.event import Event
from entente_regles.core.values import Text
from entente_regles.engine.compiled import Act
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.engine.replay.records import Instance
from entente_regles.words.replay import both


def execute(inst: Instance, act: Act, event: Event, diagnostics: Diagnostics) -> None:
    """``event`` performs ``inst``, or pays towards it."""
    on = event.date
    norm = inst.norm
    if norm.kind == "faculte" and not (inst.performed_on is not None
                                       and inst.performed_on <= on):  # not exercised yet
        # a faculty is never owed: exercised after its window (closed by its lapse or by an
        # end), it is expired, not "no longer owed" (decision 39)
        window = inst.closes_on(on)
        if window is not None and on > window:
            diagnostics.report("faculte_expiree", norm.article, on,
                               both("window_closed", label=norm.label, key=inst.key,
                                    window=window),
                               severity="info", event=event, rule=norm.id)
            return
        if not inst.closed_by(on) and not inst.available_on(on):
            # its condition does not hold that day: the act does not exercise it (decision 60)
            diagnostics.report("condition_non_remplie", norm.article, on,
                               both("faculty_condition_not_met", label=norm.label,
                                    key=inst.key, on=on, condition=inst.condition),
                               severity="erreur", event=event, rule=norm.id)
            return
    if inst.closed_by(on):
        if act.amount_field is not None:
            diagnostics.report("paiement_excedentaire", norm.article, on,
                               both("payment_on_closed",
                                    amount=diagnostics.amount(event.data[act.amount_field]),
                                    key=inst.key), severity="erreur", event=event, rule=norm.id)
        else:  # frequent (every invoice of a period already invoiced): said once
            memo = ("deja_executee", norm.id, str(inst.key))
            if not diagnostics.report_again(memo, "deja_executee", norm.article, on, "info",
                                            event, norm.id):
                diagnostics.report("deja_executee", norm.article, on,
                                   both("no_longer_owed", label=norm.label, key=inst.key),
                                   severity="info", event=event, rule=norm.id, memo=memo)
        return
    if act.amount_field is None or inst.amount is None:
        inst.performed_on, inst.performed_by = on, event
        return
    balance = inst.pay(on, event.data[act.amount_field], event)
    if balance <= 0:
        inst.performed_on, inst.performed_by = on, event
    if balance < 0:
        diagnostics.report("paiement_excedentaire", norm.article, on,
                           both("overpayment", excess=diagnostics.amount(-balance), key=inst.key),
                           severity="erreur", event=event, rule=norm.id)


def extinguish(inst: Instance, act: Act, event: Event) -> None:
    """``event`` ends ``inst`` (for the reason its rule gives)."""
    if inst.closed_by(event.date):
        return
    inst.ended_on = event.date
    inst.end_reason = act.reason or Text(event.type, event.type)
    inst.performed_by = None


def breach(inst: Instance, event: Event, diagnostics: Diagnostics) -> None:
    """``event`` records a breach of ``inst``."""
    if inst.closed_by(event.date):
        if inst.breached_on is not None:
            diagnostics.report("violation_repetee", inst.norm.article, event.date,
                               both("further_breach", label=inst.norm.label),
                               severity="erreur", event=event, rule=inst.norm.id)
        return
    inst.breached_on, inst.breach_event = event.date, event


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
