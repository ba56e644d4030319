"""An instance's money as it arises (decisions 67–68): its amount, read from a field of its
trigger event or computed from the event's fields and the rule book's parameters (rounded
once, by the rule book's rule), and its terms of interest on late payment (the rate as in
force on its birth). The arithmetic itself is ``rules.money``'s."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from entente_regles.core.event import Event
from entente_regles.engine.compiled import CompiledRules, Norm
from entente_regles.rules.money import Computation, InterestTerms, compute


def amount_of(norm: Norm, event: Event | None, on: date, compiled: CompiledRules
              ) -> tuple[Decimal | None, Computation | None]:
    """The amount an instance of ``norm`` born of ``event`` on ``on`` tracks, and how it
    was computed (None: read as it is from a field, or no amount)."""
    trigger = norm.trigger
    if event is None:
        return None, None
    spec = trigger.amount
    if spec is None:
        field = trigger.amount_field
        if field is None:
            return None, None
        found = event.data[field]
        assert isinstance(found, Decimal)
        return found, None
    rate = compiled.rate(spec.rate, on) if spec.rate is not None else None
    computed = compute(spec, event.data, event.date, rate, compiled.money)
    return (None, None) if computed is None else (computed.result, computed)


def interest_terms(norm: Norm, on: date, compiled: CompiledRules, shared: SharedTerms
                   ) -> InterestTerms | None:
    """The terms of interest of an instance of ``norm`` born on ``on`` (None: none); one
    object in ``shared`` for the instances whose rate the same value or amendment sets."""
    spec = norm.interest
    if spec is None:
        return None
    # no amendment known: none sets the rate, on any day
    mark = (norm.id, compiled.source_of(spec.rate, on) if compiled.amendments else None)
    found = shared.get(mark)
    if found is None:
        found = shared[mark] = InterestTerms(compiled.rate(spec.rate, on), spec.basis,
                                             spec.since, compiled.money)
    return found


SharedTerms = dict[tuple[str, object], InterestTerms]
