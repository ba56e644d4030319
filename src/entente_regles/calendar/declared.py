"""A calendar declared as data (a rule book's ``calendriers/*.toml``, read by
``rules.calendar_reader``): dated holidays built from a few generic date rules, the weekly
rest days, other non-working days, and the citations — each day possibly depending on a
boolean keyword of the ``Policy``. Nothing here names a day of any one calendar."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Literal, get_args

import attrs
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta, weekday

from entente_regles.calendar.days import Citations, DayOff
from entente_regles.calendar.policy import Policy
from entente_regles.core.values import Text

RuleKind = Literal["fixed", "easter", "weekday_before", "nth_weekday"]
RULE_KINDS: tuple[RuleKind, ...] = get_args(RuleKind)
_DAY = timedelta(days=1)


def policy_flags() -> tuple[str, ...]:
    """The boolean keywords of ``Policy``: those a declared day may depend on."""
    return tuple(f.name for f in attrs.fields(Policy) if f.default is True or f.default is False)


@attrs.frozen
class DateRule:
    """How one day of each year is found.

    - ``fixed``: ``month``/``day``;
    - ``easter``: Easter Sunday (Western) + ``offset`` days;
    - ``weekday_before``: the ``weekday`` (0 = Monday) strictly before ``month``/``day``;
    - ``nth_weekday``: the ``nth`` (1–4, or -1 for the last) ``weekday`` of ``month``;

    then ``moves``: (weekday, days) pairs — a day falling on that weekday is moved by that
    many days. ``since``/``until``: the first and last year the rule applies (None: always).
    """

    kind: RuleKind
    month: int = 1
    day: int = 1
    offset: int = 0
    weekday: int = 0
    nth: int = 1
    moves: tuple[tuple[int, int], ...] = ()
    since: int | None = None
    until: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"règle de date inconnue / unknown date rule: {self.kind!r}")
        if self.kind in ("fixed", "weekday_before"):
            date(2000, self.month, self.day)  # a leap year: 29 February is a day of it
        if not 1 <= self.month <= 12 or not 0 <= self.weekday <= 6:
            raise ValueError("mois ou jour de semaine hors bornes / month or weekday out of range")
        if self.nth not in (-1, 1, 2, 3, 4):
            raise ValueError(f"rang hors bornes / nth out of range: {self.nth}")

    def on(self, year: int) -> date | None:
        """The day of ``year``, or None when the rule does not give one that year."""
        if (self.since is not None and year < self.since) or \
                (self.until is not None and year > self.until):
            return None
        try:
            found = self._raw(year)
        except ValueError:  # 29 February of a common year
            return None
        for on_weekday, days in self.moves:
            if found.weekday() == on_weekday:
                return found + timedelta(days=days)
        return found

    def _raw(self, year: int) -> date:
        if self.kind == "fixed":
            return date(year, self.month, self.day)
        if self.kind == "easter":
            return easter(year) + timedelta(days=self.offset)
        if self.kind == "weekday_before":
            return date(year, self.month, self.day) - _DAY + relativedelta(
                weekday=weekday(self.weekday)(-1))
        if self.nth == -1:
            return date(year, self.month, 1) + relativedelta(day=31, weekday=weekday(
                self.weekday)(-1))
        return date(year, self.month, 1) + relativedelta(weekday=weekday(self.weekday)(self.nth))


@attrs.frozen
class DeclaredDay:
    """A dated day of a declared calendar (a holiday, or another non-working day): its name,
    its rule, its citation, the reference it bears in its text (e.g. a sub-paragraph letter)
    and the boolean ``Policy`` keyword it depends on (None: always)."""

    name: Text
    rule: DateRule
    citation: Text | None = None
    reference: str | None = None
    policy: str | None = None


@attrs.frozen
class RestDay:
    """A weekly rest day (``weekday``: 0 = Monday … 6 = Sunday), its name, citation and the
    boolean ``Policy`` keyword it depends on (None: always)."""

    weekday: int
    name: Text
    citation: Text | None = None
    policy: str | None = None


def _flag(_: object, __: attrs.Attribute[Any], value: object) -> None:
    flags = policy_flags()
    for item in value if isinstance(value, tuple) else ():
        keyword = getattr(item, "policy", None)
        if keyword is not None and keyword not in flags:
            raise ValueError(f"mot-clé de politique inconnu / unknown policy keyword: "
                             f"{keyword!r} (attendu / expected: {', '.join(flags)})")


@attrs.frozen(cache_hash=True)
class DeclaredCalendar:
    """A calendar declared as data: its dated holidays (never depending on the policy), its
    weekly rest days, then ``others``, non-working days that are not holidays (looked at after
    the weekly rest days, in their order); a rest day or another day may depend on a boolean
    ``Policy`` keyword. Two holidays on one day bear both names, separated by `` / ``."""

    title: Text
    holiday_days: tuple[DeclaredDay, ...] = ()
    rest_days: tuple[RestDay, ...] = attrs.field(default=(), validator=_flag)
    others: tuple[DeclaredDay, ...] = attrs.field(default=(), validator=_flag)
    citations: Citations = attrs.field(factory=Citations)
    rolls: bool = True

    def holidays(self, year: int) -> Mapping[date, DayOff]:
        return _holidays(self, year)

    def rest_day(self, d: date, policy: Policy) -> DayOff | None:
        weekday = d.weekday()
        for rest, off in _rest_offs(self):
            if weekday == rest.weekday and _applies(rest.policy, policy):
                return off
        for day, off in _others(self, d.year).get(d, ()):
            if _applies(day.policy, policy):
                return off
        return None


def _applies(keyword: str | None, policy: Policy) -> bool:
    return keyword is None or bool(getattr(policy, keyword))


@functools.lru_cache(maxsize=2048)
def _holidays(calendar: DeclaredCalendar, year: int) -> Mapping[date, DayOff]:
    found: dict[date, DayOff] = {}
    for day in calendar.holiday_days:
        on = day.rule.on(year)
        if on is None or on.year != year:
            continue
        before = found.get(on)
        found[on] = DayOff(day.name, day.citation) if before is None else DayOff(
            Text(f"{before.name.fr} / {day.name.fr}", f"{before.name.en} / {day.name.en}"),
            before.citation)
    return dict(sorted(found.items()))


@functools.lru_cache(maxsize=64)
def _rest_offs(calendar: DeclaredCalendar) -> tuple[tuple[RestDay, DayOff], ...]:
    return tuple((rest, DayOff(rest.name, rest.citation)) for rest in calendar.rest_days)


@functools.lru_cache(maxsize=2048)
def _others(calendar: DeclaredCalendar,
            year: int) -> Mapping[date, tuple[tuple[DeclaredDay, DayOff], ...]]:
    found: dict[date, tuple[tuple[DeclaredDay, DayOff], ...]] = {}
    for day in calendar.others:
        on = day.rule.on(year)
        if on is not None and on.year == year:
            found[on] = (*found.get(on, ()), (day, DayOff(day.name, day.citation)))
    return found


__all__ = ["RULE_KINDS", "DateRule", "DeclaredCalendar", "DeclaredDay", "RestDay",
           "RuleKind", "policy_flags"]
