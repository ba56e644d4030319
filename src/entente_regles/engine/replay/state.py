"""What every step of the replay reads and none of them changes: the compiled rules and the
backend session in use, and who a rule's party is."""

from __future__ import annotations

from entente_regles.core.values import EITHER_PARTY
from entente_regles.engine.compiled import OTHER_PARTY, CompiledRules, Norm
from entente_regles.engine.matching import Session


class InUse:
    """The compiled rules in use (replaced by ``loop`` when a feed brings amendments, then
    read with their dated parameters) and the backend session (replaced by ``loop.Replay``
    at each step: set before the first one)."""

    session: Session

    def __init__(self, compiled: CompiledRules) -> None:
        self.compiled = compiled


def party_of(role: str, actor: str | None, compiled: CompiledRules) -> str | None:
    """The party a rule's ``debiteur``/``creancier`` names, given the event's author (or the
    debtor of the expired instance, for a consequence): a party's id, « auteur » or « autre »
    (the other party, only in a rule book of two parties: checked at load); None for
    « parties » (any of them) or when nobody acted."""
    if role in compiled.party_set:
        return role
    if role == EITHER_PARTY or actor is None:
        return None
    return actor if role == "auteur" else compiled.other_party.get(actor)


def parties_of(norm: Norm, actor: str | None, compiled: CompiledRules
               ) -> tuple[tuple[str | None, str | None], ...]:
    """The (debtor, creditor) of each instance ``norm`` gives rise to: one, or one per party
    for an obligation or faculty of each party (``chaque_partie``, or an entry into force
    ``pour_chaque_partie``), its creditor then « autre » (the other party), the author, a
    named party, or « parties »: between two parties the other one, else None (any other)."""
    if not norm.trigger.per_party:
        return ((party_of(norm.debtor, actor, compiled),
                 party_of(norm.creditor, actor, compiled)),)
    others = compiled.other_party
    pairs: list[tuple[str | None, str | None]] = []
    for party in compiled.parties:
        if norm.creditor in (EITHER_PARTY, OTHER_PARTY):
            creditor = others.get(party)
        else:
            creditor = party_of(norm.creditor, actor, compiled)
        pairs.append((party, creditor))
    return tuple(pairs)
