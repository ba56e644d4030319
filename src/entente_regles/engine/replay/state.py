"""The replay's state and plumbing, shared by its layers.

The replay is built in layers, each in its own module and each knowing only those below
it: this state; the instance lifecycle (``instances``); periods (``periods``) and demands
(``demands``); powers and effects (``effects``); the loop over events and the agenda
(``loop``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from entente_regles.calendar.legal import DeadlineComputation
from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.values import EITHER_PARTY, PARTIES, Text, other_party
from entente_regles.engine.compiled import Amendment, CompiledRules
from entente_regles.engine.matching import Session
from entente_regles.engine.replay.items import Agenda, AgendaItem
from entente_regles.engine.replay.records import (
    Context,
    EffectRecord,
    Instance,
    ServiceState,
    TerminationNotice,
)

_MESSAGES_KEPT = 4096  # distinct diagnostic messages shared at a time


class ReplayState:
    """Everything the replay has recorded so far, and the plumbing every layer uses."""

    def __init__(self, compiled: CompiledRules, ctx: Context, session: Session | None,
                 horizon: date) -> None:
        self.c = compiled
        self.ctx = ctx
        self.cal = ctx.calendar
        self.session: Session = session  # type: ignore[assignment]  # set by Replay
        self.horizon = horizon  # the agenda has been processed up to this date
        self.seq = 0
        self.agenda = Agenda()
        self.instances: list[Instance] = []
        self.by_seq: dict[int, Instance] = {}
        self.keys: dict[str, set[str | None]] = {}  # norm id -> keys, if duplicates reported
        self.keys_by_norm: dict[str, list[str]] = {}
        self.diagnostics: list[Diagnostic] = list(compiled.diagnostics)
        self.end: date | None = None
        self.end_event: Event | None = None
        self.terminations: list[TerminationNotice] = []
        self.services = {name: ServiceState(name, [[max(start, ctx.in_force_from), None]])
                         for name, start in ctx.services.items()}
        self.track_services = bool(ctx.services)
        # The event being handled and the date its power takes effect, once exercised.
        self.effect_of: tuple[Event, date] | None = None
        self.periods_done: set[tuple[str, int]] = set()
        self.effects: list[EffectRecord] = []
        self.open: list[Instance] = []  # instances not yet retired from the backend
        self.deadlines: dict[tuple[date, int], DeadlineComputation] = {}
        # A delay ("@name" or days) as in force on a date: its days and the amendment that
        # set them (cleared when amendments are added).
        self.delays: dict[tuple[int | str | None, date], tuple[int, Amendment | None]] = {}
        self.open_mark = 64
        # What each combination of matched rules does with an event: its rule id when one
        # rule matched, the tuple of their ids otherwise (see ``loop``).
        self.plans: dict[str | tuple[str, ...], Any] = {}
        # Messages shared by diagnostics: by (fr, en), and by what a message is made of.
        self.messages: dict[tuple[str, ...], Text] = {}

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def schedule(self, on: date, item: AgendaItem) -> None:
        self.agenda.schedule(on, item, self.next_seq())

    def diag(self, code: str, article: str, on: date, fr: str, en: str,
             severity: str = "avertissement", event: Event | None = None,
             rule: str | None = None, memo: tuple[str, ...] | None = None) -> None:
        """Record a diagnostic. ``memo``, when given, names its message by what it is made of
        (see :meth:`diag_again`)."""
        message = self.messages.get((fr, en))  # one Text per distinct message (memory)
        if message is None:
            if len(self.messages) >= _MESSAGES_KEPT:
                self.messages.clear()
            message = self.messages[(fr, en)] = Text(fr, en)
        if memo is not None:
            self.messages[memo] = message
        self.diagnostics.append(Diagnostic(code, article, on, message,
                                           severity, event, rule))  # type: ignore[arg-type]

    def diag_again(self, memo: tuple[str, ...], code: str, article: str, on: date,
                   severity: str, event: Event | None, rule: str | None) -> bool:
        """Record a diagnostic whose message was recorded under ``memo`` (a tuple of three
        or more parts: never a (fr, en) pair), without formatting it again; False when it is
        no longer known (the caller then formats it and calls :meth:`diag`)."""
        message = self.messages.get(memo)
        if message is None:
            return False
        self.diagnostics.append(Diagnostic(code, article, on, message,
                                           severity, event, rule))  # type: ignore[arg-type]
        return True

    def in_force(self, on: date) -> bool:
        return self.ctx.in_force_from <= on and (self.end is None or on < self.end)

    def service_in_force(self, name: str, on: date) -> bool:
        state = self.services.get(name)
        return state is not None and state.in_force(on)

    def fed_articles(self, event_type: str) -> str:
        return self.c.fed_articles.get(event_type, "-")

    def retire_closed(self) -> None:
        """Tell the backend which instances are closed (amortised: when the list doubles)."""
        if len(self.open) < self.open_mark:
            return
        on = self.horizon
        still = []
        for inst in self.open:
            if inst.closed_by(on):
                self.session.retire_instance(inst.seq)
            else:
                still.append(inst)
        self.open = still
        self.open_mark = 2 * len(still) + 64


def party_of(role: str, actor: str | None) -> str | None:
    """The party a rule's ``debiteur``/``creancier`` names, given the event's author."""
    if role in PARTIES:
        return role
    if role == EITHER_PARTY or actor is None:
        return None
    return actor if role == "auteur" else other_party(actor)
