"""The *jours fériés* of the Loi d'interprétation (RLRQ c. I-16, art. 61 (23°)) as data, the
names of the other non-working days a policy adds, and the citations for the days a
computation stepped over (see ``docs/calendrier.md``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date, timedelta

import attrs
from dateutil.easter import easter
from dateutil.relativedelta import MO, relativedelta

LI_52 = "Loi d'interprétation, RLRQ c. I-16, art. 52"
LI_61_23 = "Loi d'interprétation, RLRQ c. I-16, art. 61 (23°)"
LI_61_24 = "Loi d'interprétation, RLRQ c. I-16, art. 61 (24°)"
CPC_82_83 = "C.p.c. art. 82–83 (par analogie)"
CCQ_1425 = "C.c.Q. art. 1425–1426"

SUNDAY = "dimanche"
SATURDAY = "samedi (politique)"
DEC26 = "26 décembre (C.p.c. art. 82, politique)"
JAN2 = "2 janvier (C.p.c. art. 82, politique)"
CLOSURE = "fermeture (politique)"
_DAY = timedelta(days=1)


@attrs.frozen
class HolidayRule:
    """One *jour férié* of I-16 art. 61 (23°): its names, sub-paragraph and date rule."""

    name: str
    name_en: str
    letter: str
    rule: Callable[[int], date]
    citation: str = LI_61_23


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda year: date(year, month, day)


def _easter_plus(days: int) -> Callable[[int], date]:
    return lambda year: easter(year) + timedelta(days=days)


def _monday_before(month: int, day: int) -> Callable[[int], date]:
    """The Monday strictly preceding ``day``/``month``."""
    return lambda year: date(year, month, day) - _DAY + relativedelta(weekday=MO(-1))


def _nth_monday(month: int, n: int) -> Callable[[int], date]:
    return lambda year: date(year, month, 1) + relativedelta(weekday=MO(+n))


def _canada_day(year: int) -> date:
    """1 July, or 2 July when 1 July is a Sunday (I-16 art. 61 (23°) f)."""
    july1 = date(year, 7, 1)
    return july1 + _DAY if july1.weekday() == 6 else july1


# I-16 art. 61 (23°): a) Sundays are a weekday rule, j) proclaimed days come from the Policy.
HOLIDAY_RULES: tuple[HolidayRule, ...] = (
    HolidayRule("jour de l'An", "New Year's Day", "b", _fixed(1, 1)),
    HolidayRule("Vendredi saint", "Good Friday", "c", _easter_plus(-2)),
    HolidayRule("lundi de Pâques", "Easter Monday", "d", _easter_plus(1)),
    HolidayRule("Journée nationale des patriotes", "National Patriots' Day", "i",
                _monday_before(5, 25)),
    HolidayRule("Fête nationale", "Fête nationale du Québec", "e", _fixed(6, 24)),
    HolidayRule("fête du Canada", "Canada Day", "f", _canada_day),
    HolidayRule("fête du Travail", "Labour Day", "g", _nth_monday(9, 1)),
    HolidayRule("Action de grâces", "Thanksgiving", "g.1", _nth_monday(10, 2)),
    HolidayRule("Noël", "Christmas Day", "h", _fixed(12, 25)),
)  # fmt: skip

_EN = {r.name: r.name_en for r in HOLIDAY_RULES} | {
    SUNDAY: "Sunday",
    SATURDAY: "Saturday (policy)",
    DEC26: "26 December (C.p.c. art. 82, policy)",
    JAN2: "2 January (C.p.c. art. 82, policy)",
    CLOSURE: "closure (policy)",
}


@functools.lru_cache(maxsize=1024)
def year_holidays(year: int, proclaimed: tuple[tuple[date, str], ...]) -> dict[date, str]:
    days: dict[date, str] = {}
    for rule in HOLIDAY_RULES:
        days[rule.rule(year)] = rule.name
    for d, name in proclaimed:
        if d.year == year:
            days[d] = f"{days[d]} / {name}" if d in days else name
    return dict(sorted(days.items()))


def law_for(reasons: Iterable[str]) -> tuple[str, ...]:
    """Citations for the non-working days a computation stepped over."""
    seen = set(reasons)
    law = []
    if seen - {SATURDAY, DEC26, JAN2, CLOSURE}:
        law.append(LI_61_23)
    if seen & {SATURDAY, DEC26, JAN2}:
        law.append(CPC_82_83)
    return tuple(law)


def english_reason(reason: str) -> str:
    """A non-working day's reason in English (each part of a combined reason)."""
    return " / ".join(_EN.get(part, part) for part in reason.split(" / "))


__all__ = ["CCQ_1425", "CLOSURE", "CPC_82_83", "DEC26", "HOLIDAY_RULES", "JAN2", "LI_52",
           "LI_61_23", "LI_61_24", "SATURDAY", "SUNDAY", "HolidayRule", "english_reason",
           "law_for", "year_holidays"]
