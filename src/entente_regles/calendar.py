"""Legal calendar for Quebec: jours fériés, deadlines and their explanation.

Counting rules, sources and policy keywords: ``docs/calendrier.md``. The I-16 list of
*jours fériés* is data (``HOLIDAY_RULES``); everything on which lawyers may differ is a named
``Policy`` keyword. Nothing here reads the wall clock.
"""

from __future__ import annotations

import functools
import unicodedata
from calendar import monthrange
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Literal, ParamSpec, TypeVar, get_args

import attrs
from dateutil.easter import easter
from dateutil.relativedelta import MO, relativedelta

from .limits import MAX_VAGUE_WORKING_DAYS, quoted

BeforeMode = Literal["calendar", "clear_days", "roll_back"]
RenewalYear = Literal["fiscal", "anniversary"]
Rounding = Literal["raise", "end_of_month", "next_day"]
Kind = Literal["apres", "avant", "fin_periode", "jours_ouvrables"]
P = ParamSpec("P")
T = TypeVar("T")

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
VAGUE_STANDARDS = ("immediatement", "plus_brefs_delais", "meilleurs_delais", "sans_delai")
_DAY = timedelta(days=1)


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


def _check_date(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} doit être une datetime.date / must be a datetime.date: {value!r}")
    return value


def _check_days(value: object, what: str = "days") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} doit être un entier / must be an int: {value!r}")
    if value < 0:
        raise ValueError(f"{what} : nombre de jours négatif / negative number of days: {value}")
    return value


def _as_date(value: object, what: str) -> date:
    """A date, or an ISO "YYYY-MM-DD" string (TOML table keys cannot be dates)."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{what} : date ISO invalide / invalid ISO date: {value!r}") from None
    return _check_date(value, what)


def _closure_days(value: Iterable[date | str]) -> frozenset[date]:
    return frozenset(_as_date(d, "extra_closure_days") for d in value)


def _proclaimed(
    value: Mapping[date, str] | Mapping[str, str] | Iterable[tuple[date | str, str]],
) -> tuple[tuple[date, str], ...]:
    pairs = list(value.items()) if isinstance(value, Mapping) else list(value)
    seen: dict[date, str] = {}
    for key, name in pairs:
        d = _as_date(key, "proclaimed_holidays")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"jour proclamé sans nom / proclaimed holiday without a name: {d}")
        if seen.setdefault(d, name) != name:
            raise ValueError(f"jour proclamé en double / duplicate proclaimed holiday: {d}")
    return tuple(sorted(seen.items()))


def normalise_standard(standard: str) -> str:
    """Fold a standard's wording to its key: "dans les plus brefs délais" -> "plus_brefs_delais"."""
    folded = unicodedata.normalize("NFKD", standard.strip().lower())
    key = "".join(c for c in folded if not unicodedata.combining(c))
    key = key.replace("-", " ").replace("'", " ").replace("\N{RIGHT SINGLE QUOTATION MARK}", " ")
    key = "_".join(w for w in key.split() if w not in ("dans", "les", "d", "de"))
    if key not in VAGUE_STANDARDS:
        raise ValueError(
            f"norme vague inconnue / unknown vague standard: {standard!r}; "
            f"attendu / expected one of {', '.join(VAGUE_STANDARDS)}"
        )
    return key


def _vague(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    pairs = list(value.items()) if isinstance(value, Mapping) else list(value)
    out: dict[str, int] = {}
    for standard, days in pairs:
        key = normalise_standard(standard)
        if key in out:
            raise ValueError(f"norme vague en double / duplicate vague standard: {standard!r}")
        out[key] = _check_days(days, f"vague_deadlines[{standard!r}]")
        if out[key] > MAX_VAGUE_WORKING_DAYS:
            raise ValueError(
                f"vague_deadlines[{standard!r}] : au plus {MAX_VAGUE_WORKING_DAYS} jours "
                f"ouvrables, reçu {quoted(days)} / at most {MAX_VAGUE_WORKING_DAYS} working days, "
                f"got {quoted(days)}"
            )
    return tuple(sorted(out.items()))


def _bool(_: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name} doit être True ou False / must be a bool: {value!r}")


def _in(literal: object) -> Callable[[object, attrs.Attribute[str], str], None]:
    allowed = get_args(literal)

    def check(_: object, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in allowed:
            raise ValueError(
                f"{attribute.name} inconnu / unknown: {value!r} (attendu / expected: "
                f"{', '.join(allowed)})"
            )

    return check


@attrs.frozen
class Policy:
    """Every point on which the texts leave a choice (``docs/calendrier.md``, « Mots-clés de
    ``Policy`` »)."""

    roll_forward: bool = attrs.field(default=True, validator=_bool)
    saturday_non_working: bool = attrs.field(default=True, validator=_bool)
    dec26_jan2_non_working: bool = attrs.field(default=True, validator=_bool)
    extra_closure_days: frozenset[date] = attrs.field(default=frozenset(), converter=_closure_days)
    proclaimed_holidays: tuple[tuple[date, str], ...] = attrs.field(
        default=(), converter=_proclaimed
    )
    before_mode: BeforeMode = attrs.field(default="calendar", validator=_in(BeforeMode))
    renewal_year: RenewalYear = attrs.field(default="fiscal", validator=_in(RenewalYear))
    vague_deadlines: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_vague)
    name: str = attrs.field(default="defaut")

    @name.validator
    def _check_name(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("la politique doit avoir un nom / the policy needs a name")

    @classmethod
    def strict_interpretation_act(cls) -> Policy:
        """Strict I-16 reading: Saturdays, 26 December and 2 January are working days."""
        return cls(saturday_non_working=False, dec26_jan2_non_working=False, name="stricte-I-16")

    def vague_deadline(self, standard: str) -> int | None:
        """Indicative deadline in working days attached by this policy, None when none."""
        return dict(self.vague_deadlines).get(normalise_standard(standard))


@functools.lru_cache(maxsize=1024)
def _year_holidays(year: int, proclaimed: tuple[tuple[date, str], ...]) -> dict[date, str]:
    days: dict[date, str] = {}
    for rule in HOLIDAY_RULES:
        days[rule.rule(year)] = rule.name
    for d, name in proclaimed:
        if d.year == year:
            days[d] = f"{days[d]} / {name}" if d in days else name
    return dict(sorted(days.items()))


def _law_for(reasons: Iterable[str]) -> tuple[str, ...]:
    """Citations for the non-working days a computation stepped over."""
    seen = set(reasons)
    law = []
    if seen - {SATURDAY, DEC26, JAN2, CLOSURE}:
        law.append(LI_61_23)
    if seen & {SATURDAY, DEC26, JAN2}:
        law.append(CPC_82_83)
    return tuple(law)


def _en(reason: str) -> str:
    return " / ".join(_EN.get(part, part) for part in reason.split(" / "))


@attrs.frozen
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
        if lang not in _TEXT:
            raise ValueError(f"langue non prise en charge / unsupported language: {lang!r}")
        text, fr = _TEXT[lang], lang == "fr"
        tr = (lambda r: r) if fr else _en
        n, sep = self.days, text["sep"]
        gap = sep.join(f"{d.isoformat()} {tr(r)}" for d, r in self.skipped)
        shown = 0 if self.kind == "jours_ouvrables" else 1  # raw's own reason is already shown
        if self.kind == "apres":
            variant = "report" if self.skipped else "sans_report" if self.raw_reason else "ok"
        elif self.kind == "avant" and self.mode != "clear_days":
            variant = "corps" if self.skipped else "calendar"
        else:
            variant = "clear_days" if self.kind == "avant" else "corps"
        template = text[self.kind] + text[f"{self.kind}.{variant}"] + text["end"]
        return template.format(
            n=n,
            pl="s" if n > 1 or (n == 0 and not fr) else "",
            s=self.start.isoformat(),
            raw=self.raw.isoformat(),
            dl=self.deadline.isoformat(),
            why=f" ({tr(self.raw_reason)})" if self.raw_reason else "",
            gap=text["gap"].format(gap=gap) if len(self.skipped) > shown else "",
            pol=self.policy,
            law=sep.join(self.law) or text["no_law"],
        )


_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "apres": "{n} jour{pl} suivant le {s} (jour de départ non compté) : ",
        "apres.ok": "dernier jour {raw} (jour ouvrable)",
        "apres.report": "dernier jour brut {raw}{why}, reporté au {dl} "
        "(prochain jour ouvrable{gap})",
        "apres.sans_report": "dernier jour {raw}{why}, non reporté (politique sans report)",
        "avant": "au moins {n} jour{pl} avant le {s} : ",
        "avant.calendar": "date limite {dl}{why}, jamais reportée en avant",
        "avant.clear_days": "date limite {dl}{why} ({n} jour{pl} franc{pl} : ni ce jour ni le {s} "
        "ne sont comptés)",
        "avant.corps": "{raw}{why} ramené au {dl} (jour ouvrable précédent{gap})",
        "fin_periode": "période minimale de {n} jour{pl} à compter du {s} : ",
        "fin_periode.corps": "dernier jour {dl}{why}, effet à la fin de ce jour ; date fixe, "
        "jamais reportée",
        "jours_ouvrables": "{n} jour{pl} ouvrable{pl} suivant le {s} : ",
        "jours_ouvrables.corps": "{dl} (délai indicatif de politique, sans fondement "
        "contractuel{gap})",
        "gap": " ; jours écartés : {gap}",
        "sep": " ; ",
        "no_law": "aucune citation",
        "end": " — {law} (politique « {pol} »).",
    },
    "en": {
        "apres": "{n} day{pl} following {s} (start day not counted): ",
        "apres.ok": "last day {raw} (working day)",
        "apres.report": "raw last day {raw}{why}, moved to {dl} (next working day{gap})",
        "apres.sans_report": "last day {raw}{why}, not moved (policy without roll-forward)",
        "avant": "at least {n} day{pl} before {s}: ",
        "avant.calendar": "latest date {dl}{why}, never moved forward",
        "avant.clear_days": "latest date {dl}{why} ({n} clear day{pl}: neither that day nor {s} "
        "is counted)",
        "avant.corps": "{raw}{why} brought back to {dl} (previous working day{gap})",
        "fin_periode": "minimum period of {n} day{pl} from {s}: ",
        "fin_periode.corps": "last day {dl}{why}, effective at the end of that day; a fixed date, "
        "never moved",
        "jours_ouvrables": "{n} working day{pl} following {s}: ",
        "jours_ouvrables.corps": "{dl} (indicative policy deadline, no contractual basis{gap})",
        "gap": "; days skipped: {gap}",
        "sep": "; ",
        "no_law": "no citation",
        "end": ' — {law} (policy "{pol}").',
    },
}


@attrs.frozen
class LegalCalendar:
    """Working days and deadline arithmetic under a ``Policy``."""

    policy: Policy = attrs.field(factory=Policy, validator=attrs.validators.instance_of(Policy))

    def holidays(self, year: int) -> dict[date, str]:
        """I-16 art. 61 (23°) dated *jours fériés* of ``year`` plus proclaimed ones (no Sundays)."""
        return dict(_year_holidays(year, self.policy.proclaimed_holidays))

    def non_working_reason(self, d: date) -> str | None:
        """Why ``d`` is non-working under the policy, or None when it is a working day."""
        _check_date(d, "d")
        p = self.policy
        name = _year_holidays(d.year, p.proclaimed_holidays).get(d)
        if name is not None:
            return name
        if d.weekday() == 6:
            return SUNDAY
        if p.saturday_non_working and d.weekday() == 5:
            return SATURDAY
        if p.dec26_jan2_non_working and (d.month, d.day) in ((12, 26), (1, 2)):
            return DEC26 if d.month == 12 else JAN2
        return CLOSURE if d in p.extra_closure_days else None

    def is_working_day(self, d: date) -> bool:
        """True unless ``d`` is a weekend day, a holiday or a policy closure."""
        return self.non_working_reason(d) is None

    def _roll(self, d: date, step: timedelta) -> tuple[date, tuple[tuple[date, str], ...]]:
        """Step from ``d`` until a working day; return it and the days stepped over."""
        skipped = []
        while (reason := self.non_working_reason(d)) is not None:
            skipped.append((d, reason))
            d += step
        return d, tuple(skipped)

    def _result(
        self, kind: Kind, start: date, days: int, raw: date, law: tuple[str, ...], mode: str,
        rolled: tuple[date, tuple[tuple[date, str], ...]] | None = None,
    ) -> DeadlineComputation:  # fmt: skip
        deadline, skipped = rolled or (raw, ())
        reason = self.non_working_reason(raw)
        return DeadlineComputation(
            kind, start, days, raw, deadline, skipped, law, self.policy.name, mode, reason
        )

    @_beyond("échéance", "deadline")
    def explain_after(self, start: date, days: int) -> DeadlineComputation:
        """Deadline of "dans les N jours suivant start": start not counted, last day inclusive,
        moved forward off a non-working day when ``policy.roll_forward``."""
        raw = _check_date(start, "start") + timedelta(days=_check_days(days))
        rolled = self._roll(raw, _DAY) if self.policy.roll_forward else (raw, ())
        skipped = rolled[1]
        law = (LI_52, *_law_for(r for _, r in skipped)) if skipped else ()
        mode = "report" if self.policy.roll_forward else "sans_report"
        return self._result("apres", start, days, raw, (*law, CCQ_1425), mode, rolled)

    def after(self, start: date, days: int) -> date:
        """The deadline ``days`` days after ``start`` (see :meth:`explain_after`)."""
        return self.explain_after(start, days).deadline

    @_beyond("date limite", "latest date")
    def explain_before(self, anchor: date, days: int) -> DeadlineComputation:
        """Latest permissible date for "au moins N jours avant anchor"; never moved forward."""
        mode = self.policy.before_mode
        raw = _check_date(anchor, "anchor") - timedelta(
            days=_check_days(days) + (mode == "clear_days")
        )
        rolled = self._roll(raw, -_DAY) if mode == "roll_back" else (raw, ())
        law = (*_law_for(r for _, r in rolled[1]), CCQ_1425)
        return self._result("avant", anchor, days, raw, law, mode, rolled)

    def before(self, anchor: date, days: int) -> date:
        """The latest date at least ``days`` days before ``anchor`` (see :meth:`explain_before`)."""
        return self.explain_before(anchor, days).deadline

    @_beyond("fin de période", "period end")
    def explain_period_end(self, start: date, days: int) -> DeadlineComputation:
        """Last day of a "délai minimum de N jours" from ``start``: start + N, never moved
        (the period ends at the end of that day)."""
        end = _check_date(start, "start") + timedelta(days=_check_days(days))
        return self._result("fin_periode", start, days, end, (CCQ_1425,), "date_fixe")

    def period_end(self, start: date, days: int) -> date:
        """The last day of ``days`` days from ``start`` (see :meth:`explain_period_end`)."""
        return self.explain_period_end(start, days).deadline

    def explain_working_days(self, start: date, n: int) -> DeadlineComputation:
        """The n-th working day after ``start`` (start not counted; n = 0 gives start).
        Cached: instances born the same day under one policy share the computation."""
        return _working_days(self, _check_date(start, "start"), _check_days(n, "n"))

    def add_working_days(self, start: date, n: int) -> date:
        """The date ``n`` working days after ``start``."""
        return self.explain_working_days(start, n).deadline

    def explain_vague(self, standard: str, start: date) -> DeadlineComputation | None:
        """Policy deadline for a vague standard, or None: such a standard has no contractual
        deadline and the policy attaches none."""
        days = self.policy.vague_deadline(standard)
        return None if days is None else self.explain_working_days(start, days)

    def add_months(self, d: date, months: int, rounding: Rounding = "raise") -> date:
        """See the module function ``add_months``."""
        return add_months(d, months, rounding)

    def fiscal_year_start(self, d: date) -> date:
        """The first day (1 April) of the fiscal year containing ``d``."""
        return fiscal_year_start(d)

    def fiscal_year_label(self, d: date) -> str:
        """The fiscal year containing ``d``, as ``AAAA-AAAA``."""
        return fiscal_year_label(d)

    @_beyond("période de renouvellement", "renewal period")
    def renewal_period(self, d: date, in_force_from: date) -> tuple[date, date]:
        """First and last day of the yearly renewal period containing ``d`` (policy
        ``renewal_year``); the first period starts on ``in_force_from``."""
        _check_date(d, "d")
        if d < _check_date(in_force_from, "in_force_from"):
            raise ValueError(f"{d} précède l'entrée en vigueur / precedes entry into force")
        if self.policy.renewal_year == "fiscal":
            start = fiscal_year_start(d)
            return max(start, in_force_from), date(start.year + 1, 3, 31)
        k = d.year - in_force_from.year
        while (start := add_months(in_force_from, 12 * k, "end_of_month")) > d:
            k -= 1
        return start, add_months(in_force_from, 12 * (k + 1), "end_of_month") - _DAY


@functools.lru_cache(maxsize=4096)
@_beyond("délai indicatif", "indicative deadline")
def _working_days(calendar: LegalCalendar, start: date, n: int) -> DeadlineComputation:
    d, left, skipped = start, n, []
    while left:
        d += _DAY
        reason = calendar.non_working_reason(d)
        if reason is None:
            left -= 1
        else:
            skipped.append((d, reason))
    rolled = (d, tuple(skipped))
    return calendar._result("jours_ouvrables", start, n, d, (), "jours_ouvrables", rolled)


def _last_day(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def add_months(d: date, months: int, rounding: Rounding = "raise") -> date:
    """Same day-number ``months`` calendar months later (I-16 art. 61 (24°)). When that day does
    not exist: raise ``AmbiguousDateError``, or take the month's last day (``"end_of_month"``,
    the C.p.c. art. 83 reading), or the first day of the following month (``"next_day"``)."""
    _check_date(d, "d")
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


def fiscal_year_start(d: date) -> date:
    """1 April on or before ``d`` (Quebec government fiscal year)."""
    _check_date(d, "d")
    return date(d.year if d.month >= 4 else d.year - 1, 4, 1)


def fiscal_year_label(d: date) -> str:
    """Label of the fiscal year of ``d``: "2026-2027" from 2026-04-01 to 2027-03-31."""
    start = fiscal_year_start(d).year
    return f"{start}-{start + 1}"
