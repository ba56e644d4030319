"""Evaluations kept where they were made (:class:`ResidentPool`): the default way a large
portfolio is evaluated.

Shipping an evaluation from the process that made it to the one that asks (``shipping``)
costs about as much as reading its log: every record is packed there and made again here,
one object at a time, and the asking process does all the unpacking alone, whatever the
number of cores. A resident pool keeps instead one long-lived worker process per core;
each agreement is evaluated in one of them and stays there. What crosses is small:

- the job (the entry) going in; coming back, its outcome with the agreement alone (its
  attributes, packed) and the evaluation left in the worker;
- a question about many agreements (:meth:`ResidentPool.ask`): a module-level function
  and its arguments go to each worker with the ids it keeps; each answers for its own, at
  the same time, and only the answers come back (plain records: owed figures, aging lines,
  agenda items, changes);
- an evaluation itself only when it is asked for by itself (:meth:`ResidentPool.give`):
  it is then packed, sent and kept by the asking process from then on.

The functions asked run the same code on the same evaluation as in the asking process: the
answers are the same wherever the evaluation is kept.

A worker holds what it made in its process's memory (``_KEPT``); after each evaluation the
cyclic collector is told that all it holds is permanent (``gc.freeze``), so that collections
no longer walk the evaluations kept, and told again when one is dropped (``gc.unfreeze``).
Each worker is a ``ProcessPoolExecutor`` of one process started by a fork server
(:func:`process_pool`): the same process for as long as the pool lives.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

import attrs

from entente_regles.agreement import Agreement
from entente_regles.core.gc_pause import collection_paused
from entente_regles.portfolio.errors import PortfolioError
from entente_regles.portfolio.shipping import pack, pack_agreement
from entente_regles.portfolio.worker import (
    UNSENDABLE,
    Job,
    Outcome,
    extend_evaluation,
    not_sent,
    prepared,
    run_job,
)
from entente_regles.query.evaluation import Evaluation

Question = Callable[..., Any]
"""A module-level function ``(agreement id, evaluation, *args) -> answer``, picklable by
reference: asked where each evaluation is kept."""


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes (None: one per core) started by a fork server where
    the platform has one: forking the calling process, which may run threads (a progress
    display, a Dask client, a web server), can deadlock its children (Python 3.12+ warns)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return ProcessPoolExecutor(max_workers=workers or os.cpu_count(),
                                   mp_context=multiprocessing.get_context())
    context = multiprocessing.get_context("forkserver")
    # the library imported once by the fork server, not by each worker (0.7 s each)
    context.set_forkserver_preload(["entente_regles.portfolio.resident"])
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count(), mp_context=context)


# -- in a worker process ----------------------------------------------------------------------

_KEPT: dict[str, tuple[Agreement, Evaluation]] = {}


def _drop(agreement_id: str) -> None:
    if _KEPT.pop(agreement_id, None) is not None:
        gc.unfreeze()  # what was dropped may hold cycles: collectable again


def hold(job: Job) -> Outcome:
    """Evaluate ``job`` and keep its evaluation in this process (replacing any kept under
    its id); the outcome carries the agreement alone (``kept``) or the errors."""
    _drop(job.entry.id)
    first = not _KEPT
    with collection_paused():  # what is built is nearly all kept (see core.gc_pause)
        outcome = run_job(attrs.evolve(job, ship=False))
        agreement, evaluation = outcome.agreement, outcome.evaluation
        if agreement is not None and evaluation is not None:
            prepared(evaluation)  # what every owed question needs, made now
        if not first:  # later jobs leave no cycles (measured: 0 over heavy logs): what they
            gc.freeze()  # built is set aside before the collector runs again, or its first
            # young collection would walk the whole evaluation (2 % of a job)
    if first:  # the first job's start leaves cycles (imports, caches): collected once
        gc.collect()
    if agreement is None or evaluation is None:
        return outcome
    try:
        kept = pack_agreement(agreement)
    except UNSENDABLE as exc:  # e.g. a calendar of the user's, unpicklable
        return attrs.evolve(outcome, events=0, agreement=None, evaluation=None,
                            errors=(not_sent(job.entry, exc),))
    _KEPT[job.entry.id] = (agreement, evaluation)
    gc.freeze()  # kept for good: later collections need not walk it
    return attrs.evolve(outcome, agreement=None, evaluation=None, kept=kept)


def answer(ids: Sequence[str], question: Question, args: tuple[Any, ...]) -> list[Any]:
    """``question`` asked of each evaluation kept under ``ids``, in order."""
    with collection_paused():
        return [question(agreement_id, _KEPT[agreement_id][1], *args) for agreement_id in ids]


def give(agreement_id: str) -> bytes:
    """The evaluation kept under ``agreement_id``, packed (``shipping.pack``), and no
    longer kept here: the asking process keeps it from now on."""
    agreement, evaluation = _KEPT[agreement_id]
    packed = pack(agreement, evaluation.replayed)
    _drop(agreement_id)
    return packed


def extend_kept(agreement_id: str, added: bytes, log_file: str,
                numbers: Sequence[int] | None, first_line: int
                ) -> int | tuple[PortfolioError, ...] | None:
    """The evaluation kept under ``agreement_id`` extended with the lines ``added`` to its
    log (``worker.extend_evaluation``); dropped when it cannot be (errors, or None: to
    evaluate again)."""
    agreement, evaluation = _KEPT[agreement_id]
    extended = extend_evaluation(agreement_id, agreement, evaluation, added, log_file,
                                 numbers, first_line)
    if not isinstance(extended, int):
        _drop(agreement_id)
    return extended


@attrs.frozen
class WorkerUsage:
    """What one resident worker has used so far: its process id, its CPU seconds (user and
    system), its peak resident memory in MB (None where the platform does not say), and how
    many evaluations it keeps."""

    pid: int
    cpu_seconds: float
    peak_mb: float | None
    agreements: int


def usage() -> WorkerUsage:
    """This worker's :class:`WorkerUsage`."""
    times = os.times()
    try:
        import resource
    except ImportError:  # not on every platform
        peak = None
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return WorkerUsage(os.getpid(), times.user + times.system, peak, len(_KEPT))


def keep_only(ids: frozenset[str]) -> int:
    """Drop every evaluation kept here but those of ``ids``; how many are kept."""
    for agreement_id in [k for k in _KEPT if k not in ids]:
        _drop(agreement_id)
    return len(_KEPT)


# -- in the asking process ----------------------------------------------------------------------


class ResidentPool:
    """``workers`` long-lived worker processes (None: one per core), each keeping the
    evaluations it makes. Shut it down with :meth:`shutdown` (its owner,
    ``PortfolioEvaluation``, does so when closed or collected)."""

    def __init__(self, workers: int | None = None) -> None:
        count = workers or os.cpu_count() or 1
        self._workers = [process_pool(1) for _ in range(count)]

    @property
    def size(self) -> int:
        """How many worker processes."""
        return len(self._workers)

    def run(self, jobs: Sequence[tuple[Job, int]], placed: Mapping[str, int]
            ) -> Iterator[tuple[Outcome, int]]:
        """Each job (with the size of its log in bytes) evaluated and kept by one worker,
        each outcome with its worker, as they come. A job whose agreement a worker kept
        before (``placed``: agreement id to worker) goes back to it; the others, largest
        logs first, each to the first worker with fewer than two jobs in hand (the longest
        first, then whoever is free: a worker slowed by other work on its core is given
        less)."""
        count = len(self._workers)
        pending: dict[Future[Outcome], int] = {}
        in_hand = [0] * count

        def submit(job: Job, worker: int) -> None:
            pending[self._workers[worker].submit(hold, job)] = worker
            in_hand[worker] += 1

        free: list[Job] = []
        for job, _ in sorted(jobs, key=lambda pair: -pair[1]):
            worker = placed.get(job.entry.id)
            if worker is not None and worker < count:
                submit(job, worker)
            else:
                free.append(job)
        free.reverse()  # the largest last: popped first
        for worker in range(count):
            while free and in_hand[worker] < 2:
                submit(free.pop(), worker)
        while pending:
            done = next(as_completed(pending))
            worker = pending.pop(done)
            in_hand[worker] -= 1
            if free:
                submit(free.pop(), worker)
            yield done.result(), worker

    def ask(self, where: Mapping[str, int], question: Question, args: tuple[Any, ...]
            ) -> Callable[[], dict[str, Any]]:
        """``question`` asked of the evaluations kept under the ids of ``where`` (id to
        worker), every worker at once; returns at once a function that waits for the
        answers and gives them by id (the asking process may work meanwhile)."""
        by_worker: dict[int, list[str]] = {}
        for agreement_id, worker in where.items():
            by_worker.setdefault(worker, []).append(agreement_id)
        futures = {worker: self._workers[worker].submit(answer, ids, question, args)
                   for worker, ids in by_worker.items()}

        def answers() -> dict[str, Any]:
            found: dict[str, Any] = {}
            for worker, future in futures.items():
                found.update(zip(by_worker[worker], future.result(), strict=True))
            return found

        return answers

    def give(self, agreement_id: str, worker: int) -> bytes:
        """The evaluation of ``agreement_id`` kept by ``worker``, packed; no longer kept
        there."""
        return self._workers[worker].submit(give, agreement_id).result()

    def extend(self, agreement_id: str, worker: int, added: bytes, log_file: str,
               numbers: Sequence[int] | None, first_line: int
               ) -> int | tuple[PortfolioError, ...] | None:
        """:func:`extend_kept` in ``worker``."""
        return self._workers[worker].submit(extend_kept, agreement_id, added, log_file,
                                            numbers, first_line).result()

    def keep_only(self, where: Mapping[str, int]) -> None:
        """Each worker drops what it keeps but the ids ``where`` places on it."""
        by_worker: list[set[str]] = [set() for _ in self._workers]
        for agreement_id, worker in where.items():
            by_worker[worker].add(agreement_id)
        futures = [executor.submit(keep_only, frozenset(ids))
                   for executor, ids in zip(self._workers, by_worker, strict=True)]
        for future in futures:
            future.result()

    def usage(self) -> tuple[WorkerUsage, ...]:
        """What each worker has used so far (for monitoring, and the benchmarks)."""
        futures = [executor.submit(usage) for executor in self._workers]
        return tuple(future.result() for future in futures)

    def shutdown(self) -> None:
        """Stop every worker (what they keep is lost)."""
        for executor in self._workers:
            executor.shutdown(wait=True, cancel_futures=True)


__all__ = ["Question", "ResidentPool", "WorkerUsage", "answer", "extend_kept", "give", "hold",
           "keep_only", "process_pool", "usage"]
