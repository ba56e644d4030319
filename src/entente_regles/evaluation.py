"""Pure queries on a replay: the status of every instance at a date, and why.

``Evaluation.at(X)`` reads only records dated on or before X, so an answer about X never
depends on later events. When X lies past the replayed horizon, the replay continues from
where it stopped (records dated on or before the old horizon do not change).

``Evaluation.at(X, known_on=K)`` answers as the events recorded on or before K tell it (K
defaults to X); ``knowledge.py`` picks the replay that answers (X, K), and this module keeps a
few of those replays.
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

import attrs

from .knowledge import Key, KnowledgeIndex, acts_from_its_date
from .model import (
    VAGUE_STANDARDS,
    Diagnostic,
    ErrorLocation,
    Event,
    EventError,
    Lang,
    OptionStatus,
    Status,
)
from .replay import EffectRecord, Instance, Replay, TerminationNotice
from .textsafe import visible

if TYPE_CHECKING:
    import pandas

    from .agenda import Agenda
    from .aging import Aging


def status_at(inst: Instance, on: date) -> Status | None:
    """The one status of ``inst`` on ``on`` (None before it arises, and for a faculty,
    which is never an obligation: see :func:`option_status_at`)."""
    if on < inst.triggered_on or inst.norm.kind == "faculte":
        return None
    if inst.norm.kind == "continue":
        if inst.breached_on is not None and inst.breached_on <= on:
            return Status.BREACHED
        if inst.ended_on is not None and inst.ended_on <= on:
            return Status.DISCHARGED
        return Status.IN_FORCE
    if inst.performed_on is not None and inst.performed_on <= on:
        deadline = inst.deadline_on(inst.performed_on)
        if deadline is None or inst.performed_on <= deadline:
            return Status.SATISFIED
        return Status.SATISFIED_LATE
    if inst.ended_on is not None and inst.ended_on <= on:
        return Status.DISCHARGED
    if inst.late_on(on):
        return Status.LATE
    return Status.DUE


def option_status_at(inst: Instance, on: date) -> OptionStatus | None:
    """The status of a faculty on ``on`` (None before its window opens, or not a faculty)."""
    if inst.norm.kind != "faculte" or on < inst.triggered_on:
        return None
    if inst.performed_on is not None and inst.performed_on <= on:
        return OptionStatus.EXERCISED
    if inst.ended_on is not None and inst.ended_on <= on:
        return OptionStatus.EXPIRED
    closes = inst.deadline_on(on)
    if closes is not None and on > closes:
        return OptionStatus.EXPIRED
    return OptionStatus.OPEN


def _party_label(party: str | None) -> str:
    return party if party is not None else "parties"


@attrs.frozen
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
    _instance: Instance = attrs.field(repr=False, eq=False)

    @property
    def at_fault(self) -> str | None:
        """The party to blame: the debtor of a late or breached instance, else no one."""
        if self.status in (Status.LATE, Status.BREACHED, Status.SATISFIED_LATE):
            return self.debtor
        return None

    @property
    def days_left(self) -> int | None:
        """Days until the deadline (negative: days late); None without a deadline."""
        if self.deadline is None:
            return None
        return (self.deadline - self.on).days

    def explain(self, lang: Lang = "fr") -> str:
        """Why it has this status on this date: article, trigger, deadline, acts (user text
        made visible: control characters are escaped)."""
        return explain(self._instance, self.on, self.status, lang)

    def to_record(self) -> dict[str, Any]:
        """Typed values (``date``, ``Decimal``, ``bool``), exact, French keys as in JSON."""
        return {
            "au": self.on, "obligation": self.rule, "article": self.article,
            "libelle": self.label, "debiteur": self.debtor, "creancier": self.creditor,
            "cle": self.key, "statut": self.status.value, "echeance": self.deadline,
            "nee_le": self.triggered_on, "executee_le": self.performed_on,
            "eteinte_le": self.ended_on, "montant": self.amount, "solde": self.balance,
            "norme": self.standard, "echeance_politique": self.policy_deadline,
            "retard_politique": self.policy_late, "service": self.service,
            "en_faute": self.at_fault,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO dates, amounts as decimal strings, exact user text."""
        return {
            "au": self.on.isoformat(), "obligation": self.rule, "article": self.article,
            "libelle": self.label, "debiteur": self.debtor, "creancier": self.creditor,
            "cle": self.key, "statut": self.status.value,
            "echeance": _iso(self.deadline), "nee_le": self.triggered_on.isoformat(),
            "executee_le": _iso(self.performed_on), "eteinte_le": _iso(self.ended_on),
            "montant": _money(self.amount), "solde": _money(self.balance),
            "norme": self.standard, "echeance_politique": _iso(self.policy_deadline),
            "retard_politique": self.policy_late, "service": self.service,
            "en_faute": self.at_fault,
        }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def view(inst: Instance, on: date, lang: Lang = "fr") -> Obligation | None:
    """The instance as it stands on ``on`` (None before it arises)."""
    status = status_at(inst, on)
    if status is None:
        return None
    balance = None
    if inst.amount is not None:
        balance = inst.amount - inst.paid_by(on)
    policy_late = (status is Status.DUE and inst.policy_deadline is not None
                   and on > inst.policy_deadline)
    return Obligation(
        on=on, rule=inst.norm.id, article=inst.norm.article, label=inst.norm.label(lang),
        debtor=_party_label(inst.debtor), creditor=_party_label(inst.creditor), key=inst.key,
        status=status, deadline=inst.deadline_on(on), triggered_on=inst.triggered_on,
        performed_on=inst.performed_on if inst.performed_on and inst.performed_on <= on else None,
        ended_on=inst.ended_on if inst.ended_on and inst.ended_on <= on else None,
        amount=inst.amount, balance=balance, standard=inst.standard,
        policy_deadline=inst.policy_deadline, policy_late=policy_late, service=inst.service,
        instance=inst)


class Views(Sequence[Obligation]):
    """The obligations a snapshot returns, in display order. Which instances belong is
    decided when it is made (statuses are cheap); each :class:`Obligation` view is built the
    first time it is read, then kept. Compares equal to a tuple or list of the same views."""

    __slots__ = ("_built", "_instances", "_lang", "_on")

    def __init__(self, instances: Sequence[Instance], on: date, lang: Lang) -> None:
        self._instances = instances
        self._on = on
        self._lang = lang
        self._built: list[Obligation | None] = [None] * len(instances)

    def __len__(self) -> int:
        return len(self._instances)

    def _view(self, i: int) -> Obligation:
        built = self._built[i]
        if built is None:
            built = view(self._instances[i], self._on, self._lang)
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
        for i in range(len(self._instances)):
            yield self._view(i)

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


_BLOCK = 32  # instances per block of the owed index


class _Index:
    """Instances of one replay state in display order, with what makes queries fast: the
    birth dates (a date's instances are a prefix), a (rule, key) index for ``find``, and for
    ``owed``/``late`` the instances that can be owed, split into those never closed so far
    and blocks of closed ones with the latest closing date of each block (a block closed
    entirely by X is skipped). The index only narrows the candidates: every status is still
    computed by :func:`status_at`."""

    def __init__(self, ordered: list[Instance]) -> None:
        # a faculty is never an obligation: kept apart, for ``options``
        self.faculties = [i for i in ordered if i.norm.kind == "faculte"]
        self._faculty_births = [i.triggered_on for i in self.faculties]
        self.ordered = [i for i in ordered if i.norm.kind != "faculte"] \
            if self.faculties else ordered
        self.births = [i.triggered_on for i in self.ordered]
        self._by_key: dict[tuple[str, str | None], list[int]] | None = None
        self._by_rule: dict[str, list[int]] | None = None
        self._open: list[int] | None = None
        self._closed: list[tuple[int, date]] = []
        self._block_end: list[date] = []

    def born(self, on: date) -> int:
        return bisect_right(self.births, on)

    def faculties_by(self, on: date) -> list[Instance]:
        """The faculties whose window has opened by ``on``, in display order."""
        return self.faculties[:bisect_right(self._faculty_births, on)]

    def find(self, rule: str, key: str | None, born: int) -> Instance | None:
        if self._by_key is None:
            by_key: dict[tuple[str, str | None], list[int]] = {}
            by_rule: dict[str, list[int]] = {}
            for pos, inst in enumerate(self.ordered):
                by_key.setdefault((inst.norm.id, inst.key), []).append(pos)
                by_rule.setdefault(inst.norm.id, []).append(pos)
            # published last-checked-first: a thread that sees _by_key sees _by_rule too
            self._by_rule = by_rule
            self._by_key = by_key
        assert self._by_rule is not None and self._by_key is not None
        positions = (self._by_rule.get(rule, []) if key is None
                     else self._by_key.get((rule, key), []))
        last = bisect_left(positions, born) - 1
        return self.ordered[positions[last]] if last >= 0 else None

    def _build_owed(self) -> None:
        open_: list[int] = []
        closed: list[tuple[int, date]] = []
        for pos, inst in enumerate(self.ordered):
            if inst.norm.kind == "continue":
                continue  # in force or breached, never owed
            ends = [d for d in (inst.performed_on, inst.ended_on) if d is not None]
            if ends:
                closed.append((pos, min(ends)))
            else:
                open_.append(pos)
        self._closed = closed
        self._block_end = [max(end for _, end in closed[b:b + _BLOCK])
                           for b in range(0, len(closed), _BLOCK)]
        # _open is what other threads test: set it last, once the rest is complete
        self._open = open_

    def owed_candidates(self, on: date, born: int) -> list[int]:
        """Positions of the instances born by ``on`` that may be owed on ``on``."""
        if self._open is None:
            self._build_owed()
        assert self._open is not None
        found = self._open[:bisect_left(self._open, born)]
        closed = self._closed
        for b, block_end in enumerate(self._block_end):
            first = b * _BLOCK
            if closed[first][0] >= born:
                break
            if block_end > on:
                found += [pos for pos, end in closed[first:first + _BLOCK]
                          if pos < born and end > on]
        found.sort()
        return found


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
    _instance: Instance = attrs.field(repr=False, eq=False)

    def explain(self, lang: Lang = "fr") -> str:
        """Why the faculty has this status on this date: its window, its article, its exercise."""
        return explain_option(self._instance, self.on, self.status, lang)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the faculty's window, status and exercise date (exact user text)."""
        return {"au": self.on.isoformat(), "faculte": self.rule, "article": self.article,
                "libelle": self.label, "titulaire": self.holder, "cle": self.key,
                "ouverte_le": self.opens_on.isoformat(), "close_le": _iso(self.closes_on),
                "statut": self.status.value, "exercee_le": _iso(self.exercised_on)}


def option_view(inst: Instance, on: date, lang: Lang = "fr") -> Option | None:
    status = option_status_at(inst, on)
    if status is None:
        return None
    return Option(on=on, rule=inst.norm.id, article=inst.norm.article,
                  label=inst.norm.label(lang), holder=_party_label(inst.debtor), key=inst.key,
                  opens_on=inst.triggered_on, closes_on=inst.deadline,
                  status=status, exercised_on=inst.performed_on
                  if inst.performed_on is not None and inst.performed_on <= on else None,
                  instance=inst)


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

    def describe(self, lang: Lang = "fr") -> str:
        """One line: the pending termination, its article, notice and last day in force."""
        if lang == "fr":
            return (f"résiliation en cours (art. {self.article}) : avis de {self.by} reçu le "
                    f"{self.received_on}, dernier jour en vigueur le {self.last_day}")
        return (f"termination pending (art. {self.article}): notice by {self.by} received on "
                f"{self.received_on}, last day in force {self.last_day}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the notice, receipt, last day in force and effective date."""
        return {"avis_le": self.notice_on.isoformat(), "recu_le": self.received_on.isoformat(),
                "par": self.by, "article": self.article,
                "dernier_jour": self.last_day.isoformat(), "fin_le": self.effective.isoformat()}


def pending_termination(notices: list[TerminationNotice], on: date) -> PendingTermination | None:
    """The earliest end known on ``on``, if it is still to come."""
    known = [n for n in notices if n.event.date <= on]
    if not known:
        return None
    first = min(known, key=lambda n: (n.effective, n.event.date))
    if on >= first.effective:
        return None
    event = first.event
    return PendingTermination(event.date, event.received_on, event.by, first.article,
                              first.effective - timedelta(days=1), first.effective)


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
    _index: _Index = attrs.field(factory=lambda: _Index([]), repr=False, eq=False)
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
            cached = Views(_Prefix(self._index.ordered, self._born), self.on, self.lang)
            self._cache["all"] = cached
        return cached

    @property
    def owed(self) -> Views:
        """The instances owed on this date (``a_echoir`` and ``en_retard``)."""
        return self._owed_like("owed", lambda st: st.owed)

    @property
    def late(self) -> Views:
        """The instances late on this date (``en_retard``)."""
        return self._owed_like("late", lambda st: st is Status.LATE)

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
        from .tables import frame
        return frame(self.to_records(owed_only), list(RECORD_COLUMNS))

    def aging(self) -> Aging:
        """The unpaid balances on this date by how long they are past their deadline."""
        from .aging import aging
        return aging(self)

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
        return {
            "au": self.on.isoformat(),
            "connu_le": (self.known_on or self.on).isoformat(),
            "entente_en_vigueur": self.agreement_in_force,
            "services_en_vigueur": list(self.services_in_force),
            "resiliation_en_cours": None if self.termination_pending is None
            else self.termination_pending.to_dict(),
            "obligations": [o.to_dict() for o in self.obligations],
            "facultes": [o.to_dict() for o in self.options],
            "diagnostics": [
                {"date": d.on.isoformat(), "code": d.code, "article": d.article,
                 "gravite": d.severity, "message": d.message.fr, "message_en": d.message.en,
                 "evenement": d.event.source if d.event else None}
                for d in self.diagnostics],
        }


RECORD_COLUMNS = ("au", "obligation", "article", "libelle", "debiteur", "creancier", "cle",
                  "statut", "echeance", "nee_le", "executee_le", "eteinte_le", "montant",
                  "solde", "norme", "echeance_politique", "retard_politique", "service",
                  "en_faute")


class _Prefix(Sequence[Instance]):
    """The first ``n`` items of a list, without copying it."""

    __slots__ = ("_items", "_n")

    def __init__(self, items: list[Instance], n: int) -> None:
        self._items, self._n = items, n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> Instance: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Instance]: ...

    def __getitem__(self, index: int | slice) -> Instance | Sequence[Instance]:
        if isinstance(index, slice):
            return self._items[:self._n][index]
        if not 0 <= index < self._n:
            raise IndexError(index)
        return self._items[index]


_MEMO_SIZE = 64  # snapshots kept per evaluation: dashboards ask about the same few dates
_KNOWN_SIZE = 16  # replays of a partial knowledge kept per evaluation (memory: see api.md)


class Evaluation:
    """The result of replaying one event log; ask it about any date with :meth:`at`.

    The replay is resumable: a question past the replayed horizon continues it from where it
    stopped, and :meth:`extend` appends later events without replaying the earlier ones.

    ``evaluate`` evaluates a part of the log: with it, :meth:`at` answers "as known on K"
    from the replay of the events recorded by K (see ``knowledge.py``); without it, every
    event of the log counts as known.
    """

    def __init__(self, start: Callable[[], Replay], in_force_from: date,
                 events: Sequence[Event],
                 validate: Callable[[Iterable[Event]], list[Event]] | None = None, *,
                 evaluate: Callable[[Sequence[Event]], Evaluation] | None = None) -> None:
        self._new_replay = start
        self._start = in_force_from
        self._validate = validate
        # One lock guards the replayed state, its extension and the snapshot memo; another
        # the replays of partial knowledge (built outside it: a replay may take a while).
        self._lock = threading.RLock()
        self._evaluate = evaluate
        self._known: OrderedDict[Key, Evaluation] = OrderedDict()
        self._known_lock = threading.Lock()
        self._knowledge: KnowledgeIndex | None = None
        self._events: list[Event] = []
        self._replay_all(list(events))

    # ------------------------------------------------------------------ replay state
    def _replay_all(self, events: list[Event]) -> None:
        """A fresh replay of ``events``, up to the last one (or the entry into force)."""
        replay = self._new_replay()
        self._replay = replay
        self._ordered: list[Instance] = []
        self._diagnostics: list[Diagnostic] = []
        self._seen_instances = 0
        self._seen_diagnostics = 0
        self._events = events
        replay.feed(events)
        replay.advance(max([self._start, *(e.date for e in events)]))
        self._sync()
        self._reindex()

    def _reindex(self) -> None:
        """Index the log by knowledge date; the replays of partial knowledge kept so far are
        dropped (the log changed)."""
        if self._evaluate is not None:
            self._knowledge = KnowledgeIndex.of(self._events)
            with self._known_lock:
                self._known.clear()

    def _sync(self) -> None:
        """Take in the instances and diagnostics the replay produced since the last sync.
        New instances are born on or after the previous horizon: only the tail re-sorts."""
        result = self._replay.result
        self._result = result
        new = result.instances[self._seen_instances:]
        self._seen_instances = len(result.instances)
        if new or not hasattr(self, "_index"):
            births = [i.triggered_on for i in self._ordered]
            cut = bisect_left(births, min((i.triggered_on for i in new), default=date.max))
            tail = sorted([*self._ordered[cut:], *new], key=_display_key)
            self._ordered = [*self._ordered[:cut], *tail]
            self._index = _Index(self._ordered)
        fresh = result.diagnostics[self._seen_diagnostics:]
        self._seen_diagnostics = len(result.diagnostics)
        if fresh:
            if self._diagnostics and min(d.on for d in fresh) < self._diagnostics[-1].on:
                self._diagnostics = list(heapq.merge(self._diagnostics,
                                                     sorted(fresh, key=_on), key=_on))
            else:
                self._diagnostics = [*self._diagnostics, *sorted(fresh, key=_on)]
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
                where = added[[e.date for e in added].index(first)]
                raise EventError(
                    ErrorLocation(where.source or "<extend>"),
                    f"extend() prend des événements datés du {last} ou après (le dernier "
                    f"déjà donné) ; reçu le {first}. Pour insérer un événement antérieur, "
                    "évaluez le journal entier.",
                    f"extend() takes events dated on or after {last} (the last one already "
                    f"given); got {first}. To insert an earlier event, evaluate the whole log.")
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
        if self._knowledge is None or self._evaluate is None:
            return self
        key = self._knowledge.key(on, known_on)
        if key is None:
            return self
        with self._known_lock:
            found = self._known.get(key)
            if found is not None:
                self._known.move_to_end(key)
                return found
        built = self._evaluate(self._knowledge.events_for(key))
        with self._known_lock:
            found = self._known.setdefault(key, built)
            self._known.move_to_end(key)
            while len(self._known) > _KNOWN_SIZE:
                self._known.popitem(last=False)
        return found

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
        known = [r for r in effects if r.event.date <= on]
        ends = [r for r in known if r.action == "fin_entente"]
        end = min(ends, key=lambda r: r.on) if ends else None
        return tuple(r for r in known if on < r.on and (end is None or r.on <= end.on)
                     and (r.action != "fin_entente" or r is end))

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
        from .agenda import build_agenda
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
                            explain_instance=_explain_on)

    def explain(self, rule: str, key: str | None, on: date, lang: Lang = "fr", *,
                known_on: date | None = None) -> str:
        """The explanation of the instance (or faculty) of ``rule`` with ``key`` on ``on``."""
        snapshot = self.at(on, lang, known_on=known_on)
        found: Obligation | Option | None = snapshot.find(rule, key)
        if found is None:
            found = snapshot.find_option(rule, key)
        if found is None:
            return (f"aucune instance de {rule} ({key}) au {on}" if lang == "fr"
                    else f"no instance of {rule} ({key}) on {on}")
        return found.explain(lang)


def _explain_on(inst: Instance, on: date, lang: Lang) -> str:
    """The explanation of an obligation or a faculty on ``on`` (the agenda's callback)."""
    option = option_status_at(inst, on)
    if option is not None:
        return explain_option(inst, on, option, lang)
    status = status_at(inst, on)
    assert status is not None
    return explain(inst, on, status, lang)


def _on(diagnostic: Diagnostic) -> date:
    return diagnostic.on


_ARTICLE_KEYS: dict[str, tuple[Any, ...]] = {}


def _display_key(inst: Instance) -> tuple[Any, ...]:
    article = inst.norm.article
    key = _ARTICLE_KEYS.get(article)
    if key is None:
        key = _ARTICLE_KEYS[article] = _article_key(article)
    return (inst.triggered_on, key, inst.norm.id, inst.key or "", inst.seq)


def _article_key(article: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for piece in article.replace(" ", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)


def explain(inst: Instance, on: date, status: Status, lang: Lang = "fr") -> str:
    """The explanation of ``inst`` on ``on``; user text (keys, event fields) is made
    visible, so the text is safe to print."""
    fr = lang == "fr"
    norm = inst.norm
    lines = [_title(inst, lang)]
    lines.append((f"Débiteur : {_party_label(inst.debtor)} → créancier : "
                  f"{_party_label(inst.creditor)}") if fr else
                 f"Debtor: {_party_label(inst.debtor)} → creditor: {_party_label(inst.creditor)}")
    lines.append((f"Statut au {on} : " if fr else f"Status on {on}: ") + status.label(lang)
                 + _status_reason(inst, on, status, lang))
    lines += _origin(inst, lang, ("Née le", "de"), ("Arose on", "from"))
    if inst.computation is not None:
        lines.append(("Échéance : " if fr else "Deadline: ") + f"{inst.deadline} — "
                     + inst.computation.describe(lang))
    elif inst.deadline is not None:
        lines.append(("Échéance : " if fr else "Deadline: ") + f"{inst.deadline}"
                     + (f" — {inst.deadline_note(lang)}" if inst.deadline_note else ""))
    elif inst.deadline_note is not None:  # no date: e.g. beyond the calendar
        lines.append(("Échéance : " if fr else "Deadline: ") + inst.deadline_note(lang))
    if inst.deadline_note is not None and inst.computation is not None:
        lines.append("  " + inst.deadline_note(lang))
    if inst.amendment is not None:
        lines.append(("  Délai modifié par avenant : " if fr else "  Delay set by amendment: ")
                     + inst.amendment.describe(lang))
    if norm.window_only and inst.deadline is not None and on > inst.deadline \
            and norm.on_expiry is not None:
        lines.append((f"Délai expiré le {inst.deadline} : " if fr else
                      f"Time ran out on {inst.deadline}: ") + norm.on_expiry(lang))
    lines += _demand_lines(inst, on, lang)
    if inst.standard is not None:
        wording = VAGUE_STANDARDS[inst.standard](lang)
        lines.append((f"Délai : « {wording} » — aucun délai contractuel chiffré ; en retard "
                      "seulement après une mise en demeure ou un manquement constaté") if fr else
                     (f"Time limit: \"{wording}\" — no contractual deadline; late only after a "
                      "formal demand or a recorded breach"))
        if inst.policy_deadline is not None:
            late = status is Status.DUE and on > inst.policy_deadline
            lines.append((f"Politique : délai indicatif au {inst.policy_deadline}"
                          + (" — dépassé : retard selon la politique, pas un retard contractuel"
                             if late else "")) if fr else
                         (f"Policy: indicative deadline {inst.policy_deadline}"
                          + (" — passed: late under the policy, not contractually late"
                             if late else "")))
    if inst.amount is not None:
        paid = inst.payments[:bisect_right(inst.payments, on, key=lambda p: p.on)]
        total = inst.paid_by(on)
        lines.append((f"Montant : {inst.amount} ; payé : {total} ; solde : {inst.amount - total}")
                     if fr else
                     f"Amount: {inst.amount}; paid: {total}; balance: {inst.amount - total}")
        for p in paid:
            lines.append(f"  {'Paiement' if fr else 'Payment'} {p.on} : {p.amount} — "
                         f"{p.event.describe(lang)}")
    if inst.performed_on is not None and inst.performed_on <= on and inst.performed_by:
        lines.append((f"Exécutée le {inst.performed_on} par : " if fr else
                       f"Performed on {inst.performed_on} by: ") + inst.performed_by.describe(lang))
    if inst.ended_on is not None and inst.ended_on <= on and inst.end_reason is not None:
        lines.append((f"Éteinte le {inst.ended_on} : " if fr else
                       f"Discharged on {inst.ended_on}: ") + inst.end_reason(lang))
    if inst.breached_on is not None and inst.breached_on <= on and inst.breach_event:
        lines.append((f"Violée le {inst.breached_on} par : " if fr else
                       f"Breached on {inst.breached_on} by: ") + inst.breach_event.describe(lang))
    if inst.outlived is not None and inst.outlived[0] <= on:
        ended, reason = inst.outlived
        lines.append((f"Fin : {reason(lang)} — pour l'avenir seulement (C.c.Q., art. 1606) : le "
                      f"défaut était acquis avant le {ended} ; il subsiste, débiteur en faute, "
                      "et la responsabilité qui en découle survit") if fr else
                     (f"End: {reason(lang)} — for the future only (C.c.Q., art. 1606): the "
                      f"default was acquired before {ended}; it stands, the debtor at fault, "
                      "and liability for it survives"))
    if inst.survives:
        lines.append("Survit à la résiliation de l'entente." if fr else
                     "Survives termination of the agreement.")
    lines.append(f"Source : {norm.file}" if fr else f"Source: {norm.file}")
    return "\n".join(visible(line) for line in lines)


def _title(inst: Instance, lang: Lang) -> str:
    norm = inst.norm
    key = "" if inst.key is None else (f", clé {inst.key}" if lang == "fr"
                                       else f", key {inst.key}")
    return f"Art. {norm.article} — {norm.label(lang)} ({norm.id}){key}"


def _origin(inst: Instance, lang: Lang, fr_words: tuple[str, str],
            en_words: tuple[str, str]) -> list[str]:
    """How it arose (or opened): its trigger event, or its origin (period, expiry…)."""
    fr = lang == "fr"
    when, by = fr_words if fr else en_words
    sep = " : " if fr else ": "
    if inst.trigger_event is not None and inst.origin is None:
        return [f"{when} {inst.triggered_on} {by}{sep}" + inst.trigger_event.describe(lang)]
    if inst.origin is not None:
        return [f"{when} {inst.triggered_on}{sep}" + inst.origin(lang)]
    return []


def _demand_lines(inst: Instance, on: date, lang: Lang) -> list[str]:
    """What each demand (or recorded breach) known by ``on`` did to the instance."""
    fr = lang == "fr"
    lines = []
    for record in inst.demands:
        if record.known_on > on:
            continue
        spec, event = record.spec, record.event
        lines.append((f"{spec.label(lang)} (art. {spec.article} ; {spec.source}) : " if fr
                      else f"{spec.label(lang)} (art. {spec.article}; {spec.source}): ")
                     + event.describe(lang))
        if record.computation is not None:
            lines.append("  " + (f"reçue le {event.received_on} ; délai au "
                                 if fr else f"received on {event.received_on}; time limit ")
                         + f"{record.computation.deadline} — "
                         + record.computation.describe(lang))
            if event.received is None:
                lines.append("  " + ("réception présumée le jour de l'envoi" if fr else
                                     "receipt presumed on the day it was sent"))
        if record.late_since is not None:
            lines.append("  " + (f"débiteur déjà en retard depuis le {record.late_since} : "
                                 "statut inchangé ; en demeure au plus tard le "
                                 f"{record.in_default_on}" if fr else
                                 f"debtor already late since {record.late_since}: status "
                                 f"unchanged; in default no later than {record.in_default_on}"))
        elif record.term_kept is not None:
            lines.append("  " + (f"le terme contractuel du {record.term_kept} n'est pas "
                                 "devancé (C.c.Q., art. 1508) : en demeure à compter du "
                                 f"{record.in_default_on}" if fr else
                                 f"the contractual term of {record.term_kept} is not brought "
                                 "forward (C.c.Q., art. 1508): in default from "
                                 f"{record.in_default_on}"))
        else:
            lines.append("  " + (f"débiteur en demeure à compter du {record.in_default_on}"
                                 if fr else f"debtor in default from {record.in_default_on}"))
    return lines


def explain_option(inst: Instance, on: date, status: OptionStatus, lang: Lang = "fr") -> str:
    fr = lang == "fr"
    norm = inst.norm
    lines = [_title(inst, lang)]
    lines.append(f"Faculté de {_party_label(inst.debtor)} — jamais due, jamais en retard"
                  if fr else f"Faculty of {_party_label(inst.debtor)} — never owed, never late")
    lines.append((f"Statut au {on} : " if fr else f"Status on {on}: ") + status.label(lang))
    lines += _origin(inst, lang, ("Ouverte le", "par"), ("Opened on", "by"))
    if inst.deadline is not None:
        lines.append((f"Fenêtre jusqu'au {inst.deadline} inclus" if fr else
                      f"Window until {inst.deadline} included")
                     + (f" — {inst.deadline_note(lang)}" if inst.deadline_note else ""))
    elif inst.deadline_note is not None:  # no date: e.g. beyond the calendar
        lines.append(("Fenêtre : " if fr else "Window: ") + inst.deadline_note(lang))
    if status is OptionStatus.EXERCISED and inst.performed_by is not None:
        lines.append((f"Exercée le {inst.performed_on} par : " if fr else
                      f"Exercised on {inst.performed_on} by: ")
                     + inst.performed_by.describe(lang))
        if norm.on_exercise is not None:
            lines.append(("Effet : " if fr else "Effect: ") + norm.on_exercise(lang))
    elif status is OptionStatus.EXPIRED:
        reason = inst.end_reason if inst.ended_on is not None and inst.ended_on <= on \
            else norm.on_expiry
        lines.append(("Expirée sans exercice" if fr else "Expired unexercised")
                     + (f" : {reason(lang)}" if fr and reason else
                        f": {reason(lang)}" if reason else "")
                     + (" — personne n'est en faute" if fr else " — no one is at fault"))
    lines.append(f"Source : {norm.file}" if fr else f"Source: {norm.file}")
    return "\n".join(lines)


def _status_reason(inst: Instance, on: date, status: Status, lang: Lang) -> str:
    fr = lang == "fr"
    deadline = inst.deadline_on(on)
    if status is Status.LATE and deadline is not None:
        days = (on - deadline).days
        return (f" (échéance du {deadline} dépassée de {days} jour{'s' * (days > 1)} ; "
                f"en faute : {_party_label(inst.debtor)})") if fr else \
            (f" (deadline {deadline} passed by {days} day{'s' * (days > 1)}; "
             f"at fault: {_party_label(inst.debtor)})")
    if status is Status.DUE and deadline is not None:
        days = (deadline - on).days
        return (f" ({days} jour{'s' * (days > 1)} avant l'échéance)" if fr else
                f" ({days} day{'s' * (days > 1)} before the deadline)")
    if status is Status.BREACHED:
        return (f" (en faute : {_party_label(inst.debtor)})" if fr else
                f" (at fault: {_party_label(inst.debtor)})")
    if status is Status.DISCHARGED:
        return " (personne n'est en faute)" if fr else " (no one is at fault)"
    return ""
