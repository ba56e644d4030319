"""What changed between two dates (:class:`Changes`, the answer of ``Evaluation.changes``):
the weekly digest.

Between ``since`` (excluded) and ``on`` (included), from the replay's dated records alone:

- ``apparue``: an instance arose (an obligation, a duty, a faculty's window opened);
- ``paiement``: a payment on an instance (its amount, the balance left after it);
- ``en_retard``: an instance fell late (its first late day);
- ``statut``: any other change of status (satisfied, satisfied late, discharged, breached;
  a faculty exercised or expired), with the status before and after;
- ``diagnostic``: a diagnostic dated in the window (rejected or non-conforming input).

Each change is dated by the day it took place under the rules (the first late day, the day
of the payment…), never by the day it was recorded. An answer depends only on the records
dated on or before ``on``: every status is the one of ``query.status`` on a day of the
window, as the events known by ``on`` tell it (no look-ahead).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict, overload

import attrs

from entente_regles.core.event import Diagnostic
from entente_regles.core.textsafe import visible
from entente_regles.core.values import EITHER_PARTY, LATE, Lang, OptionStatus, Status, Text
from entente_regles.engine.replay import Instance
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.query.status import option_status_at, status_at
from entente_regles.words.changes import KINDS, MESSAGES, SEVERITIES, WORDS

_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
_ONE_DAY = timedelta(days=1)


class ChangeRecord(TypedDict):
    """One change as typed values (``date``, ``Decimal``): a row of ``to_records()``."""

    date: date
    type: str
    regle: str | None
    article: str
    cle: str | None
    debiteur: str | None
    avant: str | None
    apres: str | None
    montant: Decimal | None
    solde: Decimal | None
    monnaie: str | None
    gravite: str | None
    libelle: str
    libelle_en: str
    texte: str


RECORD_COLUMNS: tuple[str, ...] = tuple(ChangeRecord.__annotations__)


@attrs.frozen
class Change:
    """One change of the window.

    ``kind``: its code (``apparue``, ``paiement``, ``en_retard``, ``statut``, ``diagnostic``);
    ``on``: the day it took place; ``debtor``: the debtor of the instance (or the holder of
    a faculty) as an id, ``parties`` for either party, None for a diagnostic; ``before`` and
    ``after``: the status codes around it (``before`` None: it arose); ``amount``: a
    payment's amount, or the amount of an instance that arose; ``balance``: what is left to
    pay after it; ``severity``: a diagnostic's. ``label``: the rule's label (a diagnostic's
    message) in both languages; ``lang``: the language of :attr:`text` and the other
    words."""

    kind: str
    on: date
    rule: str | None
    article: str
    key: str | None
    debtor: str | None
    before: str | None
    after: str | None
    amount: Decimal | None
    balance: Decimal | None
    label: Text
    severity: str | None = None
    lang: Lang = "fr"
    presentation: Presentation = attrs.field(default=PLAIN, repr=False, eq=False)
    _deadline: date | None = attrs.field(default=None, repr=False)

    @property
    def kind_label(self) -> str:
        """The kind in words, in :attr:`lang`."""
        return KINDS.say(self.kind, self.lang)

    @property
    def party_text(self) -> str:
        """The debtor (or holder) as people read it (its short label); empty for a
        diagnostic."""
        return "" if self.debtor is None else visible(self.presentation.party(self.debtor,
                                                                              self.lang))

    @property
    def amount_text(self) -> str:
        """:attr:`amount` in the agreement's currency, written for :attr:`lang` (empty
        without one): ``words.money.format_amount``, never rounded."""
        return "" if self.amount is None else self.presentation.amount(self.amount, self.lang)

    @property
    def balance_text(self) -> str:
        """:attr:`balance` written as :attr:`amount_text` is (empty without one)."""
        return "" if self.balance is None else self.presentation.amount(self.balance,
                                                                        self.lang)

    @property
    def text(self) -> str:
        """The change in one sentence, in :attr:`lang` (user text made visible)."""
        lang = self.lang
        if self.kind == "diagnostic":
            severity = SEVERITIES.say(self.severity or "info", lang)
            return visible(MESSAGES.say("diagnostic", lang, severity=severity,
                                        article=self.article, message=self.label(lang)))
        key = f" ({visible(self.key)})" if self.key else ""
        values: dict[str, object] = {
            "label": visible(self.label(lang)), "key": key, "on": self.on.isoformat(),
            "before": _status_label(self.before, lang), "after": _status_label(self.after, lang),
            "amount": self.amount_text, "balance": self.balance_text,
            "deadline": "" if self._deadline is None else self._deadline.isoformat()}
        template = self.kind
        if self.kind == "apparue" and self.amount is not None:
            template = "apparue_amount"
        elif self.kind == "en_retard" and self.balance is not None:
            template = "en_retard_balance"
        return MESSAGES.say(template, lang, **values)

    def to_record(self) -> ChangeRecord:
        """Typed values (``date``, ``Decimal``), exact; French keys as in JSON."""
        return ChangeRecord(
            date=self.on, type=self.kind, regle=self.rule, article=self.article, cle=self.key,
            debiteur=self.debtor, avant=self.before, apres=self.after, montant=self.amount,
            solde=self.balance,
            monnaie=None if self.amount is None and self.balance is None
            else self.presentation.currency,
            gravite=self.severity, libelle=self.label.fr, libelle_en=self.label.en,
            texte=self.text)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ISO date, amounts as exact decimal text, the sentence in :attr:`lang`."""
        found: dict[str, Any] = dict(self.to_record())
        found["date"] = self.on.isoformat()
        for name in ("montant", "solde"):
            if found[name] is not None:
                found[name] = str(found[name])
        return found


def _status_label(code: str | None, lang: Lang) -> str:
    if code is None:
        return ""
    for kind in (Status, OptionStatus):
        try:
            return kind(code).label(lang)
        except ValueError:
            continue
    return code


@attrs.frozen
class Changes(Sequence[Change]):
    """The changes from ``since`` (excluded) to ``on`` (included), in date order (in a day:
    arisen, payments, fallen late, other statuses, diagnostics); ``diagnostics``: the
    diagnostics dated in the window (also among ``items``, as ``diagnostic`` changes);
    ``lang``: the language of the words; ``presentation``: the agreement's currency,
    locales and party labels; ``known_on``: the events recorded by then count (None:
    ``on``)."""

    since: date
    on: date
    items: tuple[Change, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    lang: Lang = "fr"
    presentation: Presentation = attrs.field(default=PLAIN, repr=False, eq=False)
    known_on: date | None = None  # the knowledge date of the answer (None: ``on``)

    @overload
    def __getitem__(self, index: int) -> Change: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Change]: ...
    def __getitem__(self, index: int | slice) -> Change | Sequence[Change]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.items)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind (every kind named, in the listing's order)."""
        found = dict.fromkeys(KINDS, 0)
        for item in self.items:
            found[item.kind] += 1
        return found

    @property
    def words(self) -> dict[str, str]:
        """The digest's plain words in :attr:`lang` (title, column names): for a template."""
        return WORDS.in_language(self.lang)

    def head(self, client: str) -> str:
        """One line: the client, the window, how many changes (user text made visible)."""
        known = self.known_on if self.known_on is not None else self.on
        head = MESSAGES.say("head", self.lang, client=client, since=self.since.isoformat(),
                            on=self.on.isoformat(), count=len(self.items),
                            diagnostics=len(self.diagnostics))
        if known != self.on:
            head += MESSAGES.say("known_on", self.lang, known=known.isoformat())
        return visible(head)

    def to_records(self) -> list[ChangeRecord]:
        """One typed dict per change: ``pandas.DataFrame(changes.to_records())``."""
        return [item.to_record() for item in self.items]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the window, the count per kind and every change."""
        known = self.known_on if self.known_on is not None else self.on
        return {"depuis": self.since.isoformat(), "au": self.on.isoformat(),
                "connu_le": known.isoformat(), "langue": self.lang, "nombre": self.counts(),
                "changements": [item.to_dict() for item in self.items]}


def build_changes(instances: Iterable[Instance], diagnostics: Iterable[Diagnostic],
                  since: date, on: date, lang: Lang = "fr",
                  presentation: Presentation = PLAIN, *,
                  known_on: date | None = None) -> Changes:
    """The changes of ``instances`` (those born by ``on``) and the ``diagnostics`` dated
    from ``since`` (excluded) to ``on`` (included). Reads only records dated by ``on``;
    ``known_on``: the knowledge date of the replay the instances come from (None: ``on``)."""
    if since > on:
        raise ValueError(MESSAGES.say("since_after_on", "fr", since=since, on=on) + " / "
                         + MESSAGES.say("since_after_on", "en", since=since, on=on))
    found: list[Change] = []
    for inst in instances:
        if inst.triggered_on <= on:
            found += _instance_changes(inst, since, on, lang, presentation)
    kept = tuple(d for d in diagnostics if since < d.on <= on)
    found += [Change("diagnostic", d.on, d.rule, d.article, None, None, None, None, None,
                     None, d.message, d.severity, lang, presentation) for d in kept]
    found.sort(key=_order)
    return Changes(since, on, tuple(found), kept, lang, presentation, known_on)


def _order(change: Change) -> tuple[Any, ...]:
    return (change.on, _KIND_ORDER[change.kind], _article_key(change.article),
            change.rule or "", change.key or "")


def _article_key(article: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(piece), "") if piece.isdigit() else (1, 0, piece)
                 for piece in article.replace(" ", ".").split("."))


def _status(inst: Instance, day: date) -> Status | OptionStatus | None:
    if inst.norm.kind == "faculte":
        return option_status_at(inst, day)
    return status_at(inst, day)


def _after(day: date | None) -> date | None:
    """The day after ``day`` (None at the calendar's end)."""
    return None if day is None or day == date.max else day + _ONE_DAY


def _instance_changes(inst: Instance, since: date, on: date, lang: Lang,
                      shown: Presentation) -> list[Change]:
    """The changes of one instance in the window: each day its status may change on (its
    birth, performance, end, breach, the day after a deadline known on some day of the
    window, a demand becoming known) is looked at, and a status that differs from the one
    of the day before is a change."""
    window = [p for p in inst.payments if since < p.on <= on]
    marks = [inst.triggered_on, inst.performed_on, inst.ended_on, inst.breached_on,
             *(d.known_on for d in inst.demands),
             *(day for spell in inst.suspensions for day in (spell.start, spell.end))]
    if inst.closed_by(since) and not window \
            and all(day is None or day <= since for day in marks):
        return []  # closed before the window and nothing dated in it: no change
    faculty = inst.norm.kind == "faculte"
    probes = {since, on, *(day for day in marks if day is not None and since < day <= on)}
    days = set(probes)
    for probe in probes:
        deadline = inst.closes_on(probe) if faculty else inst.deadline_on(probe)
        days.add(_after(deadline) or date.max)
    label = inst.norm.label
    text = Text(label("fr"), label("en"))
    debtor = EITHER_PARTY if inst.debtor is None else inst.debtor
    amount = inst.amount
    changes: list[Change] = []

    def change(kind: str, day: date, before: str | None, after: str | None,
               paid: Decimal | None, balance: Decimal | None,
               deadline: date | None = None) -> Change:
        return Change(kind, day, inst.norm.id, inst.norm.article, inst.key, debtor, before,
                      after, paid, balance, text, None, lang, shown, deadline)

    def balance_on(day: date) -> Decimal | None:
        return None if amount is None else amount - inst.paid_by(day)

    previous = _status(inst, since)
    for day in sorted(d for d in days if since < d <= on):
        status = _status(inst, day)
        if status == previous or status is None:
            continue
        before = None if previous is None else previous.value
        if previous is None:
            changes.append(change("apparue", day, None, status.value, amount, None))
        elif status is LATE:
            changes.append(change("en_retard", day, before, status.value, None,
                                  balance_on(day), inst.deadline_on(day)))
        else:
            changes.append(change("statut", day, before, status.value, None, None))
        previous = status
    for payment in window:
        assert amount is not None
        changes.append(change("paiement", payment.on, None, None, payment.amount,
                              amount - payment.total))
    return changes


__all__ = ["RECORD_COLUMNS", "Change", "ChangeRecord", "Changes", "build_changes"]
