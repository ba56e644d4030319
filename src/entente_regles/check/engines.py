"""What the matching engines need of a rulebook: one power per event, and (for the
durable_rules engine) no more fields, values per field or join rules per norm than it holds."""

from __future__ import annotations

from datetime import date

from entente_regles.check.base import Context, actors
from entente_regles.check.findings import shown
from entente_regles.core.errors import EntenteError
from entente_regles.core.values import EITHER_PARTY, Text
from entente_regles.engine.compiled import compile_rules
from entente_regles.engine.durable.limits import limit_crossings
from entente_regles.rules.norms import Power


def competing_powers(ctx: Context) -> None:
    """No event can exercise two powers: which one acts would depend on their order."""
    powers = ctx.book.powers
    for i, power in enumerate(powers):
        for other in powers[:i]:
            if other.event == power.event and _can_meet(ctx, other, power):
                ctx.report(power.file, f"{power.key}.acte", "pouvoirs_concurrents.same_event",
                           power=shown(power.id), other=shown(other.id), file=other.file,
                           event=shown(power.event))


def _can_meet(ctx: Context, first: Power, second: Power) -> bool:
    tests = dict(first.tests)
    if any(name in tests and tests[name] != value for name, value in second.tests):
        return False
    spec = ctx.book.vocabulary.types.get(first.event)
    if spec is None:
        return False
    return bool(_holders(ctx, first) & _holders(ctx, second)
                & actors(spec, None, first.tests) & actors(spec, None, second.tests))


def _holders(ctx: Context, power: Power) -> set[str]:
    return set(ctx.book.parties) if power.holder == EITHER_PARTY else {power.holder}


def durable_limits(ctx: Context) -> None:
    """Warn about a rulebook the durable_rules engine cannot hold (the Python engine can),
    at the rule that crosses each limit: the limits the adapter itself refuses on
    (``durable_backend.limit_crossings``), so the checker and the engine never disagree."""
    try:
        compiled = compile_rules(ctx.book, {}, date(2000, 1, 1))
    except EntenteError:
        return  # parameters the loader reports
    book = ctx.book
    places = {n.id: (n.file, n.key) for n in book.norms}
    places |= {p.id: (p.file, p.key) for p in book.powers}
    places |= {e.id: (e.file, e.key) for e in book.effects}
    places |= {c.id: (c.file, c.key) for c in book.controls}
    places |= {d.id: (d.file, d.key) for d in book.demands}
    for crossing in limit_crossings(compiled):
        file, key = places.get(compiled.handlers[crossing.rule_id].target,
                               (book.files[0].path, ""))
        ctx.report(file, key, "limites_durable.crossing",
                   crossing=Text(crossing.fr, crossing.en))
