"""Norms arising when the agreement's term renews (``declencheur = { renouvellement_terme =
true }``, decision 76): on the first day of each renewed term, one instance (per debtor, as
for the agreement's end), keyed by that day.

The first day of term k (k >= 1) is scheduled when term k - 1 begins, one at a time: the
term renews if, when that day begins, the agreement has not ended by it. What ends it (a
timely notice of non-renewal, a renewal by an act that did not come, the last renewal
allowed, a termination) is known by then from events dated earlier only: no look-ahead. A
late notice of non-renewal lets the term renew (decision 65): the instance arises."""

from __future__ import annotations

from datetime import date

from entente_regles.engine.compiled import SIGNAL_RENEWAL
from entente_regles.engine.matching import Fact
from entente_regles.engine.replay.instances import Instances
from entente_regles.engine.replay.items import Agenda, TermRenewal
from entente_regles.engine.replay.standing import Standing
from entente_regles.engine.replay.state import InUse, parties_of
from entente_regles.engine.replay.terms import TermPlan
from entente_regles.words.replay import text


class Renewals:
    """The renewals of ``term`` that give rise to norms (nothing to do without such norms)."""

    def __init__(self, in_use: InUse, term: TermPlan | None, standing: Standing,
                 agenda: Agenda, instances: Instances) -> None:
        self._in_use = in_use
        self._term = term
        self._standing = standing
        self._agenda = agenda
        self._instances = instances

    def schedule(self, k: int) -> None:
        """Schedule the first day of term ``k``, if there may be one."""
        plan = self._term
        if plan is None or not self._in_use.compiled.renewal_norms:
            return
        if plan.last is not None and k > plan.last:
            return  # no renewal left
        try:
            on = plan.start_of(k)
        except OverflowError:  # BeyondCalendar: never, for the replay
            return
        self._agenda.schedule(on, TermRenewal(k))

    def on_renewal(self, on: date, k: int) -> None:
        """Term ``k`` would begin on ``on``: if the agreement is still in force, it has
        renewed and the norms arising then arise; the next renewal is scheduled."""
        plan = self._term
        end = self._standing.end
        if plan is None or (end is not None and end <= on):
            return  # ended by then: no renewal, now or later
        compiled = self._in_use.compiled
        key = on.isoformat()
        origin = text("renewal_origin", on=on, number=k + 1, article=plan.term.article)
        fact = Fact(self._agenda.next_seq(), "signal", SIGNAL_RENEWAL)
        for match in self._in_use.session.match(fact):
            norm = compiled.norm(compiled.handlers[match.rule_id].target)
            for debtor, creditor in parties_of(norm, None, compiled):
                if self._instances.create(norm, on, key, None, debtor, creditor,
                                          origin) is None:
                    break
        self.schedule(k + 1)


__all__ = ["Renewals"]
