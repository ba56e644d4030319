"""The replay's instances: an obligation instance arises (with its deadline) from an event,
a signal or another's expiry; passes its deadline; is told to the backend, which joins later
acts with it, and retired from it once closed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import partial
from types import MappingProxyType
from typing import Any

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.event import Event
from entente_regles.core.values import Status, Text
from entente_regles.engine.compiled import (
    NORM_FIELD,
    SIGNAL_END,
    SIGNAL_EXPIRY,
    CompiledRules,
    Norm,
)
from entente_regles.engine.matching import Fact, new_named_tuple
from entente_regles.engine.replay.conditions import Conditions, describe
from entente_regles.engine.replay.deadlines import Deadlines
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.engine.replay.holds import Holds
from entente_regles.engine.replay.items import Agenda, Expiry
from entente_regles.engine.replay.lapses import Lapses
from entente_regles.engine.replay.money import SharedTerms, amount_of, interest_terms
from entente_regles.engine.replay.records import Instance
from entente_regles.engine.replay.standing import Standing
from entente_regles.engine.replay.state import InUse, parties_of, party_of
from entente_regles.rules.money import InterestTerms
from entente_regles.words.replay import both, text

ONE_DAY = timedelta(days=1)
_NO_FIELDS: Mapping[str, Any] = MappingProxyType({})  # shared by every instance fact


class Instances:
    """Every instance, in order of birth (:attr:`all`), by seq, and the keys of each norm's;
    the open ones the backend still holds in its working memory."""

    def __init__(self, in_use: InUse, standing: Standing, agenda: Agenda,
                 deadlines: Deadlines, diagnostics: Diagnostics, calendar: LegalCalendar
                 ) -> None:
        self._in_use = in_use
        self._standing = standing
        self._agenda = agenda
        self._deadlines = deadlines
        self._diagnostics = diagnostics
        self.all: list[Instance] = []
        self.by_seq: dict[int, Instance] = {}
        # norm id -> keys (with the debtor, for a norm of each party), if duplicates reported
        self._keys: dict[str, set[str | tuple[str | None, str | None] | None]] = {}
        self.keys_by_norm: dict[str, list[str]] = {}
        self._open: list[Instance] = []  # not yet retired from the backend
        self._open_mark = 64
        self._interest_terms: SharedTerms = {}  # decision 68: one object per rate
        # (norm id, the event's author) -> (debtor, creditor) of each instance it gives rise
        # to: what ``parties_of`` says, which reads only the parties (amendments keep them)
        self._parties: dict[tuple[str, str | None], tuple[tuple[str | None, str | None], ...]]
        self._parties = {}
        self._births: dict[str, _Birth] = {}  # by norm id: what ``create`` asks of a norm
        self.by_norm: dict[str, list[Instance]] = {}  # in order of birth
        self._by_key: dict[tuple[str, str | None], list[Instance]] = {}  # the same, by key
        self.conditions = Conditions(in_use, self.by_norm, self._by_key, calendar,
                                     standing.in_force_from)
        self.holds = Holds(in_use, calendar, diagnostics)  # parts of balances held back
        self.lapses = Lapses(self.conditions, self.on_state,  # si_condition_cesse (dec. 73)
                             any(n.on_condition_end is not None for n in in_use.compiled.norms))
        # told when an instance arises, and when the agreement's end takes effect
        # (``loop.Walk``: acts performed in advance, decision 72; an end by performance of
        # every obligation, decision 74); None: nobody listens
        self.arising: Callable[[Instance], None] | None = None
        self.ending: Callable[[date], None] | None = None

    def create(self, norm: Norm, on: date, key: str | None, event: Event | None,
               debtor: str | None, creditor: str | None, origin: Text | None = None,
               period_end: date | None = None, effect_on: date | None = None,
               ) -> Instance | None:
        """An instance of ``norm`` arises on ``on`` (None: it does not; the diagnostics say
        why); ``effect_on``: when the power ``event`` exercised takes effect, if any."""
        compiled = self._in_use.compiled
        birth = self._births.get(norm.id)
        if birth is None or birth.norm is not norm or birth.compiled is not compiled:
            birth = self._births[norm.id] = _Birth(norm, compiled, self._keys.get(norm.id),
                                                   self.keys_by_norm.get(norm.id))
        survives = norm.survives(event.data if event is not None else None)
        standing = self._standing  # ``Standing.in_force``, inline (asked at every birth)
        end = standing.end
        if (on < standing.in_force_from or (end is not None and on >= end)) and not survives:
            self._diagnostics.report("hors_vigueur", norm.article, on,
                                     both("not_in_force", on=on, label=norm.label),
                                     severity="info", event=event, rule=norm.id)
            return None
        service = None
        condition = norm.condition
        if not birth.plain:
            if norm.service_field is not None and event is not None:
                service = str(event.data.get(norm.service_field))
                if standing.track_services and not standing.service_in_force(service, on):
                    self._diagnostics.report(
                        "service_inconnu", norm.article, on,
                        both("service_not_in_force", service=service, on=on),
                        severity="erreur", event=event, rule=norm.id)
                    return None
            if condition is not None and norm.kind != "faculte" and not self.conditions.holds(
                    condition, on, key, debtor):
                # an obligation with a condition arises only if it holds then: otherwise
                # nothing arises and nothing is said, as for a trigger whose « si » fails
                # (decision 60)
                return None
        # an obligation of each party: one instance per party under the same key
        mark = (key, debtor) if birth.per_party else key
        known = birth.known  # the keys so far, if duplicates are reported
        if known is not None and mark in known:
            self._diagnostics.report("doublon", norm.article, on,
                                     both("duplicate", label=norm.label, key=key),
                                     severity="erreur", event=event, rule=norm.id)
            return None
        computed = None
        if not birth.plain and norm.trigger.amount is not None:  # computed (decision 67)
            computed = amount_of(norm, event, on, compiled)
            if computed[0] is not None and computed[0] <= 0:  # nothing owed: nothing arises
                self._diagnostics.report("montant_nul", norm.article, on,
                                         both("zero_amount", label=norm.label, key=key),
                                         severity="info", event=event, rule=norm.id)
                return None
            spec = norm.trigger.amount
            missing = [] if event is None else [f for f in spec.fields if f not in event.data]
            # none of its fields given: the event states no amount (documented); some given,
            # or a period that ends before it starts: said, never silent
            if computed[0] is None and event is not None and len(missing) < len(spec.fields):
                self._diagnostics.report(
                    "montant_incalculable", norm.article, on,
                    both("amount_fields_missing", label=norm.label, key=key,
                         fields=", ".join(missing)) if missing
                    else both("amount_empty_period", label=norm.label, key=key),
                    severity="avertissement", event=event, rule=norm.id)
        inst = Instance(self._agenda.next_seq(), norm, key, debtor, creditor, on, event, origin)
        # then the fields that are not their default (passed by keyword, they cost more)
        amount_field = birth.amount_field
        if amount_field is not None and event is not None:
            inst.amount = event.data[amount_field]
        if service is not None:
            inst.service = service
        if survives:
            inst.survives = survives
        if computed is not None:
            inst.amount, inst.amount_computation = computed
        if norm.interest is not None:  # decision 68
            terms = birth.terms
            if terms is None:
                terms = interest_terms(norm, on, compiled, self._interest_terms)
                if not compiled.amendments:  # no amendment sets the rate: the same any day
                    birth.terms = terms
            inst.interest = terms
        self._deadlines.set(inst, event, period_end, effect_on)
        if not birth.plain:
            if self.lapses.active and norm.kind == "faculte" and inst.deadline is not None \
                    and inst.deadline < date.max:
                self.lapses.note(inst.deadline + ONE_DAY)  # its window closes: a change
            if condition is not None and norm.kind == "faculte":
                inst.gate = partial(self.conditions.holds, condition, key=key, holder=debtor)
                inst.condition = self._condition_text(norm, on)
            elif condition is not None and norm.on_condition_end is not None:
                inst.condition = self._condition_text(norm, on)
                self.lapses.watch(inst)  # discharged if it stops holding while due (dec. 73)
        self.all.append(inst)
        if birth.read:  # what conditions read
            self.by_norm.setdefault(norm.id, []).append(inst)
            self._by_key.setdefault((norm.id, key), []).append(inst)
        self.by_seq[inst.seq] = inst
        if norm.hold is not None:
            self.holds.register(inst)
        if birth.unique:
            if known is None:
                known = birth.known = self._keys[norm.id] = set()
            known.add(mark)
        if key is not None:
            keys = birth.keys
            if keys is None:
                keys = birth.keys = self.keys_by_norm[norm.id] = []
            keys.append(key)
        session = self._in_use.session
        session.add_instance(
            new_named_tuple(Fact, (inst.seq, "instance", norm.id, debtor, key, _NO_FIELDS)))
        if session.retires:
            self._open.append(inst)
        if self.arising is not None:
            self.arising(inst)  # an act done in advance, an end by performance (dec. 72, 74)
        if birth.expiry:
            deadline = inst.deadline
            if deadline is not None and deadline < date.max:
                self._agenda.schedule(deadline + ONE_DAY, Expiry(inst))
        return inst

    def trigger_from_event(self, norm: Norm, event: Event, effect_on: date | None) -> None:
        """``event`` triggers ``norm``: its instance arises, unless a ``sauf`` excludes it."""
        trig = norm.trigger
        if trig.excluded and all(event.data.get(name) == value
                                 for name, value in trig.excluded):
            return  # "sauf": this event does not create this norm's instance
        key = None
        if trig.key_field is not None:
            value = event.data.get(trig.key_field)
            key = value if type(value) is str else None if value is None else str(value)
        by = event.by
        pairs = self._parties.get((norm.id, by))
        if pairs is None:  # the same for every event of one author (the parties are fixed)
            pairs = self._parties[(norm.id, by)] = parties_of(norm, by, self._in_use.compiled)
        for debtor, creditor in pairs:
            own_key = key if key is not None or not trig.per_party else debtor
            if self.create(norm, event.date, own_key, event, debtor, creditor, None, None,
                           effect_on) is None:
                break  # why is the same for every party: said once

    def on_expiry(self, on: date, inst: Instance) -> None:
        """The day after a deadline: the contractual one (a lapse, or consequences arise) or
        one a demand fixed (the instance is then simply late)."""
        if inst.closed_by(on) or inst.expired or (
                inst.deadline != on - ONE_DAY if not inst.suspensions
                else not expires(inst, on)):
            return  # performed or ended, already passed, a demand's own deadline, suspended
        inst.expired = True
        demanded = any(d.deadline is not None and d.known_on < on for d in inst.demands)
        if inst.norm.lapses and not demanded:
            inst.ended_on, inst.end_reason = on, inst.norm.on_expiry
            self.on_state(on, inst, Status.DISCHARGED)
        compiled = self._in_use.compiled
        fact = Fact(self._agenda.next_seq(), "signal", SIGNAL_EXPIRY, inst.debtor, inst.key,
                    {NORM_FIELD: inst.norm.id})
        for match in self._in_use.session.match(fact):
            norm = compiled.norm(compiled.handlers[match.rule_id].target)
            origin = text("expiry_origin", label=inst.norm.label, article=inst.norm.article,
                          deadline=inst.deadline)
            self.create(norm, on, inst.key, inst.trigger_event,
                        party_of(norm.debtor, inst.debtor, compiled),
                        party_of(norm.creditor, inst.debtor, compiled), origin)

    def _condition_text(self, norm: Norm, on: date) -> Text:
        assert norm.condition is not None
        compiled = self._in_use.compiled
        labels = {n.id: n.label for n in compiled.norms}
        return describe(norm.condition, labels, partial(compiled.param, on=on))

    def on_state(self, on: date, inst: Instance, state: Status) -> None:
        """``inst`` became satisfied, discharged or breached on ``on``: the norms arising
        from that state of it arise (``consequence_de`` with ``quand``), with its key."""
        compiled = self._in_use.compiled
        if inst.norm.id not in compiled.state_sources:
            return
        fact = Fact(self._agenda.next_seq(), "signal", state.value, inst.debtor, inst.key,
                    {NORM_FIELD: inst.norm.id})
        for match in self._in_use.session.match(fact):
            norm = compiled.norm(compiled.handlers[match.rule_id].target)
            origin = text("state_origin", label=inst.norm.label, key=inst.key or "-",
                          article=inst.norm.article, on=on,
                          state=Text(state.label("fr"), state.label("en")))
            self.create(norm, on, inst.key, inst.trigger_event,
                        party_of(norm.debtor, inst.debtor, compiled),
                        party_of(norm.creditor, inst.debtor, compiled), origin)

    def on_end(self, on: date, settled: date, event: Event | None, reason: Text) -> None:
        """The agreement's end took effect on ``on``, settled on ``settled`` (decided by
        ``event``; None: its term expired): what it discharged signals its discharge; the
        norms arising at the end arise (decision 61)."""
        self.conditions.ends.append((on, settled))
        if self.ending is not None:
            self.ending(on)
        compiled = self._in_use.compiled
        if compiled.state_sources:
            for inst in list(self.all):
                if inst.end_reason is reason and inst.ended_on is not None:
                    self.on_state(inst.ended_on, inst, Status.DISCHARGED)
        if not compiled.end_norms:
            return
        fact = Fact(self._agenda.next_seq(), "signal", SIGNAL_END)
        origin = text("end_origin", on=on)
        for match in self._in_use.session.match(fact):
            norm = compiled.norm(compiled.handlers[match.rule_id].target)
            for debtor, creditor in parties_of(norm, None, compiled):
                # keyed by its debtor (each party's own instance), or none
                if self.create(norm, on, debtor, event, debtor, creditor, origin) is None:
                    break

    def retire_closed(self, on: date) -> None:
        """Tell the backend which instances are closed by ``on`` (amortised: when the list
        of open ones doubles)."""
        if len(self._open) < self._open_mark:
            return
        session = self._in_use.session
        still = []
        for inst in self._open:
            if inst.closed_by(on):
                session.retire_instance(inst.seq)
            else:
                still.append(inst)
        self._open = still
        self._open_mark = 2 * len(still) + 64


class _Birth:
    """What :meth:`Instances.create` asks of ``norm`` and of the rules in use at each of its
    instances, answered once per replay (again if the rules in use change), and where its
    keys so far are (None: none yet): whether it is ``plain`` (no service, condition or
    computed amount, not a faculty: those checks have nothing to say), whether duplicates
    are reported (``known``: the keys so far), whether conditions read its instances, and
    whether its deadline's passing does something."""

    __slots__ = ("amount_field", "compiled", "expiry", "keys", "known", "norm", "per_party",
                 "plain", "read", "terms", "unique")

    def __init__(self, norm: Norm, compiled: CompiledRules,
                 known: set[str | tuple[str | None, str | None] | None] | None,
                 keys: list[str] | None) -> None:
        self.norm = norm
        self.compiled = compiled
        self.plain = (norm.service_field is None and norm.condition is None
                      and norm.trigger.amount is None and norm.kind != "faculte")
        self.unique = norm.duplicates == "diagnostic"
        self.known = known if self.unique else None
        self.keys = keys
        self.per_party = norm.trigger.per_party
        self.amount_field = norm.trigger.amount_field
        self.read = norm.id in compiled.condition_norms
        self.expiry = norm.id in compiled.expiry_acts
        self.terms: InterestTerms | None = None  # its terms of interest, while the same


def expires(inst: Instance, on: date) -> bool:
    """Does a suspended instance's contractual deadline, as moved by its suspensions, pass
    on the eve of ``on`` (its expiry is due; decision 69)?"""
    eve = on - ONE_DAY
    return inst.suspended_on(eve) is None and inst.deadline_on(eve) == eve
