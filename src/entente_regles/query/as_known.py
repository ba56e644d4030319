"""Two kinds of time: what was owed on X, as known on K.

An answer about (X, K) is, by definition, the replay of the events recorded on or before K,
asked at X. Replaying once per K would be wasteful; this module says which replay answers a
question, so that few replays serve every (X, K):

- An event is *ordinary* when it was recorded on its own date and none of its date fields
  precedes that date (so no effect of it is dated before it). An ordinary event dated after X
  never changes an answer about X: the replay walks events in date order and such an event
  only writes records dated on or after its own date (the no-look-ahead guarantee).
- For K >= X, the events recorded by K and "the ordinary events dated before the next late
  knowledge date after K, plus the other events recorded by K" differ only by ordinary
  events recorded, hence dated, after K >= X, which come after every other event of either
  log in the replay's order: both replays are identical up to K and give the same answer at
  X. The replays needed are thus one per distinct knowledge date of the non-ordinary events
  (each replaying only the ordinary events before the next one), plus the full one.
- For K < X (a forecast: what was known on K projected onto a later date), the replay of the
  events recorded by K answers; it is keyed by the last knowledge date on or before K.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Generic, TypeVar

import attrs

from entente_regles.core.event import Event

T = TypeVar("T")
Key = tuple[str, int]  # ("k", i): ordinary + i first late dates; ("f", j): forecast


def acts_from_its_date(event: Event) -> bool:
    """No date field before the event's own date: none of its effects precedes it."""
    return all(value >= event.date for value in event.data.values() if isinstance(value, date))


def is_ordinary(event: Event) -> bool:
    """Recorded on its own date, no date field before it: its effects never precede it."""
    return event.recorded_on == event.date and acts_from_its_date(event)


@attrs.frozen
class KnowledgeIndex:
    """Which events a replay answering (X, K) holds; ``None`` means the full log."""

    events: tuple[Event, ...]
    late_dates: tuple[date, ...]  # distinct knowledge dates of non-ordinary events, sorted
    # all_dates, once a forecast (K < X) has needed it: most questions never do
    _kept: dict[str, tuple[date, ...]] = attrs.field(factory=dict, eq=False, repr=False,
                                                     init=False)

    @property
    def all_dates(self) -> tuple[date, ...]:
        """The distinct knowledge dates of every event, sorted (worked out when first
        needed, then kept)."""
        found = self._kept.get("all")
        if found is None:
            found = self._kept["all"] = tuple(sorted({e.recorded_on for e in self.events}))
        return found

    @classmethod
    def of(cls, events: Sequence[Event],
           date_fields: Mapping[str, Sequence[str]] | None = None) -> KnowledgeIndex:
        """Index ``events``. ``date_fields`` (per event type, the names of its date fields,
        from the vocabulary the events were validated against) spares looking at every
        value of every event; a type it does not name has all its values looked at."""
        late: set[date] = set()
        add_late = late.add
        dated = {} if date_fields is None else date_fields
        for event in events:  # one pass over the log; is_ordinary inlined
            recorded = event.recorded
            if recorded is not None and recorded != event.date:
                add_late(recorded)
                continue
            names = dated.get(event.type)
            if names is None:
                values: Iterable[object] = event.data.values()
            elif not names:
                continue
            else:
                values = [event.data.get(name) for name in names]
            when = event.date
            for value in values:  # acts_from_its_date, without a generator
                if isinstance(value, date) and value < when:
                    add_late(when)
                    break
        return cls(tuple(events), tuple(sorted(late)))

    def key(self, on: date, known_on: date) -> Key | None:
        """The replay that answers (``on``, ``known_on``); None: the replay of every event."""
        if known_on >= on:
            i = bisect_right(self.late_dates, known_on)
            return None if i == len(self.late_dates) else ("k", i)
        j = bisect_right(self.all_dates, known_on)
        return None if j == len(self.all_dates) else ("f", j)

    def events_for(self, key: Key) -> list[Event]:
        """The log of that replay, in log order."""
        kind, count = key
        if kind == "k":
            # It serves every K from the count-th late date (or the start) to the next one,
            # excluded: ordinary events dated from that next one on are after every K it
            # serves and change none of its answers, so it need not replay them.
            bound = self.late_dates[count]
            known = self.late_dates[count - 1] if count else None
            return [e for e in self.events
                    if (e.date < bound if is_ordinary(e)
                        else known is not None and e.recorded_on <= known)]
        if count == 0:
            return []
        last = self.all_dates[count - 1]
        return [e for e in self.events if e.recorded_on <= last]


class KnownReplays(Generic[T]):
    """The replays of partial knowledge of one log, built on demand by ``evaluate`` and kept
    (a bounded, thread-safe cache, least recently used dropped first)."""

    def __init__(self, evaluate: Callable[[Sequence[Event]], T], size: int,
                 date_fields: Mapping[str, Sequence[str]] | None = None) -> None:
        self._evaluate = evaluate
        self._size = size
        self._date_fields = date_fields
        self._index = KnowledgeIndex.of(())
        self._kept: OrderedDict[Key, T] = OrderedDict()
        self._lock = threading.Lock()

    def reindex(self, events: Sequence[Event]) -> None:
        """The log changed: index it again, drop the replays kept so far."""
        self._index = KnowledgeIndex.of(events, self._date_fields)
        with self._lock:
            self._kept.clear()

    def answering(self, on: date, known_on: date) -> T | None:
        """The replay that answers (``on``, ``known_on``); None: the replay of the full log.
        A replay is built outside the lock (it may take a while); the first one kept wins."""
        key = self._index.key(on, known_on)
        if key is None:
            return None
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        built = self._evaluate(self._index.events_for(key))
        with self._lock:
            found = self._kept.setdefault(key, built)
            self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return found


__all__ = ["KnowledgeIndex", "KnownReplays", "acts_from_its_date", "is_ordinary"]
