"""Reading the vocabulary file (``evenements.toml``) into a :class:`Vocabulary`: the
agreement's parties, its vague standards, the first day of its fiscal year, then the event
types, each key checked through :class:`TomlTable` and every problem recorded on the source."""

from __future__ import annotations

import re

from entente_regles.calendar.legal import MonthDay
from entente_regles.core.values import Text
from entente_regles.rules.toml_tables import TomlSource, TomlTable, collecting
from entente_regles.rules.vocabulary import (
    FIELD_KINDS,
    MAX_FIELD_INTEGER,
    PARTY_ROLES,
    RESERVED_KEYS,
    EventType,
    FieldSpec,
    Party,
    VagueStandard,
    Vocabulary,
)

PARTIES_KEY = "parties"
STANDARDS_KEY = "normes_vagues"
FISCAL_YEAR_KEY = "exercice_financier"
VOCABULARY_KEYS = (PARTIES_KEY, STANDARDS_KEY, FISCAL_YEAR_KEY, "evenement")
_ID = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)
_ID_WORDS = ("un identifiant en minuscules ASCII (lettres, chiffres, _)",
             "a lower-case ASCII identifier (letters, digits, _)")


def read_vocabulary(source: TomlSource) -> Vocabulary:
    """The vocabulary file's declarations; every problem is recorded on ``source`` (the
    returned vocabulary is meaningful only when there is none)."""
    root = source.root()
    parties = collecting(source, lambda: read_parties(root)) or ()
    standards = collecting(source, lambda: read_standards(root)) or {}
    fiscal = collecting(source, lambda: read_fiscal_year(root))
    vocabulary = Vocabulary({}, parties, standards,
                            fiscal if fiscal is not None else MonthDay(1, 1))
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
    return Vocabulary(types, parties, standards, vocabulary.fiscal_year_start)


def _identifier(table: TomlTable, name: object) -> str:
    if not isinstance(name, str) or not _ID.fullmatch(name):
        raise table.error(str(name), f"{_ID_WORDS[0]} attendu, reçu {name!r}",
                          f"expected {_ID_WORDS[1]}, got {name!r}")
    return name


def read_parties(root: TomlTable) -> tuple[Party, ...]:
    """``[parties.<id>]`` with ``nom = { fr, en }``: exactly two, in the file's order."""
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
        parties.append(Party(ident, spec.localized("nom") or Text("", "")))
        spec.done()
    if len(parties) != 2:
        raise root.error(PARTIES_KEY, f"exactement deux parties attendues (l'entente lie deux "
                         f"parties), reçu {len(parties)}", "exactly two parties expected (the "
                         f"agreement binds two parties), got {len(parties)}")
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
