"""Can each norm arise, be performed, breached or discharged, and each power be exercised?

An obligation no event can perform, a key of one kind joined on a field of another, a
debtor who cannot produce the act, an amount tracked on one side only, a test that can
never hold, a trigger that never fires.
"""

from __future__ import annotations

from entente_regles.check.base import DATED_FORMS, Context, actors
from entente_regles.check.findings import shown
from entente_regles.core.values import EITHER_PARTY, Text
from entente_regles.rules.norms import Norm, Power, Tests
from entente_regles.rules.toml_tables import expected_fr as fr_expected
from entente_regles.rules.vocabulary import EventType
from entente_regles.words.annexes import text as kind_of_value
from entente_regles.words.check import FINDINGS


def key_kind(ctx: Context, norm: Norm, seen: frozenset[str] = frozenset()
             ) -> str | None:
    """What an instance's key is: a field kind, "partie", None (no key) or "?"."""
    trig = norm.trigger
    if trig.kind == "evenement":
        if trig.key_field is None or trig.event is None:
            return "partie" if trig.per_party else None  # each party's: keyed by it
        spec = ctx.book.vocabulary.types[trig.event].fields.get(trig.key_field)
        return spec.kind if spec is not None else "?"
    if trig.kind == "periode":
        return "exercice" if trig.period_year else "periode"
    if trig.kind == "consequence":
        source = ctx.norm(trig.source_norm)
        if source is None or source.id in seen:
            return "?"
        return key_kind(ctx, source, seen | {norm.id})
    if trig.kind == "renouvellement_terme":
        return "texte"  # the new term's first day, AAAA-MM-JJ (decision 76)
    if trig.per_party or norm.debtor in ctx.book.parties:
        return "partie"
    return None


def debtors(ctx: Context, norm: Norm) -> set[str] | None:
    """The parties that can be this norm's debtor (None: any, or both together)."""
    trig = norm.trigger
    if trig.per_party:  # one instance per party
        return set(ctx.book.parties)
    if norm.debtor in ctx.book.parties:
        return {norm.debtor}
    if norm.debtor == EITHER_PARTY or trig.event is None:
        return None
    can = actors(ctx.book.vocabulary.types[trig.event], trig.party, trig.tests)
    if norm.debtor == "auteur":
        return can
    if not ctx.book.vocabulary.two_parties:
        return None  # « autre » is refused at load beyond two parties
    return {ctx.book.other_party(a) for a in can}


def state_norms(ctx: Context) -> frozenset[str]:
    """The norms a condition reads as a state that lasts (« ouverte »): a continuing norm
    used so (a force majeure under way) need not be breachable (decision 62)."""
    holders: list[Norm | Power] = [*ctx.book.norms, *ctx.book.powers]
    return frozenset(
        test.norm for holder in holders
        if holder.condition is not None for test in holder.condition.tests
        if test.norm is not None and test.state == "ouverte")


def dependencies(ctx: Context) -> None:
    """Cycles among conditions and triggers on state: a norm that, through the norms it
    arises from or whose state it reads, depends on itself (reported once per cycle, on the
    first norm of the cycle in the rule book's order)."""
    book = ctx.book
    edges: dict[str, list[str]] = {}
    keys: dict[str, tuple[str, str]] = {}
    holders: list[Norm | Power] = [*book.norms, *book.powers]
    for holder in holders:
        out = edges.setdefault(holder.id, [])
        keys[holder.id] = (holder.file, holder.key)
        if holder.condition is not None:
            out.extend(holder.condition.norms)
    for norm in book.norms:
        if norm.trigger.kind == "consequence" and norm.trigger.source_norm is not None:
            edges[norm.id].append(norm.trigger.source_norm)
    reported: set[frozenset[str]] = set()
    for start in edges:
        path = _cycle_from(start, edges)
        if path is None or frozenset(path) in reported:
            continue
        reported.add(frozenset(path))
        file, key = keys[start]
        ctx.report(file, key, "cycle_etat.cycle", cycle=shown(" → ".join((*path, start))))


def _cycle_from(start: str, edges: dict[str, list[str]]) -> list[str] | None:
    """A path from ``start`` back to itself (depth first), or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in edges.get(node, ()):
            if nxt == start:
                return path
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def performable(ctx: Context, norm: Norm) -> None:
    key = norm.key
    if norm.kind == "obligation" and not norm.performances and norm.on_expiry is None:
        ctx.report(norm.file, f"{key}.execution", "execution_impossible.no_performance",
                   norm=shown(norm.id))
    if norm.kind == "continue" and not norm.violations and norm.id not in state_norms(ctx):
        ctx.report(norm.file, f"{key}.violation", "execution_impossible.no_breach",
                   norm=shown(norm.id))
    instance_kind = key_kind(ctx, norm)
    owing = debtors(ctx, norm)
    for section, acts in (("execution", norm.performances), ("extinction", norm.extinctions),
                          ("violation", norm.violations)):
        for i, act in enumerate(acts):
            where = f"{key}.{section}[{i}]"
            spec = ctx.book.vocabulary.types.get(act.event)
            if spec is None:
                continue
            act_tests(ctx, norm.file, where, spec, act.tests)
            act_kind = "partie" if act.key_field == "par" else \
                (spec.fields[act.key_field].kind if act.key_field in spec.fields else "?")
            if instance_kind is None:
                ctx.report(norm.file, where, "execution_impossible.no_key",
                           norm=shown(norm.id), event=shown(act.event))
            elif "?" not in (instance_kind, act_kind) and instance_kind != act_kind:
                field = "par" if act.key_field == "par" else f"cle = {act.key_field!r}"
                ctx.report(norm.file, where, "execution_impossible.key_kinds",
                           norm=shown(norm.id), kind=shown(instance_kind), event=act.event,
                           field=field, act_kind=shown(act_kind))
            if act.by == "debiteur" and norm.debtor != EITHER_PARTY and owing is not None:
                can_act = actors(spec, None, act.tests)
                if not owing & can_act:
                    ctx.report(norm.file, where, "execution_impossible.debtor_cannot",
                               norm=shown(norm.id), debtors=", ".join(sorted(owing)),
                               event=shown(act.event), actors=", ".join(sorted(can_act))
                               or FINDINGS.text("execution_impossible.nobody"))
    amounts(ctx, norm, key)


def amounts(ctx: Context, norm: Norm, key: str) -> None:
    tracked = norm.trigger.tracks_amount
    if norm.interest is not None and norm.interest.since == "demeure" and not ctx.book.demands:
        # interest from the default, but no act can put a debtor in default (decision 68)
        ctx.report(norm.file, f"{key}.interet.depuis", "declencheur_impossible.no_default",
                   norm=shown(norm.id))
    if norm.trigger.kind != "evenement":
        return
    for i, act in enumerate(norm.performances):
        where = f"{key}.execution[{i}].montant"
        if act.amount_field is not None and not tracked:
            ctx.report(norm.file, where, "montant_incoherent.performance_only",
                       norm=shown(norm.id))
        if act.amount_field is None and tracked:
            ctx.report(norm.file, where, "montant_incoherent.trigger_only",
                       norm=shown(norm.id), event=act.event)


def act_tests(ctx: Context, file: str, where: str, spec: EventType,
              tests: Tests) -> None:
    for name, value in tests:
        if name == "par":
            ok = value in spec.parties
            expected = FINDINGS.text("declencheur_impossible.a_party_among",
                                     parties=", ".join(spec.parties))
        else:
            field = spec.fields.get(name)
            if field is None:
                continue
            ok = isinstance(value, bool) == (field.kind == "booleen")
            expected = kind_of_value("bool" if field.kind == "booleen" else "str")
        if not ok:
            ctx.report(file, f"{where}.si.{name}", "declencheur_impossible.test", name=name,
                       value=value, event=shown(spec.name),
                       expected=Text(fr_expected(expected.fr), expected.en))


def triggerable(ctx: Context, norm: Norm) -> None:
    key = norm.key
    trig = norm.trigger
    if trig.kind == "evenement" and trig.event is not None:
        spec = ctx.book.vocabulary.types[trig.event]
        act_tests(ctx, norm.file, f"{key}.declencheur", spec, trig.tests)
        if trig.party is not None and trig.party not in spec.parties:
            ctx.report(norm.file, f"{key}.declencheur.par", "declencheur_impossible.party",
                       norm=shown(norm.id), party=trig.party, event=shown(spec.name),
                       parties=", ".join(spec.parties))
    if trig.kind == "consequence" and trig.when == "echeance":
        source = ctx.norm(trig.source_norm)
        if source is not None and (source.deadline is None
                                   or source.deadline.form not in DATED_FORMS):
            ctx.report(norm.file, f"{key}.declencheur.consequence_de",
                       "declencheur_impossible.undated_source", norm=shown(norm.id),
                       source=shown(source.id))


def acts_of_powers(ctx: Context) -> None:
    for power in ctx.book.powers:
        key = power.key
        spec = ctx.book.vocabulary.types.get(power.event)
        if spec is None:
            continue
        act_tests(ctx, power.file, f"{key}.acte", spec, power.tests)
        if power.holder != EITHER_PARTY and power.holder not in spec.parties:
            ctx.report(power.file, f"{key}.titulaire", "declencheur_impossible.holder",
                       power=shown(power.id), holder=power.holder,
                       event=shown(power.event), parties=", ".join(spec.parties))
    for effect in ctx.book.effects:
        spec = ctx.book.vocabulary.types.get(effect.event)
        if spec is not None:
            act_tests(ctx, effect.file, effect.key, spec, effect.tests)
