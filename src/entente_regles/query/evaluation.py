"""Pure queries on a replay (:class:`Evaluation`): what exists on a date (a
:class:`~entente_regles.query.snapshot.Snapshot`), the agenda of a window, the effects
scheduled, the explanation of an instance. The replay itself is kept up to date in
``resumable``; statuses and views are in ``status`` and ``obligations``, the query index in
``index``; words and records are the output layer's.

``Evaluation.at(X)`` reads only records dated on or before X, so an answer about X never
depends on later events. When X lies past the replayed horizon, the replay continues from
where it stopped (records dated on or before the old horizon do not change).

``Evaluation.at(X, known_on=K)`` answers as the events recorded on or before K tell it (K
defaults to X); ``as_known`` picks the replay that answers (X, K), and this module keeps a
few of those replays.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime

from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.values import Lang
from entente_regles.engine.replay import EffectRecord, Replay
from entente_regles.query.agenda import Agenda, build_agenda
from entente_regles.query.as_known import KnownReplays
from entente_regles.query.changes import Changes, build_changes
from entente_regles.query.explanation import no_instance
from entente_regles.query.obligations import (
    Obligation,
    Option,
    PendingTermination,
    explain_on,
    pending_termination,
    scheduled_effects,
)
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.query.resumable import ResumableReplay
from entente_regles.query.snapshot import Snapshot
from entente_regles.query.term import ending_on, term_on

_MEMO_SIZE = 64  # snapshots kept per evaluation: dashboards ask about the same few dates
_KNOWN_SIZE = 16  # replays of a partial knowledge kept per evaluation (memory: see api.md)


class Evaluation:
    """The result of replaying one event log; ask it about any date with :meth:`at`.

    The replay is resumable: a question past the replayed horizon continues it from where it
    stopped, and :meth:`extend` appends later events without replaying the earlier ones.

    ``evaluate`` evaluates a part of the log: with it, :meth:`at` answers "as known on K"
    from the replay of the events recorded by K (see ``as_known``); without it, every
    event of the log counts as known. ``date_fields`` (per event type, its date fields, from
    the vocabulary) makes indexing the log by knowledge date cheaper. ``presentation``: the
    agreement's currency, locales and party labels, handed to every answer that shows them.
    """

    def __init__(self, start: Callable[[], Replay], in_force_from: date,
                 events: Sequence[Event],
                 validate: Callable[[Iterable[Event]], list[Event]] | None = None, *,
                 evaluate: Callable[[Sequence[Event]], Evaluation] | None = None,
                 date_fields: Mapping[str, Sequence[str]] | None = None,
                 presentation: Presentation = PLAIN,
                 replayed: ResumableReplay | None = None) -> None:
        self.presentation = presentation
        # The replayed state, its extension and the snapshot memo are guarded by the lock of
        # ``_log``; the replays of partial knowledge by their own (built outside it: a
        # replay may take a while).
        self._known = None if evaluate is None else KnownReplays(evaluate, _KNOWN_SIZE,
                                                                  date_fields)
        # ``replayed``: a replay state made elsewhere (another process, see
        # :attr:`replayed`), taken as it is instead of replaying ``events``.
        self._log = (ResumableReplay(start, in_force_from, events, validate, self._reindex)
                     if replayed is None else replayed.attach(start, validate, self._reindex))

    @property
    def replayed(self) -> ResumableReplay:
        """The replay state of the whole log: picklable (lock, memo and callbacks left
        out), to be handed back to ``Agreement.resume`` in another process (the portfolio
        evaluates agreements in workers this way)."""
        return self._log

    def _reindex(self, events: Sequence[Event]) -> None:
        """Index the log by knowledge date; the replays of partial knowledge kept so far are
        dropped (the log changed)."""
        if self._known is not None:
            self._known.reindex(events)

    def extend(self, events: Iterable[Event]) -> Evaluation:
        """Append ``events``, dated on or after the last event already given, to this
        evaluation, without replaying the others; answers are those of a full replay of the
        whole log. Returns the evaluation itself.

        Continues the replay when the new events are dated on or after the latest date asked
        about (or the last event); otherwise (a question was asked further ahead) replays the
        whole log once, and also when an added event carries a date before its own (an
        agreed date in the past: amendments are read before the replay walks)."""
        self._log.extend(events)
        return self

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Everything rejected or non-conforming, in date order, up to the replayed horizon
        (the last event, or the latest date asked about), every event of the log being
        known."""
        log = self._log
        with log.lock:
            return tuple(log.diagnostics)

    @property
    def agreement_end(self) -> date | None:
        """The first day without the agreement, every event of the log being known."""
        log = self._log
        with log.lock:
            return log.result.agreement_end

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
        log = self._log
        with log.lock:
            log.ensure(on)
            memo = log.memo.get((on, lang, known_on))
            if memo is not None:
                return memo
            result = log.result
            # An end set by an event not yet known here cannot precede ``on``: an ordinary
            # event takes effect on or after its date, and this replay holds only the others
            # known.
            in_force = log.in_force_from <= on and not (
                result.agreement_end is not None and on >= result.agreement_end)
            services = tuple(sorted(s.name for s in result.services.values() if s.in_force(on)))
            diagnostics = tuple(log.diagnostics[:bisect_right(log.diagnostic_dates, on)])
            shown = self.presentation
            plan = log.replay.term
            ending = ending_on(plan, result.terminations, on, result.renewals)
            snapshot = Snapshot(on, in_force, services if in_force else (), diagnostics, lang,
                                log.index, pending_termination(result.terminations, on, shown),
                                known_on=known_on, presentation=shown,
                                term=term_on(plan, ending, on), ending=ending)
            if len(log.memo) >= _MEMO_SIZE:
                log.memo.pop(next(iter(log.memo)))
            log.memo[(on, lang, known_on)] = snapshot
            return snapshot

    def scheduled_effects(self, on: date) -> tuple[EffectRecord, ...]:
        """Effects known on ``on`` (their act dated on or before it) that take place after
        it: a termination or a withdrawal notified and pending. No look-ahead."""
        log = self._log
        with log.lock:
            log.ensure(on)
            effects = list(log.result.effects)
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
        that date (see :meth:`at`). See :mod:`entente_regles.query.agenda`.
        """
        if not isinstance(start, date) or not isinstance(end, date):
            raise TypeError("agenda() takes datetime.date bounds")
        if known_on is not None:
            source = self._as_known(end, known_on)
            if source is not self:
                return source.agenda(start, end, as_of=as_of, effective_dates=effective_dates)
        log = self._log
        with log.lock:
            log.ensure(max(end, as_of or end))
            effects, ordered = list(log.result.effects), log.ordered
            renewals = list(log.result.renewals)
            compiled, calendar = log.replay.rules_in_use, log.replay.calendar
        shown = self.presentation
        return build_agenda(effects, ordered, compiled, calendar, log.in_force_from, start, end,
                            as_of=as_of, effective_dates=effective_dates,
                            explain_instance=lambda inst, on, lang: explain_on(inst, on, lang,
                                                                                shown),
                            presentation=shown, term=log.replay.term, renewed=renewals)

    def changes(self, since: date, on: date, lang: Lang = "fr", *,
                known_on: date | None = None) -> Changes:
        """What changed from ``since`` (excluded) to ``on`` (included): instances that
        arose, payments, instances fallen late, other changes of status, diagnostics (see
        :mod:`entente_regles.query.changes`), as the events recorded on or before
        ``known_on`` (default: ``on``) tell it; the words in ``lang``. No look-ahead:
        nothing dated or recorded after ``on`` (or ``known_on``) counts."""
        for name, value in (("since", since), ("on", on), ("known_on", known_on)):
            if value is None and name == "known_on":
                continue
            if not isinstance(value, date) or isinstance(value, datetime):
                raise TypeError(f"changes() : {name} une datetime.date / changes(): {name} "
                                "takes a datetime.date")
        if since > on:
            raise ValueError(f"changes() : since {since} après on {on} / changes(): since "
                             f"{since} after on {on}")
        known = on if known_on is None else known_on
        source = self._as_known(on, known)
        log = source._log
        with log.lock:
            log.ensure(on)
            index = log.index
            instances = [*index.ordered[:index.born(on)], *index.faculties_by(on)]
            dates = log.diagnostic_dates
            diagnostics = log.diagnostics[bisect_right(dates, since):bisect_right(dates, on)]
        return build_changes(instances, diagnostics, since, on, lang, self.presentation,
                             known_on=known)

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


# Snapshot and the views it returns, re-exported: the types an evaluation's answers have.
__all__ = ["Changes", "Evaluation", "Obligation", "Option", "PendingTermination", "Snapshot"]
