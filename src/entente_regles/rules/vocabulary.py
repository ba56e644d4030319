"""The event vocabulary: which event types exist, who may act, which fields they carry.

It is declared in a rule file (``regles/evenements.toml``) and checked at both edges: rule
files may only name declared types and fields, and every event read is validated against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from entente_regles.core.values import PARTIES, Text

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
    "exercice": ("un exercice AAAA-AAAA (1er avril au 31 mars)",
                 "a fiscal year YYYY-YYYY (1 April to 31 March)"),
    "parties": ("une liste de parties parmi mcn et client",
                "a list of parties among mcn and client"),
    "entier": (f"un entier de 1 à {MAX_FIELD_INTEGER}, p. ex. 10",
               f"an integer from 1 to {MAX_FIELD_INTEGER}, e.g. 10"),
    "parametres": ("une table non vide nom de paramètre → valeur (entier, texte ou booléen), "
                   "p. ex. {\"delai_paiement_jours\": 45}",
                   "a non-empty table parameter name → value (integer, string or boolean), "
                   "e.g. {\"delai_paiement_jours\": 45}"),
}
RESERVED_KEYS = ("type", "date", "par", "recu_le", "enregistre_le")


@attrs.frozen
class FieldSpec:
    name: str
    kind: FieldKind
    optional: bool = False
    choices: tuple[str | int, ...] = ()  # allowed values of a texte or entier field; empty: any


@attrs.frozen
class EventType:
    name: str
    label: Text
    fields: Mapping[str, FieldSpec]
    articles: tuple[str, ...] = ()
    parties: tuple[str, ...] = PARTIES
    description: Text | None = None


@attrs.frozen
class Vocabulary:
    types: Mapping[str, EventType]

    def __contains__(self, name: object) -> bool:
        return name in self.types

    def get(self, name: str) -> EventType | None:
        return self.types.get(name)

    def date_fields(self) -> dict[str, tuple[str, ...]]:
        """Per event type, the names of its ``date`` fields (empty for most types)."""
        return {name: tuple(f.name for f in spec.fields.values() if f.kind == "date")
                for name, spec in self.types.items()}
