"""What the checker reports: a :class:`Finding` (file, key path, line, message, code), the
codes it may carry, and :class:`Findings`, the list the check functions add to."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from entente_regles.core.values import Lang, Text

CODES: Mapping[str, Text] = {
    "chargement": Text("le chargeur strict refuse le fichier",
                       "the strict loader rejects the file"),
    "evenement_inconnu": Text("type d'événement non déclaré", "undeclared event type"),
    "evenement_inutilise": Text("type d'événement déclaré mais inutilisé",
                                "declared event type used by no rule"),
    "execution_impossible": Text("obligation qu'aucun événement ne peut exécuter (ou violer)",
                                 "obligation no event can perform (or breach)"),
    "declencheur_impossible": Text("déclencheur ou acte qui ne peut jamais s'appliquer",
                                   "trigger or act that can never apply"),
    "montant_incoherent": Text("montant suivi d'un seul côté", "amount tracked on one side only"),
    "identifiant_double": Text("identifiant revendiqué deux fois", "id claimed twice"),
    "article_inconnu": Text("article absent du texte de l'entente",
                            "article not in the agreement's text"),
    "delai_avant_declencheur": Text("échéance qui peut précéder le déclencheur",
                                    "deadline that can fall before its trigger"),
    "parametre_invalide": Text("paramètre inutilisable là où il sert",
                               "parameter unusable where it is used"),
    "renvoi_annexe": Text("renvoi aux annexes incohérent avec la clause (art. 2)",
                          "annex deferral inconsistent with the clause (art. 2)"),
    "citation_introuvable": Text("citation absente du texte de l'article",
                                 "quotation not in the article's text"),
    "delai_incoherent": Text("forme du délai contraire au texte de la clause",
                             "deadline form contrary to the clause's wording"),
    "statuts_non_couverts": Text("statut atteignable qu'aucun exemple n'affirme",
                                 "reachable status no example asserts"),
    "statut_inatteignable": Text("exemple affirmant un statut que la norme ne peut atteindre",
                                 "example asserting a status the norm cannot reach"),
    "reference_inconnue": Text("exemple nommant une obligation inconnue",
                               "example naming an unknown obligation"),
    "pouvoirs_concurrents": Text("deux pouvoirs peuvent répondre au même événement",
                                 "two powers can answer the same event"),
    "limites_durable": Text("règles au-delà de ce que le moteur durable_rules peut tenir",
                            "rules beyond what the durable_rules engine can hold"),
}


@attrs.frozen
class Finding:
    """One problem of a rule directory: where (file, key path, line), what, and its code."""

    file: str
    key: str
    message_fr: str
    message_en: str
    code: str
    line: int | None = attrs.field(default=None, eq=False)

    def describe(self, lang: Lang = "fr") -> str:
        if lang == "fr":
            where = self.file + (f", ligne {self.line}" if self.line is not None else "")
            where += f", clé {self.key}" if self.key else ""
            return f"{where} : {self.message_fr} [{self.code}]"
        where = self.file + (f":{self.line}" if self.line is not None else "")
        where += f" [{self.key}]" if self.key else ""
        return f"{where}: {self.message_en} [{self.code}]"


class Findings:
    """The findings of one run, without repeats, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self._seen: set[Finding] = set()
        self.places: set[tuple[str, str]] = set()

    def add(self, file: str, key: str, code: str, fr: str, en: str,
            line: int | None = None) -> None:
        finding = Finding(file, key, fr, en, code, line)
        if finding not in self._seen:
            self._seen.add(finding)
            self.items.append(finding)
            self.places.add((file, key))


def q(value: object) -> str:
    """A value quoted in French (cut short past 80 characters)."""
    return f"« {_short(value)} »"


def qe(value: object) -> str:
    """A value quoted in English (cut short past 80 characters)."""
    return f"'{_short(value)}'"


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"
