"""The replay's agenda: the dates that matter besides events, as frozen items.

Items of one day are processed in the order of their kind (``PRIORITY``): the agreement or a
service ends at the start of its effective date, then deadlines of the previous day are
passed, then things begin. Items of one priority keep the order they were scheduled in.
"""

from __future__ import annotations

import heapq
from datetime import date

import attrs

from ..compiled import Norm
from ..model import Event
from .records import Instance


@attrs.frozen
class EndAgreement:
    """The agreement ends (its first day without it), as ``event`` decided under ``article``."""

    event: Event
    article: str


@attrs.frozen
class EndService:
    """A service is withdrawn from this day on."""

    service: str
    event: Event
    article: str


@attrs.frozen(eq=False)
class Expiry:
    """The day after an instance's deadline."""

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


AgendaItem = EndAgreement | EndService | Expiry | StartService | EntryIntoForce | PeriodTick
# Within one day, in this order (see the module's docstring).
PRIORITY: dict[type, int] = {kind: rank for rank, kind in enumerate(
    (EndAgreement, EndService, Expiry, StartService, EntryIntoForce, PeriodTick))}


class Agenda:
    """Agenda items by date, then priority, then order of scheduling."""

    def __init__(self) -> None:
        self._heap: list[tuple[date, int, int, AgendaItem]] = []

    def schedule(self, on: date, item: AgendaItem, seq: int) -> None:
        """Schedule ``item`` on ``on``; ``seq`` (increasing) orders items of one priority."""
        heapq.heappush(self._heap, (on, PRIORITY[type(item)], seq, item))

    def next_date(self) -> date | None:
        """The date of the first item, None when the agenda is empty."""
        return self._heap[0][0] if self._heap else None

    def pop_until(self, limit: date) -> tuple[date, AgendaItem] | None:
        """The first item dated on or before ``limit``, removed; None when there is none."""
        if not self._heap or self._heap[0][0] > limit:
            return None
        on, _, _, item = heapq.heappop(self._heap)
        return on, item
