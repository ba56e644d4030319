"""Reading an agreement file (TOML: ``client``, ``en_vigueur_le``, ``services``, ``annexe``,
``politique``, ``calendrier``, ``responsables``) or the same keys from a mapping, through the
one validation layer: every problem is reported at once, in the file's own keys (``en_vigueur_le``,
``politique.name``), with its line when the file is known."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

import attrs

from entente_regles.calendar.legal import (
    BeforeMode,
    Policy,
    RenewalYear,
    normalise_standard,
)
from entente_regles.core.errors import ErrorLocation, RuleFileError
from entente_regles.core.input_limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_VAGUE_WORKING_DAYS,
    in_date_range,
    invisible_character,
    quoted,
)
from entente_regles.rules.calendar_reader import CALENDAR_KEY, CalendarContext, read_calendar_table
from entente_regles.rules.term_reader import TERM_KEY, read_term
from entente_regles.rules.toml_tables import RuleFileErrors, TomlSource, TomlTable, collecting
from entente_regles.rules.vocabulary import Term

RESPONSABLES_KEY = "responsables"
AGREEMENT_KEYS = ("client", "en_vigueur_le", "services", "annexe", "politique", CALENDAR_KEY,
                  RESPONSABLES_KEY, TERM_KEY)
POLICY_KEYS = tuple(field.name for field in attrs.fields(Policy))
_DATE = ("une date AAAA-MM-JJ", "a date YYYY-MM-DD")


class AgreementFileErrors(RuleFileErrors):
    """Every problem of an agreement file (or of the same keys given as a mapping), found in
    one reading: ``problems``, each a :class:`RuleFileError` naming the file, the line and
    the key, in line order (``errors``: in the order they were found; ``where``, ``fr`` and
    ``en`` are the first found's)."""

    def __init__(self, errors: tuple[RuleFileError, ...]) -> None:
        flat: list[RuleFileError] = []
        for error in errors:
            inner = getattr(error, "errors", None)
            flat += list(inner) if isinstance(error, RuleFileErrors) and inner else [error]
        super().__init__(tuple(flat))

    @property
    def problems(self) -> tuple[RuleFileError, ...]:
        """Every problem, in line order (those without a line last)."""
        return tuple(sorted(self.errors, key=lambda e: (e.where.line is None,
                                                        e.where.line or 0)))


def agreement_arguments(spec: Mapping[str, Any], where: ErrorLocation,
                        source: TomlSource | None = None, *,
                        standards: Collection[str],
                        calendar: CalendarContext | None = None,
                        term: Term | None = None) -> dict[str, Any]:
    """The keyword arguments of ``Agreement`` (client, in_force_from, services, annex,
    policy) the keys of ``spec`` give; any problem raises :class:`RuleFileErrors` naming each
    one. ``where``: the file (and the key path of ``spec`` in it, for an example's
    ``entente`` table); ``standards``: the ids of the rule book's vague standards, which
    ``politique.vague_deadlines`` may name; ``calendar``: the rule book's languages for a
    ``[calendrier]`` table, whose ``fichier`` is relative to the agreement file's directory.
    ``calendar`` is in the result only when the file declares one; so is ``term``, the file's
    ``[terme]`` read key by key over the rule book's ``term``."""
    if source is None:
        source = TomlSource(where.file, "", dict(spec))
        source.fallback_line = where.line
    root = TomlTable(spec, source, where.key or "")
    found: dict[str, Any] = {}
    found["client"] = collecting(source, lambda: root.text("client"))
    found["in_force_from"] = collecting(source, lambda: _date(root, "en_vigueur_le"))
    found["services"] = collecting(source, lambda: _services(root))
    found["annex"] = collecting(source, lambda: _annex(root))
    found["policy"] = collecting(source, lambda: _policy(root, tuple(standards)))
    if CALENDAR_KEY in spec:
        context = calendar if calendar is not None else CalendarContext()
        context = attrs.evolve(context, directory=Path(where.file).parent)
        found["calendar"] = collecting(source, lambda: read_calendar_table(root, context))
    if TERM_KEY in spec:
        found["term"] = collecting(source, lambda: read_term(root, term))
    collecting(source, lambda: _responsables(root, None))  # read by responsables_of()
    root.seen.update(AGREEMENT_KEYS)
    root.done()
    if source.problems:
        raise AgreementFileErrors(tuple(source.problems))
    return found


def _date(table: TomlTable, key: str) -> date:
    """A date the agreement names, within the range ``limits`` accepts (docs/limites.md)."""
    value: date = table.get(key, (date,), _DATE, True)
    if not in_date_range(value):
        raise table.error(key, f"date {value} hors de la plage acceptée ({EARLIEST_DATE} au "
                          f"{LATEST_DATE}, voir docs/limites.md)",
                          f"date {value} outside the accepted range ({EARLIEST_DATE} to "
                          f"{LATEST_DATE}, see docs/limites.md)")
    return value


def _named(table: TomlTable, name: object, what: tuple[str, str]) -> bool:
    """Whether ``name`` (a key of ``table``) is a non-empty text; records the problem if not."""
    if isinstance(name, str) and name.strip():
        return True
    table.source.add(table.error(str(name), f"nom de {what[0]} vide, reçu {name!r}",
                                 f"empty {what[1]} name, got {name!r}"))
    return False


def _services(root: TomlTable) -> dict[str, date | None] | list[str] | None:
    value = root.get("services", (dict, list), ("une table { service = date } ou une liste "
                                                "de noms", "a table { service = date } or a "
                                                "list of names"), False)
    if value is None:
        return None
    if isinstance(value, list):
        names: list[str] = []
        for i, name in enumerate(value):
            if not isinstance(name, str) or not name.strip():
                root.source.add(root.error(f"services[{i}]", f"un nom de service (texte) "
                                           f"attendu, reçu {name!r}", "a service name (a "
                                           f"string) expected, got {name!r}"))
                names.append(str(name))
                continue
            written = _service_name(root, f"services[{i}]", name)
            if written in names:
                root.source.add(root.error(f"services[{i}]", f"service {name!r} nommé deux "
                                           "fois (mêmes lettres une fois normalisé : NFC, sans "
                                           "espaces autour)", f"service {name!r} named twice "
                                           "(same letters once normalised: NFC, no spaces "
                                           "around)"))
            names.append(written)
        return names
    table = root.table("services")
    assert table is not None
    out: dict[str, date | None] = {}
    for name in value:
        if not _named(table, name, ("service", "service")):
            table.seen.add(name)
            continue
        written = _service_name(table, name, name)
        if written in out:
            table.source.add(table.error(name, f"service {name!r} nommé deux fois (mêmes "
                                         "lettres une fois normalisé : NFC, sans espaces "
                                         "autour)", f"service {name!r} named twice (same "
                                         "letters once normalised: NFC, no spaces around)"))
        if value[name] is None:  # from a mapping: in force from the agreement's start
            table.seen.add(name)
            out[written] = None
            continue
        out[written] = collecting(table.source, lambda name=name: _date(  # type: ignore[misc]
            table, name))
    return out


def _service_name(table: TomlTable, key: str, name: str) -> str:
    """A service's name as an event's text names it: in NFC, without the spaces around it
    (events' text fields are read so). An invisible or control character is recorded as a
    problem: it would make two names print alike."""
    char = invisible_character(name)
    if char is not None:
        table.source.add(table.error(key, f"caractère invisible ou de contrôle {char} refusé "
                                     f"dans le nom de service {quoted(name)}", "invisible or "
                                     f"control character {char} refused in the service name "
                                     f"{quoted(name)}"))
    return unicodedata.normalize("NFC", name.strip())


def _annex(root: TomlTable) -> dict[str, object]:
    """The annex parameters (their names and values are checked against the rule files'
    ``[[parametre]]`` when the rules are compiled)."""
    value: dict[str, object] = root.get("annexe", (dict,), ("une table de paramètres",
                                                            "a table of parameters"), False, {})
    table = root.table("annexe", required=False)
    if table is not None:
        for name in value:
            _named(table, name, ("paramètre", "parameter"))
    return value


def _policy(root: TomlTable, standards: tuple[str, ...]) -> Policy:
    """The ``[politique]`` table, each key read in the file's terms (TOML dates and tables),
    so that no Python message of :class:`Policy` reaches the user; ``standards``: the rule
    book's vague standards."""
    readers: dict[str, Callable[[TomlTable, str], object]] = {
        **_POLICY_READERS, "vague_deadlines": lambda table, key: _vague(table, key, standards)}
    table = root.table("politique", required=False)
    if table is None:
        return Policy()
    values: dict[str, Any] = {}
    for key in POLICY_KEYS:
        if key in table.data:
            value = collecting(table.source, lambda key=key: readers[key](  # type: ignore[misc]
                table, key))
            if value is not None:
                values[key] = value
    table.seen.update(POLICY_KEYS)
    table.done()
    kept = set(values.get("working_days", ()))
    both = sorted(kept & (set(values.get("extra_closure_days", ()))
                          | set(values.get("proclaimed_holidays", {}))))
    if both:
        raise table.error("working_days", f"{both[0]} est aussi dans extra_closure_days ou "
                          "proclaimed_holidays : un jour ne peut être ouvrable et fermé",
                          f"{both[0]} is also in extra_closure_days or proclaimed_holidays: a "
                          "day cannot be both a working day and a closed one")
    try:
        return Policy(**values)
    except (TypeError, ValueError) as exc:  # every key is checked above: not expected
        raise table.error(None, f"politique invalide : {exc}", f"invalid policy: {exc}"
                          ) from None


def _flag(table: TomlTable, key: str) -> bool:
    return bool(table.get(key, (bool,), ("true ou false", "true or false"), True))


def _literal(kind: object) -> Callable[[TomlTable, str], str]:
    return lambda table, key: str(table.choice(key, get_args(kind)))


def _closure_days(table: TomlTable, key: str) -> frozenset[date]:
    what = ("une liste de dates [AAAA-MM-JJ, …]", "a list of dates [YYYY-MM-DD, …]")
    # A file gives a list; a mapping built in Python may give a tuple or a set.
    days: list[object] = table.get(key, (list, tuple, set, frozenset), what, True)
    items = TomlTable({f"{key}[{i}]": day for i, day in enumerate(days)}, table.source,
                      table.path)
    found = (collecting(table.source, lambda at=at: _date(items, at))  # type: ignore[misc]
             for at in items.data)
    return frozenset(day for day in found if day is not None)


def _proclaimed(table: TomlTable, key: str) -> dict[date, str]:
    sub = table.table(key)
    assert sub is not None
    out: dict[date, str] = {}
    for written in sub.data:
        sub.seen.add(written)
        day = _day_key(written)
        if day is None:
            sub.source.add(sub.error(str(written), f"une date AAAA-MM-JJ entre guillemets "
                                     f"attendue (une clé TOML), reçu {written!r}", "a date "
                                     f"YYYY-MM-DD in quotes (a TOML key) expected, got "
                                     f"{written!r}"))
            continue
        checked = collecting(sub.source, lambda written=written, day=day: _date(  # type: ignore[misc]
            TomlTable({written: day}, sub.source, sub.path), written))
        name = collecting(sub.source, lambda written=written: sub.text(  # type: ignore[misc]
            written))
        if checked is not None and name is not None:
            out[checked] = name
    return out


def _day_key(written: object) -> date | None:
    """The day a key of ``proclaimed_holidays`` names: "AAAA-MM-JJ" in a file, or a date in
    a mapping built in Python."""
    if isinstance(written, date) and not isinstance(written, datetime):
        return written
    if not isinstance(written, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", written):
        return None
    try:
        return date.fromisoformat(written)
    except ValueError:
        return None


def _vague(table: TomlTable, key: str, standards: tuple[str, ...]) -> dict[str, int]:
    sub = table.table(key)
    assert sub is not None
    out: dict[str, int] = {}
    for standard in sub.data:
        try:
            folded = normalise_standard(standard) if isinstance(standard, str) else ""
        except ValueError:
            folded = ""
        if folded not in standards:
            sub.seen.add(standard)
            sub.source.add(sub.error(str(standard), f"norme vague inconnue (connues : "
                                     f"{', '.join(standards)})", "unknown vague "
                                     f"standard (known: {', '.join(standards)})"))
            continue
        if folded in out:
            sub.source.add(sub.error(standard, f"la norme {folded} est déjà nommée",
                                     f"the standard {folded} is already named"))
        days = collecting(sub.source, lambda standard=standard: _working_days(  # type: ignore[misc]
            sub, standard))
        if days is not None:
            out[folded] = days
    return out


def _working_days(table: TomlTable, key: str) -> int:
    days: int = table.get(key, (int,), ("un nombre de jours ouvrables", "a number of working "
                                        "days"), True)
    if not 0 <= days <= MAX_VAGUE_WORKING_DAYS:
        raise table.error(key, f"{days} jours ouvrables : hors des bornes [0, "
                          f"{MAX_VAGUE_WORKING_DAYS}]", f"{days} working days: outside the "
                          f"bounds [0, {MAX_VAGUE_WORKING_DAYS}]")
    return days


_POLICY_READERS: dict[str, Callable[[TomlTable, str], object]] = {
    "roll_forward": _flag, "saturday_non_working": _flag, "dec26_jan2_non_working": _flag,
    "extra_closure_days": _closure_days, "working_days": _closure_days,
    "proclaimed_holidays": _proclaimed,
    "before_mode": _literal(BeforeMode), "renewal_year": _literal(RenewalYear),
    "name": lambda table, key: table.text(key),
}  # and vague_deadlines, against the rule book's standards (_policy)
assert set(_POLICY_READERS) | {"vague_deadlines"} == set(POLICY_KEYS)


@attrs.frozen
class Responsable:
    """A person the agreement file names for a party (``[responsables.<partie>]``): ``name``
    (``nom``) and ``email`` (``courriel``); the .ics names them as ORGANIZER and ATTENDEE."""

    name: str
    email: str


# A plain address: something@domain.tld, no space, no angle bracket, no quote, no control.
_EMAIL = re.compile(r"[^@\s<>\"(),;:\\]+@[^@\s<>\"(),;:\\]+\.[^@\s<>\"(),;:\\.]+")
_RESPONSABLE_KEYS = ("nom", "courriel")


def responsables_of(spec: Mapping[str, Any], where: ErrorLocation,
                    source: TomlSource | None = None, *,
                    parties: Collection[str] | None = None) -> dict[str, Responsable]:
    """The ``[responsables.<partie>]`` tables of an agreement file (``nom``, ``courriel``), by
    party id, in the file's order; none when the file names none. ``parties``: the rule
    book's parties, which the tables must name. Every problem is reported at once
    (:class:`RuleFileErrors`)."""
    if source is None:
        source = TomlSource(where.file, "", dict(spec))
        source.fallback_line = where.line
    root = TomlTable(spec, source, where.key or "")
    found = collecting(source, lambda: _responsables(root, parties))
    if source.problems:
        raise AgreementFileErrors(tuple(source.problems))
    return found or {}


def _responsables(root: TomlTable, parties: Collection[str] | None) -> dict[str, Responsable]:
    table = root.table(RESPONSABLES_KEY, required=False)
    if table is None:
        return {}
    out: dict[str, Responsable] = {}
    for party in table.data:
        if not _named(table, party, ("partie", "party")):
            table.seen.add(str(party))
            continue
        if parties is not None and party not in parties:
            table.seen.add(party)
            known = ", ".join(sorted(parties))
            table.source.add(table.error(party, f"partie inconnue du recueil de règles "
                                         f"(parties : {known})", f"a party the rule book "
                                         f"does not declare (parties: {known})"))
            continue
        person = collecting(table.source, lambda party=party: _responsable(  # type: ignore[misc]
            table, party))
        if person is not None:
            out[party] = person
    return out


def _responsable(table: TomlTable, party: str) -> Responsable | None:
    sub = table.table(party)
    assert sub is not None
    name = collecting(sub.source, lambda: sub.text("nom"))
    email = collecting(sub.source, lambda: sub.text("courriel"))
    if isinstance(email, str) and not _EMAIL.fullmatch(email.strip()):
        sub.source.add(sub.error("courriel", f"une adresse courriel (nom@domaine.ca) attendue, "
                                 f"reçu {quoted(email)}", "an e-mail address "
                                 f"(name@domain.org) expected, got {quoted(email)}"))
        email = None
    sub.seen.update(_RESPONSABLE_KEYS)
    sub.done()
    if not isinstance(name, str) or not isinstance(email, str):
        return None
    return Responsable(unicodedata.normalize("NFC", name.strip()), email.strip())


def read_agreement_file(path: str) -> TomlSource:
    """An agreement file, read and parsed (errors name the file and line: an
    :class:`AgreementFileErrors` with its one problem, when it cannot be read or parsed)."""
    try:
        return TomlSource.read(Path(path), path)
    except AgreementFileErrors:
        raise
    except RuleFileError as exc:
        raise AgreementFileErrors((exc,)) from None


__all__ = ["AGREEMENT_KEYS", "POLICY_KEYS", "RESPONSABLES_KEY", "AgreementFileErrors",
           "Responsable", "agreement_arguments", "read_agreement_file", "responsables_of"]
