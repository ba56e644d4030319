"""One event log's replay, kept up to date (:class:`ResumableReplay`): continued past its
horizon when a question asks further ahead, extended with later events without replaying the
earlier ones, and indexed for the queries (``index``). ``Evaluation`` asks it its questions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from entente_regles.core.errors import ErrorLocation, EventError
from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.gc_pause import collection_paused
from entente_regles.core.values import Lang
from entente_regles.engine.replay import Instance, Replay, ReplayResult
from entente_regles.query.as_known import acts_from_its_date
from entente_regles.query.index import InstanceIndex, with_new_diagnostics, with_new_instances
from entente_regles.query.snapshot import Snapshot


class ResumableReplay:
    """The replay of one log and what the queries read of it, up to its horizon (the last
    event, or the latest date asked about).

    ``lock`` guards all of it, the snapshots kept (``memo``, emptied whenever the replay
    moves on) included. ``on_new_log`` is told the whole log each time it changes.
    """

    def __init__(self, start: Callable[[], Replay], in_force_from: date,
                 events: Sequence[Event],
                 validate: Callable[[Iterable[Event]], list[Event]] | None,
                 on_new_log: Callable[[Sequence[Event]], None]) -> None:
        self._new_replay = start
        self.in_force_from = in_force_from
        self._validate = validate
        self._on_new_log = on_new_log
        self.lock = threading.RLock()
        self.events: list[Event] = []
        self._replay_all(list(events))

    def _replay_all(self, events: list[Event]) -> None:
        """A fresh replay of ``events``, up to the last one (or the entry into force). The
        collector stays paused through the indexing that follows the replay (see
        ``Agreement.evaluate``)."""
        with collection_paused():
            replay = self._new_replay()
            self.replay = replay
            self.ordered: list[Instance] = []
            self.diagnostics: list[Diagnostic] = []
            self._seen_instances = 0
            self._seen_diagnostics = 0
            self.events = events
            replay.feed(events)
            replay.advance(max(self.in_force_from, replay.horizon))  # the last event's date
            self._sync(fresh_replay=True)
            self._on_new_log(self.events)

    def _sync(self, fresh_replay: bool = False) -> None:
        """Take in the instances and diagnostics the replay produced since the last sync
        (all of them after a fresh replay). New instances are born on or after the previous
        horizon: only the tail re-sorts."""
        result = self.replay.result
        self.result: ReplayResult = result
        new = result.instances[self._seen_instances:]
        self._seen_instances = len(result.instances)
        if new or fresh_replay:
            self.ordered = with_new_instances(self.ordered, new)
            self.index: InstanceIndex = InstanceIndex(self.ordered)
        fresh = result.diagnostics[self._seen_diagnostics:]
        self._seen_diagnostics = len(result.diagnostics)
        if fresh:
            self.diagnostics = with_new_diagnostics(self.diagnostics, fresh)
        self.diagnostic_dates = [d.on for d in self.diagnostics]
        self.memo: dict[tuple[date, Lang, date], Snapshot] = {}

    def __getstate__(self) -> dict[str, object]:
        """What crosses a process boundary: the replay and what was read of it, without the
        lock, the snapshots kept and the three callbacks (closures of the agreement that
        made it; :meth:`attach` gives them back on the other side)."""
        state = dict(self.__dict__)
        for name in ("lock", "_new_replay", "_validate", "_on_new_log"):
            state.pop(name, None)
        state["memo"] = {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.lock = threading.RLock()

    def attach(self, start: Callable[[], Replay],
               validate: Callable[[Iterable[Event]], list[Event]] | None,
               on_new_log: Callable[[Sequence[Event]], None]) -> ResumableReplay:
        """Give an unpickled replay its callbacks back (see :meth:`__getstate__`): the
        agreement's, as in the constructor; ``on_new_log`` is told the log at once."""
        with self.lock:
            self._new_replay = start
            self._validate = validate
            self._on_new_log = on_new_log
            on_new_log(self.events)
        return self

    def ensure(self, on: date) -> None:
        """Continue the replay (do not restart it) up to ``on`` when it stops before."""
        with self.lock:
            if on > self.replay.horizon:
                self.replay.advance(on)
                self._sync()

    def extend(self, events: Iterable[Event]) -> None:
        """Append ``events`` (see ``Evaluation.extend``): continue the replay when they are
        dated on or after its horizon and act from their own dates, else replay the whole
        log once."""
        added = self._validate(events) if self._validate is not None else list(events)
        if not added:
            return
        with self.lock:
            last = max((e.date for e in self.events), default=None)
            first = min(e.date for e in added)
            if last is not None and first < last:
                raise _earlier_than_the_log(added, first, last)
            everything = [*self.events, *added]
            if first < self.replay.horizon or not all(map(acts_from_its_date, added)):
                self._replay_all(everything)
                return
            self.events = everything
            self.replay.feed(added)
            self.replay.advance(max(e.date for e in added))
            self._sync()
            self._on_new_log(self.events)


def _earlier_than_the_log(added: list[Event], first: date, last: date) -> EventError:
    """``extend()`` got an event dated ``first``, before the ``last`` one already given."""
    where = added[[e.date for e in added].index(first)]
    return EventError(
        ErrorLocation(where.source or "<extend>"),
        f"extend() prend des événements datés du {last} ou après (le dernier déjà donné) ; "
        f"reçu le {first}. Pour insérer un événement antérieur, évaluez le journal entier.",
        f"extend() takes events dated on or after {last} (the last one already given); got "
        f"{first}. To insert an earlier event, evaluate the whole log.")


__all__ = ["ResumableReplay"]
