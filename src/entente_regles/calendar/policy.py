"""The calendar's policy: every point on which the texts leave a choice (the days a declared
calendar makes depend on a keyword, closures, days that stay working days, proclaimed days,
counting before a date, the renewal year, indicative delays for vague standards), validated
when built (``docs/calendrier.md``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Literal, get_args

import attrs

from entente_regles.core.input_limits import MAX_VAGUE_WORKING_DAYS, quoted

BeforeMode = Literal["calendar", "clear_days", "roll_back"]
RenewalYear = Literal["fiscal", "anniversary"]

_STANDARD_ID = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)


def check_date(value: object, what: str) -> date:
    """``value`` when it is a date (not a datetime); TypeError naming ``what`` otherwise."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} doit être une datetime.date / must be a datetime.date: {value!r}")
    return value


def check_days(value: object, what: str = "days") -> int:
    """``value`` when it is a number of days (an int, not negative); an error otherwise."""
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
    return check_date(value, what)


def _closure_days(value: Iterable[date | str]) -> frozenset[date]:
    return frozenset(_as_date(d, "extra_closure_days") for d in value)


def _working_days(value: Iterable[date | str]) -> frozenset[date]:
    return frozenset(_as_date(d, "working_days") for d in value)


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
    """Fold a standard's wording to its key: "Dans les délais utiles" -> "delais_utiles".

    Only the shape is checked here (a policy is built before any rule book is known): which
    standards exist is the rule book's, checked where an agreement meets its rules
    (:func:`unknown_standards`)."""
    if not isinstance(standard, str):
        raise TypeError(f"norme vague : un texte attendu / vague standard: expected a string: "
                        f"{standard!r}")
    folded = unicodedata.normalize("NFKD", standard.strip().lower())
    key = "".join(c for c in folded if not unicodedata.combining(c))
    key = key.replace("-", " ").replace("'", " ").replace("\N{RIGHT SINGLE QUOTATION MARK}", " ")
    key = "_".join(w for w in key.split() if w not in ("dans", "les", "d", "de"))
    if not _STANDARD_ID.fullmatch(key):
        raise ValueError(f"norme vague inconnue / unknown vague standard: {standard!r}")
    return key


def unknown_standards(policy: Policy, known: Iterable[str]) -> str | None:
    """The message for ``policy``'s vague deadlines naming a standard not in ``known`` (the
    rule book's), None when all are known."""
    names = tuple(known)
    unknown = [key for key, _ in policy.vague_deadlines if key not in names]
    if not unknown:
        return None
    return (f"norme vague inconnue / unknown vague standard: {unknown[0]!r}; "
            f"attendu / expected one of {', '.join(names)}")


def _vague(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    pairs = list(value.items()) if isinstance(value, Mapping) else list(value)
    out: dict[str, int] = {}
    for standard, days in pairs:
        key = normalise_standard(standard)
        if key in out:
            raise ValueError(f"norme vague en double / duplicate vague standard: {standard!r}")
        out[key] = check_days(days, f"vague_deadlines[{standard!r}]")
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
    working_days: frozenset[date] = attrs.field(default=frozenset(), converter=_working_days)
    before_mode: BeforeMode = attrs.field(default="calendar", validator=_in(BeforeMode))
    renewal_year: RenewalYear = attrs.field(default="fiscal", validator=_in(RenewalYear))
    vague_deadlines: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_vague)
    name: str = attrs.field(default="defaut")

    @name.validator
    def _check_name(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("la politique doit avoir un nom / the policy needs a name")

    def __attrs_post_init__(self) -> None:
        both = sorted(self.working_days & (self.extra_closure_days
                                           | {d for d, _ in self.proclaimed_holidays}))
        if both:
            raise ValueError(f"working_days : {both[0]} est aussi un jour de fermeture ou un "
                             f"jour proclamé de la politique / {both[0]} is also a closure or "
                             f"a proclaimed day of the policy")

    @classmethod
    def strict_interpretation_act(cls) -> Policy:
        """The strict reading of a calendar whose days depend on policy keywords: both
        keywords off (``saturday_non_working``, ``dec26_jan2_non_working``), every such day a
        working day. Its name is the one the bundled rule book's explanations have always
        given (``docs/calendrier.md``)."""
        return cls(saturday_non_working=False, dec26_jan2_non_working=False, name="stricte-I-16")

    def vague_deadline(self, standard: str) -> int | None:
        """Indicative deadline in working days attached by this policy, None when none."""
        return dict(self.vague_deadlines).get(normalise_standard(standard))


__all__ = ["BeforeMode", "Policy", "RenewalYear", "check_date", "check_days",
           "normalise_standard", "unknown_standards"]
