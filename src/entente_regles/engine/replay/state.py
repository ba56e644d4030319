"""What every step of the replay reads and none of them changes: the compiled rules and the
backend session in use, and who a rule's party is."""

from __future__ import annotations

from collections.abc import Mapping

from entente_regles.core.values import EITHER_PARTY
from entente_regles.engine.compiled import CompiledRules
from entente_regles.engine.matching import Session


class InUse:
    """The compiled rules in use (replaced by ``loop`` when a feed brings amendments, then
    read with their dated parameters) and the backend session (replaced by ``loop.Replay``
    at each step: set before the first one)."""

    session: Session

    def __init__(self, compiled: CompiledRules) -> None:
        self.compiled = compiled


def party_of(role: str, actor: str | None, others: Mapping[str, str]) -> str | None:
    """The party a rule's ``debiteur``/``creancier`` names, given the event's author;
    ``others``: each party to the other (``CompiledRules.other_party``)."""
    if role in others:
        return role
    if role == EITHER_PARTY or actor is None:
        return None
    return actor if role == "auteur" else others[actor]
