"""What a portfolio holds on one date (:class:`PortfolioSnapshot`): a read-only mapping from
agreement id to that agreement's ``Snapshot``, and the answers across all of them — owed
and late totals by debtor party (:meth:`~PortfolioSnapshot.owed_totals`), one line per
client (:meth:`~PortfolioSnapshot.by_client`), the aging merged
(:meth:`~PortfolioSnapshot.aging`), the agenda merged (:meth:`~PortfolioSnapshot.agenda`).

Amounts are ``Decimal``. Agreements may be kept in different currencies (each rule book
declares its own): amounts of different currencies are never added, every total is grouped
by currency (``None``: a rule book that declares none).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, ParamSpec, TypeVar

import attrs

from entente_regles.core.gc_pause import collection_paused
from entente_regles.core.values import DUE, LATE, Lang
from entente_regles.portfolio.errors import PortfolioError
from entente_regles.query.agenda import AgendaItem
from entente_regles.query.aging import BUCKET_CODES, Aging, AgingLine
from entente_regles.query.changes import Change
from entente_regles.query.evaluation import Evaluation, PendingTermination, Snapshot
from entente_regles.query.presentation import Presentation
from entente_regles.query.serialization import ObligationRecord
from entente_regles.query.snapshot import OwedFigures

ZERO = Decimal("0.00")


@attrs.frozen
class OwedTotal:
    """What one debtor party owes across the portfolio in one currency, on the date: the
    balance owed (``owed``: instances due or late that carry an amount) and how many
    instances are owed (``owed_count``: with or without an amount), the same for the late
    ones, and in how many agreements it owes something."""

    debtor: str
    currency: str | None
    owed: Decimal
    owed_count: int
    late: Decimal
    late_count: int
    agreements: int
    # interest on late payment accrued by the date on the owed instances (decision 68):
    # information about the debts, never added to ``owed`` or ``late``
    interest: Decimal = ZERO


@attrs.frozen
class ClientLine:
    """One agreement on the date: its id and client, its currency, the balance owed by
    each party (every party of its rule book, zero included; ``parties`` when an instance is
    owed by either), the late balance, the number of instances owed and late, the next
    deadline of an owed instance (on or after the date), and its pending termination."""

    agreement: str
    client: str
    currency: str | None
    owed: Mapping[str, Decimal]
    late: Decimal
    owed_count: int
    late_count: int
    next_deadline: date | None
    termination_pending: PendingTermination | None
    in_force: bool
    interest: Decimal = ZERO  # accrued on the owed instances (decision 68), never in ``owed``


@attrs.frozen
class PortfolioAgingLine:
    """One unpaid balance of the merged aging: its agreement and client, and its line."""

    agreement: str
    client: str
    line: AgingLine


@attrs.frozen
class PortfolioAging:
    """The unpaid balances of every agreement kept in one currency, by age (the buckets of
    ``query.aging``), oldest bucket last, then by agreement."""

    on: date
    currency: str | None
    lines: tuple[PortfolioAgingLine, ...]

    @property
    def totals(self) -> dict[str, Decimal]:
        """The balance per bucket code, every bucket present (zero when empty)."""
        totals = dict.fromkeys(BUCKET_CODES, ZERO)
        for entry in self.lines:  # a held part is not yet due (decision 71), as query.aging
            past_due = entry.line.past_due
            totals[entry.line.bucket] += past_due
            if past_due != entry.line.balance:
                totals[DUE.value] += entry.line.balance - past_due
        return totals

    @property
    def counts(self) -> dict[str, int]:
        """How many balances per bucket code."""
        counts = dict.fromkeys(BUCKET_CODES, 0)
        for entry in self.lines:
            counts[entry.line.bucket] += 1
        return counts

    @property
    def total(self) -> Decimal:
        """Every unpaid balance of this currency added up."""
        return sum((entry.line.balance for entry in self.lines), ZERO)


@attrs.frozen
class PortfolioAgendaItem:
    """One item of the merged agenda: its agreement and client, and the item."""

    agreement: str
    client: str
    item: AgendaItem


@attrs.frozen
class PortfolioChange:
    """One change of the merged weekly digest: its agreement and client, and the change."""

    agreement: str
    client: str
    change: Change


P = ParamSpec("P")
T = TypeVar("T")


def _paused(method: Callable[P, T]) -> Callable[P, T]:
    """``method`` run with the cyclic collector paused: a question across the portfolio
    builds each agreement's snapshot and keeps nearly all it builds, and the collections it
    would set off walk the objects the last agreements received brought, not yet moved to
    the old generation (300 heavy agreements: the first owed totals in 90 ms, 126 to 162
    with the collector running). It runs again as soon as the answer is made."""

    @functools.wraps(method)
    def paused(*args: P.args, **kwargs: P.kwargs) -> T:
        with collection_paused():
            return method(*args, **kwargs)

    return paused


Ask = Callable[..., dict[str, Any]]
"""``PortfolioEvaluation.map``: a question asked of every agreement where it is kept."""


class DebtorFigures(NamedTuple):
    """What one debtor owes in one agreement on a date: the balance owed (each owed
    instance's balance, else its amount, else zero), how many instances are owed, the late
    part of the late ones' balances (a held part is never late, decision 71), how many are
    late, and the interest accrued on them (decision 68)."""

    owed: Decimal
    owed_count: int
    late: Decimal
    late_count: int
    interest: Decimal


class AgreementFigures(NamedTuple):
    """What the totals read of one agreement on a date (:func:`agreement_figures`): its
    figures by debtor (in the order the owed instances first name them), the next deadline
    of an owed instance on or after the date, its pending termination and whether it is in
    force."""

    debtors: dict[str, DebtorFigures]
    next_deadline: date | None
    termination_pending: PendingTermination | None
    in_force: bool


# The questions asked of each agreement, where its evaluation is kept (the asking process,
# or the resident worker that made it): module-level functions of plain data, sent by
# reference, whose answers travel back pickled.

def agreement_figures(agreement: str, evaluation: Evaluation, on: date,
                      known_on: date | None, lang: Lang) -> AgreementFigures:
    """The owed figures by debtor, next deadline, pending termination and being in force
    of one agreement: added up where the evaluation is kept, so that only the sums
    travel."""
    snapshot = evaluation.at(on, lang, known_on=known_on)
    sums: dict[str, list[Any]] = {}
    next_deadline: date | None = None
    for ob in snapshot.owed_figures():
        acc = sums.get(ob.debtor)
        if acc is None:
            acc = sums[ob.debtor] = [ZERO, 0, ZERO, 0, ZERO]
        balance = _balance(ob.balance, ob.amount)
        acc[0] += balance
        acc[1] += 1
        if ob.status is LATE:
            acc[2] += _late(balance, ob)
            acc[3] += 1
        acc[4] += ob.interest or ZERO
        deadline = ob.deadline
        if deadline is not None and deadline >= on and (next_deadline is None
                                                         or deadline < next_deadline):
            next_deadline = deadline
    return AgreementFigures({debtor: DebtorFigures(*acc) for debtor, acc in sums.items()},
                            next_deadline, snapshot.termination_pending,
                            snapshot.agreement_in_force)


def agreement_aging(agreement: str, evaluation: Evaluation, on: date, known_on: date | None,
                    lang: Lang) -> Aging:
    """The unpaid balances of one agreement by age."""
    return evaluation.at(on, lang, known_on=known_on).aging()


def agreement_agenda(agreement: str, evaluation: Evaluation, start: date, end: date,
                     on: date, known_on: date | None) -> tuple[AgendaItem, ...]:
    """The agenda of one agreement from ``start`` to ``end``, drawn up on ``on``."""
    return tuple(evaluation.agenda(start, end, as_of=on, known_on=known_on))


def agreement_changes(agreement: str, evaluation: Evaluation, since: date, on: date,
                      lang: Lang, known_on: date | None) -> tuple[Change, ...]:
    """What changed in one agreement after ``since`` up to ``on``."""
    return tuple(evaluation.changes(since, on, lang, known_on=known_on))


def agreement_owed_dicts(agreement: str, evaluation: Evaluation, on: date,
                         known_on: date | None, lang: Lang) -> list[dict[str, Any]]:
    """The owed obligations of one agreement, JSON-ready (``Obligation.to_dict``)."""
    return [ob.to_dict() for ob in evaluation.at(on, lang, known_on=known_on).owed]


def agreement_owed_records(agreement: str, evaluation: Evaluation, on: date,
                           known_on: date | None, lang: Lang) -> list[ObligationRecord]:
    """The owed obligations of one agreement as records (``Snapshot.to_records``)."""
    return evaluation.at(on, lang, known_on=known_on).to_records(owed_only=True)


class PortfolioSnapshot(Mapping[str, Snapshot]):
    """Every agreement of a portfolio on ``on``, as known on ``known_on`` (None: ``on``): a
    read-only mapping from agreement id to its ``Snapshot`` (built when first read, then
    kept), the agreements in error left out (``errors``).

    The answers across agreements are asked of each agreement where its evaluation is kept
    (``ask``: ``PortfolioEvaluation.map``), so that an evaluation kept by a resident worker
    is not brought here to answer; reading one agreement's ``Snapshot`` brings it here."""

    def __init__(self, on: date, known_on: date | None, lang: Lang,
                 evaluations: Mapping[str, Evaluation], clients: Mapping[str, str],
                 errors: tuple[PortfolioError, ...],
                 parties: Callable[[str], tuple[str, ...]], ask: Ask,
                 presentation: Callable[[str], Presentation]) -> None:
        self.on = on
        self.known_on = known_on
        self.lang: Lang = lang
        self.errors = errors
        self._evaluations = evaluations
        self._clients = clients
        self._parties = parties
        self._ask = ask
        self._presentation = presentation
        self._snapshots: dict[str, Snapshot] = {}
        self._figures: dict[str, AgreementFigures] | None = None
        self._lock = threading.Lock()

    def presentation(self, agreement: str) -> Presentation:
        """How ``agreement``'s amounts and parties are shown (its rule book's currency,
        locales and labels), without building its snapshot."""
        return self._presentation(agreement)

    def owed_dicts(self) -> dict[str, list[dict[str, Any]]]:
        """Per agreement, its owed obligations JSON-ready (``Obligation.to_dict``)."""
        return self._ask(agreement_owed_dicts, self.on, self.known_on, self.lang)

    def owed_records(self) -> dict[str, list[ObligationRecord]]:
        """Per agreement, its owed obligations as records
        (``Snapshot.to_records(owed_only=True)``)."""
        return self._ask(agreement_owed_records, self.on, self.known_on, self.lang)

    def _all_figures(self) -> dict[str, AgreementFigures]:
        with self._lock:
            found = self._figures
        if found is None:
            found = self._ask(agreement_figures, self.on, self.known_on, self.lang)
            with self._lock:
                self._figures = found
        return found

    def __getitem__(self, agreement: str) -> Snapshot:
        with self._lock:
            found = self._snapshots.get(agreement)
        if found is None:
            found = self._evaluations[agreement].at(self.on, self.lang, known_on=self.known_on)
            with self._lock:
                self._snapshots[agreement] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._evaluations)

    def __len__(self) -> int:
        return len(self._evaluations)

    def client(self, agreement: str) -> str:
        """The client body of ``agreement`` (the client named by its agreement file)."""
        return self._clients[agreement]

    @_paused
    def owed_totals(self) -> tuple[OwedTotal, ...]:
        """Owed and late balances and counts by debtor party and currency, across every
        agreement answered, sorted by currency then debtor."""
        sums: dict[tuple[str | None, str], list[Decimal | int]] = {}
        for agreement, answer in self._all_figures().items():
            currency = self.presentation(agreement).currency
            for debtor, figures in answer.debtors.items():
                acc = sums.setdefault((currency, debtor), [ZERO, 0, ZERO, 0, 0, ZERO])
                acc[0] += figures.owed
                acc[1] += figures.owed_count
                acc[2] += figures.late
                acc[3] += figures.late_count
                acc[4] += 1  # one more agreement where it owes
                acc[5] += figures.interest
        return tuple(OwedTotal(debtor, currency, Decimal(acc[0]), int(acc[1]), Decimal(acc[2]),
                               int(acc[3]), int(acc[4]), Decimal(acc[5]))
                     for (currency, debtor), acc in sorted(sums.items(), key=_currency_first))

    @_paused
    def by_client(self) -> tuple[ClientLine, ...]:
        """One line per agreement answered, in id order (see :class:`ClientLine`)."""
        lines = []
        for agreement, answer in self._all_figures().items():
            owed = dict.fromkeys(self._parties(agreement), ZERO)
            late, late_count, count, interest = ZERO, 0, 0, ZERO
            for debtor, figures in answer.debtors.items():
                owed[debtor] = owed.get(debtor, ZERO) + figures.owed
                late += figures.late
                late_count += figures.late_count
                count += figures.owed_count
                interest += figures.interest
            lines.append(ClientLine(agreement, self._clients[agreement],
                                    self.presentation(agreement).currency, owed, late,
                                    count, late_count, answer.next_deadline,
                                    answer.termination_pending, answer.in_force, interest))
        return tuple(lines)

    @_paused
    def aging(self) -> tuple[PortfolioAging, ...]:
        """The unpaid balances by age, one :class:`PortfolioAging` per currency (sorted)."""
        by_currency: dict[str | None, list[tuple[int, PortfolioAgingLine]]] = {}
        for agreement, aging in self._ask(agreement_aging, self.on, self.known_on,
                                          self.lang).items():
            for line in aging.lines:
                by_currency.setdefault(aging.currency, []).append(
                    (BUCKET_CODES.index(line.bucket),
                     PortfolioAgingLine(agreement, self._clients[agreement], line)))
        result = []
        for currency in sorted(by_currency, key=lambda c: (c is not None, c or "")):
            rows = by_currency[currency]
            rows.sort(key=lambda row: (row[0], -row[1].line.days_past, row[1].agreement))
            result.append(PortfolioAging(self.on, currency, tuple(row for _, row in rows)))
        return tuple(result)

    def agenda(self, start: date, end: date) -> tuple[PortfolioAgendaItem, ...]:
        """Every dated item from ``start`` to ``end`` (both included) of every agreement
        answered, as drawn up on ``on`` and known on ``known_on``, in date order (then by
        agreement, each agreement's own order kept)."""
        items: list[PortfolioAgendaItem] = []
        for agreement, agenda in self._ask(agreement_agenda, start, end, self.on,
                                           self.known_on).items():
            client = self._clients[agreement]
            items.extend(PortfolioAgendaItem(agreement, client, item) for item in agenda)
        items.sort(key=lambda entry: (entry.item.on, entry.agreement))  # stable: own order
        return tuple(items)


    def changes(self, since: date) -> tuple[PortfolioChange, ...]:
        """What changed after ``since`` (excluded) up to ``on`` (included) in every agreement
        answered, as known on ``known_on`` (``Evaluation.changes``), in date order (then by
        agreement, each agreement's own order kept)."""
        items: list[PortfolioChange] = []
        for agreement, found in self._ask(agreement_changes, since, self.on, self.lang,
                                          self.known_on).items():
            client = self._clients[agreement]
            items.extend(PortfolioChange(agreement, client, change) for change in found)
        items.sort(key=lambda entry: (entry.change.on, entry.agreement))  # stable: own order
        return tuple(items)


def _balance(balance: Decimal | None, amount: Decimal | None) -> Decimal:
    """What an owed instance weighs in a total: its balance, else its amount, else zero."""
    if balance is not None:
        return balance
    return amount if amount is not None else ZERO


def _late(balance: Decimal, ob: OwedFigures) -> Decimal:
    """The late part of a late instance's ``balance``: all but a part held back by a dispute,
    which is never late (decision 71)."""
    held = ob.held
    return balance - held if held else balance


def _currency_first(item: tuple[tuple[str | None, str], object]) -> tuple[bool, str, str]:
    (currency, debtor), _ = item
    return (currency is not None, currency or "", debtor)


__all__ = ["AgreementFigures", "ClientLine", "DebtorFigures", "OwedTotal",
           "PortfolioAgendaItem", "PortfolioAging", "PortfolioAgingLine", "PortfolioChange",
           "PortfolioSnapshot"]
