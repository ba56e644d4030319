"""A portfolio evaluated (:class:`PortfolioEvaluation`): each agreement's evaluation, kept
with the content hashes of what it was made from, and kept fresh without redoing.

Running: each agreement is one job (``worker.run_job``, plain data in and out) given to a
``concurrent.futures`` executor:

- ``executor=None``: resident workers (``resident.ResidentPool``: one long-lived process
  per core, or ``workers``), each keeping the evaluations it makes; questions across the
  portfolio are asked where they are kept (:meth:`PortfolioEvaluation.map`), an evaluation
  read by itself is brought here. A small portfolio (a single agreement to evaluate, or
  logs of under :data:`INLINE_BYTES` bytes in all: less work than starting the workers)
  runs in this process instead, unless ``workers`` is given or the workers already run;
- a ``ThreadPoolExecutor``: the jobs run in this process, the evaluations are handed over;
- any other executor (a ``ProcessPoolExecutor`` of your own, a Dask ``distributed``
  client's ``client.get_executor()``): each job returns its evaluation packed as bytes
  (``shipping``), rebuilt here without replaying.

The answers are the same whatever the executor: every job is the same function of the
same data, and every question the same function of the same evaluation.

Fresh without redoing (:meth:`PortfolioEvaluation.refresh`): the source is read again;
an agreement whose rule book, agreement file and log have the hashes they had is kept as
it is; one whose log only grew (the old log is a prefix of the new one, cut at a line's
end, and the agreement file is the same) is extended with the new lines
(``Evaluation.extend``: a continued replay when they are dated on or after the last
event); any other change is evaluated again from the start. Before reading, the source
gives a cheap stamp per agreement (``Source.stamps``): an agreement whose stamp is the one
seen last is kept without being read again (a directory: its files' size, modification
time and inode, as ``make`` and ``rsync`` do; a database: one aggregate per agreement).
``stats`` counts what the last pass did.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from entente_regles.agreement import Agreement, Engine
from entente_regles.core.gc_pause import collection_paused
from entente_regles.core.values import Lang
from entente_regles.portfolio.errors import PortfolioError
from entente_regles.portfolio.resident import (
    Question,
    ResidentPool,
    WorkerUsage,
    process_pool,
)
from entente_regles.portfolio.shipping import unpack, unpack_agreement
from entente_regles.portfolio.snapshot import PortfolioSnapshot
from entente_regles.portfolio.sources import Entry, Source, Stamp, read_bytes, sha256
from entente_regles.portfolio.worker import Job, Outcome, extend_evaluation, remember, run_job
from entente_regles.query.evaluation import Evaluation
from entente_regles.query.presentation import Presentation
from entente_regles.rules.rulebook import RuleBook

_CLOSED = ("évaluation fermée : ses processus de travail sont arrêtés / evaluation closed: "
           "its worker processes are stopped")

INLINE_BYTES = 1_000_000
"""Below this many bytes of logs in all, the default runs in this process (about 5,000
events: some 50 ms of work, less than starting a pool of processes)."""

Progress = Callable[[int, int, int], None]
"""Told after each agreement: agreements done, agreements in all, events evaluated so far."""

@attrs.frozen
class RefreshStats:
    """What one pass did, per agreement: kept as it was (``reused``), extended with the
    events appended to its log (``extended``), evaluated from the start (``replayed``),
    and, among these, how many are in error (``failed``)."""

    reused: int = 0
    extended: int = 0
    replayed: int = 0
    failed: int = 0


@attrs.define
class _Held:
    """One agreement as last evaluated: the hashes of what it was made from, the stamps
    of its files (directory source), and its evaluation or its errors."""

    agreement_digest: str | None
    log_digest: str | None
    log_size: int
    events: int
    stamp: Stamp | None
    agreement: Agreement | None = None
    evaluation: Evaluation | None = None
    errors: tuple[PortfolioError, ...] = ()
    worker: int | None = None  # the resident worker keeping the evaluation, if not here

    @property
    def answered(self) -> bool:
        """Evaluated, here or in a resident worker."""
        return self.evaluation is not None or self.worker is not None


class PortfolioEvaluation(Mapping[str, Evaluation]):
    """Every agreement of a portfolio, evaluated: a read-only mapping from agreement id to
    its :class:`~entente_regles.Evaluation` (the agreements in error left out: see
    ``errors``). Ask it about a date with :meth:`at`; bring it up to date with
    :meth:`refresh`."""

    def __init__(self, source: Source, rules: RuleBook | None, engine: Engine,
                 workers: int | None = None) -> None:
        if workers is not None and (type(workers) is not int or workers < 1):
            raise ValueError(f"workers : un entier ≥ 1 attendu, reçu {workers!r} / workers: "
                             f"an integer ≥ 1 expected, got {workers!r}")
        self._workers = workers
        self._source = source
        self._rules = rules
        self._engine: Engine = engine
        book = rules if rules is not None else RuleBook.bundled()
        self._vocabulary = book.vocabulary
        self._held: dict[str, _Held] = {}
        self._pool: ResidentPool | None = None  # made by the first default run that needs it
        self._closed = False
        self._shown: Presentation | None = None  # the rule book's presentation, made once
        self._lock = threading.Lock()
        self.stats = RefreshStats()

    # -- the resident workers -----------------------------------------------------------------

    def close(self) -> None:
        """Stop the resident workers (the default executor's), if any: the evaluations they
        keep are brought here first, so that every answer stays available."""
        pool = self._pool
        if pool is None:
            return
        for agreement in list(self._held):
            if self._held[agreement].worker is not None:
                self[agreement]
        self._pool = None
        pool.shutdown()

    def worker_usage(self) -> tuple[WorkerUsage, ...]:
        """What each resident worker has used so far (CPU seconds, peak memory, evaluations
        kept); empty when none runs (a small portfolio, another executor)."""
        return () if self._pool is None else self._pool.usage()

    def __enter__(self) -> PortfolioEvaluation:
        return self

    def __exit__(self, *exc: object) -> None:
        self._release()

    def _release(self) -> None:
        """Stop the resident workers without bringing anything here (what they keep is no
        longer answered)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            self._closed = True
            pool.shutdown()

    # -- the mapping: agreement id -> evaluation --------------------------------------------

    def __getitem__(self, agreement: str) -> Evaluation:
        held = self._held[agreement]
        if held.evaluation is not None:
            return held.evaluation
        if held.worker is None:
            raise KeyError(agreement)
        with self._lock:  # brought here once, then kept here
            if held.evaluation is None:
                pool = self._resident_pool()
                with collection_paused():
                    _, replayed = unpack(pool.give(agreement, held.worker), self._rules)
                    assert held.agreement is not None
                    held.evaluation = held.agreement.resume(replayed)
                held.worker = None
            return held.evaluation

    def _resident_pool(self) -> ResidentPool:
        if self._pool is None:
            raise RuntimeError(_CLOSED)
        return self._pool

    def __iter__(self) -> Iterator[str]:
        return (agreement for agreement, held in self._held.items() if held.answered)

    def __len__(self) -> int:
        return sum(1 for held in self._held.values() if held.answered)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every agreement of the source, in error or not, sorted."""
        return tuple(self._held)

    @property
    def errors(self) -> tuple[PortfolioError, ...]:
        """The errors of the agreements that could not be evaluated, by agreement id."""
        return tuple(error for held in self._held.values() for error in held.errors)

    @property
    def events(self) -> int:
        """How many events the agreements evaluated hold in all."""
        return sum(held.events for held in self._held.values() if held.answered)

    def agreement(self, agreement: str) -> Agreement:
        """The :class:`~entente_regles.Agreement` of ``agreement`` (KeyError: unknown or in
        error)."""
        held = self._held[agreement]
        if held.agreement is None:
            raise KeyError(agreement)
        return held.agreement

    def clients(self) -> dict[str, str]:
        """Agreement id → client body, for the agreements evaluated."""
        return {agreement: held.agreement.client for agreement, held in self._held.items()
                if held.agreement is not None and held.answered}

    # -- questions ---------------------------------------------------------------------------

    def at(self, on: date, known_on: date | None = None, lang: Lang = "fr"
           ) -> PortfolioSnapshot:
        """Every agreement on ``on``, as known on ``known_on`` (default: ``on``); see
        :class:`~entente_regles.portfolio.snapshot.PortfolioSnapshot`."""
        for value, what in ((on, "on"), (known_on if known_on is not None else on, "known_on")):
            if not isinstance(value, date) or isinstance(value, datetime):
                raise TypeError(f"{what} : une datetime.date attendue / {what}: a "
                                "datetime.date expected")
        return PortfolioSnapshot(on, known_on, lang, self, self.clients(), self.errors,
                                 self._parties, self.map, self._presentation)

    def map(self, question: Question, *args: Any) -> dict[str, Any]:
        """``question(agreement id, evaluation, *args)`` for every agreement answered, in id
        order, each asked where its evaluation is kept: here, or in the resident worker that
        keeps it (every worker at once; ``question`` must then be a module-level function,
        sent by reference, and its answer picklable). The same function of the same
        evaluation: the same answers wherever it is kept."""
        remote = {agreement: held.worker for agreement, held in self._held.items()
                  if held.evaluation is None and held.worker is not None}
        asked = self._resident_pool().ask(remote, question, args) if remote else None
        answers: dict[str, Any] = {}
        with collection_paused():
            for agreement, held in self._held.items():
                if held.evaluation is not None:
                    answers[agreement] = question(agreement, held.evaluation, *args)
        if asked is not None:
            answers.update(asked())
        return {agreement: answers[agreement] for agreement in self if agreement in answers}

    def _presentation(self, agreement: str) -> Presentation:
        vocabulary = self.agreement(agreement).rulebook.vocabulary
        shown = self._shown
        if shown is None or shown.vocabulary is not vocabulary:
            shown = self._shown = Presentation(vocabulary)
        return shown

    def _parties(self, agreement: str) -> tuple[str, ...]:
        return self.agreement(agreement).rulebook.parties

    # -- keeping fresh -----------------------------------------------------------------------

    def refresh(self, executor: Executor | None = None, *,
                progress: Progress | None = None) -> PortfolioEvaluation:
        """Read the source again and bring every agreement up to date, redoing only what
        changed (see the module's documentation); ``stats`` says what was done. Returns
        this evaluation, updated in place."""
        self._update(executor, progress)
        return self

    def _update(self, executor: Executor | None, progress: Progress | None) -> None:
        counts = {"reused": 0, "extended": 0, "replayed": 0}
        stamps = self._source.stamps()
        held_now: dict[str, _Held] = {}
        for agreement, stamp in stamps.items():  # unchanged by their stamps: not read
            held = self._held.get(agreement)
            if held is not None and stamp is not None and held.stamp == stamp:
                held_now[agreement] = held
                counts["reused"] += 1
        jobs: list[Entry] = []
        for entry in self._source.entries([a for a in stamps if a not in held_now]):
            if entry.id in held_now or entry.id not in stamps:  # appeared since: next time
                continue
            stamp = stamps[entry.id]
            held = self._held.get(entry.id)
            if held is None:  # new: read by the worker
                jobs.append(entry)
                continue
            try:
                texts = _texts(entry)
            except PortfolioError as exc:
                held_now[entry.id] = _Held(None, None, 0, 0, stamp, errors=(exc,))
                counts["replayed"] += 1
                continue
            kept = self._kept(held, entry, *texts, stamp)
            if kept is not None:
                held_now[entry.id] = kept
                counts["reused" if kept is held else "extended"] += 1
                continue
            jobs.append(attrs.evolve(entry, agreement_text=texts[0], log_text=texts[1]))
        for outcome, worker in self._run(jobs, executor, progress):
            held_now[outcome.id] = self._received(outcome, stamps.get(outcome.id), worker)
            counts["replayed"] += 1
        self._held = {agreement: held_now[agreement] for agreement in sorted(held_now)}
        if self._pool is not None:  # each worker drops what is no longer its own
            self._pool.keep_only({agreement: held.worker for agreement, held in
                                  self._held.items() if held.worker is not None})
        failed = sum(1 for held in self._held.values() if held.errors)
        self.stats = RefreshStats(counts["reused"], counts["extended"], counts["replayed"],
                                  failed)

    def _kept(self, held: _Held, entry: Entry, agreement_text: bytes, log_text: bytes,
              stamp: Stamp | None) -> _Held | None:
        """``held`` itself when nothing changed, ``held`` extended when its log only grew,
        else None (to evaluate again)."""
        agreement_digest, log_digest = sha256(agreement_text), sha256(log_text)
        if agreement_digest != held.agreement_digest:
            return None
        if log_digest == held.log_digest:
            held.stamp = stamp
            return held
        evaluation, agreement, old = held.evaluation, held.agreement, held.log_size
        if (not held.answered or agreement is None or len(log_text) <= old
                or (old and log_text[old - 1:old] != b"\n")
                or sha256(log_text[:old]) != held.log_digest):
            return None
        first_line = log_text.count(b"\n", 0, old) + 1
        numbers = None if entry.log_lines is None else entry.log_lines[first_line - 1:]
        if evaluation is not None:
            added = extend_evaluation(entry.id, agreement, evaluation, log_text[old:],
                                      entry.log_file, numbers, first_line)
        else:  # where it is kept
            assert held.worker is not None
            added = self._resident_pool().extend(entry.id, held.worker, log_text[old:],
                                                 entry.log_file, numbers, first_line)
        if added is None:  # dated before the last event: evaluated again from the start
            return None
        if isinstance(added, tuple):
            return _Held(agreement_digest, log_digest, len(log_text), 0, stamp, errors=added)
        return _Held(agreement_digest, log_digest, len(log_text), held.events + added,
                     stamp, agreement, evaluation, worker=held.worker)

    def _received(self, outcome: Outcome, stamp: Stamp | None, worker: int | None) -> _Held:
        """An outcome, held: the evaluation rebuilt around its packed replay state, or
        left in the resident ``worker`` that keeps it (the agreement alone made here)."""
        held = _Held(outcome.agreement_digest, outcome.log_digest, outcome.log_size,
                     outcome.events, stamp, outcome.agreement, outcome.evaluation,
                     outcome.errors)
        if outcome.kept is not None:
            held.agreement, held.worker = unpack_agreement(outcome.kept, self._rules), worker
        if outcome.packed is not None:
            with collection_paused():
                agreement, replayed = unpack(outcome.packed, self._rules)
                held.agreement, held.evaluation = agreement, agreement.resume(replayed)
        return held

    def _run(self, entries: list[Entry], executor: Executor | None,
             progress: Progress | None) -> Iterator[tuple[Outcome, int | None]]:
        """The outcome of each entry's job, as they come, each with the resident worker
        that keeps its evaluation (None: none, the evaluation is here)."""
        if not entries:
            return
        rules = None if self._rules is None else str(Path(self._rules.directory).resolve())
        if rules is not None and self._rules is not None:  # jobs run here share it
            remember(rules, self._rules)

        def jobs(ship: bool) -> Iterable[Job]:
            return (Job(entry, rules, self._engine, ship) for entry in entries)

        total, events = len(entries), 0
        sizes = [_size(entry) for entry in entries]
        outcomes: Iterable[tuple[Outcome, int | None]]
        if executor is None and self._pool is None and self._workers is None and (
                total <= 1 or sum(sizes) < INLINE_BYTES):
            outcomes = ((outcome, None) for outcome in map(run_job, jobs(False)))
        elif executor is None:  # kept where they are made
            if self._pool is None:
                if self._closed:
                    raise RuntimeError(_CLOSED)
                self._pool = pool = ResidentPool(self._workers)
                weakref.finalize(self, pool.shutdown)
            placed = {agreement: held.worker for agreement, held in self._held.items()
                      if held.worker is not None}
            outcomes = self._pool.run(list(zip(jobs(False), sizes, strict=True)), placed)
        else:
            outcomes = ((outcome, None) for outcome in _through(
                executor, jobs(not isinstance(executor, ThreadPoolExecutor))))
        for done, (outcome, worker) in enumerate(outcomes, start=1):
            events += outcome.events
            if progress is not None:
                progress(done, total, events)
            yield outcome, worker


def _through(executor: Executor, jobs: Iterable[Job]) -> Iterator[Outcome]:
    """The jobs submitted to ``executor``, their outcomes as they complete (each future
    dropped once read, so that the results are not all held at once)."""
    pending: set[Future[Outcome]] = {executor.submit(run_job, job) for job in jobs}
    for future in as_completed(pending):
        pending.discard(future)
        yield future.result()


def _texts(entry: Entry) -> tuple[bytes, bytes]:
    """The bytes of the agreement file and the log of ``entry`` (read if not given)."""
    agreement = (entry.agreement_text if entry.agreement_text is not None
                 else read_bytes(entry.id, entry.agreement_file))
    log = entry.log_text if entry.log_text is not None else read_bytes(entry.id, entry.log_file)
    return agreement, log


def _size(entry: Entry) -> int:
    """The bytes of the entry's log (a missing file counts as empty)."""
    if entry.log_text is not None:
        return len(entry.log_text)
    with suppress(OSError):
        return os.stat(entry.log_file).st_size
    return 0


__all__ = ["INLINE_BYTES", "PortfolioEvaluation", "Progress", "RefreshStats", "process_pool"]
