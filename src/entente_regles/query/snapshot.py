"""What exists on one date (:class:`Snapshot`): the answer of ``Evaluation.at``, read from
a replay's query index (``index``) through the views of ``obligations``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from entente_regles.core.errors import EntenteError
from entente_regles.core.event import Diagnostic
from entente_regles.core.textsafe import visible
from entente_regles.core.values import LATE, Lang, Status
from entente_regles.engine.replay import Instance
from entente_regles.query.aging import Aging, aging
from entente_regles.query.explanation import party_label
from entente_regles.query.frames import frame
from entente_regles.query.index import InstanceIndex, Prefix
from entente_regles.query.interest import interest_total
from entente_regles.query.obligations import (
    Obligation,
    Option,
    PendingTermination,
    Views,
    balance_on,
    held_at,
    option_view,
    view,
)
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.query.serialization import RECORD_COLUMNS, ObligationRecord, snapshot_record
from entente_regles.query.status import status_at
from entente_regles.query.term import Ending, TermState
from entente_regles.words.api import MESSAGES

if TYPE_CHECKING:
    import pandas


class NoSuchInstance(KeyError, EntenteError):
    """``Snapshot.get`` (or ``get_option``) found no instance of ``rule`` with ``key`` on
    ``on``. A ``KeyError`` (``except KeyError`` catches it) whose message, in French then
    English, names the rule, the key and the date; ``fr`` and ``en`` hold each alone."""

    def __init__(self, rule: str, key: str | None, on: date, option: bool = False) -> None:
        self.rule, self.key, self.on = rule, key, on
        message = "no_such_option" if option else "no_such_instance"
        said = {lang: visible(MESSAGES.say(
            message, lang, rule=rule, on=on.isoformat(),
            key="" if key is None else MESSAGES.say("with_key", lang, key=key)))
            for lang in ("fr", "en")}
        self.fr, self.en = said["fr"], said["en"]
        super().__init__(f"{self.fr} / {self.en}")

    def __str__(self) -> str:  # KeyError's own would quote the message
        return f"{self.fr} / {self.en}"




class OwedFigures(NamedTuple):
    """One owed instance's figures, as its :class:`Obligation` view gives them."""

    debtor: str
    amount: Decimal | None
    balance: Decimal | None
    status: Status
    deadline: date | None
    held: Decimal | None = None  # ``Obligation.held``: the part held back (decision 71)
    interest: Decimal | None = None  # ``Obligation.interest``: accrued (decision 68)


@attrs.frozen
class Snapshot:
    """Everything that exists on one date.

    ``owed`` and ``late`` find their instances through an index (no walk over every
    instance); ``get`` looks up (rule, key) and raises :class:`NoSuchInstance` when there is
    none (``find`` returns None instead); ``obligations`` is a lazy sequence. Views
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
    # the agreement's currency, locales and party labels, as its outputs show them
    presentation: Presentation = attrs.field(default=PLAIN, repr=False, eq=False)
    # the current term (None: the agreement has none, or is not in force) and the end known
    # on this date, past or to come, with how it ends (None: no end known)
    term: TermState | None = None
    ending: Ending | None = None
    _cache: dict[str, Views] = attrs.field(factory=dict, repr=False, eq=False, init=False)
    # the owed instances with their statuses, then their figures: built when first asked
    _owed: dict[str, Any] = attrs.field(factory=dict, repr=False, eq=False, init=False)

    @property
    def next_end(self) -> date | None:
        """The next day the agreement may end, as known on this date: the last day in force
        when an end is known and still to come, else the current term's last day (None:
        neither)."""
        if self.ending is not None and self.on < self.ending.effective:
            return self.ending.last_day
        return None if self.term is None else self.term.end

    @property
    def ended(self) -> Ending | None:
        """How and when the agreement ended, once it has (None: still in force, or not yet
        in force)."""
        ending = self.ending
        return ending if ending is not None and self.on >= ending.effective else None

    def term_lines(self, lang: Lang = "fr") -> list[str]:
        """The term and the end, as known on this date, one sentence each: the current term;
        the end by expiry or performance, and a termination while in a term with no notice
        pending (a termination to come is ``termination_pending``'s line; after it, the
        header's « not in force » says it, as it always did)."""
        lines = [] if self.term is None else [self.term.describe(lang)]
        ending = self.ending
        if ending is None or (self.term is not None and self.term.renewal is not None):
            return lines
        if ending.how == "resiliation" and (self.term is None
                                            or self.termination_pending is not None):
            return lines
        lines.append(ending.describe(self.on, lang))
        return lines

    @property
    def _born(self) -> int:
        return self._index.born(self.on)

    def _owed_statuses(self) -> list[tuple[Instance, Status]]:
        """The instances owed on this date and their statuses, in display order (kept)."""
        found: list[tuple[Instance, Status]] | None = self._owed.get("statuses")
        if found is None:  # two threads may both build it: the same list
            ordered, on = self._index.ordered, self.on
            chosen = [ordered[pos] for pos in self._index.owed_candidates(on, self._born)]
            found = self._owed["statuses"] = [
                (i, st) for i in chosen if (st := status_at(i, on)) is not None and st.owed]
        return found

    def _owed_like(self, name: str, keep: Callable[[Status], bool]) -> Views:
        cached = self._cache.get(name)
        if cached is None:  # ``late`` is a part of ``owed``
            cached = Views([i for i, st in self._owed_statuses() if keep(st)], self.on,
                           self.lang, self.presentation)
            self._cache[name] = cached
        return cached

    def owed_figures(self) -> list[OwedFigures]:
        """What totals add up of each owed instance, in ``owed``'s order, without building
        its view: the values of ``Obligation.debtor``, ``amount``, ``balance``, ``status``,
        ``deadline``, ``held`` and ``interest`` (a portfolio's totals read thousands of
        them; the last two cost nothing for a rule without a hold or interest)."""
        rows: list[OwedFigures] | None = self._owed.get("figures")
        if rows is None:
            on, rows = self.on, []
            for inst, status in self._owed_statuses():
                rows.append(OwedFigures(party_label(inst.debtor), inst.amount,
                                        balance_on(inst, on), status, inst.deadline_on(on),
                                        held_at(inst, on), interest_total(inst, on)))
            self._owed["figures"] = rows
        return rows

    @property
    def obligations(self) -> Views:
        """Every instance that exists on this date, in a stable order (views built lazily)."""
        cached = self._cache.get("all")
        if cached is None:
            cached = Views(Prefix(self._index.ordered, self._born), self.on, self.lang,
                           self.presentation)
            self._cache["all"] = cached
        return cached

    @property
    def owed(self) -> Views:
        """The instances owed on this date (``a_echoir``, ``en_retard``, ``suspendue``)."""
        return self._owed_like("owed", lambda st: st.owed)

    @property
    def late(self) -> Views:
        """The instances late on this date (``en_retard``)."""
        return self._owed_like("late", lambda st: st is LATE)

    @property
    def options(self) -> tuple[Option, ...]:
        """Every faculty whose window has opened by this date: open, exercised or expired.
        A faculty is never in ``obligations``, ``owed`` or ``late``."""
        return tuple(o for inst in self._index.faculties_by(self.on)
                     if (o := option_view(inst, self.on, self.lang, self.presentation))
                     is not None)

    def to_records(self, owed_only: bool = False) -> list[ObligationRecord]:
        """One dict of typed values per instance (``date``, ``Decimal``): ready for
        ``pandas.DataFrame(snapshot.to_records())``. ``owed_only`` keeps the owed ones."""
        return [o.to_record() for o in (self.owed if owed_only else self.obligations)]

    def to_frame(self, owed_only: bool = False) -> pandas.DataFrame:
        """A ``pandas.DataFrame`` of :meth:`to_records` (pandas is an optional extra: without
        it, a :class:`~entente_regles.query.frames.MissingExtraError` says how to install it)."""
        return frame(self.to_records(owed_only), list(RECORD_COLUMNS))

    def aging(self) -> Aging:
        """The unpaid balances on this date by how long they are past their deadline."""
        return aging(self.on, self.owed, self.presentation)

    def get(self, rule: str, key: str | None = None) -> Obligation:
        """The instance of ``rule`` with ``key`` (without a key: the latest one of the rule);
        :class:`NoSuchInstance` (a ``KeyError``) naming rule, key and date when none exists on
        this date."""
        found = self.find(rule, key)
        if found is None:
            raise NoSuchInstance(rule, key, self.on)
        return found

    def get_option(self, rule: str, key: str | None = None) -> Option:
        """The faculty ``rule`` with ``key`` (without a key: the latest one of the rule);
        :class:`NoSuchInstance` (a ``KeyError``) naming rule, key and date when none has
        opened by this date."""
        found = self.find_option(rule, key)
        if found is None:
            raise NoSuchInstance(rule, key, self.on, option=True)
        return found

    def find(self, rule: str, key: str | None = None) -> Obligation | None:
        """The instance of ``rule`` with ``key`` (the latest one if several); None when there
        is none (:meth:`get` raises instead)."""
        inst = self._index.find(rule, key, self._born)
        return None if inst is None else view(inst, self.on, self.lang, self.presentation)

    def find_option(self, rule: str, key: str | None = None) -> Option | None:
        """The faculty ``rule`` with ``key`` (the latest one if several); None when there is
        none (:meth:`get_option` raises instead)."""
        for inst in reversed(self._index.faculties_by(self.on)):
            if inst.norm.id == rule and (key is None or inst.key == key):
                return option_view(inst, self.on, self.lang, self.presentation)
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the date, whether the agreement is in force, every instance, every
        diagnostic up to the date (exact user text)."""
        record = snapshot_record(self.on, self.known_on or self.on, self.agreement_in_force,
                                 self.services_in_force, self.termination_pending,
                                 self.obligations, self.options, self.diagnostics)
        record["terme"] = None if self.term is None else self.term.to_dict()
        next_end = self.next_end
        record["prochaine_fin"] = None if next_end is None else next_end.isoformat()
        record["fin_entente"] = None if self.ending is None else self.ending.to_dict()
        return record


__all__ = ["NoSuchInstance", "OwedFigures", "Snapshot"]
