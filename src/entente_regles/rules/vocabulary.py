"""The event vocabulary: which event types exist, who may act, which fields they carry; and
the agreement's own words the rule files use: its parties, its vague standards, the first day
of its fiscal year.

It is declared in a rule file (``regles/evenements.toml``) and checked at both edges: rule
files may only name declared types, fields, parties and standards, and every event read is
validated against it. Nothing here names a party or a standard of one agreement.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Literal

import attrs

from entente_regles.calendar.days import DayCalendar
from entente_regles.calendar.legal import MonthDay as MonthDay
from entente_regles.core.values import Lang, Text
from entente_regles.rules.money import DEFAULT as DEFAULT_MONEY
from entente_regles.rules.money import Rounding

FieldKind = Literal["texte", "montant", "date", "booleen", "periode", "exercice", "parties",
                    "entier", "parametres"]
FIELD_KINDS: tuple[FieldKind, ...] = (
    "texte", "montant", "date", "booleen", "periode", "exercice", "parties", "entier",
    "parametres",
)
MAX_FIELD_INTEGER = 3660  # a delay in days: ten years is beyond any delay of the agreement
FIELD_KIND_HELP: Mapping[str, tuple[str, str]] = {
    "texte": ("un texte non vide", "a non-empty string"),
    "montant": ("un montant décimal positif en chaîne, p. ex. \"12500.00\"",
                "a positive decimal amount as a string, e.g. \"12500.00\""),
    "date": ("une date AAAA-MM-JJ", "a date YYYY-MM-DD"),
    "booleen": ("true ou false", "true or false"),
    "periode": ("un mois AAAA-MM", "a month YYYY-MM"),
    "exercice": ("un exercice AAAA-AAAA", "a fiscal year YYYY-YYYY"),  # + its days: kind_help
    "parties": ("une liste de parties", "a list of parties"),  # + which: kind_help
    "entier": (f"un entier de 1 à {MAX_FIELD_INTEGER}, p. ex. 10",
               f"an integer from 1 to {MAX_FIELD_INTEGER}, e.g. 10"),
    "parametres": ("une table non vide nom de paramètre → valeur (entier, texte ou booléen), "
                   "p. ex. {\"delai_paiement_jours\": 45}",
                   "a non-empty table parameter name → value (integer, string or boolean), "
                   "e.g. {\"delai_paiement_jours\": 45}"),
}
RESERVED_KEYS = ("type", "date", "par", "recu_le", "enregistre_le")
EACH_PARTY = "chaque_partie"
"""A rule-file keyword: owed by (or held by) each party, one instance per party."""
OTHER_PARTY = "autre"
"""A rule-file keyword: the other party (than the event's author, or than the debtor of an
instance owed by each party); only in a rule book of exactly two parties."""
# Words of the rule files that stand for a party, never a party's id.
PARTY_ROLES = ("parties", EACH_PARTY, "auteur", OTHER_PARTY, "debiteur", "creancier")


@attrs.frozen
class FieldSpec:
    name: str
    kind: FieldKind
    optional: bool = False
    choices: tuple[str | int, ...] = ()  # allowed values of a texte or entier field; empty: any
    parties: tuple[str, ...] = ()  # a parties field: the rule book's parties
    help: tuple[str, str] = attrs.field(  # what a value is, in French and English
        default=attrs.Factory(lambda self: FIELD_KIND_HELP[self.kind], takes_self=True))


@attrs.frozen
class EventType:
    name: str
    label: Text
    fields: Mapping[str, FieldSpec]
    articles: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()  # who may act: some of the rule book's parties
    description: Text | None = None


@attrs.frozen
class Party:
    """One party to the agreement: its id in rule files and logs (``par``), its name
    (``nom``), its short label for tables (``abrege``; None: the id) and its role in the
    agreement (``role``, optional), each in the rule book's languages."""

    id: str
    name: Text
    short: Text | None = None
    role: Text | None = None

    def label(self, lang: Lang = "fr") -> str:
        """What a table shows for this party: its short label, else its id."""
        return self.short(lang) if self.short is not None else self.id


@attrs.frozen
class VagueStandard:
    """A vague standard (a delay in words, not in days): its id in rule files and policies,
    its wording; ``in_text``: False for the standard that is the text's silence (never looked
    for in the agreement's text)."""

    id: str
    wording: Text
    in_text: bool = True


@attrs.frozen
class AgreementFacts:
    """What ``[entente]`` declares: the agreement's languages (the first is the default), the
    Babel locale each is formatted in, its currency (ISO 4217; None: amounts are plain
    numbers), the file holding its text, relative to the rule directory (None: the text
    is what the rule files quote), and its title (None: reports use a generic one)."""

    languages: tuple[Lang, ...] = ("fr", "en")
    locales: Mapping[str, str] = attrs.field(factory=dict)
    currency: str | None = None
    text_file: str | None = None
    title: Text | None = None  # ``titre``: what reports and calendars call the agreement

    def locale(self, lang: Lang) -> str:
        """The Babel locale amounts and numbers are written in, in ``lang``."""
        return self.locales.get(lang, lang)


MonthRounding = Literal["end_of_month", "next_day"]
MONTH_ROUNDINGS: Mapping[str, MonthRounding] = {"fin_de_mois": "end_of_month",
                                                "lendemain": "next_day"}
"""``quantieme_absent`` in ``[terme]``: the day a count of months lands on when the month
has no day of the start's number (31 January + 1 month): see :class:`Term`."""


@attrs.frozen
class Term:
    """An agreement's term, as ``[terme]`` declares it (the agreement file may override each
    key): it starts on ``start`` (None: the entry into force), lasts ``months``, then renews
    automatically for ``renewal_months`` at a time, ``renewals`` times (None: without limit;
    0: never), unless a notice exercising the power ``notice_power`` is received at least
    ``notice_days`` days before the end of the current term (counted backward with the
    calendar's ``before_mode``: decision 64); ``notice_strict``: « before » the date that
    many days before the end, so one day more.

    Every term's end is counted from ``start`` (never chained): the first day after term k is
    ``start`` + (``months`` + k × ``renewal_months``) months; when that month has no such day
    (31 January + 1 month), ``month_rounding`` says which day (decision 63): the month's last
    day (``end_of_month``) or the first day of the next month (``next_day``)."""

    article: str
    months: int
    renewal_months: int
    renewals: int | None
    month_rounding: MonthRounding
    notice_days: int | None = None
    notice_power: str | None = None
    start: date | None = None
    # « before the date N days before the end »: received at the latest the day before that
    # date (one day more than ``notice_days``)
    notice_strict: bool = False
    source: Text | None = None  # the rule book's sources for its choices (shown by explain)
    # a term renewed only by an act (``renouvellement_sur_avis``, decision 74): the event
    # type that renews the current term, received at least ``renewal_days`` days before the
    # first day after it (0: by its last day); None: renewals are automatic
    renewal_event: str | None = None
    renewal_days: int = 0


@attrs.frozen
class PerformanceEnd:
    """``[fin_par_execution]``: the agreement ends, by performance, once every instance of
    each of ``obligations`` has been performed (each having arisen at least once); its first
    day without the agreement is the day after the last performance (decision 65). With
    ``every`` (``toutes = true``, no list): once a performance leaves no obligation instance of
    the agreement open (decision 74)."""

    article: str
    obligations: tuple[str, ...]
    every: bool = False


@attrs.frozen
class Vocabulary:
    """The event types, and the agreement's parties (two or more, in the rule book's order),
    vague standards and fiscal year, as the rule book declares them."""

    types: Mapping[str, EventType]
    parties: tuple[Party, ...]
    standards: Mapping[str, VagueStandard]
    fiscal_year_start: MonthDay
    agreement: AgreementFacts = attrs.field(factory=lambda: AgreementFacts())
    calendar: DayCalendar | None = None  # [calendrier]; None: not declared (RuleBook.calendar)
    term: Term | None = None  # [terme]; None: no term (the agreement lasts until ended)
    performance_end: PerformanceEnd | None = None  # [fin_par_execution]
    money: Rounding = DEFAULT_MONEY  # [argent]: the rounding rule of computed amounts

    def __contains__(self, name: object) -> bool:
        return name in self.types

    def get(self, name: str) -> EventType | None:
        return self.types.get(name)

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties' ids, in the rule book's order."""
        return tuple(p.id for p in self.parties)

    @property
    def two_parties(self) -> bool:
        """Does the agreement bind exactly two parties (the only case where « autre », the
        other party, names one)?"""
        return len(self.parties) == 2

    def party(self, party_id: str) -> Party | None:
        """The party with id ``party_id`` (None: not a party of this rule book)."""
        for party in self.parties:
            if party.id == party_id:
                return party
        return None

    def party_label(self, party_id: str, lang: Lang = "fr") -> str:
        """What a table or an output shows for a party: its short label (``abrege``) in
        ``lang``, else its id; anything that is not a party's id (« parties »…) unchanged."""
        party = self.party(party_id)
        return party.label(lang) if party is not None else party_id

    def party_name(self, party_id: str, lang: Lang = "fr") -> str:
        """A party's name (``nom``) in ``lang``; anything that is not a party's id
        unchanged."""
        party = self.party(party_id)
        return party.name(lang) if party is not None else party_id

    def other_party(self, party: str) -> str:
        """The party that is not ``party``: only in a rule book of exactly two parties
        (ValueError otherwise, or when ``party`` is not one of them)."""
        ids = self.party_ids
        if len(ids) != 2 or party not in ids:
            raise ValueError(f"« l'autre partie » que {party!r} n'existe qu'entre deux parties "
                             f"({', '.join(ids)}) / 'the other party' than {party!r} exists only "
                             f"between two parties ({', '.join(ids)})")
        first, second = ids
        return second if party == first else first

    def kind_help(self, kind: str) -> tuple[str, str]:
        """What a value of a field kind is, in French and English, with this rule book's
        parties and fiscal year where the kind needs them."""
        fr, en = FIELD_KIND_HELP[kind]
        if kind == "parties":
            ids = self.party_ids
            return (f"{fr} parmi {_listed(ids, 'et')}", f"{en} among {_listed(ids, 'and')}")
        if kind == "exercice":
            days_fr, days_en = self.fiscal_year_start.words()
            return f"{fr} ({days_fr})", f"{en} ({days_en})"
        return fr, en

    def date_fields(self) -> dict[str, tuple[str, ...]]:
        """Per event type, the names of its ``date`` fields (empty for most types)."""
        return {name: tuple(f.name for f in spec.fields.values() if f.kind == "date")
                for name, spec in self.types.items()}


def _listed(words: tuple[str, ...], conjunction: str) -> str:
    """« a, b et c »: the words in a sentence."""
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}" if len(words) > 1 \
        else "".join(words)
