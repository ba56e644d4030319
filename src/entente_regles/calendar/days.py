"""The calendar of days a :class:`~entente_regles.calendar.legal.LegalCalendar` counts on: the
small protocol every calendar follows (:class:`DayCalendar`), what it says of a day
(:class:`DayOff`) and what its explanations cite (:class:`Citations`), and the simplest
calendar of all, plain calendar days (:class:`PlainDays`).

Three calendars ship with the engine — one declared as data in a rule book
(``calendar.declared``), one read from the ``holidays`` library (``calendar.library``) and plain
days (here) — and a user may write their own: any hashable object with the four members of
:class:`DayCalendar` (see ``docs/calendrier.md``, « Votre propre calendrier »).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from typing import Protocol, runtime_checkable

import attrs

from entente_regles.calendar.policy import Policy
from entente_regles.core.values import Text


@attrs.frozen(cache_hash=True)
class DayOff:
    """Why a day is not a working day: its name in each language (``Text``), and the text
    the explanations cite for it (None: nothing is cited)."""

    name: Text
    citation: Text | None = None


@attrs.frozen(cache_hash=True)
class Citations:
    """What a calendar's explanations cite, besides each skipped day's own citation:
    ``counting``, every count of days (after, before, the end of a period); ``roll``, a deadline
    moved to the next working day; ``proclaimed``, a day the policy proclaims a holiday
    (``Policy.proclaimed_holidays``). ``order``: the order in which citations are given (a
    citation not listed comes after, in the order met)."""

    counting: Text | None = None
    roll: Text | None = None
    proclaimed: Text | None = None
    order: tuple[Text, ...] = ()


@runtime_checkable
class DayCalendar(Protocol):
    """What a :class:`~entente_regles.calendar.legal.LegalCalendar` needs of a calendar.

    An implementation must be hashable and give the same answer for the same arguments (the
    engine caches computations by calendar); it must not read the wall clock.

    - ``holidays(year)``: the dated holidays of ``year`` (date -> :class:`DayOff`), without
      the weekly rest days;
    - ``rest_day(d, policy)``: why ``d`` is not a working day when it is not a dated holiday
      (a weekly rest day, a day some policy keyword makes non-working), or None;
    - ``rolls``: whether a deadline falling on a non-working day moves to the next working
      day (the policy's ``roll_forward`` may still turn this off);
    - ``citations``: what the explanations cite (:class:`Citations`).

    The policy's own days (``proclaimed_holidays``, ``extra_closure_days``, ``working_days``)
    are the ``LegalCalendar``'s business: a calendar never sees them.
    """

    def holidays(self, year: int) -> Mapping[date, DayOff]:
        """The dated holidays of ``year``, weekly rest days excluded."""
        ...

    def rest_day(self, d: date, policy: Policy) -> DayOff | None:
        """Why ``d`` is not a working day when it is no dated holiday, or None."""
        ...

    @property
    def rolls(self) -> bool:
        """Whether a deadline on a non-working day moves to the next working day."""
        ...

    @property
    def citations(self) -> Citations:
        """What the explanations cite."""
        ...


@attrs.frozen(cache_hash=True)
class PlainDays:
    """Plain calendar days: no holiday, no weekly rest, nothing moved (``jours_civils``).
    ``citation``: what every count cites (None: nothing)."""

    citation: Text | None = None

    def holidays(self, year: int) -> Mapping[date, DayOff]:
        """None: every day of ``year`` counts."""
        return {}

    def rest_day(self, d: date, policy: Policy) -> DayOff | None:
        """None: no weekly rest."""
        return None

    @property
    def rolls(self) -> bool:
        """False: a deadline is never moved."""
        return False

    @property
    def citations(self) -> Citations:
        """The declared ``citation`` for every count, and nothing else."""
        return _plain_citations(self.citation)


@functools.lru_cache(maxsize=64)
def _plain_citations(citation: Text | None) -> Citations:
    return Citations(counting=citation)


def check_calendar(value: object) -> DayCalendar:
    """``value`` when it follows :class:`DayCalendar` and is hashable; TypeError otherwise."""
    if not isinstance(value, DayCalendar):
        raise TypeError(f"calendrier : un objet qui suit le protocole DayCalendar attendu "
                        f"(holidays, rest_day, rolls, citations), reçu {type(value).__name__} / "
                        f"calendar: expected an object following the DayCalendar protocol "
                        f"(holidays, rest_day, rolls, citations), got {type(value).__name__}")
    try:
        hash(value)
    except TypeError:
        raise TypeError(f"calendrier : {type(value).__name__} doit être hachable / calendar: "
                        f"{type(value).__name__} must be hashable") from None
    return value


__all__ = ["Citations", "DayCalendar", "DayOff", "PlainDays", "check_calendar"]
