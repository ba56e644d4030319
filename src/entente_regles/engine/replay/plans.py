"""What a combination of matched rules does with an event: worked out once per combination
(the roles depend on the rules only, not on the event) and kept by the loop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from entente_regles.core.event import Event
from entente_regles.engine.compiled import (
    CONTROL,
    DEMAND,
    EFFECT,
    EXECUTION,
    EXTINCTION,
    POWER,
    VIOLATION,
    CompiledRules,
    DemandSpec,
    Handler,
    Power,
)
from entente_regles.engine.matching import Match


class Plan(NamedTuple):
    """What a combination of matched rules does with an event."""

    handled: tuple[Handler, ...]  # the handler of each match, in match order
    powers: tuple[Power, ...]  # exercised first, each target once, in match order
    interpreted: bool | None  # None: only effects that may be idle, and controls
    demands: tuple[DemandSpec, ...]
    acted_on: frozenset[str]  # the norms whose instances the matched rules act on
    unknown: bool  # a norm not acted on reports its own unknown references for this type
    plain: bool  # no power, no demand, no unknown reference, content interpreted (most)


def plan(compiled: CompiledRules, event_type: str, matches: Sequence[Match]) -> Plan:
    """What the rules ``matches`` name do with an event of ``event_type``."""
    handled = tuple(compiled.handlers[m.rule_id] for m in matches)
    # The powers in match order (a dict, not a set: whatever the hash seed).
    powers: dict[str, Power] = {}
    demands: list[DemandSpec] = []
    interpreted: bool | None = False
    # An act's rule joins its norm's instances: the instance it matched is of that norm.
    acted_on = frozenset(h.target for h in handled
                         if h.role in (EXECUTION, EXTINCTION, VIOLATION))
    unknown = any(norm.unknown_reference is not None and norm.id not in acted_on
                  for norm, _ in compiled.unknown_reference_acts.get(event_type, ()))
    for handler in handled:
        role = handler.role
        if role is POWER:
            assert handler.power is not None
            powers[handler.target] = handler.power
        elif role is DEMAND:
            assert handler.demand is not None
            demands.append(handler.demand)
        if role is EFFECT:
            effect = handler.effect
            if effect is None or effect.effect.parameters_field is None:
                interpreted = True  # never idle
            elif interpreted is False:
                interpreted = None  # idle or not: the event's fields say
        elif role is not CONTROL:
            interpreted = True
    return Plan(handled, tuple(powers.values()), interpreted, tuple(demands), acted_on,
                unknown, not powers and interpreted is True and not demands and not unknown)


def interprets(plan: Plan, event: Event) -> bool:
    """Is anything of ``event`` read under ``plan``? No when only controls and amendments'
    effects that change no parameter (idle) apply."""
    if plan.interpreted is not None:
        return plan.interpreted
    return not all(_idle(h, event) for h in plan.handled if h.role is EFFECT)


def _idle(handler: Handler, event: Event) -> bool:
    """An amendment's effect on an event that changes no parameter: nothing of it is
    read (its content is then reported as not interpreted)."""
    if handler.role is not EFFECT or handler.effect is None:
        return False
    field = handler.effect.effect.parameters_field
    return field is not None and field not in event.data
