"""The legal calendar: deadlines and their explanation, month arithmetic.

Counting rules, sources and policy keywords: ``docs/calendrier.md``. Which days are working
days is the calendar of days the agreement names (``days``: declared as data by its rule
book, read from the ``holidays`` library, or plain days); everything on which lawyers may
differ is a named ``Policy`` keyword (``policy``). Nothing here reads the wall clock.
"""

from __future__ import annotations

import functools
import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal, ParamSpec, TypeVar

import attrs

from entente_regles.calendar.days import Citations, DayCalendar, DayOff, check_calendar
from entente_regles.calendar.policy import BeforeMode as BeforeMode
from entente_regles.calendar.policy import Policy as Policy
from entente_regles.calendar.policy import RenewalYear as RenewalYear
from entente_regles.calendar.policy import check_date, check_days
from entente_regles.calendar.policy import normalise_standard as normalise_standard
from entente_regles.core.values import Lang, Text
from entente_regles.words.calendar import DAYS, DEADLINES

Rounding = Literal["raise", "end_of_month", "next_day"]
Kind = Literal["apres", "avant", "fin_periode", "jours_ouvrables"]
P = ParamSpec("P")
T = TypeVar("T")
_DAY = timedelta(days=1)


@functools.lru_cache(maxsize=8192)
def _wording(text: Text) -> Wording:
    return Wording(text)


class Wording(str):
    """A calendar's text (a day's name, a citation) as a ``str`` in its first language slot
    (French for a French and English agreement), carrying its English as ``en``. It compares
    and hashes as that ``str``."""

    en: str

    def __new__(cls, text: Text) -> Wording:
        made = super().__new__(cls, text.fr)
        made.en = text.en
        return made

    def __getnewargs__(self) -> tuple[Text]:  # type: ignore[override]
        return (Text(str(self), self.en),)

    def said(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return str(self) if lang == "fr" else self.en


def _said(text: str, lang: Lang) -> str:
    return text.said(lang) if isinstance(text, Wording) else text


CLOSURE = Wording(DAYS.text("closure"))


class AmbiguousDateError(ValueError):
    """A month offset lands on a day-number the target month does not have."""


class BeyondCalendar(OverflowError):
    """A computed date would fall after 9999-12-31 (or before 0001-01-01), outside the
    calendar Python's dates hold: the deadline, period or effect is "beyond the calendar".
    Callers report it as such; it is never an input error nor an internal failure."""

    def __init__(self, fr: str, en: str) -> None:
        self.fr, self.en = fr, en
        super().__init__(f"{fr} : au-delà du calendrier ({date.min} au {date.max}) / "
                         f"{en}: beyond the calendar ({date.min} to {date.max})")


def _beyond(fr: str, en: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Turn Python's date overflow inside ``fn`` into :class:`BeyondCalendar`."""

    def wrap(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return fn(*args, **kwargs)
            except BeyondCalendar:
                raise
            except OverflowError:
                raise BeyondCalendar(fr, en) from None

        return inner

    return wrap




@attrs.frozen(weakref_slot=False)  # no weak reference slot: see ``_Draft``
class DeadlineComputation:
    """A computed date with everything needed to explain it (fields are stable API)."""

    kind: Kind
    start: date  # start day for "apres", anchor for "avant"
    days: int
    raw: date
    deadline: date
    skipped: tuple[tuple[date, str], ...]
    law: tuple[str, ...]
    policy: str
    mode: str = ""  # before_mode for "avant"; "report" / "sans_report" for "apres"
    raw_reason: str | None = None  # why ``raw`` is non-working, None when working

    def describe(self, lang: str = "fr") -> str:
        """One paragraph in French (``"fr"``) or English (``"en"``)."""
        if lang not in ("fr", "en"):
            raise ValueError(f"langue non prise en charge / unsupported language: {lang!r}")
        said: Lang = "fr" if lang == "fr" else "en"
        fr = said == "fr"

        def tr(reason: str) -> str:
            return _said(reason, said)

        n, sep = self.days, DEADLINES.say("sep", said)
        gap = sep.join(f"{d.isoformat()} {tr(r)}" for d, r in self.skipped)
        shown = 0 if self.kind == "jours_ouvrables" else 1  # raw's own reason is already shown
        if self.kind == "apres":
            variant = "report" if self.skipped else self.mode if self.raw_reason else "ok"
        elif self.kind == "avant" and self.mode != "clear_days":
            variant = "corps" if self.skipped else "calendar"
        else:
            variant = "clear_days" if self.kind == "avant" else "corps"
        values = dict(
            n=n,
            pl="s" if n > 1 or (n == 0 and not fr) else "",
            s=self.start.isoformat(),
            raw=self.raw.isoformat(),
            dl=self.deadline.isoformat(),
            why=f" ({tr(self.raw_reason)})" if self.raw_reason else "",
            gap=DEADLINES.say("gap", said, gap=gap) if len(self.skipped) > shown else "",
            pol=self.policy,
            law=sep.join(tr(c) for c in self.law) or DEADLINES.say("no_law", said),
        )
        return "".join(DEADLINES.say(part, said, **values)
                       for part in (self.kind, f"{self.kind}.{variant}", "end"))




@attrs.frozen(cache_hash=True)
class LegalCalendar:
    """Working days and deadline arithmetic on a calendar of days (``days``: the agreement's,
    see :class:`~entente_regles.calendar.days.DayCalendar`) under a ``Policy``.

    ``Agreement.legal_calendar()`` gives the one an agreement uses; built by hand, name the
    calendar: ``LegalCalendar(policy, days=RuleBook.bundled().calendar)``."""

    policy: Policy = attrs.field(factory=Policy, validator=attrs.validators.instance_of(Policy))
    days: DayCalendar = attrs.field(kw_only=True, converter=check_calendar)

    @property
    def rolls(self) -> bool:
        """Whether a deadline on a non-working day moves to the next working day: the
        calendar's roll rule, unless the policy turns it off (``roll_forward=False``)."""
        return self.policy.roll_forward and self.days.rolls

    def holidays(self, year: int) -> dict[date, str]:
        """The calendar's dated holidays of ``year`` plus the policy's proclaimed ones, by
        name (no weekly rest days)."""
        return {d: _wording(off.name) for d, off in _year_days(self, year).items()}

    def day_off(self, d: date) -> DayOff | None:
        """Why ``d`` is not a working day (its name in each language and what it cites), or
        None when it is one. Order: a dated holiday (or proclaimed day), then the calendar's
        other days (weekly rest, days of a policy keyword), then the policy's closures; a day
        of ``policy.working_days`` is a working day whatever the calendar says."""
        return _day_off(self, check_date(d, "d"))

    def non_working_reason(self, d: date) -> str | None:
        """Why ``d`` is non-working under the policy (its name, a ``str`` whose ``.en`` is
        the English), or None when it is a working day."""
        return _reason(self, check_date(d, "d"))

    def is_working_day(self, d: date) -> bool:
        """True unless ``d`` is a holiday, a weekly rest day or another non-working day of the
        calendar, or a policy closure."""
        return _day_off(self, check_date(d, "d")) is None

    def _roll(self, d: date, step: timedelta) -> tuple[date, tuple[tuple[date, DayOff], ...]]:
        """Step from ``d`` until a working day; return it and the days stepped over."""
        skipped = []
        while (off := self.day_off(d)) is not None:
            skipped.append((d, off))
            d += step
        return d, tuple(skipped)

    def _law(self, skipped: tuple[tuple[date, DayOff], ...], moved: bool,
             counted: bool = True) -> tuple[str, ...]:
        """The citations: the roll rule (``moved``), those of the days skipped in the
        calendar's order, then the counting rule (``counted``)."""
        return _law(self.days.citations, tuple(dict.fromkeys(
            off.citation for _, off in skipped if off.citation is not None)), moved, counted)

    def _result(
        self, kind: Kind, start: date, days: int, raw: date, law: tuple[str, ...], mode: str,
        rolled: tuple[date, tuple[tuple[date, DayOff], ...]] | None = None,
    ) -> DeadlineComputation:  # fmt: skip
        deadline, skipped = rolled or (raw, ())
        reason = self.non_working_reason(raw)
        named = tuple((d, _wording(off.name)) for d, off in skipped)
        return DeadlineComputation(
            kind, start, days, raw, deadline, named, law, self.policy.name, mode, reason
        )

    def explain_after(self, start: date, days: int) -> DeadlineComputation:
        """Deadline of "dans les N jours suivant start": start not counted, last day inclusive,
        moved forward off a non-working day when the calendar and the policy say so
        (:attr:`rolls`). Cached: the agreements of a portfolio evaluated in one process
        share their calendar, and their invoices of one day share the computation."""
        if type(start) is not date:  # the checks' common case told at once (the same checks)
            check_date(start, "start")
        if type(days) is not int or days < 0:
            check_days(days)
        known = _SHARED_OF.get(id(self))  # ``_shared``'s look-up by identity, inline
        found = _after(known[1] if known is not None and known[0] is self else _shared(self),
                       start, days)
        name = self.policy.name
        return found if found.policy == name else _named(found, name)

    def after(self, start: date, days: int) -> date:
        """The deadline ``days`` days after ``start`` (see :meth:`explain_after`)."""
        return _after(_shared(self), check_date(start, "start"), check_days(days)).deadline

    @_beyond("date limite", "latest date")
    def explain_before(self, anchor: date, days: int) -> DeadlineComputation:
        """Latest permissible date for "au moins N jours avant anchor"; never moved forward."""
        mode = self.policy.before_mode
        raw = check_date(anchor, "anchor") - timedelta(
            days=check_days(days) + (mode == "clear_days")
        )
        rolled = self._roll(raw, -_DAY) if mode == "roll_back" else (raw, ())
        return self._result("avant", anchor, days, raw, self._law(rolled[1], False), mode,
                            rolled)

    def before(self, anchor: date, days: int) -> date:
        """The latest date at least ``days`` days before ``anchor`` (see :meth:`explain_before`)."""
        return self.explain_before(anchor, days).deadline

    @_beyond("fin de période", "period end")
    def explain_period_end(self, start: date, days: int) -> DeadlineComputation:
        """Last day of a "délai minimum de N jours" from ``start``: start + N, never moved
        (the period ends at the end of that day)."""
        end = check_date(start, "start") + timedelta(days=check_days(days))
        return self._result("fin_periode", start, days, end, self._law((), False),
                            "date_fixe")

    def period_end(self, start: date, days: int) -> date:
        """The last day of ``days`` days from ``start`` (see :meth:`explain_period_end`)."""
        return self.explain_period_end(start, days).deadline

    def explain_working_days(self, start: date, n: int) -> DeadlineComputation:
        """The n-th working day after ``start`` (start not counted; n = 0 gives start).
        Cached: instances born the same day under one policy share the computation."""
        return _named(_working_days(_shared(self), check_date(start, "start"),
                                    check_days(n, "n")), self.policy.name)

    def add_working_days(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start``."""
        if type(start) is not date:  # as in :meth:`explain_after`
            check_date(start, "start")
        if type(n) is not int or n < 0:
            check_days(n, "n")
        known = _SHARED_OF.get(id(self))
        return _working_days(known[1] if known is not None and known[0] is self
                             else _shared(self), start, n).deadline

    def explain_vague(self, standard: str, start: date) -> DeadlineComputation | None:
        """Policy deadline for a vague standard, or None: such a standard has no contractual
        deadline and the policy attaches none."""
        days = self.policy.vague_deadline(standard)
        return None if days is None else self.explain_working_days(start, days)

    def add_months(self, d: date, months: int, rounding: Rounding = "raise") -> date:
        """See the module function ``add_months``."""
        return add_months(d, months, rounding)

    def fiscal_year_start(self, d: date, first_day: MonthDay) -> date:
        """The first day of the fiscal year containing ``d``, a fiscal year beginning on
        ``first_day`` (the rule book's ``RuleBook.fiscal_year_start``)."""
        return fiscal_year_start(d, first_day)

    def fiscal_year_label(self, d: date, first_day: MonthDay) -> str:
        """The fiscal year containing ``d``, as ``AAAA-AAAA``."""
        return fiscal_year_label(d, first_day)

    @_beyond("période de renouvellement", "renewal period")
    def renewal_period(self, d: date, in_force_from: date,
                       fiscal_year: MonthDay) -> tuple[date, date]:
        """First and last day of the yearly renewal period containing ``d`` (policy
        ``renewal_year``); the first period starts on ``in_force_from``. ``fiscal_year``: the
        first day of a fiscal year (the rule book's), read under ``renewal_year="fiscal"``."""
        check_date(d, "d")
        if d < check_date(in_force_from, "in_force_from"):
            raise ValueError(f"{d} précède l'entrée en vigueur / precedes entry into force")
        if self.policy.renewal_year == "fiscal":
            start = fiscal_year_start(d, fiscal_year)
            return max(start, in_force_from), start.replace(year=start.year + 1) - _DAY
        k = d.year - in_force_from.year
        while (start := add_months(in_force_from, 12 * k, "end_of_month")) > d:
            k -= 1
        return start, add_months(in_force_from, 12 * (k + 1), "end_of_month") - _DAY


@functools.lru_cache(maxsize=1 << 16)
def _day_off(calendar: LegalCalendar, d: date) -> DayOff | None:
    p = calendar.policy
    if d in p.working_days:
        return None
    off = _year_days(calendar, d.year).get(d)
    if off is not None:
        return off
    off = calendar.days.rest_day(d, p)
    if off is not None:
        return off
    return _CLOSED if d in p.extra_closure_days else None


_CLOSED = DayOff(DAYS.text("closure"))


@functools.lru_cache(maxsize=1 << 16)
def _reason(calendar: LegalCalendar, d: date) -> str | None:
    off = _day_off(calendar, d)
    return None if off is None else _wording(off.name)


@functools.lru_cache(maxsize=4096)
def _law(cited: Citations, found: tuple[Text, ...], moved: bool, counted: bool
         ) -> tuple[str, ...]:
    rank = {citation: i for i, citation in enumerate(cited.order)}
    ordered = sorted(found, key=lambda citation: rank.get(citation, len(rank)))
    head = [cited.roll] if moved and cited.roll is not None else []
    tail = [cited.counting] if counted and cited.counting is not None else []
    return tuple(_wording(c) for c in dict.fromkeys([*head, *ordered, *tail]))


@functools.lru_cache(maxsize=4096)
def _year_days(calendar: LegalCalendar, year: int) -> dict[date, DayOff]:
    """The calendar's holidays of ``year`` with the policy's proclaimed days (a proclaimed
    day that is a holiday bears both names)."""
    days = dict(calendar.days.holidays(year))
    cited = calendar.days.citations.proclaimed
    for d, name in calendar.policy.proclaimed_holidays:
        if d.year != year:
            continue
        held = days.get(d)
        days[d] = DayOff(Text(name, name), cited) if held is None else DayOff(
            Text(f"{held.name.fr} / {name}", f"{held.name.en} / {name}"), held.citation)
    return dict(sorted(days.items()))


class _Shared:
    """What the cached computations are keyed by: ``calendar``, under its policy named as the
    default one, so that agreements whose policies differ by their names alone (each
    client's own, in a portfolio) share them (:func:`_named` gives the name back). One for
    all the calendars equal to it, hashed and compared by identity: a cache keyed by the
    calendars themselves would call their hash (a Python call, a third of a look-up's cost)
    and, for equal but distinct ones, compare them field by field (their days, their
    policy, their citations)."""

    __slots__ = ("calendar",)

    def __init__(self, calendar: LegalCalendar) -> None:
        self.calendar = calendar


def _shared(calendar: LegalCalendar) -> _Shared:
    """The key of ``calendar``'s value in the caches, found by identity once it was found
    by value."""
    known = _SHARED_OF.get(id(calendar))
    if known is not None and known[0] is calendar:
        return known[1]
    found = _shared_by_value(calendar)
    if len(_SHARED_OF) >= _SHARED_KEPT:
        _SHARED_OF.clear()
    # the calendar itself is kept with its answer: its id is not reused while it is here
    _SHARED_OF[id(calendar)] = (calendar, found)
    return found


_SHARED_OF: dict[int, tuple[LegalCalendar, _Shared]] = {}
_SHARED_KEPT = 1024  # calendars known by identity (one per agreement evaluated, at most)


@functools.lru_cache(maxsize=256)
def _shared_by_value(calendar: LegalCalendar) -> _Shared:
    policy = calendar.policy
    if policy.name != _UNNAMED:
        calendar = attrs.evolve(calendar, policy=attrs.evolve(policy, name=_UNNAMED))
    return _one_of(calendar)


@functools.lru_cache(maxsize=256)
def _one_of(calendar: LegalCalendar) -> _Shared:
    """The key of the calendars equal to ``calendar`` (the first met): one per value."""
    return _Shared(calendar)


_UNNAMED = Policy().name


def _named(computation: DeadlineComputation, name: str) -> DeadlineComputation:
    """``computation`` made under the policy named ``name`` (the only field it changes)."""
    if computation.policy == name:
        return computation
    c = computation
    made = _new(_Draft)
    made.kind = c.kind
    made.start = c.start
    made.days = c.days
    made.raw = c.raw
    made.deadline = c.deadline
    made.skipped = c.skipped
    made.law = c.law
    made.policy = name
    made.mode = c.mode
    made.raw_reason = c.raw_reason
    made.__class__ = DeadlineComputation  # type: ignore[assignment]
    return made  # type: ignore[return-value]


class _Draft:
    """A :class:`DeadlineComputation`'s very layout (the same slots), without its frozen
    ``__setattr__``: ``_named`` writes a copy's fields here, then makes it a computation by
    assigning its class. A frozen class writes each field through ``object.__setattr__``:
    ten calls that cost three times the rest of the copy, made for every instance born on a
    day of its own (an agreement's policy name is its own: a portfolio's agreements share
    the computation unnamed, each copies it under its name). Python allows the assignment
    between classes of the same slots only; a weak reference slot would make them differ
    (hence ``weakref_slot=False``)."""

    __slots__ = ("days", "deadline", "kind", "law", "mode", "policy", "raw", "raw_reason",
                 "skipped", "start")  # Python orders slots by name
    kind: Kind
    start: date
    days: int
    raw: date
    deadline: date
    skipped: tuple[tuple[date, str], ...]
    law: tuple[str, ...]
    policy: str
    mode: str
    raw_reason: str | None


_new = object.__new__
if _Draft.__slots__ != tuple(sorted(f.name for f in attrs.fields(DeadlineComputation))):
    raise AssertionError("_Draft: the fields of DeadlineComputation")


@functools.lru_cache(maxsize=1 << 14)
@_beyond("échéance", "deadline")
def _after(shared: _Shared, start: date, days: int) -> DeadlineComputation:
    calendar = shared.calendar
    raw = start + timedelta(days=days)
    rolled = calendar._roll(raw, _DAY) if calendar.rolls else (raw, ())
    skipped = rolled[1]
    law = calendar._law(skipped, True) if skipped else calendar._law((), False)
    mode = ("report" if calendar.rolls else "sans_report" if not calendar.policy.roll_forward
            else "calendrier_sans_report")
    return calendar._result("apres", start, days, raw, law, mode, rolled)


@functools.lru_cache(maxsize=4096)
@_beyond("délai indicatif", "indicative deadline")
def _working_days(shared: _Shared, start: date, n: int) -> DeadlineComputation:
    calendar = shared.calendar
    d, left, skipped = start, n, []
    while left:
        d += _DAY
        off = calendar.day_off(d)
        if off is None:
            left -= 1
        else:
            skipped.append((d, off))
    return calendar._result("jours_ouvrables", start, n, d, (), "jours_ouvrables",
                            (d, tuple(skipped)))


def _last_day(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def add_months(d: date, months: int, rounding: Rounding = "raise") -> date:
    """Same day-number ``months`` calendar months later. When that day does not exist: raise
    ``AmbiguousDateError``, or take the month's last day (``"end_of_month"``, a reading some
    codes of procedure give), or the first day of the following month (``"next_day"``); see
    docs/calendrier.md for the sources."""
    check_date(d, "d")
    if rounding not in ("raise", "end_of_month", "next_day"):
        raise ValueError(f"arrondi inconnu / unknown rounding: {rounding!r}")
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    if not date.min.year <= year <= date.max.year:
        raise BeyondCalendar(f"{d.isoformat()} + {months} mois",
                             f"{d.isoformat()} + {months} months")
    last = _last_day(year, month + 1)
    if d.day <= last.day:
        return date(year, month + 1, d.day)
    if rounding == "end_of_month":
        return last
    if rounding == "next_day":
        return last + _DAY
    raise AmbiguousDateError(
        f"{d.isoformat()} + {months} mois : le {d.day} n'existe pas en {year}-{month + 1:02d} ; "
        f"choisir rounding='end_of_month' ou 'next_day' / {d.isoformat()} + {months} months: "
        f"day {d.day} does not exist in {year}-{month + 1:02d}; choose rounding='end_of_month' "
        "or 'next_day'"
    )


@attrs.frozen
class MonthDay:
    """A day of every year, without the year: the first day of a fiscal year, which the rule
    book declares (``[exercice_financier] premier_jour = "MM-JJ"``). 29 February is refused:
    it is not a day of every year."""

    month: int
    day: int

    def __attrs_post_init__(self) -> None:
        try:
            date(_COMMON_YEAR, self.month, self.day)
        except (TypeError, ValueError):
            raise ValueError(f"jour qui n'existe pas chaque année (ou 29 février) / no such "
                             f"day of every year: {self.month!r}-{self.day!r}") from None

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """``"MM-DD"`` (``"07-01"``), or ValueError."""
        if not isinstance(text, str) or not _MONTH_DAY.fullmatch(text):
            raise ValueError(f"jour attendu au format MM-JJ / expected a day MM-DD: {text!r}")
        return cls(int(text[:2]), int(text[3:]))

    def isoformat(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    def words(self) -> tuple[str, str]:
        """The year it begins, in words: ("1er juillet au 30 juin", "1 July to 30 June")."""
        first = date(_COMMON_YEAR, self.month, self.day)
        last = first.replace(year=_COMMON_YEAR + 1) - _DAY
        return (f"{_day_fr(first)} au {_day_fr(last)}",
                f"{first.day} {_MONTHS_EN[first.month - 1]} to {last.day} "
                f"{_MONTHS_EN[last.month - 1]}")


_COMMON_YEAR = 2001  # a year without 29 February
_MONTH_DAY = re.compile(r"[0-9]{2}-[0-9]{2}", re.ASCII)
_MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _day_fr(d: date) -> str:
    return f"{'1er' if d.day == 1 else d.day} {_MONTHS_FR[d.month - 1]}"


def fiscal_year_start(d: date, first_day: MonthDay) -> date:
    """The ``first_day`` on or before ``d``: the first day of the fiscal year containing it."""
    check_date(d, "d")
    start = date(d.year, first_day.month, first_day.day)
    return start if start <= d else start.replace(year=d.year - 1)


def fiscal_year_label(d: date, first_day: MonthDay) -> str:
    """Label of the fiscal year of ``d``: "2026-2027" for the year beginning in 2026."""
    start = fiscal_year_start(d, first_day).year
    return f"{start}-{start + 1}"


