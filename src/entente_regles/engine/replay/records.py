"""What the replay records: obligation instances, demands, payments, services, terminations.

Each record is filled in as the replay goes and read only afterwards; every fact in it is
dated, so a question "as of X" reads what was recorded on or before X (``evaluation``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Protocol

import attrs

from entente_regles.calendar.legal import DeadlineComputation, LegalCalendar
from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.values import Text
from entente_regles.engine.compiled import Amendment, DemandSpec, EffectAction, Norm
from entente_regles.engine.replay.held import HoldRecord, late_balance
from entente_regles.rules.money import Computation, InterestTerms
from entente_regles.rules.vocabulary import PerformanceEnd, Term

_NOTHING_PAID = Decimal("0.00")  # in cents, like every amount read from a log


def _payment_date(payment: Payment) -> date:
    return payment.on


class Payment(NamedTuple):
    """A payment on an instance, with the running total paid once it is made (a named tuple:
    one per payment event, kept)."""

    on: date
    amount: Decimal
    event: Event
    total: Decimal


@attrs.define
class DemandRecord:
    """An act of a ``[[demeure]]`` rule applied to an instance, known from ``known_on``.

    ``deadline`` is the last day the debtor may perform from then on (None: the act changed
    no deadline, the instance being late already); ``in_default_on`` the first day the
    debtor is in default under it; ``late_since`` the first late day when it was late
    already; ``term_kept`` the later contractual term that still governs; ``in_default``
    the party it puts in default on an instance both parties owe.
    """

    spec: DemandSpec
    event: Event
    known_on: date
    deadline: date | None
    in_default_on: date
    computation: DeadlineComputation | None = None
    late_since: date | None = None
    term_kept: date | None = None
    # on an instance both parties owe (« parties »): the one the act puts in default — the
    # party other than the creditor who demanded (C.c.Q. 1594–1595), or the author of a
    # recorded breach (1597); None when the act does not say (decision 37)
    in_default: str | None = None


@attrs.define
class Suspension:
    """A spell during which an instance's deadline does not run (decision 69): from
    ``start`` (the act's date) to ``end`` (the first day it runs again; None while it
    lasts). ``base`` is the deadline known when it began, ``moved`` the deadline once it
    ended (the first spell's ``base`` moved by the days of every spell ended so far, rolled
    by the calendar; or by the working days suspended, ``working_days``), with its
    ``computation``; ``resumed_by`` the act that ended it (None: its condition stopped
    holding)."""

    start: date
    event: Event
    article: str
    label: Text
    base: date | None
    end: date | None = None
    resumed_by: Event | None = None
    resume_article: str | None = None
    moved: date | None = None
    computation: DeadlineComputation | None = None
    working_days: bool = False  # its days counted in the calendar's working days
    counted: int | None = None  # the days the deadline was moved by, in all, once ended

    def covers(self, on: date) -> bool:
        """Is the deadline stopped on ``on``?"""
        return self.start <= on and (self.end is None or on < self.end)

    @property
    def days(self) -> int | None:
        """Days suspended (None while it lasts)."""
        return None if self.end is None else (self.end - self.start).days


@attrs.define(weakref_slot=False)
class Instance:
    """One obligation instance, filled in as the replay goes; read-only afterwards."""

    seq: int
    norm: Norm
    key: str | None
    debtor: str | None  # None: any of the parties (« parties »)
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
    # a norm available only while a condition on other instances holds (disponible_si):
    # whether it holds on a date (reading the replay's records dated on or before it only),
    # and the condition in words (decision 60)
    gate: Callable[[date], bool] | None = None
    condition: Text | None = None
    suspensions: tuple[Suspension, ...] = ()  # spells its deadline stopped (decision 69)
    # money (decisions 67–68): how its amount was computed, its terms of interest
    amount_computation: Computation | None = None
    interest: InterestTerms | None = None
    holds: tuple[HoldRecord, ...] = ()  # parts of the balance held back (retenue, dec. 71)

    def available_on(self, on: date) -> bool:
        """Does its condition (if any) hold on ``on``?"""
        return self.gate is None or self.gate(on)

    def pay(self, on: date, amount: Decimal, event: Event) -> Decimal:
        """Record a payment (in date order); returns the balance left."""
        payments = self.payments
        total = payments[-1].total + amount if payments else amount
        # concatenation: one copy (unpacking would make two: 20,000 payments took twice as long)
        self.payments = payments + (Payment(on, amount, event, total),)  # noqa: RUF005
        assert self.amount is not None
        return self.amount - total

    def paid_by(self, on: date) -> Decimal:
        """Total paid on or before ``on``: a running total, so a query costs a bisection."""
        payments = self.payments
        if payments and payments[-1].on <= on:  # all of them (the common case)
            return payments[-1].total
        count = bisect_right(payments, on, key=_payment_date)
        return payments[count - 1].total if count else _NOTHING_PAID

    def closed_by(self, on: date) -> bool:
        """Terminal on ``on``: performed, ended or breached by then."""
        performed, ended, breached = self.performed_on, self.ended_on, self.breached_on
        return ((performed is not None and performed <= on) or (ended is not None and ended <= on)
                or (breached is not None and breached <= on))

    def deadline_on(self, on: date) -> date | None:
        """The last day to perform as known on ``on``: the contractual deadline (none once a
        mere window has passed), or the one a demand known by then fixed."""
        found = self.deadline
        if found is not None and on > found and self.norm.window_only:
            found = None
        if not self.demands and not self.suspensions:
            return found
        known = date.min
        for demand in self.demands:
            if demand.known_on <= on and demand.deadline is not None:
                found, known = demand.deadline, demand.known_on
        for spell in self.suspensions:  # a suspension stops it; its end moves it
            if spell.covers(on):
                return None
            if spell.end is not None and spell.end <= on and spell.end >= known:
                found = spell.moved
        return found

    def suspended_on(self, on: date) -> Suspension | None:
        """The suspension stopping its deadline on ``on``, if any."""
        for spell in self.suspensions:
            if spell.covers(on):
                return spell
        return None

    def closes_on(self, on: date) -> date | None:
        """A faculty's last day to exercise as known on ``on``: its window's, or the eve of an
        end (the agreement's, a service's) that closed the window earlier (decision 39)."""
        closes, ended, performed = self.deadline, self.ended_on, self.performed_on
        if ended is None or ended > on or ended == date.min \
                or (performed is not None and performed <= on):
            return closes
        eve = date.fromordinal(ended.toordinal() - 1)
        return eve if closes is None or eve < closes else closes

    def late_on(self, on: date) -> bool:
        """Owed and past its deadline (an obligation to act; a faculty is never late)."""
        if self.norm.kind != "obligation" or self.closed_by(on) or on < self.triggered_on:
            return False
        deadline = self.deadline_on(on)
        if self.holds and deadline is not None and on > deadline:
            return bool(late_balance(self, on))  # the held part is not late (decision 71)
        return deadline is not None and on > deadline


class InstanceRecord(Protocol):
    """The read-only face of an :class:`Instance`: what views, explanations and reports may
    read of it. An instance is filled in by the replay only; nothing outside the replay
    holds it under a type that allows changing it."""

    @property
    def seq(self) -> int: ...
    @property
    def norm(self) -> Norm: ...
    @property
    def key(self) -> str | None: ...
    @property
    def debtor(self) -> str | None: ...
    @property
    def creditor(self) -> str | None: ...
    @property
    def triggered_on(self) -> date: ...
    @property
    def trigger_event(self) -> Event | None: ...
    @property
    def origin(self) -> Text | None: ...
    @property
    def deadline(self) -> date | None: ...
    @property
    def computation(self) -> DeadlineComputation | None: ...
    @property
    def deadline_note(self) -> Text | None: ...
    @property
    def standard(self) -> str | None: ...
    @property
    def policy_deadline(self) -> date | None: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def service(self) -> str | None: ...
    @property
    def payments(self) -> Sequence[Payment]: ...
    @property
    def performed_on(self) -> date | None: ...
    @property
    def performed_by(self) -> Event | None: ...
    @property
    def ended_on(self) -> date | None: ...
    @property
    def end_reason(self) -> Text | None: ...
    @property
    def breached_on(self) -> date | None: ...
    @property
    def breach_event(self) -> Event | None: ...
    @property
    def survives(self) -> bool: ...
    @property
    def demands(self) -> Sequence[DemandRecord]: ...
    @property
    def outlived(self) -> tuple[date, Text] | None: ...
    @property
    def amendment(self) -> Amendment | None: ...
    @property
    def condition(self) -> Text | None: ...
    @property
    def suspensions(self) -> Sequence[Suspension]: ...
    @property
    def amount_computation(self) -> Computation | None: ...
    @property
    def interest(self) -> InterestTerms | None: ...

    def suspended_on(self, on: date) -> Suspension | None: ...
    @property
    def holds(self) -> Sequence[HoldRecord]: ...

    def available_on(self, on: date) -> bool: ...

    def paid_by(self, on: date) -> Decimal: ...

    def closed_by(self, on: date) -> bool: ...

    def deadline_on(self, on: date) -> date | None: ...

    def closes_on(self, on: date) -> date | None: ...

    def late_on(self, on: date) -> bool: ...


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
    term: Term | None = None  # the agreement's term (None: it lasts until ended)
    performance_end: PerformanceEnd | None = None  # it ends once these are performed


@attrs.frozen
class EffectRecord:
    """A dated effect of a power or an effect rule (end of the agreement, a service ending,
    starting or changing), as the replay applied it: the agenda lists these dates."""

    on: date
    action: EffectAction
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
    how: str = "resiliation"  # how it ends the agreement (``terms.ENDINGS``)


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
    # how the agreement ends on ``agreement_end``: « execution », « resiliation » or
    # « expiration » (``terms.ENDINGS``); None while it has no end
    end_how: str | None = None
    renewals: list[tuple[Event, int]] = attrs.field(factory=list)  # by an act (dec. 74)

