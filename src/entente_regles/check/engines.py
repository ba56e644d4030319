"""What the matching engines need of a rulebook: one power per event, and (for the
durable_rules engine) no more fields, rules per field or values per field than it holds."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..compiled import compile_rules
from ..durable_backend import MAX_FIELDS
from ..model import EITHER_PARTY, PARTIES, EntenteError
from ..rulebook import Power
from .base import Context, actors
from .findings import q

# durable_rules 2.0.28, measured: it fails with its error 303 from about 60 rules testing
# one field, and loops forever in C on 513 distinct values tested on one field.
DURABLE_RULES_PER_FIELD = 60
DURABLE_VALUES_PER_FIELD = 512


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
    return bool(_holders(first) & _holders(second)
                & actors(spec, None, first.tests) & actors(spec, None, second.tests))


def _holders(power: Power) -> set[str]:
    return set(PARTIES) if power.holder == EITHER_PARTY else {power.holder}


def durable_limits(ctx: Context) -> None:
    """Warn about a rulebook the durable_rules engine cannot hold (the Python engine can),
    at the rule that crosses each limit."""
    try:
        compiled = compile_rules(ctx.book, {}, date(2000, 1, 1))
    except EntenteError:
        return  # parameters the loader reports
    book = ctx.book
    places = {n.id: (n.file, n.key) for n in book.norms}
    places |= {p.id: (p.file, p.key) for p in book.powers}
    places |= {e.id: (e.file, e.key) for e in book.effects}
    places |= {c.id: (c.file, c.key) for c in book.controls}
    rules: dict[str, int] = defaultdict(int)
    values: dict[str, set[object]] = defaultdict(set)
    crossed: list[tuple[str, str, str]] = []  # rule id, fr, en
    for rule in compiled.rules:
        fields = {t.field for t in rule.tests}
        fields |= {rule.join.key_field} if rule.join is not None else set()
        for name in sorted(fields - set(rules)):
            rules[name] = 0
            if len(rules) == MAX_FIELDS + 1:
                crossed.append((rule.id, f"plus de {MAX_FIELDS} champs distincts",
                                f"more than {MAX_FIELDS} distinct fields"))
        for name in sorted(fields):
            rules[name] += 1
            if rules[name] == DURABLE_RULES_PER_FIELD:
                crossed.append((rule.id, f"{rules[name]} règles testent le champ {q(name)} "
                                "(durable_rules échoue, erreur 303)",
                                f"{rules[name]} rules test the field '{name}' "
                                "(durable_rules fails, error 303)"))
        for test in rule.tests:
            values[test.field].add(test.value)
            if len(values[test.field]) == DURABLE_VALUES_PER_FIELD + 1:
                crossed.append((rule.id, f"plus de {DURABLE_VALUES_PER_FIELD} valeurs "
                                f"distinctes testées sur {q(test.field)}",
                                f"more than {DURABLE_VALUES_PER_FIELD} distinct values "
                                f"tested on '{test.field}'"))
    for rule_id, fr, en in crossed:
        file, key = places.get(compiled.handlers[rule_id].target, (book.files[0].path, ""))
        ctx.add(file, key, "limites_durable",
                f"{fr} : le moteur durable refusera ce recueil ; le moteur python le tient",
                f"{en}: the durable engine will refuse this rulebook; the python engine holds "
                "it")
