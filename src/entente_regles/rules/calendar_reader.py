"""Reading the calendar an agreement counts on: the ``[calendrier]`` table of a rule book's
``evenements.toml`` (its default) or of an agreement file (an override), and the calendar
files it may name (``calendriers/*.toml``), into the calendar objects of
:mod:`entente_regles.calendar` (``docs/calendrier.md``). Every problem names the file, the
key and the line, in French and English."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from entente_regles.calendar.days import Citations, DayCalendar, PlainDays
from entente_regles.calendar.declared import (
    DateRule,
    DeclaredCalendar,
    DeclaredDay,
    RestDay,
    policy_flags,
)
from entente_regles.calendar.library import (
    LibraryCalendar,
    close_countries,
    close_subdivisions,
    countries,
    library_language,
    library_version,
)
from entente_regles.core.values import Lang, Text
from entente_regles.rules.norms import VOCABULARY_FILE
from entente_regles.rules.resources import bundled_rules_dir
from entente_regles.rules.toml_tables import (
    ENGINE_LANGUAGES,
    RuleFileErrors,
    TomlSource,
    TomlTable,
    collecting,
)

CALENDAR_KEY = "calendrier"
CALENDAR_KINDS = ("fichier", "pays", "jours_civils")
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
RULES = {"fixe": "fixed", "paques": "easter", "jour_avant": "weekday_before",
         "nieme": "nth_weekday"}
_RULE_KEYS = {"fixe": ("mois", "jour"), "paques": ("decalage",),
              "jour_avant": ("jour_semaine", "mois", "jour"),
              "nieme": ("jour_semaine", "mois", "rang")}


@attrs.frozen
class CalendarContext:
    """What reading a ``[calendrier]`` needs besides its table: the rule book's languages
    (the first is the default) and their Babel locales, and the directory a ``fichier`` is
    relative to."""

    languages: tuple[Lang, ...] = ENGINE_LANGUAGES
    locales: Mapping[str, str] = attrs.field(factory=dict)
    directory: Path = Path(".")


def read_calendar_table(root: TomlTable, context: CalendarContext,
                        required: bool = False) -> DayCalendar | None:
    """The calendar ``root``'s ``[calendrier]`` table declares, None when there is none."""
    table = root.table(CALENDAR_KEY, required=required)
    if table is None:
        return None
    given = [kind for kind in CALENDAR_KINDS if kind in table.data]
    if len(given) != 1:
        table.seen.update(CALENDAR_KINDS)
        raise table.error(None, f"exactement une clé parmi {', '.join(CALENDAR_KINDS)} attendue"
                          f", reçu {len(given)} ({', '.join(given) or 'aucune'})",
                          f"exactly one key among {', '.join(CALENDAR_KINDS)} expected, got "
                          f"{len(given)} ({', '.join(given) or 'none'})")
    kind = given[0]
    citation = _text(table, "citation", context.languages, required=False)
    rolls = table.get("report", (bool,), ("true ou false", "true or false"), False)
    calendar: DayCalendar
    if kind == "jours_civils":
        if table.get("jours_civils", (bool,), ("true", "true"), True) is not True:
            raise table.error("jours_civils", "true attendu (sinon, déclarer fichier ou pays)",
                              "true expected (otherwise declare fichier or pays)")
        for key in ("report", "jours_de_repos", "subdivision"):
            if key in table.data:
                raise table.error(key, "sans objet pour des jours civils (aucun jour férié, "
                                  "aucun repos, aucun report)", "meaningless for plain calendar "
                                  "days (no holiday, no rest day, no roll)")
        calendar = PlainDays(citation)
    elif kind == "pays":
        calendar = _library(table, context, citation, True if rolls is None else rolls)
    else:
        for key in ("jours_de_repos", "subdivision"):
            if key in table.data:
                raise table.error(key, "sans objet pour un calendrier déclaré dans un fichier "
                                  "(le fichier déclare ses jours)", "meaningless for a "
                                  "calendar declared in a file (the file declares its days)")
        declared = read_calendar_file(table, context)
        if rolls is not None:
            declared = attrs.evolve(declared, rolls=rolls)
        if citation is not None:
            declared = attrs.evolve(declared, citations=attrs.evolve(
                declared.citations, counting=citation,
                order=(*declared.citations.order, citation)))
        calendar = declared
    table.done()
    return calendar


def _library(table: TomlTable, context: CalendarContext, citation: Text | None,
             rolls: bool) -> LibraryCalendar:
    country = table.text("pays")
    known = countries()
    if country not in known:
        close = close_countries(country)
        raise table.error("pays", f"pays inconnu de la bibliothèque holidays "
                          f"({library_version()}) : {country!r}, un code ISO 3166-1 alpha-2 "
                          f"attendu{_close(close, 'proches')}", f"country unknown to the "
                          f"holidays library ({library_version()}): {country!r}, an ISO "
                          f"3166-1 alpha-2 code expected{_close(close, 'close matches')}")
    subdivision = table.text("subdivision", required=False)
    if subdivision is not None and subdivision not in known[country]:
        close = close_subdivisions(country, subdivision)
        raise table.error("subdivision", f"subdivision inconnue de {country} : "
                          f"{subdivision!r}{_close(close, 'proches')}", f"unknown subdivision "
                          f"of {country}: {subdivision!r}{_close(close, 'close matches')}")
    rest: tuple[int, ...] = (5, 6)
    if "jours_de_repos" in table.data:
        rest = _weekdays(table, "jours_de_repos")
    languages = tuple((slot, library_language(
        country, subdivision, lang, context.locales.get(lang)))
        for slot in ENGINE_LANGUAGES
        for lang in (slot if slot in context.languages else context.languages[0],))
    return LibraryCalendar(country, subdivision, languages, rest, rolls, citation)


def _close(found: Sequence[str], words: str) -> str:
    """" ; proches : GB (…)" (French) or "; close matches: GB (…)", empty without any."""
    if not found:
        return ""
    return f"{' ;' if words == 'proches' else ';'} {words}{' :' if words == 'proches' else ':'}"\
        f" {', '.join(found)}"


def _weekdays(table: TomlTable, key: str) -> tuple[int, ...]:
    written = table.get(key, (list,), ("une liste de jours (« samedi », « dimanche »…)",
                                       "a list of days (\"samedi\", \"dimanche\"…)"), True)
    days: list[int] = []
    for i, day in enumerate(written):
        if day not in WEEKDAYS or WEEKDAYS.index(day) in days:
            raise table.error(f"{key}[{i}]", f"un jour de la semaine parmi {', '.join(WEEKDAYS)}"
                              f", sans doublon, reçu {day!r}", f"a weekday among "
                              f"{', '.join(WEEKDAYS)}, without duplicates, got {day!r}")
        days.append(WEEKDAYS.index(day))
    return tuple(days)


def _text(table: TomlTable, key: str, languages: Sequence[Lang], required: bool = True
          ) -> Text | None:
    """A text in the declared ``languages`` (``{ fr = "…", en = "…" }``), read as every text
    of a rule book is (:meth:`TomlTable.localized`)."""
    return table.localized(key, required, languages)


def read_calendar_file(table: TomlTable, context: CalendarContext) -> DeclaredCalendar:
    """The calendar file ``table``'s ``fichier`` names (relative to ``context.directory``)."""
    written = table.text("fichier")
    path = context.directory / written
    if not path.is_file():
        raise table.error("fichier", f"fichier de calendrier introuvable : {path}",
                          f"calendar file not found: {path}")
    return _declared(path, written, tuple(context.languages))


@functools.lru_cache(maxsize=64)
def _cached(path: Path, shown: str, languages: tuple[Lang, ...], stamp: float
            ) -> DeclaredCalendar:
    source = TomlSource.read(path, shown)
    calendar = collecting(source, lambda: read_declared(source.root(), languages))
    if source.problems or calendar is None:
        raise RuleFileErrors(tuple(source.problems))
    return calendar


def _declared(path: Path, shown: str, languages: tuple[Lang, ...]) -> DeclaredCalendar:
    return _cached(path.resolve(), shown, languages, path.stat().st_mtime)


def read_declared(root: TomlTable, languages: Sequence[Lang]) -> DeclaredCalendar:
    """A calendar file: ``[calendrier]`` (its title, roll rule and the citations of its
    counting, its roll and the policy's proclaimed days), ``[citations]``, ``[[repos]]``,
    ``[[ferie]]`` and ``[[autre_jour]]`` (``docs/calendrier.md``)."""
    cited: dict[str, Text] = {}
    table = root.table("citations", required=False)
    if table is not None:
        for name in table.data:
            text = collecting(root.source, lambda name=name: _text(  # type: ignore[misc]
                table, name, languages))
            if text is not None:
                cited[name] = text
        table.done()
    head = root.table("calendrier")
    assert head is not None
    title = _text(head, "libelle", languages)
    assert title is not None
    rolls = head.boolean("report", True)
    citations = Citations(
        counting=_cite(head, "citation_decompte", cited),
        roll=_cite(head, "citation_report", cited),
        proclaimed=_cite(head, "citation_proclames", cited),
        order=tuple(cited.values()))
    head.done()
    rest = tuple(root.each("repos", lambda t: _rest(t, languages, cited)))
    holidays = tuple(root.each("ferie", lambda t: _day(t, languages, cited, "nom", False)))
    others = tuple(root.each("autre_jour", lambda t: _day(t, languages, cited, "libelle",
                                                         True)))
    root.done()
    return DeclaredCalendar(title, holidays, rest, others, citations, rolls)


def _cite(table: TomlTable, key: str, cited: Mapping[str, Text]) -> Text | None:
    name = table.text(key, required=False)
    if name is None:
        return None
    if name not in cited:
        raise table.error(key, f"citation inconnue {name!r} (déclarées dans [citations] : "
                          f"{', '.join(cited) or 'aucune'})", f"unknown citation {name!r} "
                          f"(declared in [citations]: {', '.join(cited) or 'none'})")
    return cited[name]


def _policy(table: TomlTable) -> str | None:
    if "politique" not in table.data:
        return None
    return str(table.choice("politique", policy_flags()))


def _rest(table: TomlTable, languages: Sequence[Lang], cited: Mapping[str, Text]) -> RestDay:
    day = table.choice("jour", WEEKDAYS)
    name = _text(table, "libelle", languages)
    assert name is not None
    table.text("lettre", required=False)
    rest = RestDay(WEEKDAYS.index(day), name, _cite(table, "citation", cited), _policy(table))
    table.done()
    return rest


def _day(table: TomlTable, languages: Sequence[Lang], cited: Mapping[str, Text], name_key: str,
         may_depend: bool) -> DeclaredDay:
    name = _text(table, name_key, languages)
    assert name is not None
    reference = table.text("lettre", required=False)
    rule = _rule(table)
    keyword = _policy(table) if may_depend else None
    day = DeclaredDay(name, rule, _cite(table, "citation", cited), reference, keyword)
    table.done()
    return day


def _int(table: TomlTable, key: str, low: int, high: int) -> int:
    value: int = table.get(key, (int,), (f"un entier de {low} à {high}",
                                         f"an integer from {low} to {high}"), True)
    if not low <= value <= high:
        raise table.error(key, f"un entier de {low} à {high} attendu, reçu {value}",
                          f"an integer from {low} to {high} expected, got {value}")
    return value


def _rule(table: TomlTable) -> DateRule:
    kind = table.choice("regle", tuple(RULES))
    values: dict[str, Any] = {}
    keys = _RULE_KEYS[kind]
    if "mois" in keys:
        values["month"] = _int(table, "mois", 1, 12)
    if "jour" in keys:
        values["day"] = _int(table, "jour", 1, 31)
    if "decalage" in keys:
        values["offset"] = _int(table, "decalage", -366, 366)
    if "jour_semaine" in keys:
        values["weekday"] = WEEKDAYS.index(table.choice("jour_semaine", WEEKDAYS))
    if "rang" in keys:
        values["nth"] = _int(table, "rang", -1, 4)
        if values["nth"] == 0:
            raise table.error("rang", "1 à 4, ou -1 pour le dernier", "1 to 4, or -1 for the "
                              "last")
    moves = table.table("deplacement", required=False)
    if moves is not None:
        pairs = []
        for day in moves.data:
            if day not in WEEKDAYS:
                moves.seen.add(day)
                raise moves.error(day, f"un jour de la semaine parmi {', '.join(WEEKDAYS)}",
                                  f"a weekday among {', '.join(WEEKDAYS)}")
            pairs.append((WEEKDAYS.index(day), _int(moves, day, -6, 6)))
        moves.done()
        values["moves"] = tuple(pairs)
    for key, field in (("depuis", "since"), ("jusqu_a", "until")):
        if key in table.data:
            values[field] = _int(table, key, 1, 9999)
    try:
        return DateRule(RULES[kind], **values)  # type: ignore[arg-type]
    except ValueError:
        raise table.error("jour", f"ce jour n'existe dans aucune année : "
                          f"{values.get('month')}-{values.get('day')}", f"no year has this "
                          f"day: {values.get('month')}-{values.get('day')}") from None


@functools.cache
def default_calendar() -> DayCalendar:
    """The calendar of a rule book whose vocabulary declares none: the one the bundled rule
    book declares (the calendar every rule book counted on before calendars were declared)."""
    directory = bundled_rules_dir()
    source = TomlSource.read(directory / VOCABULARY_FILE, VOCABULARY_FILE)
    calendar = read_calendar_table(source.root(), CalendarContext(directory=directory), True)
    if source.problems or calendar is None:  # the bundled files are tested: not expected
        raise RuleFileErrors(tuple(source.problems))
    return calendar


__all__ = ["CALENDAR_KEY", "CalendarContext", "default_calendar", "read_calendar_file",
           "read_calendar_table", "read_declared"]
