"""Partial holds (``retenue``, decision 71): an act naming an amount of an instance's balance
(a dispute) holds that part back until an act lifts it. Lateness on the instance's deadline
applies to the rest only; what a release makes payable is due on the later of the
instance's deadline and the release's date plus the rule's days.

:func:`late_balance` is the one place where the part of a balance that is late on a date is
computed (lateness, and what reads the late amount, use it). Every function reads records
dated on or before the date asked only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

import attrs

from entente_regles.core.event import Event

ZERO = Decimal("0.00")
ONE_DAY = timedelta(days=1)


@attrs.define
class HoldRecord:
    """One hold on an instance: ``amount`` held from ``opened_on`` by ``event`` (named
    ``ref``), lifted on ``released_on`` by ``release_event``: of it, ``payable`` became
    payable by ``due``, the rest is no longer owed (recorded as a credit, see
    :func:`release`)."""

    ref: str
    opened_on: date
    amount: Decimal
    event: Event
    released_on: date | None = None
    release_event: Event | None = None
    payable: Decimal = ZERO
    due: date | None = None

    def held_on(self, on: date) -> Decimal:
        """The amount this hold keeps back on ``on`` (zero before it or once lifted)."""
        if on < self.opened_on or (self.released_on is not None and self.released_on <= on):
            return ZERO
        return self.amount

    def not_yet_due(self, on: date) -> Decimal:
        """Held, or made payable by a release but not yet due, on ``on``."""
        if on < self.opened_on:
            return ZERO
        if self.released_on is None or on < self.released_on:
            return self.amount
        assert self.due is not None
        return self.payable if on <= self.due else ZERO


class _Paid(Protocol):
    @property
    def on(self) -> date: ...


class Held(Protocol):
    """What the functions below read of an instance (an ``InstanceRecord``)."""

    @property
    def triggered_on(self) -> date: ...
    @property
    def payments(self) -> Sequence[_Paid]: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def holds(self) -> Sequence[HoldRecord]: ...

    def paid_by(self, on: date) -> Decimal: ...

    def deadline_on(self, on: date) -> date | None: ...

    def closed_by(self, on: date) -> bool: ...


def held_on(inst: Held, on: date) -> Decimal | None:
    """The amount of ``inst``'s balance held back on ``on``, never more than what is unpaid
    (None: it has no hold)."""
    if not inst.holds:
        return None
    held = sum((h.held_on(on) for h in inst.holds), ZERO)
    if inst.amount is not None:
        unpaid = inst.amount - inst.paid_by(on)
        held = min(held, unpaid if unpaid > 0 else ZERO)
    return held


def late_balance(inst: Held, on: date) -> Decimal | None:
    """The part of ``inst``'s balance that is late on ``on``: unpaid after its deadline and
    neither held back nor made payable by a release whose own due date has not passed (None:
    ``inst`` has no amount). Payments go to the part that is due first."""
    amount = inst.amount
    if amount is None:
        return None
    if inst.closed_by(on):
        return ZERO
    deadline = inst.deadline_on(on)
    if deadline is None or on <= deadline:
        return ZERO
    unpaid = amount - inst.paid_by(on)
    if inst.holds:
        unpaid -= sum((h.not_yet_due(on) for h in inst.holds), ZERO)
    return unpaid if unpaid > 0 else ZERO


def performed_late(inst: Held, performed_on: date, deadline: date) -> bool:
    """With holds: was a part of ``inst``'s balance late on some day after ``deadline`` up
    to ``performed_on`` (before that day's payments)? The held parts paid within their own
    time do not make it late."""
    amount = inst.amount
    assert amount is not None
    days = {deadline + ONE_DAY}
    for hold in inst.holds:
        if hold.due is not None:
            days.add(hold.due + ONE_DAY)
    for day in sorted(d for d in days if deadline < d <= performed_on):
        unpaid = amount - inst.paid_by(day - ONE_DAY)
        if unpaid - sum((h.not_yet_due(day) for h in inst.holds), ZERO) > 0:
            return True
    return False


def payable_history(inst: Held, on: date, ended_on: date | None = None
                    ) -> list[tuple[date, Decimal]]:
    """The part of ``inst``'s balance that is payable (neither held back nor made payable by
    a release whose own due date has not passed) from each date on, as known on ``on``, in
    date order from its birth: what bears interest once it runs (the day's balance is the
    one owed at the start of the day: a payment counts from the next day, the convention of
    ``query.interest``); zero from ``ended_on``. For an instance with holds, in place of its
    plain balance history (decision 71)."""
    amount = inst.amount
    assert amount is not None
    days = {inst.triggered_on}
    for hold in inst.holds:
        days.add(hold.opened_on)
        if hold.released_on is not None:
            days.add(hold.released_on)
        if hold.due is not None:
            days.add(hold.due + ONE_DAY)
    days.update(p.on + ONE_DAY for p in inst.payments)
    if ended_on is not None:
        days.add(ended_on)
    history: list[tuple[date, Decimal]] = []
    for day in sorted(d for d in days if d <= on):
        if ended_on is not None and day >= ended_on:
            value = ZERO
        else:
            value = amount - inst.paid_by(day - ONE_DAY) - sum(
                (h.not_yet_due(day) for h in inst.holds), ZERO)
            value = value if value > 0 else ZERO
        if not history or history[-1][1] != value:
            history.append((day, value))
    return history


__all__ = ["HoldRecord", "held_on", "late_balance", "payable_history", "performed_late"]
