"""Pure queries on a replay: the status of every instance at a date, and why.

``Evaluation.at(X)`` reads only records dated on or before X, so an answer about X never
depends on later events. When X lies past the replayed horizon, the replay is run again to
a later horizon (it is deterministic, so earlier answers do not change).

``Evaluation.at(X, known_on=K)`` answers as the events recorded on or before K tell it (K
defaults to X); ``knowledge.py`` picks the replay that answers (X, K), and this module keeps a
few of those replays.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from .knowledge import Key, KnowledgeIndex
from .model import Diagnostic, Event, Lang, Status
from .replay import Instance, ReplayResult
from .rulebook import VAGUE_STANDARDS


def status_at(inst: Instance, on: date) -> Status | None:
    """The one status of ``inst`` on ``on`` (None before it arises)."""
    if on < inst.triggered_on:
        return None
    if inst.norm.kind == "continue":
        if inst.breached_on is not None and inst.breached_on <= on:
            return Status.BREACHED
        if inst.ended_on is not None and inst.ended_on <= on:
            return Status.DISCHARGED
        return Status.IN_FORCE
    if inst.performed_on is not None and inst.performed_on <= on:
        if inst.deadline is None or inst.performed_on <= inst.deadline:
            return Status.SATISFIED
        return Status.SATISFIED_LATE
    if inst.ended_on is not None and inst.ended_on <= on:
        return Status.DISCHARGED
    if inst.deadline is not None and on > inst.deadline:
        return Status.LATE
    return Status.DUE


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
        return explain(self._instance, self.on, self.status, lang)

    def to_dict(self) -> dict[str, Any]:
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
    status = status_at(inst, on)
    if status is None:
        return None
    balance = None
    if inst.amount is not None:
        balance = inst.amount - inst.paid_by(on)
    policy_late = (status.owed and inst.policy_deadline is not None
                   and on > inst.policy_deadline)
    return Obligation(
        on=on, rule=inst.norm.id, article=inst.norm.article, label=inst.norm.label(lang),
        debtor=_party_label(inst.debtor), creditor=_party_label(inst.creditor), key=inst.key,
        status=status, deadline=inst.deadline, triggered_on=inst.triggered_on,
        performed_on=inst.performed_on if inst.performed_on and inst.performed_on <= on else None,
        ended_on=inst.ended_on if inst.ended_on and inst.ended_on <= on else None,
        amount=inst.amount, balance=balance, standard=inst.standard,
        policy_deadline=inst.policy_deadline, policy_late=policy_late, service=inst.service,
        instance=inst)


@attrs.frozen
class Snapshot:
    """Everything that exists on one date.

    Views are built on demand: ``owed``, ``late`` and ``find`` build only the instances they
    return (a status is cheap, a view is not); ``obligations`` builds them all once.
    """

    on: date
    agreement_in_force: bool
    services_in_force: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    lang: Lang = "fr"
    _instances: tuple[Instance, ...] = attrs.field(default=(), repr=False)
    known_on: date | None = None  # the knowledge date of the answer (None: ``on``)
    _cache: dict[str, tuple[Obligation, ...]] = attrs.field(
        factory=dict, repr=False, eq=False, init=False)

    def _views(self, name: str, keep: Callable[[Status], bool]) -> tuple[Obligation, ...]:
        cached = self._cache.get(name)
        if cached is None:
            if "all" in self._cache:
                cached = tuple(o for o in self._cache["all"] if keep(o.status))
            else:
                cached = tuple(v for inst in self._instances
                               if (st := status_at(inst, self.on)) is not None and keep(st)
                               and (v := view(inst, self.on, self.lang)) is not None)
            self._cache[name] = cached
        return cached

    @property
    def obligations(self) -> tuple[Obligation, ...]:
        """Every instance that exists on this date, in a stable order."""
        return self._views("all", lambda _: True)

    @property
    def owed(self) -> tuple[Obligation, ...]:
        return self._views("owed", lambda st: st.owed)

    @property
    def late(self) -> tuple[Obligation, ...]:
        return self._views("late", lambda st: st is Status.LATE)

    def find(self, rule: str, key: str | None = None) -> Obligation | None:
        """The instance of ``rule`` with ``key`` (the latest one if several)."""
        for inst in reversed(self._instances):
            if inst.norm.id == rule and (key is None or inst.key == key):
                return view(inst, self.on, self.lang)
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "au": self.on.isoformat(),
            "connu_le": (self.known_on or self.on).isoformat(),
            "entente_en_vigueur": self.agreement_in_force,
            "services_en_vigueur": list(self.services_in_force),
            "obligations": [o.to_dict() for o in self.obligations],
            "diagnostics": [
                {"date": d.on.isoformat(), "code": d.code, "article": d.article,
                 "gravite": d.severity, "message": d.message.fr, "message_en": d.message.en,
                 "evenement": d.event.source if d.event else None}
                for d in self.diagnostics],
        }


_MEMO_SIZE = 64  # snapshots kept per evaluation: dashboards ask about the same few dates
_KNOWN_SIZE = 16  # replays of a partial knowledge kept per evaluation (memory: see api.md)


class Evaluation:
    """The result of replaying one event log; ask it about any date with :meth:`at`.

    ``knowledge`` indexes the log by knowledge date and ``evaluate`` replays a part of it:
    with them, :meth:`at` answers "as known on K" from the replay of the events recorded by
    K (see ``knowledge.py``); without them, every event of the log counts as known.
    """

    def __init__(self, run: Callable[[date], ReplayResult], in_force_from: date,
                 last_event: date | None, *, knowledge: KnowledgeIndex | None = None,
                 evaluate: Callable[[Sequence[Event]], Evaluation] | None = None) -> None:
        self._run = run
        self._start = in_force_from
        # One lock guards the replayed state, its extension and the snapshot memo: an
        # Evaluation may be queried from many threads at once. Another guards the replays of
        # partial knowledge (built outside it: a replay may take a while).
        self._lock = threading.RLock()
        self._knowledge = knowledge
        self._evaluate = evaluate
        self._known: OrderedDict[Key, Evaluation] = OrderedDict()
        self._known_lock = threading.Lock()
        base = max(in_force_from, last_event or in_force_from)
        self._set(run(_later(base, 400)))

    def _set(self, result: ReplayResult) -> None:
        """Order instances once per replay: the display order does not depend on the date,
        so a query only walks the instances born on or before it."""
        keys: dict[str, tuple[Any, ...]] = {}
        ordered = sorted(result.instances, key=lambda i: (
            i.triggered_on, keys.setdefault(i.norm.article, _article_key(i.norm.article)),
            i.norm.id, i.key or "", i.seq))
        self._result = result
        self._ordered = ordered
        self._births = [i.triggered_on for i in ordered]
        self._diagnostics = sorted(result.diagnostics, key=lambda d: d.on)
        self._diagnostic_dates = [d.on for d in self._diagnostics]
        self._memo: dict[tuple[date, str, date], Snapshot] = {}

    def _ensure(self, on: date) -> None:
        with self._lock:
            if on > self._result.horizon:
                span = (self._result.horizon - self._start).days
                self._set(self._run(max(on, _later(self._result.horizon, span))))

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Everything rejected or non-conforming, in date order (up to the replayed horizon),
        every event of the log being known."""
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
        source = self._as_known(on, known)
        with source._lock:
            return source._at(on, lang, known)

    def _at(self, on: date, lang: Lang, known_on: date) -> Snapshot:
        self._ensure(on)
        memo = self._memo.get((on, lang, known_on))
        if memo is not None:
            return memo
        result = self._result
        born = bisect_right(self._births, on)
        # An end set by an event not yet known here cannot precede ``on``: an ordinary event
        # takes effect on or after its date, and this replay holds only the others known.
        in_force = self._start <= on and not (result.agreement_end is not None
                                              and on >= result.agreement_end)
        services = tuple(sorted(s.name for s in result.services.values() if s.in_force(on)))
        diagnostics = tuple(self._diagnostics[:bisect_right(self._diagnostic_dates, on)])
        snapshot = Snapshot(on, in_force, services if in_force else (), diagnostics, lang,
                            tuple(self._ordered[:born]), known_on)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.pop(next(iter(self._memo)))
        self._memo[(on, lang, known_on)] = snapshot
        return snapshot

    def explain(self, rule: str, key: str | None, on: date, lang: Lang = "fr", *,
                known_on: date | None = None) -> str:
        found = self.at(on, lang, known_on=known_on).find(rule, key)
        if found is None:
            return (f"aucune instance de {rule} ({key}) au {on}" if lang == "fr"
                    else f"no instance of {rule} ({key}) on {on}")
        return found.explain(lang)


def _later(day: date, days: int) -> date:
    """``day`` plus ``days``, or the calendar's last day when that would pass it."""
    return day + timedelta(days=days) if (date.max - day).days > days else date.max


def _article_key(article: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for piece in article.replace(" ", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)


def explain(inst: Instance, on: date, status: Status, lang: Lang = "fr") -> str:
    fr = lang == "fr"
    norm = inst.norm
    lines = [f"Art. {norm.article} — {norm.label(lang)} ({norm.id})"
             + (f", clé {inst.key}" if fr else f", key {inst.key}") * (inst.key is not None)]
    lines.append((f"Débiteur : {_party_label(inst.debtor)} → créancier : "
                  f"{_party_label(inst.creditor)}") if fr else
                 f"Debtor: {_party_label(inst.debtor)} → creditor: {_party_label(inst.creditor)}")
    lines.append((f"Statut au {on} : " if fr else f"Status on {on}: ") + status.label(lang)
                 + _status_reason(inst, on, status, lang))
    if inst.trigger_event is not None and inst.origin is None:
        lines.append((f"Née le {inst.triggered_on} de : " if fr else
                       f"Arose on {inst.triggered_on} from: ") + inst.trigger_event.describe(lang))
    elif inst.origin is not None:
        lines.append((f"Née le {inst.triggered_on} : " if fr else
                       f"Arose on {inst.triggered_on}: ") + inst.origin(lang))
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
    if inst.standard is not None:
        wording = VAGUE_STANDARDS[inst.standard](lang)
        lines.append((f"Délai : « {wording} » — aucun délai contractuel chiffré ; jamais en "
                       "retard sur le plan contractuel") if fr else
                     (f"Time limit: \"{wording}\" — no contractual deadline; never contractually "
                      "late"))
        if inst.policy_deadline is not None:
            late = status.owed and on > inst.policy_deadline
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
    if norm.survives_termination:
        lines.append("Survit à la résiliation de l'entente." if fr else
                     "Survives termination of the agreement.")
    lines.append(f"Source : {norm.file}" if fr else f"Source: {norm.file}")
    return "\n".join(lines)


def _status_reason(inst: Instance, on: date, status: Status, lang: Lang) -> str:
    fr = lang == "fr"
    if status is Status.LATE and inst.deadline is not None:
        days = (on - inst.deadline).days
        return (f" (échéance du {inst.deadline} dépassée de {days} jour{'s' * (days > 1)} ; "
                f"en faute : {_party_label(inst.debtor)})") if fr else \
            (f" (deadline {inst.deadline} passed by {days} day{'s' * (days > 1)}; "
             f"at fault: {_party_label(inst.debtor)})")
    if status is Status.DUE and inst.deadline is not None:
        days = (inst.deadline - on).days
        return (f" ({days} jour{'s' * (days > 1)} avant l'échéance)" if fr else
                f" ({days} day{'s' * (days > 1)} before the deadline)")
    if status is Status.BREACHED:
        return (f" (en faute : {_party_label(inst.debtor)})" if fr else
                f" (at fault: {_party_label(inst.debtor)})")
    if status is Status.DISCHARGED:
        return " (personne n'est en faute)" if fr else " (no one is at fault)"
    return ""
