"""The work of evaluating one agreement, as a module-level function of plain data
(:func:`run_job`): what a ``concurrent.futures`` executor runs, in this process, another
one, or on another machine (Dask ``distributed``).

In: a :class:`Job` (the entry, the rule book's directory, the engine). Out: an
:class:`Outcome` (the content hashes of what was read, and either the evaluation packed as
bytes, the evaluation itself when it stays in this process, or the agreement's errors).
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Sequence

import attrs

from entente_regles.agreement import Agreement, Engine
from entente_regles.core.errors import EntenteError, ErrorLocation, EventError, InputError
from entente_regles.portfolio.errors import PortfolioError
from entente_regles.portfolio.shipping import pack
from entente_regles.portfolio.sources import Entry, check_id, log_events, read_bytes, sha256
from entente_regles.query.evaluation import Evaluation
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.toml_tables import RuleFileErrors, TomlSource


@attrs.frozen
class Job:
    """One agreement to evaluate: ``rules`` is the directory of the portfolio's rule book
    (None: the bundled one), loaded once per process; ``ship``: pack the evaluation as
    bytes (another process) rather than hand it over (this one)."""

    entry: Entry
    rules: str | None
    engine: Engine
    ship: bool


@attrs.frozen
class Outcome:
    """What one job gives back: the hashes of the agreement file and the log read (None
    when unread), the log's size in bytes and its number of events, and the evaluation
    (``packed``; ``agreement`` and ``evaluation``; or ``kept``: the agreement packed alone,
    its evaluation kept by a resident worker), or ``errors``."""

    id: str
    agreement_digest: str | None
    log_digest: str | None
    log_size: int
    events: int
    packed: bytes | None = None
    kept: bytes | None = None  # the agreement alone, its evaluation kept by the worker
    agreement: Agreement | None = None
    evaluation: Evaluation | None = None
    errors: tuple[PortfolioError, ...] = ()


_BOOKS: dict[str, RuleBook] = {}
_BOOKS_LOCK = threading.Lock()


def rulebook(directory: str | None) -> RuleBook:
    """The rule book of ``directory`` (None: the bundled one), loaded once per process."""
    if directory is None:
        return RuleBook.bundled()
    with _BOOKS_LOCK:
        book = _BOOKS.get(directory)
        if book is None:
            book = _BOOKS[directory] = RuleBook.from_directory(directory)
        return book


def remember(directory: str, book: RuleBook) -> None:
    """Make ``book`` the rule book of ``directory`` in this process: jobs run here use the
    portfolio's own rule book instead of loading it again."""
    with _BOOKS_LOCK:
        _BOOKS.setdefault(directory, book)


def agreement_errors(agreement: str, exc: EntenteError, where: ErrorLocation
                     ) -> tuple[PortfolioError, ...]:
    """``exc`` as the portfolio reports it: one error per problem found, each naming the
    agreement (``where``: the agreement file, for an error that names no file)."""
    if isinstance(exc, RuleFileErrors) and exc.errors:
        return tuple(PortfolioError.from_input(agreement, e) for e in exc.errors)
    if isinstance(exc, InputError):
        return (PortfolioError.from_input(agreement, exc),)
    fr = getattr(exc, "fr", str(exc))
    en = getattr(exc, "en", str(exc))
    return (PortfolioError(agreement, where, fr, en),)


def prepared(evaluation: Evaluation) -> None:
    """Build, in the worker, the part of the evaluation's query index that every ``owed``
    and ``late`` question needs (which instances were never closed, and when the others
    closed): it crosses with the evaluation, so that the parent's first answer does not
    build it, one agreement after another (a resident worker builds it too, so that the
    first question does not). Date-independent, made from the instances the
    parent receives: the same index the parent would build, and the same answers."""
    evaluation.replayed.index.prepare()


UNSENDABLE = (pickle.PicklingError, TypeError, AttributeError)
"""What pickling raises for an object that cannot cross a process boundary."""


def not_sent(entry: Entry, exc: Exception) -> PortfolioError:
    """The error of an agreement whose evaluation could not be sent (``exc``: why)."""
    return PortfolioError.of(entry.id, ErrorLocation(entry.agreement_file), "not_sent",
                             reason=f"{type(exc).__name__}: {exc}")


def extend_evaluation(agreement_id: str, agreement: Agreement, evaluation: Evaluation,
                      added: bytes, log_file: str, numbers: Sequence[int] | None,
                      first_line: int) -> int | tuple[PortfolioError, ...] | None:
    """``evaluation`` extended with the lines ``added`` to its log (the first numbered
    ``first_line``, or by ``numbers``): how many events were added, the errors of those
    lines, or None when they cannot extend it (dated before its last event: evaluate it
    again from the start). Where the evaluation is kept: this process or a resident
    worker."""
    try:
        events = log_events(added, log_file, agreement.rulebook.vocabulary, numbers, first_line)
    except EventError as exc:
        return agreement_errors(agreement_id, exc, ErrorLocation(log_file))
    try:
        evaluation.extend(events)
    except EventError:
        return None
    return len(events)


def run_job(job: Job) -> Outcome:
    """Read, check and evaluate one agreement; its errors are returned, never raised."""
    entry = job.entry
    try:
        check_id(entry.id, ErrorLocation(os.path.dirname(entry.agreement_file) or entry.id))
        agreement_bytes = (entry.agreement_text if entry.agreement_text is not None
                           else read_bytes(entry.id, entry.agreement_file))
        log_bytes = (entry.log_text if entry.log_text is not None
                     else read_bytes(entry.id, entry.log_file))
    except PortfolioError as exc:
        return Outcome(entry.id, None, None, 0, 0, errors=(exc,))
    read = (entry.id, sha256(agreement_bytes), sha256(log_bytes), len(log_bytes))
    where = ErrorLocation(entry.agreement_file)
    try:
        book = rulebook(job.rules)
        source = TomlSource.parse(agreement_bytes, entry.agreement_file)
        agreement = Agreement.from_mapping(source.data, where,
                                           rules=None if job.rules is None else book,
                                           engine=job.engine, source=source)
        events = log_events(log_bytes, entry.log_file, book.vocabulary, entry.log_lines)
        evaluation = agreement.evaluate_checked(events, book.vocabulary)  # read just above
    except EntenteError as exc:
        return Outcome(*read, 0, errors=agreement_errors(entry.id, exc, where))
    count = len(evaluation.replayed.events)
    if job.ship:
        prepared(evaluation)
        try:
            packed = pack(agreement, evaluation.replayed)
        except UNSENDABLE as exc:  # e.g. a calendar of the user's, unpicklable
            return Outcome(*read, 0, errors=(not_sent(entry, exc),))
        return Outcome(*read, count, packed=packed)
    return Outcome(*read, count, agreement=agreement, evaluation=evaluation)


__all__ = ["UNSENDABLE", "Job", "Outcome", "agreement_errors", "extend_evaluation", "not_sent",
           "prepared", "remember", "rulebook", "run_job"]
