"""The one status of an instance on a date, from the replay's dated records alone: the
lateness rule (a deadline passed with no performance) and a faculty's window.

A status is a pure function of the instance's records and the date asked: no record dated
after that date counts, which is how an answer about a date never depends on later events.
"""

from __future__ import annotations

from datetime import date

from entente_regles.core.values import (
    BREACHED,
    DISCHARGED,
    DUE,
    EXERCISED,
    EXPIRED,
    IN_FORCE,
    LATE,
    OPEN,
    SATISFIED,
    SATISFIED_LATE,
    SUSPENDED,
    OptionStatus,
    Status,
)
from entente_regles.engine.replay import Instance, InstanceRecord
from entente_regles.engine.replay.held import performed_late


def status_at(inst: Instance, on: date) -> Status | None:
    """The one status of ``inst`` on ``on`` (None before it arises, and for a faculty,
    which is never an obligation: see :func:`option_status_at`)."""
    if on < inst.triggered_on or inst.norm.kind == "faculte":
        return None
    if inst.norm.kind == "continue":
        if inst.breached_on is not None and inst.breached_on <= on:
            return BREACHED
        if inst.ended_on is not None and inst.ended_on <= on:
            return DISCHARGED
        return IN_FORCE
    if inst.performed_on is not None and inst.performed_on <= on:
        deadline = inst.deadline_on(inst.performed_on)
        if deadline is None or inst.performed_on <= deadline:
            return SATISFIED
        if inst.holds and not performed_late(inst, inst.performed_on, deadline):
            return SATISFIED  # only held parts were paid after it, in their time (dec. 71)
        return SATISFIED_LATE
    if inst.ended_on is not None and inst.ended_on <= on:
        return DISCHARGED
    if inst.suspensions and inst.suspended_on(on) is not None:
        return SUSPENDED  # its deadline stopped: never late meanwhile (decision 69)
    if inst.late_on(on):
        return LATE
    return DUE


def option_status_at(inst: Instance, on: date) -> OptionStatus | None:
    """The status of a faculty on ``on`` (None before its window opens, or not a faculty)."""
    if inst.norm.kind != "faculte" or on < inst.triggered_on:
        return None
    if inst.performed_on is not None and inst.performed_on <= on:
        return EXERCISED
    if inst.ended_on is not None and inst.ended_on <= on:
        return EXPIRED
    closes = inst.deadline_on(on)
    if closes is not None and on > closes:
        return EXPIRED
    if not inst.available_on(on):
        return EXPIRED  # closed while its condition does not hold (decision 60)
    return OPEN


def in_default_at(inst: InstanceRecord, on: date) -> str | None:
    """The party in default on ``on`` when its debtor is « parties » (None: the instance's
    own debtor, or « parties » when no act known by then says which party): the latest
    demand or recorded breach in effect by ``on`` that names one (decision 37)."""
    if inst.debtor is not None:
        return inst.debtor
    found = None
    for demand in inst.demands:
        if demand.known_on <= on and demand.in_default_on <= on \
                and demand.in_default is not None:
            found = demand.in_default
    return found
