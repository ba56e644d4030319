"""Frozen views of the replay's records as they stand on a date: an :class:`Obligation`,
an :class:`Option` (a faculty), a :class:`PendingTermination`, and the lazy sequence of
obligations a snapshot returns (:class:`Views`).

A view holds values, and the instance it shows only under its read-only face
(:class:`~entente_regles.engine.replay.InstanceRecord`), for its explanation. Its ``explain``
and ``to_dict`` are put into words and records by ``explanation`` (with the table of
``words.explanations``) and ``serialization``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast, overload

import attrs

from entente_regles.core.values import (
    BREACHED,
    DUE,
    LATE,
    SATISFIED_LATE,
    Lang,
    OptionStatus,
    Status,
)
from entente_regles.engine.replay import EffectRecord, Instance, InstanceRecord, TerminationNotice
from entente_regles.engine.replay.held import held_on
from entente_regles.query.explanation import (
    explain,
    explain_option,
    party_label,
    termination_pending,
)
from entente_regles.query.interest import interest_total
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.query.serialization import (
    OBLIGATION_KEYS,
    OPTION_KEYS,
    TERMINATION_KEYS,
    ObligationRecord,
    record,
    typed_record,
)
from entente_regles.query.status import in_default_at, option_status_at, status_at
from entente_regles.query.suspended import days_suspended, suspended_since

_NOTHING_HELD = Decimal("0.00")


# Without __slots__: a frozen slotted class sets each of its 19 fields through
# object.__setattr__ (about 1.2 µs a view, 5 % of a 10,000-invoice evaluation read in full);
# with an instance dict, attrs writes the fields into it directly. A view costs about 110
# bytes more, paid only for the views read (they are built lazily).
@attrs.frozen(slots=False)
class Obligation:
    """One obligation instance as it stands on ``on``."""

    on: date
    rule: str
    article: str
    label: str
    debtor: str
    creditor: str
    key: str | None
    status: Status
    deadline: date | None
    triggered_on: date
    performed_on: date | None
    ended_on: date | None
    amount: Decimal | None
    balance: Decimal | None
    standard: str | None
    policy_deadline: date | None
    policy_late: bool
    service: str | None
    _instance: InstanceRecord = attrs.field(repr=False, eq=False)
    # the agreement's currency, locales and party labels: for its explanation and records
    _shown: Presentation = attrs.field(default=PLAIN, repr=False, eq=False)

    @property
    def replay_record(self) -> InstanceRecord:
        """The replay's record behind this view (read only: every date it knows, payments,
        demands, suspensions), for an output that dates its own revisions (``.ics``)."""
        return self._instance

    @property
    def currency(self) -> str | None:
        """The currency of ``amount`` and ``balance`` (the agreement's, ISO 4217); None
        without an amount or when the agreement declares no currency."""
        return None if self.amount is None else self._shown.currency

    @property
    def interest(self) -> Decimal | None:
        """Interest on late payment accrued by ``on`` (decision 68), rounded by the rule
        book's rule; None when its rule states no interest. Information about the debt:
        ``balance`` does not include it."""
        return interest_total(self._instance, self.on)

    @property
    def held(self) -> Decimal | None:
        """The part of ``balance`` held back on ``on`` by a dispute (``retenue``, decision
        71): not late, whatever the deadline; None when the rule has no hold."""
        return held_at(self._instance, self.on)

    @property
    def at_fault(self) -> str | None:
        """The party to blame: the debtor of a late or breached instance, else no one; on an
        instance both parties owe, the party a demand or a recorded breach put in default
        (never the one that demanded: decision 37), else « parties »."""
        if self.status in (LATE, BREACHED, SATISFIED_LATE):
            return party_label(in_default_at(self._instance, self.on))
        return None

    @property
    def suspended_since(self) -> date | None:
        """The first day of the suspension in course (None: not suspended; decision 69)."""
        return suspended_since(self._instance, self.on)

    @property
    def days_suspended(self) -> int | None:
        """The days its deadline stood still by ``on`` (None: never suspended by then)."""
        return days_suspended(self._instance, self.on)

    @property
    def days_left(self) -> int | None:
        """Days until the deadline (negative: days late); None without a deadline."""
        if self.deadline is None:
            return None
        return (self.deadline - self.on).days

    def standard_wording(self, lang: Lang = "fr") -> str | None:
        """The vague standard's wording as the rule book declares it (« dans les meilleurs
        délais »); None when the deadline is not a vague standard."""
        deadline = self._instance.norm.deadline
        if self.standard is None or deadline is None or deadline.wording is None:
            return None
        return deadline.wording(lang)

    def explain(self, lang: Lang = "fr") -> str:
        """Why it has this status on this date: article, trigger, deadline, acts (user text
        made visible: control characters are escaped)."""
        return explain(self._instance, self.on, self.status, lang, self._shown)

    def to_record(self) -> ObligationRecord:
        """Typed values (``date``, ``Decimal``, ``bool``), exact, French keys as in JSON."""
        return cast(ObligationRecord, typed_record(self, OBLIGATION_KEYS))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO dates, amounts as decimal strings, exact user text."""
        return record(self, OBLIGATION_KEYS)


def balance_on(inst: InstanceRecord, on: date) -> Decimal | None:
    """What ``inst`` still owes of its amount on ``on`` (None: it tracks no amount)."""
    amount = inst.amount
    if amount is None:
        return None
    # nothing paid: the amount itself (amount - 0 is equal to it)
    return amount - inst.paid_by(on) if inst.payments else amount


def held_at(inst: InstanceRecord, on: date) -> Decimal | None:
    """The part of ``inst``'s balance held back on ``on`` by a dispute (decision 71); None
    when its rule has no hold."""
    if inst.norm.hold is None:
        return None
    return held_on(inst, on) or _NOTHING_HELD


def view(inst: Instance, on: date, lang: Lang = "fr",
         shown: Presentation = PLAIN) -> Obligation | None:
    """The instance as it stands on ``on`` (None before it arises); ``shown``: the
    agreement's currency, locales and party labels, for its explanation and records."""
    status = status_at(inst, on)
    if status is None:
        return None
    norm = inst.norm
    amount = inst.amount
    balance = balance_on(inst, on)
    policy_deadline = inst.policy_deadline
    performed, ended = inst.performed_on, inst.ended_on
    # positional, in the fields' order (one view per instance read: the cheaper call)
    return Obligation(
        on, norm.id, norm.article, norm.label(lang), party_label(inst.debtor),
        party_label(inst.creditor), inst.key, status, inst.deadline_on(on), inst.triggered_on,
        performed if performed is not None and performed <= on else None,
        ended if ended is not None and ended <= on else None,
        amount, balance, inst.standard, policy_deadline,
        status is DUE and policy_deadline is not None and on > policy_deadline,
        inst.service, inst, shown)


class Views(Sequence[Obligation]):
    """The obligations a snapshot returns, in display order. Which instances belong is
    decided when it is made (statuses are cheap); each :class:`Obligation` view is built the
    first time it is read, then kept. Compares equal to a tuple or list of the same views."""

    __slots__ = ("_built", "_instances", "_lang", "_on", "_shown")

    def __init__(self, instances: Sequence[Instance], on: date, lang: Lang,
                 shown: Presentation = PLAIN) -> None:
        self._instances = instances
        self._on = on
        self._lang = lang
        self._shown = shown
        self._built: list[Obligation | None] = [None] * len(instances)

    def __len__(self) -> int:
        return len(self._instances)

    def _view(self, i: int) -> Obligation:
        built = self._built[i]
        if built is None:
            built = view(self._instances[i], self._on, self._lang, self._shown)
            assert built is not None
            self._built[i] = built
        return built

    @overload
    def __getitem__(self, index: int) -> Obligation: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Obligation, ...]: ...

    def __getitem__(self, index: int | slice) -> Obligation | tuple[Obligation, ...]:
        if isinstance(index, slice):
            return tuple(self._view(i) for i in range(len(self))[index])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._view(index)

    def __iter__(self) -> Iterator[Obligation]:
        # _view(i), inlined: once per obligation read in a loop
        built, instances, on, lang = self._built, self._instances, self._on, self._lang
        shown = self._shown
        for i in range(len(instances)):
            found = built[i]
            if found is None:
                found = view(instances[i], on, lang, shown)
                assert found is not None
                built[i] = found
            yield found

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Views | tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Sequence[Obligation]) -> tuple[Obligation, ...]:
        """Concatenation, as with the tuples these sequences replace."""
        return (*self, *other)

    def __radd__(self, other: Sequence[Obligation]) -> tuple[Obligation, ...]:
        return (*other, *self)

    def __repr__(self) -> str:
        return f"Views({list(self)!r})"


@attrs.frozen
class Option:
    """A faculty (a right with a window, e.g. asking for a service's withdrawal before a
    modification takes effect) as it stands on ``on``: never owed, never late."""

    on: date
    rule: str
    article: str
    label: str
    holder: str
    key: str | None
    opens_on: date
    closes_on: date | None
    status: OptionStatus
    exercised_on: date | None
    _instance: InstanceRecord = attrs.field(repr=False, eq=False)
    _shown: Presentation = attrs.field(default=PLAIN, repr=False, eq=False)

    @property
    def replay_record(self) -> InstanceRecord:
        """The replay's record behind this view (read only: every date it knows, payments,
        demands, suspensions), for an output that dates its own revisions (``.ics``)."""
        return self._instance

    def explain(self, lang: Lang = "fr") -> str:
        """Why the faculty has this status on this date: its window, its article, its exercise."""
        return explain_option(self._instance, self.on, self.status, lang, self._shown)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the faculty's window, status and exercise date (exact user text)."""
        return record(self, OPTION_KEYS)


def option_view(inst: Instance, on: date, lang: Lang = "fr",
                shown: Presentation = PLAIN) -> Option | None:
    """The faculty as it stands on ``on`` (None before its window opens)."""
    status = option_status_at(inst, on)
    if status is None:
        return None
    return Option(on=on, rule=inst.norm.id, article=inst.norm.article,
                  label=inst.norm.label(lang), holder=party_label(inst.debtor), key=inst.key,
                  opens_on=inst.triggered_on, closes_on=inst.closes_on(on),
                  status=status, exercised_on=inst.performed_on
                  if inst.performed_on is not None and inst.performed_on <= on else None,
                  instance=inst, shown=shown)


@attrs.frozen
class PendingTermination:
    """A notice of termination received, not yet in effect: the agreement is in force up
    to ``last_day`` included."""

    notice_on: date
    received_on: date
    by: str | None
    article: str
    last_day: date
    effective: date
    _shown: Presentation = attrs.field(default=PLAIN, repr=False, eq=False)

    def describe(self, lang: Lang = "fr") -> str:
        """One line: the pending termination, its article, notice and last day in force."""
        return termination_pending(self.article, self.by, self.received_on, self.last_day,
                                   lang, self._shown)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the notice, receipt, last day in force and effective date."""
        return record(self, TERMINATION_KEYS)


def pending_termination(notices: list[TerminationNotice], on: date,
                        shown: Presentation = PLAIN) -> PendingTermination | None:
    """The earliest end known on ``on``, if it is still to come."""
    known = [n for n in notices if n.event.date <= on]
    if not known:
        return None
    first = min(known, key=lambda n: (n.effective, n.event.date))
    if on >= first.effective or first.how == "execution":  # performed: no notice pending
        return None
    event = first.event
    return PendingTermination(event.date, event.received_on, event.by, first.article,
                              first.effective - timedelta(days=1), first.effective, shown)



def explain_on(inst: Instance, on: date, lang: Lang, shown: Presentation = PLAIN) -> str:
    """The explanation of an obligation or a faculty on ``on`` (the agenda's callback)."""
    option = option_status_at(inst, on)
    if option is not None:
        return explain_option(inst, on, option, lang, shown)
    status = status_at(inst, on)
    assert status is not None
    return explain(inst, on, status, lang, shown)



def scheduled_effects(effects: Sequence[EffectRecord], on: date) -> tuple[EffectRecord, ...]:
    """The effects known on ``on`` (their act dated on or before it) that take place after
    it, up to the first end of the agreement known then. No look-ahead."""
    known = [r for r in effects if r.event.date <= on]
    ends = [r for r in known if r.action == "fin_entente"]
    end = min(ends, key=lambda r: r.on) if ends else None
    return tuple(r for r in known if on < r.on and (end is None or r.on <= end.on)
                 and (r.action != "fin_entente" or r is end))


__all__ = ["Obligation", "Option", "PendingTermination", "Views", "explain_on", "option_status_at",
           "option_view", "pending_termination", "scheduled_effects", "status_at", "view"]
