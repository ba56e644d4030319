"""Pure queries on a replay: what exists on a date (:class:`Snapshot`), from a resumable
replay kept up to date (:class:`Evaluation`). Statuses and views are in ``views``, the
query index in ``index``; words and records are the report layer's.

``Evaluation.at(X)`` reads only records dated on or before X, so an answer about X never
depends on later events. When X lies past the replayed horizon, the replay continues from
where it stopped (records dated on or before the old horizon do not change).

``Evaluation.at(X, known_on=K)`` answers as the events recorded on or before K tell it (K
defaults to X); ``knowledge.py`` picks the replay that answers (X, K), and this module keeps a
few of those replays.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from entente_regles.core.errors import ErrorLocation, EventError
from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.gc_pause import collection_paused
from entente_regles.core.values import Lang, Status
from entente_regles.engine.replay import EffectRecord, Instance, Replay
from entente_regles.query.agenda import Agenda, build_agenda
from entente_regles.query.aging import Aging, aging
from entente_regles.query.as_known import KnownReplays, acts_from_its_date
from entente_regles.query.explanation import no_instance
from entente_regles.query.frames import frame
from entente_regles.query.index import (
    InstanceIndex,
    Prefix,
    with_new_diagnostics,
    with_new_instances,
)
from entente_regles.query.obligations import (
    Obligation,
    Option,
    PendingTermination,
    Views,
    explain_on,
    option_view,
    pending_termination,
    scheduled_effects,
    view,
)
from entente_regles.query.serialization import RECORD_COLUMNS, snapshot_record
from entente_regles.query.status import option_status_at, status_at

if TYPE_CHECKING:
    import pandas


@attrs.frozen
class Snapshot:
    """Everything that exists on one date.

    ``owed`` and ``late`` find their instances through an index (no walk over every
    instance); ``find`` looks up (rule, key); ``obligations`` is a lazy sequence. Views
    (:class:`Obligation`) are built when read.
    """

    on: date
    agreement_in_force: bool
    services_in_force: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    lang: Lang = "fr"
    _index: InstanceIndex = attrs.field(factory=lambda: InstanceIndex([]), repr=False, eq=False)
    termination_pending: PendingTermination | None = None
    known_on: date | None = None  # the knowledge date of the answer (None: ``on``)
    _cache: dict[str, Views] = attrs.field(factory=dict, repr=False, eq=False, init=False)

    @property
    def _born(self) -> int:
        return self._index.born(self.on)

    def _owed_like(self, name: str, keep: Callable[[Status], bool]) -> Views:
        cached = self._cache.get(name)
        if cached is None:
            ordered, on = self._index.ordered, self.on
            chosen = [ordered[pos] for pos in self._index.owed_candidates(on, self._born)]
            cached = Views([i for i in chosen if (st := status_at(i, on)) is not None
                            and keep(st)], on, self.lang)
            self._cache[name] = cached
        return cached

    @property
    def obligations(self) -> Views:
        """Every instance that exists on this date, in a stable order (views built lazily)."""
        cached = self._cache.get("all")
        if cached is None:
            cached = Views(Prefix(self._index.ordered, self._born), self.on, self.lang)
            self._cache["all"] = cached
        return cached

    @property
    def owed(self) -> Views:
        """The instances owed on this date (``a_echoir`` and ``en_retard``)."""
        return self._owed_like("owed", lambda st: st.owed)

    @property
    def late(self) -> Views:
        """The instances late on this date (``en_retard``)."""
        late = Status.LATE  # once, not per instance (an Enum member read is a call on 3.11)
        return self._owed_like("late", lambda st: st is late)

    @property
    def options(self) -> tuple[Option, ...]:
        """Every faculty whose window has opened by this date: open, exercised or expired.
        A faculty is never in ``obligations``, ``owed`` or ``late``."""
        return tuple(o for inst in self._index.faculties_by(self.on)
                     if (o := option_view(inst, self.on, self.lang)) is not None)

    def to_records(self, owed_only: bool = False) -> list[dict[str, Any]]:
        """One dict of typed values per instance (``date``, ``Decimal``): ready for
        ``pandas.DataFrame(snapshot.to_records())``. ``owed_only`` keeps the owed ones."""
        return [o.to_record() for o in (self.owed if owed_only else self.obligations)]

    def to_frame(self, owed_only: bool = False) -> pandas.DataFrame:
        """A ``pandas.DataFrame`` of :meth:`to_records` (pandas is an optional extra: without
        it, a :class:`~entente_regles.tables.MissingExtraError` says how to install it)."""
        return frame(self.to_records(owed_only), list(RECORD_COLUMNS))

    def aging(self) -> Aging:
        """The unpaid balances on this date by how long they are past their deadline."""
        return aging(self.on, self.owed)

    def find(self, rule: str, key: str | None = None) -> Obligation | None:
        """The instance of ``rule`` with ``key`` (the latest one if several)."""
        inst = self._index.find(rule, key, self._born)
        return None if inst is None else view(inst, self.on, self.lang)

    def find_option(self, rule: str, key: str | None = None) -> Option | None:
        """The faculty ``rule`` with ``key`` (the latest one if several)."""
        for inst in reversed(self._index.faculties_by(self.on)):
            if inst.norm.id == rule and (key is None or inst.key == key):
                return option_view(inst, self.on, self.lang)
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the date, whether the agreement is in force, every instance, every
        diagnostic up to the date (exact user text)."""
        return snapshot_record(self.on, self.known_on or self.on, self.agreement_in_force,
                               self.services_in_force, self.termination_pending,
                               self.obligations, self.options, self.diagnostics)


_MEMO_SIZE = 64  # snapshots kept per evaluation: dashboards ask about the same few dates
_KNOWN_SIZE = 16  # replays of a partial knowledge kept per evaluation (memory: see api.md)


class Evaluation:
    """The result of replaying one event log; ask it about any date with :meth:`at`.

    The replay is resumable: a question past the replayed horizon continues it from where it
    stopped, and :meth:`extend` appends later events without replaying the earlier ones.

    ``evaluate`` evaluates a part of the log: with it, :meth:`at` answers "as known on K"
    from the replay of the events recorded by K (see ``knowledge.py``); without it, every
    event of the log counts as known. ``date_fields`` (per event type, its date fields, from
    the vocabulary) makes indexing the log by knowledge date cheaper.
    """

    def __init__(self, start: Callable[[], Replay], in_force_from: date,
                 events: Sequence[Event],
                 validate: Callable[[Iterable[Event]], list[Event]] | None = None, *,
                 evaluate: Callable[[Sequence[Event]], Evaluation] | None = None,
                 date_fields: Mapping[str, Sequence[str]] | None = None) -> None:
        self._new_replay = start
        self._start = in_force_from
        self._validate = validate
        # One lock guards the replayed state, its extension and the snapshot memo; another
        # the replays of partial knowledge (built outside it: a replay may take a while).
        self._lock = threading.RLock()
        self._known = None if evaluate is None else KnownReplays(evaluate, _KNOWN_SIZE,
                                                                  date_fields)
        self._events: list[Event] = []
        self._replay_all(list(events))

    # ------------------------------------------------------------------ replay state
    def _replay_all(self, events: list[Event]) -> None:
        """A fresh replay of ``events``, up to the last one (or the entry into force). The
        collector stays paused through the indexing that follows the replay (see
        ``Agreement.evaluate``)."""
        with collection_paused():
            self._replay_all_now(events)

    def _replay_all_now(self, events: list[Event]) -> None:
        replay = self._new_replay()
        self._replay = replay
        self._ordered: list[Instance] = []
        self._diagnostics: list[Diagnostic] = []
        self._seen_instances = 0
        self._seen_diagnostics = 0
        self._events = events
        replay.feed(events)
        replay.advance(max(self._start, replay.horizon))  # the horizon: the last event's date
        self._sync()
        self._reindex()

    def _reindex(self) -> None:
        """Index the log by knowledge date; the replays of partial knowledge kept so far are
        dropped (the log changed)."""
        if self._known is not None:
            self._known.reindex(self._events)

    def _sync(self) -> None:
        """Take in the instances and diagnostics the replay produced since the last sync.
        New instances are born on or after the previous horizon: only the tail re-sorts."""
        result = self._replay.result
        self._result = result
        new = result.instances[self._seen_instances:]
        self._seen_instances = len(result.instances)
        if new or not hasattr(self, "_index"):
            self._ordered = with_new_instances(self._ordered, new)
            self._index = InstanceIndex(self._ordered)
        fresh = result.diagnostics[self._seen_diagnostics:]
        self._seen_diagnostics = len(result.diagnostics)
        if fresh:
            self._diagnostics = with_new_diagnostics(self._diagnostics, fresh)
        self._diagnostic_dates = [d.on for d in self._diagnostics]
        self._memo: dict[tuple[date, str, date], Snapshot] = {}

    def _ensure(self, on: date) -> None:
        with self._lock:
            if on > self._replay.horizon:
                self._replay.advance(on)  # continue, do not restart
                self._sync()

    def extend(self, events: Iterable[Event]) -> Evaluation:
        """Append ``events``, dated on or after the last event already given, to this
        evaluation, without replaying the others; answers are those of a full replay of the
        whole log. Returns the evaluation itself.

        Continues the replay when the new events are dated on or after the latest date asked
        about (or the last event); otherwise (a question was asked further ahead) replays the
        whole log once, and also when an added event carries a date before its own (an
        agreed date in the past: amendments are read before the replay walks)."""
        added = self._validate(events) if self._validate is not None else list(events)
        if not added:
            return self
        with self._lock:
            last = max((e.date for e in self._events), default=None)
            first = min(e.date for e in added)
            if last is not None and first < last:
                raise _earlier_than_the_log(added, first, last)
            everything = [*self._events, *added]
            if first < self._replay.horizon or not all(map(acts_from_its_date, added)):
                self._replay_all(everything)
                return self
            self._events = everything
            self._replay.feed(added)
            self._replay.advance(max(e.date for e in added))
            self._sync()
            self._reindex()
        return self

    # ------------------------------------------------------------------ queries
    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Everything rejected or non-conforming, in date order, up to the replayed horizon
        (the last event, or the latest date asked about), every event of the log being
        known."""
        with self._lock:
            return tuple(self._diagnostics)

    @property
    def agreement_end(self) -> date | None:
        """The first day without the agreement, every event of the log being known."""
        with self._lock:
            return self._result.agreement_end

    def _as_known(self, on: date, known_on: date) -> Evaluation:
        """The evaluation whose replay answers (``on``, ``known_on``): this one, or a replay
        of part of the log, built once and kept (a bounded, thread-safe cache)."""
        found = None if self._known is None else self._known.answering(on, known_on)
        return self if found is None else found

    def at(self, on: date, lang: Lang = "fr", *, known_on: date | None = None) -> Snapshot:
        """What exists on ``on``, as the events recorded on or before ``known_on`` (default:
        ``on``) tell it. Each event acts at its own date; ``known_on`` earlier than ``on``
        projects what was known then onto a later date."""
        if not isinstance(on, date) or isinstance(on, datetime):
            raise TypeError("at() prend une datetime.date / at() takes a datetime.date")
        if known_on is not None and (not isinstance(known_on, date)
                                     or isinstance(known_on, datetime)):
            raise TypeError("known_on : une datetime.date / known_on: a datetime.date")
        known = on if known_on is None else known_on
        return self._as_known(on, known)._at(on, lang, known)

    def _at(self, on: date, lang: Lang, known_on: date) -> Snapshot:
        with self._lock:
            self._ensure(on)
            memo = self._memo.get((on, lang, known_on))
            if memo is not None:
                return memo
            result = self._result
            # An end set by an event not yet known here cannot precede ``on``: an ordinary
            # event takes effect on or after its date, and this replay holds only the others
            # known.
            in_force = self._start <= on and not (
                result.agreement_end is not None and on >= result.agreement_end)
            services = tuple(sorted(s.name for s in result.services.values() if s.in_force(on)))
            diagnostics = tuple(self._diagnostics[:bisect_right(self._diagnostic_dates, on)])
            snapshot = Snapshot(on, in_force, services if in_force else (), diagnostics, lang,
                                self._index, pending_termination(result.terminations, on),
                                known_on=known_on)
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.pop(next(iter(self._memo)))
            self._memo[(on, lang, known_on)] = snapshot
            return snapshot

    def scheduled_effects(self, on: date) -> tuple[EffectRecord, ...]:
        """Effects known on ``on`` (their act dated on or before it) that take place after
        it: a termination or a withdrawal notified and pending. No look-ahead."""
        with self._lock:
            self._ensure(on)
            effects = list(self._result.effects)
        return scheduled_effects(effects, on)

    def agenda(self, start: date, end: date, *, as_of: date | None = None,
               known_on: date | None = None,
               effective_dates: tuple[date, ...] | list[date] = ()) -> Agenda:
        """Every dated item from ``start`` to ``end`` (both included), in date order.

        Items: instance deadlines (with the status on that date), policy deadlines, faculty
        windows closing, latest days to receive a notice for a proposed effective date (the
        renewal dates, plus ``effective_dates``), effective dates, period ends, renewals.
        ``as_of``: the agenda as drawn up on that date (only acts dated on or before it are
        known); ``None``: the whole log. ``known_on``: only the events recorded on or before
        that date (see :meth:`at`). See :mod:`entente_regles.agenda`.
        """
        if not isinstance(start, date) or not isinstance(end, date):
            raise TypeError("agenda() takes datetime.date bounds")
        if known_on is not None:
            source = self._as_known(end, known_on)
            if source is not self:
                return source.agenda(start, end, as_of=as_of, effective_dates=effective_dates)
        with self._lock:
            self._ensure(max(end, as_of or end))
            effects, ordered = list(self._result.effects), self._ordered
            compiled, calendar = self._replay.compiled, self._replay.calendar
        return build_agenda(effects, ordered, compiled, calendar, self._start, start, end,
                            as_of=as_of, effective_dates=effective_dates,
                            explain_instance=explain_on)

    def explain(self, rule: str, key: str | None, on: date, lang: Lang = "fr", *,
                known_on: date | None = None) -> str:
        """The explanation of the instance (or faculty) of ``rule`` with ``key`` on ``on``."""
        snapshot = self.at(on, lang, known_on=known_on)
        found: Obligation | Option | None = snapshot.find(rule, key)
        if found is None:
            found = snapshot.find_option(rule, key)
        if found is None:
            return no_instance(rule, key, on, lang)
        return found.explain(lang)




def _earlier_than_the_log(added: list[Event], first: date, last: date) -> EventError:
    """``extend()`` got an event dated ``first``, before the ``last`` one already given."""
    where = added[[e.date for e in added].index(first)]
    return EventError(
        ErrorLocation(where.source or "<extend>"),
        f"extend() prend des événements datés du {last} ou après (le dernier déjà donné) ; "
        f"reçu le {first}. Pour insérer un événement antérieur, évaluez le journal entier.",
        f"extend() takes events dated on or after {last} (the last one already given); got "
        f"{first}. To insert an earlier event, evaluate the whole log.")


__all__ = ["RECORD_COLUMNS", "Evaluation", "Obligation", "Option", "PendingTermination",
           "Snapshot", "Views", "option_status_at", "option_view", "pending_termination",
           "status_at", "view"]
