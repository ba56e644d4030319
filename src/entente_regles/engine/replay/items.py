"""The replay's agenda: the dates that matter besides events, as frozen items.

Items of one day are processed in the order of their kind (``PRIORITY``): the agreement or a
service ends at the start of its effective date, then deadlines of the previous day are
passed, then things begin. Items of one priority keep the order they were scheduled in.
"""

from __future__ import annotations

import heapq
from datetime import date
from typing import NamedTuple

import attrs

from entente_regles.core.event import Event
from entente_regles.engine.compiled import Norm
from entente_regles.engine.replay.records import Instance


@attrs.frozen
class EndAgreement:
    """The agreement ends (its first day without it), as ``event`` decided under ``article``
    (None: its term expires)."""

    event: Event | None
    article: str


@attrs.frozen
class EndService:
    """A service is withdrawn from this day on."""

    service: str
    event: Event
    article: str


class Expiry(NamedTuple):
    """The day after an instance's deadline, for a norm whose expiry acts (it lapses, or a
    norm arises from it: ``CompiledRules.expiry_acts``); a named tuple, the commonest item."""

    instance: Instance


@attrs.frozen
class StartService:
    """A service is added from this day on."""

    service: str
    event: Event


@attrs.frozen
class EntryIntoForce:
    """The agreement comes into force."""



@attrs.frozen
class PeriodTick:
    """The k-th period of a periodic norm begins, or the day after it ends."""

    norm: Norm
    k: int


@attrs.frozen
class TermRenewal:
    """The first day of the k-th term (k >= 1), for the norms arising when the term renews
    (decision 76): it has renewed if the agreement has not ended by then."""

    k: int


AgendaItem = (EndAgreement | EndService | Expiry | StartService | EntryIntoForce | PeriodTick
              | TermRenewal)
# Within one day, in this order (see the module's docstring).
PRIORITY: dict[type, int] = {kind: rank for rank, kind in enumerate(
    (EndAgreement, EndService, Expiry, StartService, EntryIntoForce, PeriodTick,
     TermRenewal))}


class Agenda:
    """Agenda items by date, then priority, then order of scheduling; and the one counter
    that numbers the replay's facts and items alike (:meth:`next_seq`).

    A heap of the dates that hold items, and per date a small heap of its items by
    (priority, order): many instances share a deadline, so taking the next item rarely
    touches more than its own day's few items."""

    def __init__(self) -> None:
        # the heap of the dates holding items (the walk reads its first: is one due?)
        self.dates: list[date] = []
        self._by_date: dict[date, list[tuple[int, int, AgendaItem]]] = {}
        self._seq = 0

    def next_seq(self) -> int:
        """The next number: an instance's or a fact's ``seq``, an item's order."""
        self._seq += 1
        return self._seq

    def schedule(self, on: date, item: AgendaItem) -> None:
        """Schedule ``item`` on ``on``, after the items of its day and priority so far."""
        entry = (PRIORITY[type(item)], self.next_seq(), item)
        day = self._by_date.get(on)
        if day is None:
            self._by_date[on] = [entry]
            heapq.heappush(self.dates, on)
        else:
            heapq.heappush(day, entry)

    def next_date(self) -> date | None:
        """The date of the first item, None when the agenda is empty."""
        return self.dates[0] if self.dates else None

    def pop_until(self, limit: date) -> tuple[date, AgendaItem] | None:
        """The first item dated on or before ``limit``, removed; None when there is none."""
        dates = self.dates
        if not dates or dates[0] > limit:
            return None
        on = dates[0]
        day = self._by_date[on]
        item = heapq.heappop(day)[2]
        if not day:
            del self._by_date[on]
            heapq.heappop(dates)
        return on, item
