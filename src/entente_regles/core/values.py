"""Values shared by every layer: languages, statuses, short bilingual texts, and the rule-file
keyword for "either party". The agreement's own facts (its parties, its vague standards, the
first day of its fiscal year) are the rule book's: see ``rules.vocabulary``."""

from __future__ import annotations

import enum
from typing import Literal

import attrs

Lang = Literal["fr", "en"]
EITHER_PARTY = "parties"  # a rule-file keyword: owed by, to or held by either party
ParameterValue = int | str | bool


class Status(enum.Enum):
    """Status of an obligation instance at a date; the value is the code used in files."""

    DUE = "a_echoir"
    LATE = "en_retard"
    SATISFIED = "satisfaite"
    SATISFIED_LATE = "satisfaite_en_retard"
    DISCHARGED = "eteinte"
    IN_FORCE = "en_vigueur"
    BREACHED = "violee"
    SUSPENDED = "suspendue"  # its deadline stopped by a suspension (decision 69)

    @property
    def terminal(self) -> bool:
        """True for statuses that never change afterwards."""
        return self in _TERMINAL

    @property
    def owed(self) -> bool:
        """True for ``DUE``, ``LATE`` and ``SUSPENDED``: the instance is still owed."""
        return self in _OWED

    def label(self, lang: Lang = "fr") -> str:
        """The status in words, in French or English."""
        return _STATUS_LABELS[self][0 if lang == "fr" else 1]


class OptionStatus(enum.Enum):
    """Status of a faculty (a right with a window) at a date; the value is the file code."""

    OPEN = "ouverte"
    EXERCISED = "exercee"
    EXPIRED = "expiree"

    def label(self, lang: Lang = "fr") -> str:
        """The status in words, in French or English."""
        return {"ouverte": ("ouverte", "open"), "exercee": ("exercée", "exercised"),
                "expiree": ("expirée", "expired")}[self.value][0 if lang == "fr" else 1]


# The members as module constants, for the hot paths of the replay and the queries: on
# Python 3.11 reading a member off its Enum class is a descriptor call (about 70 ns, several
# per event: 3-5 % of a replay); on 3.13 it costs nearly nothing. Read them this way in src/.
DUE, LATE, SATISFIED = Status.DUE, Status.LATE, Status.SATISFIED
SATISFIED_LATE = Status.SATISFIED_LATE
DISCHARGED, IN_FORCE, BREACHED = Status.DISCHARGED, Status.IN_FORCE, Status.BREACHED
SUSPENDED = Status.SUSPENDED
OPEN, EXERCISED, EXPIRED = OptionStatus.OPEN, OptionStatus.EXERCISED, OptionStatus.EXPIRED

_TERMINAL = frozenset({Status.SATISFIED, Status.SATISFIED_LATE, Status.DISCHARGED, Status.BREACHED})
_OWED = frozenset({Status.DUE, Status.LATE, Status.SUSPENDED})
_STATUS_LABELS = {
    Status.DUE: ("à échoir", "due"),
    Status.LATE: ("en retard", "late"),
    Status.SATISFIED: ("satisfaite", "satisfied"),
    Status.SATISFIED_LATE: ("satisfaite en retard", "satisfied late"),
    Status.DISCHARGED: ("éteinte", "discharged"),
    Status.IN_FORCE: ("en vigueur", "in force"),
    Status.BREACHED: ("violée", "breached"),
    Status.SUSPENDED: ("suspendue", "suspended"),
}


@attrs.frozen
class Text:
    """A short text in French and English."""

    fr: str
    en: str

    def __call__(self, lang: Lang = "fr") -> str:
        return self.fr if lang == "fr" else self.en
