"""Conditions on state (``disponible_si``): whether another norm's instance is late, open,
satisfied, discharged or breached on a date, for how long, and whether the agreement is in
force or has ended; evaluated from the replay's dated records only (decisions 60 and 62).

A condition asked about a date X reads only what the records say about X: an instance's
``late_on(X)``, ``closed_by(X)`` and dates on or before X, and the ends known by X. So the
answer never depends on an event dated after X.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.event import Event
from entente_regles.core.values import Status, Text
from entente_regles.engine.compiled import OTHER_PARTY
from entente_regles.engine.replay.records import Instance
from entente_regles.engine.replay.state import InUse
from entente_regles.rules.norms import Condition, StateTest
from entente_regles.words.replay import text

_ONE_DAY = timedelta(days=1)
_STATE_WORDS = {"en_retard": Status.LATE, "satisfaite": Status.SATISFIED,
                "eteinte": Status.DISCHARGED, "violee": Status.BREACHED}


def condition_key(condition: Condition, event: Event) -> str | None:
    """The key ``event`` (an act exercising a conditioned power) gives its condition's
    ``meme_cle`` tests: the value of the condition's key field, as text (None: no key)."""
    if condition.key_field is None:
        return None
    value = event.data.get(condition.key_field)
    return None if value is None else str(value)


def state_since(inst: Instance, state: str, on: date) -> date | None:
    """The first day of ``inst``'s current spell in ``state`` as known on ``on`` (None: it is
    not in that state on ``on``)."""
    if on < inst.triggered_on:
        return None
    if state == "en_retard":
        if not inst.late_on(on):
            return None
        deadline = inst.deadline_on(on)
        assert deadline is not None
        return deadline + _ONE_DAY
    if state == "ouverte":  # owed, in force, or a faculty's window open
        if inst.closed_by(on):
            return None
        if inst.norm.kind == "faculte":
            closes = inst.closes_on(on)
            if closes is not None and on > closes:
                return None
        return inst.triggered_on
    performed, ended, breached = inst.performed_on, inst.ended_on, inst.breached_on
    if state == "satisfaite":
        return performed if performed is not None and performed <= on else None
    if state == "violee":
        return breached if breached is not None and breached <= on else None
    # eteinte: ended (not performed, not breached, before it)
    if ended is None or ended > on:
        return None
    if (performed is not None and performed <= ended) or (
            breached is not None and breached <= ended):
        return None
    return ended


def lasted(since: date, on: date, working_days: bool, calendar: LegalCalendar) -> int:
    """How many days a state begun on ``since`` has lasted on ``on``, both counted: calendar
    days, or the working days of the agreement's calendar."""
    if not working_days:
        return (on - since).days + 1
    count, day = 0, since
    while day <= on:
        if calendar.is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


class Conditions:
    """Evaluates conditions against the instances of a replay (in order of birth, by norm)
    and the ends of the agreement known so far."""

    def __init__(self, in_use: InUse, by_norm: dict[str, list[Instance]],
                 by_key: dict[tuple[str, str | None], list[Instance]],
                 calendar: LegalCalendar, in_force_from: date) -> None:
        self._in_use = in_use
        self._by_norm = by_norm
        self._by_key = by_key  # (norm, key) -> its instances, in order of birth
        self._calendar = calendar
        self._in_force_from = in_force_from
        self.ends: list[tuple[date, date]] = []  # (effective, known on) of each end applied

    def ended(self, on: date) -> bool:
        """Has an end taken effect by ``on``, known by then?"""
        return any(end <= on and known <= on for end, known in self.ends)

    def _minimum(self, test: StateTest, on: date) -> int:
        if test.min_days is None:
            return 0
        days = self._in_use.compiled.param(test.min_days, on)
        return days + 1 if test.more_than else days

    def passes(self, test: StateTest, on: date, key: str | None, holder: str | None) -> bool:
        """Does one test hold on ``on``, for an instance of key ``key`` held by ``holder``?"""
        if test.norm is None:
            in_force = self._in_force_from <= on and not self.ended(on)
            return in_force if test.state == "en_vigueur" else self.ended(on)
        wanted: str | None = None
        if test.debtor is not None and holder is not None:
            wanted = holder if test.debtor == "auteur" \
                else self._in_use.compiled.other_party.get(holder)
        minimum = self._minimum(test, on)
        found = self._by_key.get((test.norm, key), ()) if test.same_key \
            else self._by_norm.get(test.norm, ())
        for inst in found:
            if inst.triggered_on > on:
                break  # in order of birth
            if wanted is not None and inst.debtor is not None and inst.debtor != wanted:
                continue
            since = state_since(inst, test.state, on)
            if since is None:
                continue
            if minimum == 0 or lasted(since, on, test.working_days, self._calendar) >= minimum:
                return True
        return False

    def holds(self, condition: Condition, on: date, key: str | None, holder: str | None
              ) -> bool:
        """Does ``condition`` hold on ``on``?"""
        tests: Sequence[StateTest] = condition.tests
        if condition.any_of:
            return any(self.passes(t, on, key, holder) for t in tests)
        return all(self.passes(t, on, key, holder) for t in tests)


def describe(condition: Condition, labels: Mapping[str, Text],
             days_of: Callable[[int | str], int]) -> Text:
    """The condition in words, in French and English (``labels``: each norm's label;
    ``days_of``: a day count's value, a parameter's as in force)."""
    parts: list[Text] = []
    for test in condition.tests:
        if test.norm is None:
            part = text("cond_in_force" if test.state == "en_vigueur" else "cond_ended")
        else:
            if test.state == "ouverte":
                word = text("cond_open")
            else:
                status = _STATE_WORDS[test.state]
                word = Text(status.label("fr"), status.label("en"))
            part = text("cond_state", label=labels.get(test.norm, Text(test.norm, test.norm)),
                        state=word)
            if test.same_key:
                part = text("cond_same_key", test=part)
            if test.debtor == OTHER_PARTY:
                part = text("cond_other", test=part)
            elif test.debtor == "auteur":
                part = text("cond_holder", test=part)
        if test.min_days is not None:
            name = ("cond_more_than" if test.more_than else "cond_at_least") + (
                "_working" if test.working_days else "")
            part = text(name, test=part, days=days_of(test.min_days))
        parts.append(part)
    said = parts[-1]
    for earlier in reversed(parts[:-1]):
        said = text("cond_any" if condition.any_of else "cond_all", first=earlier, rest=said)
    return said
