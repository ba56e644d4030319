"""Reading the vocabulary file (``evenements.toml``) into a :class:`Vocabulary`: the
agreement's parties, its vague standards, the first day of its fiscal year, then the event
types, each key checked through :class:`TomlTable` and every problem recorded on the source."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from babel import Locale, UnknownLocaleError
from babel.numbers import is_currency

from entente_regles.calendar.legal import MonthDay
from entente_regles.core.values import Lang, Text
from entente_regles.rules.calendar_reader import CALENDAR_KEY, CalendarContext, read_calendar_table
from entente_regles.rules.money import DEFAULT as DEFAULT_MONEY
from entente_regles.rules.money import (
    DEFAULT_DECIMALS,
    DEFAULT_ROUNDING,
    MAX_DECIMALS,
    ROUNDINGS,
    Rounding,
)
from entente_regles.rules.term_reader import (
    PERFORMANCE_KEY,
    TERM_KEY,
    read_performance_end,
    read_term,
)
from entente_regles.rules.toml_tables import ENGINE_LANGUAGES, TomlSource, TomlTable, collecting
from entente_regles.rules.vocabulary import (
    FIELD_KINDS,
    MAX_FIELD_INTEGER,
    PARTY_ROLES,
    RESERVED_KEYS,
    AgreementFacts,
    EventType,
    FieldSpec,
    Party,
    VagueStandard,
    Vocabulary,
)

PARTIES_KEY = "parties"
STANDARDS_KEY = "normes_vagues"
FISCAL_YEAR_KEY = "exercice_financier"
AGREEMENT_KEY = "entente"
MONEY_KEY = "argent"
VOCABULARY_KEYS = (AGREEMENT_KEY, CALENDAR_KEY, PARTIES_KEY, STANDARDS_KEY, FISCAL_YEAR_KEY,
                   TERM_KEY, PERFORMANCE_KEY, MONEY_KEY, "evenement")
LANGUAGES: tuple[Lang, ...] = ENGINE_LANGUAGES  # the languages the engine's own sentences speak
_ID = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)
_ID_WORDS = ("un identifiant en minuscules ASCII (lettres, chiffres, _)",
             "a lower-case ASCII identifier (letters, digits, _)")


def read_vocabulary(source: TomlSource, directory: Path | None = None) -> Vocabulary:
    """The vocabulary file's declarations; every problem is recorded on ``source`` (the
    returned vocabulary is meaningful only when there is none)."""
    root = source.root()
    facts = collecting(source, lambda: read_agreement_facts(root)) or AgreementFacts()
    source.languages = facts.languages  # every text of the rule book is in its languages
    parties = collecting(source, lambda: read_parties(root)) or ()
    standards = collecting(source, lambda: read_standards(root)) or {}
    fiscal = collecting(source, lambda: read_fiscal_year(root))
    where = directory if directory is not None else Path(source.name).parent
    calendar = collecting(source, lambda: read_calendar_table(root, CalendarContext(
        facts.languages, facts.locales, where)))
    term = collecting(source, lambda: read_term(root))
    performance = collecting(source, lambda: read_performance_end(root))
    money = collecting(source, lambda: read_money(root))
    vocabulary = Vocabulary({}, parties, standards,
                            fiscal if fiscal is not None else MonthDay(1, 1), facts)
    types: dict[str, EventType] = {}
    events = collecting(source, lambda: root.table("evenement"))
    for name in sorted(events.data if events is not None else ()):
        assert events is not None
        events.seen.add(name)
        built = collecting(source, lambda name=name: _event_type(  # type: ignore[misc]
            events, name, vocabulary))
        if built is not None:
            types[name] = built
    root.done()
    return Vocabulary(types, parties, standards, vocabulary.fiscal_year_start, facts,
                      calendar=calendar, term=term, performance_end=performance,
                      money=money if money is not None else DEFAULT_MONEY)


def read_money(root: TomlTable) -> Rounding:
    """``[argent] arrondi = "demi_superieur" | "demi_pair" | "inferieur" | "superieur"``,
    ``decimales = N`` (the currency's minor unit): how every computed amount and interest
    figure is rounded (decision 66). Absent: half-up to the cent."""
    table = root.table(MONEY_KEY, required=False)
    if table is None:
        return DEFAULT_MONEY
    mode = table.choice("arrondi", tuple(ROUNDINGS), required=False, default=DEFAULT_ROUNDING)
    decimals = table.get("decimales", (int,), ("un entier de 0 à 6", "an integer from 0 to 6"),
                         False, DEFAULT_DECIMALS)
    if isinstance(decimals, bool) or not 0 <= decimals <= MAX_DECIMALS:
        raise table.error("decimales", f"un entier de 0 à {MAX_DECIMALS} attendu, reçu "
                          f"{decimals!r}", f"an integer from 0 to {MAX_DECIMALS} expected, got "
                          f"{decimals!r}")
    table.done()
    return Rounding(mode, decimals)


def _identifier(table: TomlTable, name: object) -> str:
    if not isinstance(name, str) or not _ID.fullmatch(name):
        raise table.error(str(name), f"{_ID_WORDS[0]} attendu, reçu {name!r}",
                          f"expected {_ID_WORDS[1]}, got {name!r}")
    return name


def read_agreement_facts(root: TomlTable) -> AgreementFacts:
    """``[entente]``: ``langues`` (a non-empty list among fr, en; the first is the default),
    ``locales`` (language -> Babel locale, e.g. ``en = "en_GB"``), ``monnaie`` (an ISO 4217
    code), ``texte`` (the file of the agreement's text, relative to the rule directory) and
    ``titre`` (the agreement's name in each declared language, for reports);
    each optional. Absent: French and English, locales ``fr``/``en``, no currency."""
    table = root.table(AGREEMENT_KEY, required=False)
    if table is None:
        return AgreementFacts()
    among = ", ".join(LANGUAGES)
    written = table.get("langues", (list,), ("une liste", "a list"), False, list(LANGUAGES))
    if (not written or len(set(written)) != len(written)
            or any(lang not in LANGUAGES for lang in written)):
        raise table.error("langues", f"une liste non vide, sans doublon, parmi {among}",
                          f"a non-empty list without duplicates, among {among}")
    languages = tuple(cast(Lang, lang) for lang in written)
    locales: dict[str, str] = {}
    locale_table = table.table("locales", required=False)
    if locale_table is not None:
        for lang in list(locale_table.data):
            if lang not in languages:
                raise locale_table.error(lang, f"une langue déclarée dans langues ({among})",
                                         f"a language declared in langues ({among})")
            name = locale_table.text(lang)
            try:
                parsed = Locale.parse(name)
            except (ValueError, TypeError, UnknownLocaleError):
                raise locale_table.error(lang, f"une locale connue de Babel (p. ex. \"fr_CA\", "
                                         f"\"en_GB\"), reçu {name!r}", f"a locale Babel knows "
                                         f"(e.g. \"fr_CA\", \"en_GB\"), got {name!r}") from None
            if parsed.language != lang:
                raise locale_table.error(lang, f"une locale de la langue {lang}, reçu {name!r}",
                                         f"a locale of the language {lang}, got {name!r}")
            locales[lang] = str(parsed)
        locale_table.done()
    currency = None
    if "monnaie" in table.data:
        currency = table.text("monnaie")
        if not (len(currency) == 3 and currency.isascii() and currency.isupper()
                and is_currency(currency)):
            raise table.error("monnaie", f"un code de monnaie ISO 4217 (p. ex. \"EUR\", "
                              f"\"JPY\", \"CHF\"), reçu {currency!r}", f"an ISO 4217 "
                              f"currency code (e.g. \"EUR\", \"JPY\", \"CHF\"), got {currency!r}")
    text_file = table.text("texte") if "texte" in table.data else None
    table.source.languages = languages  # the title is written in the declared languages
    title = table.localized("titre", required=False)
    table.done()
    return AgreementFacts(languages, locales, currency, text_file, title)


def read_parties(root: TomlTable) -> tuple[Party, ...]:
    """``[parties.<id>]`` with ``nom`` (its name), optionally ``abrege`` (the short label
    tables show; by default the id) and ``role`` (its role in the agreement), each in the
    rule book's languages: two or more, in the file's order."""
    table = root.table(PARTIES_KEY)
    assert table is not None
    parties: list[Party] = []
    for name in table.data:
        table.seen.add(name)
        ident = _identifier(table, name)
        if ident in PARTY_ROLES:
            raise table.error(ident, f"nom réservé aux règles ({', '.join(PARTY_ROLES)})",
                              f"name reserved by the rule files ({', '.join(PARTY_ROLES)})")
        spec = table.table(ident)
        assert spec is not None
        parties.append(Party(ident, spec.localized("nom") or Text("", ""),
                             spec.localized("abrege", required=False),
                             spec.localized("role", required=False)))
        spec.done()
    if len(parties) < 2:
        raise root.error(PARTIES_KEY, f"au moins deux parties attendues (une entente lie "
                         f"deux parties ou plus), reçu {len(parties)}", f"at least two parties "
                         f"expected (an agreement binds two parties or more), got {len(parties)}")
    table.done()
    return tuple(parties)


def read_standards(root: TomlTable) -> dict[str, VagueStandard]:
    """``[normes_vagues.<id>]`` with ``libelle = { fr, en }`` and ``dans_le_texte``."""
    table = root.table(STANDARDS_KEY)
    assert table is not None
    standards: dict[str, VagueStandard] = {}
    for name in table.data:
        table.seen.add(name)
        ident = _identifier(table, name)
        spec = table.table(ident)
        assert spec is not None
        standards[ident] = VagueStandard(ident, spec.localized("libelle") or Text("", ""),
                                         spec.boolean("dans_le_texte", default=True))
        spec.done()
    if not standards:
        raise root.error(STANDARDS_KEY, "au moins une norme vague attendue",
                         "at least one vague standard expected")
    table.done()
    return standards


def read_fiscal_year(root: TomlTable) -> MonthDay:
    """``[exercice_financier] premier_jour = "MM-JJ"``."""
    table = root.table(FISCAL_YEAR_KEY)
    assert table is not None
    written = table.text("premier_jour")
    try:
        first = MonthDay.parse(written)
    except ValueError:
        raise table.error("premier_jour", f"un jour « MM-JJ » de chaque année attendu (p. ex. "
                          f"\"07-01\", le 1er juillet ; pas le 29 février), reçu {written!r}",
                          f"expected a day 'MM-DD' of every year (e.g. \"07-01\", 1 July; not "
                          f"29 February), got {written!r}") from None
    table.done()
    return first


def _event_type(events: TomlTable, name: str, vocabulary: Vocabulary) -> EventType:
    if name in RESERVED_KEYS:
        raise events.error(name, "nom réservé", "reserved name")
    spec = events.table(name)
    assert spec is not None
    fields: dict[str, FieldSpec] = {}
    champs = spec.table("champs", required=False)
    optional = spec.get("optionnels", (list,), ("une liste", "a list"), False, [])
    allowed = spec.table("valeurs", required=False)
    if champs is not None:
        for field_name, kind in champs.data.items():
            champs.seen.add(field_name)
            if field_name in RESERVED_KEYS:
                raise champs.error(field_name, "nom de champ réservé", "reserved field name")
            if kind not in FIELD_KINDS:
                raise champs.error(field_name, f"nature parmi {', '.join(FIELD_KINDS)}",
                                   f"kind among {', '.join(FIELD_KINDS)}")
            choices = _choices(allowed, field_name, kind)
            fields[field_name] = FieldSpec(
                field_name, kind, field_name in optional, choices,
                vocabulary.party_ids if kind == "parties" else (), vocabulary.kind_help(kind))
    if allowed is not None:
        allowed.done()
    for opt in optional:
        if opt not in fields:
            raise spec.error("optionnels", f"champ {opt!r} non déclaré",
                             f"field {opt!r} not declared")
    known = vocabulary.party_ids
    parties = spec.get("par", (list,), ("une liste", "a list"), False, list(known))
    if known and (not parties or any(p not in known for p in parties)):
        among = ", ".join(known)
        raise spec.error("par", f"liste parmi {among}", f"list among {among}")
    articles = spec.get("articles", (list,), ("une liste", "a list"), False, [])
    event_type = EventType(name, spec.localized("libelle") or Text("", ""), fields,
                           tuple(str(a) for a in articles), tuple(parties),
                           spec.localized("description", required=False))
    spec.done()
    return event_type


def _choices(allowed: TomlTable | None, field_name: str, kind: str) -> tuple[str | int, ...]:
    """The allowed values ``valeurs`` gives a texte or entier field (empty: any)."""
    if allowed is None or field_name not in allowed.data:
        return ()
    values = allowed.get(field_name, (list,), ("une liste de textes", "a list of strings"), True)
    texts = kind == "texte" and all(isinstance(v, str) and v.strip() for v in values)
    ints = kind == "entier" and all(
        isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_FIELD_INTEGER
        for v in values)
    if not values or not (texts or ints):
        raise allowed.error(field_name, "une liste non vide de textes (champ texte) ou "
                            "d'entiers (champ entier)", "a non-empty list of strings (texte "
                            "field) or integers (entier field)")
    return tuple(values)
