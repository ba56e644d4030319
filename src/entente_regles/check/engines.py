"""What the matching engines need of a rulebook: one power per event, and (for the
durable_rules engine) no more fields, values per field or join rules per norm than it holds."""

from __future__ import annotations

from datetime import date

from entente_regles.check.base import Context, actors
from entente_regles.check.findings import q
from entente_regles.core.errors import EntenteError
from entente_regles.core.values import EITHER_PARTY
from entente_regles.engine.compiled import compile_rules
from entente_regles.engine.durable.limits import limit_crossings
from entente_regles.rules.norms import Power


def competing_powers(ctx: Context) -> None:
    """No event can exercise two powers: which one acts would depend on their order."""
    powers = ctx.book.powers
    for i, power in enumerate(powers):
        for other in powers[:i]:
            if other.event == power.event and _can_meet(ctx, other, power):
                ctx.add(power.file, f"{power.key}.acte", "pouvoirs_concurrents",
                        f"{q(power.id)} et {q(other.id)} ({other.file}) répondent tous deux à "
                        f"{q(power.event)} : un même événement exercerait deux pouvoirs "
                        "(distinguer leurs tests « si » ou leurs titulaires)",
                        f"'{power.id}' and '{other.id}' ({other.file}) both answer "
                        f"'{power.event}': one event would exercise two powers (tell their "
                        "'si' tests or holders apart)")


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
        ctx.add(file, key, "limites_durable",
                f"{crossing.fr} : le moteur durable refusera ce recueil ; le moteur python le "
                "tient",
                f"{crossing.en}: the durable engine will refuse this rulebook; the python engine "
                "holds it")
