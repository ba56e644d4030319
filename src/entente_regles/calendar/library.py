"""A calendar read from the ``holidays`` library (python-holidays): the public holidays of a
country or one of its subdivisions, named in the agreement's languages where the library
translates them (its own default names otherwise), plus the declared weekly rest days.

Its explanations cite a neutral text — "jours fériés de GB-ENG (python-holidays 0.109)" —
then the citation the rule book declares, if any; never a text of another jurisdiction."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping, Sequence
from datetime import date
from importlib import metadata

import attrs
import holidays as holidays_library

from entente_regles.calendar.days import Citations, DayOff
from entente_regles.calendar.policy import Policy
from entente_regles.core.values import Text
from entente_regles.words.calendar import LIBRARY


def library_version() -> str:
    try:
        return metadata.version("holidays")
    except metadata.PackageNotFoundError:  # pragma: no cover - the library is a dependency
        return str(getattr(holidays_library, "__version__", "?"))


@functools.cache
def countries() -> Mapping[str, tuple[str, ...]]:
    """Every country code the library knows, with its subdivision codes."""
    return {code: tuple(subdivisions) for code, subdivisions
            in holidays_library.list_supported_countries().items()}


@functools.cache
def _country_names() -> Mapping[str, str]:
    """Country code -> English name (from the library's registry), for suggestions."""
    from holidays import registry

    names: dict[str, str] = {}
    for key, entry in registry.COUNTRIES.items():
        if len(entry) > 1:
            names[entry[1]] = key.replace("_", " ").title()
    return names


def close_countries(written: str) -> tuple[str, ...]:
    """Countries near ``written`` — by name, by code, or having a subdivision of that code —
    as "DE (Germany)" or "CA (Canada) subdivision QC", for an error message."""
    names = _country_names()
    by_name = {name.lower(): code for code, name in names.items()}
    found = [f"{by_name[n]} ({names[by_name[n]]})" for n in difflib.get_close_matches(
        written.lower(), list(by_name), n=3, cutoff=0.6)]
    found += [f"{code} ({name})" for code, name in names.items()
              if len(written) > 3 and written.lower() in name.lower()]
    found += [f"{code} ({names[code]})" for code in difflib.get_close_matches(
        written.upper(), list(names), n=3, cutoff=0.5)]
    found[:0] = [f"{code} ({names[code]}) subdivision {written.upper()}" for code, subdivisions
                 in countries().items() if code in names and written.upper() in subdivisions]
    return tuple(dict.fromkeys(found))[:6]


def close_subdivisions(country: str, written: str) -> tuple[str, ...]:
    """Subdivision codes of ``country`` near ``written`` (or all of them when few)."""
    known = countries().get(country, ())
    found = difflib.get_close_matches(written.upper(), list(known), n=6, cutoff=0.4)
    return tuple(found) if found else known[:12]


def library_language(country: str, subdivision: str | None, lang: str,
                     locale: str | None) -> str | None:
    """The library language that names ``country``'s holidays in ``lang`` (``locale``, e.g.
    "en_GB", first), or None when the library does not translate them into ``lang``."""
    supported, default = _languages(country, subdivision)
    wanted = [w for w in (locale, lang) if w]
    for candidate in wanted:
        if candidate in supported:
            return candidate
    if default is not None and default.split("_")[0] == lang:
        return default
    for candidate in supported:
        if candidate.split("_")[0] == lang:
            return candidate
    return None


@functools.cache
def _languages(country: str, subdivision: str | None) -> tuple[tuple[str, ...], str | None]:
    found = holidays_library.country_holidays(country, subdiv=subdivision)
    return tuple(found.supported_languages), found.default_language


@attrs.frozen(cache_hash=True)
class LibraryCalendar:
    """The public holidays of ``country`` (``subdivision``) from the ``holidays`` library.

    ``languages``: (our language, the library's language or None for its default names) for
    "fr" and "en"; ``rest_days``: the weekly rest days (0 = Monday … 6 = Sunday, default
    Saturday and Sunday); ``rolls``: whether a deadline on a non-working day moves to the
    next working day; ``citation``: the rule book's own citation for its day counting."""

    country: str
    subdivision: str | None = None
    languages: tuple[tuple[str, str | None], ...] = (("fr", None), ("en", None))
    rest_days: tuple[int, ...] = (5, 6)
    rolls: bool = True
    citation: Text | None = None

    def __attrs_post_init__(self) -> None:
        if self.country not in countries():
            raise ValueError(f"pays inconnu de la bibliothèque holidays / country unknown to "
                             f"the holidays library: {self.country!r}")
        if self.subdivision is not None and \
                self.subdivision not in countries()[self.country]:
            raise ValueError(f"subdivision inconnue / unknown subdivision: "
                             f"{self.country}-{self.subdivision}")
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in self.rest_days):
            raise ValueError(f"jours de repos hors bornes / rest days out of range: "
                             f"{self.rest_days!r}")

    @property
    def code(self) -> str:
        """"GB-ENG", or "FR" without a subdivision."""
        return self.country + (f"-{self.subdivision}" if self.subdivision else "")

    @property
    def source(self) -> Text:
        """The neutral citation of the holidays: the region and the library's version."""
        return LIBRARY.text("source", code=self.code, version=library_version())

    @property
    def citations(self) -> Citations:
        return _citations(self)

    def holidays(self, year: int) -> Mapping[date, DayOff]:
        return _year(self, year)

    def rest_day(self, d: date, policy: Policy) -> DayOff | None:
        if d.weekday() in self.rest_days:
            return DayOff(LIBRARY.text(f"weekday.{d.weekday()}"))
        return None

    def names(self, year: int, lang: str) -> Sequence[tuple[date, str]]:
        """The library's names of ``year``'s holidays in ``lang`` (see ``languages``)."""
        language = dict(self.languages).get(lang)
        return _names(self.country, self.subdivision, year, language)


@functools.lru_cache(maxsize=256)
def _citations(calendar: LibraryCalendar) -> Citations:
    cited = tuple(c for c in (calendar.source, calendar.citation) if c is not None)
    return Citations(counting=calendar.citation, order=cited)


@functools.lru_cache(maxsize=4096)
def _names(country: str, subdivision: str | None, year: int,
           language: str | None) -> tuple[tuple[date, str], ...]:
    if language is None:  # the library's own names, never the machine's locale
        language = _languages(country, subdivision)[1]
    found = holidays_library.country_holidays(country, subdiv=subdivision, years=year,
                                              language=language)
    return tuple(sorted((day, str(name)) for day, name in found.items()))


@functools.lru_cache(maxsize=2048)
def _year(calendar: LibraryCalendar, year: int) -> Mapping[date, DayOff]:
    french = dict(calendar.names(year, "fr"))
    english = dict(calendar.names(year, "en"))
    source = calendar.source
    return {day: DayOff(Text(french.get(day, name), name), source)
            for day, name in sorted(english.items())}


__all__ = ["LibraryCalendar", "close_countries", "close_subdivisions", "countries",
           "library_language", "library_version"]
