"""Can each norm arise, be performed, breached or discharged, and each power be exercised?

An obligation no event can perform, a key of one kind joined on a field of another, a
debtor who cannot produce the act, an amount tracked on one side only, a test that can
never hold, a trigger that never fires.
"""

from __future__ import annotations

from entente_regles.check.base import DATED_FORMS, Context, actors
from entente_regles.check.findings import q
from entente_regles.core.values import EITHER_PARTY
from entente_regles.rules.norms import Norm, Tests
from entente_regles.rules.toml_tables import expected_fr as fr_expected
from entente_regles.rules.vocabulary import EventType


def key_kind(ctx: Context, norm: Norm, seen: frozenset[str] = frozenset()
             ) -> str | None:
    """What an instance's key is: a field kind, "partie", None (no key) or "?"."""
    trig = norm.trigger
    if trig.kind == "evenement":
        if trig.key_field is None or trig.event is None:
            return None
        spec = ctx.book.vocabulary.types[trig.event].fields.get(trig.key_field)
        return spec.kind if spec is not None else "?"
    if trig.kind == "periode":
        return "exercice" if trig.period_year else "periode"
    if trig.kind == "consequence":
        source = ctx.norm(trig.source_norm)
        if source is None or source.id in seen:
            return "?"
        return key_kind(ctx, source, seen | {norm.id})
    if trig.per_party or norm.debtor in ctx.book.parties:
        return "partie"
    return None


def debtors(ctx: Context, norm: Norm) -> set[str] | None:
    """The parties that can be this norm's debtor (None: any, or both together)."""
    trig = norm.trigger
    if trig.kind == "entree_en_vigueur" and trig.per_party:
        return set(ctx.book.parties)
    if norm.debtor in ctx.book.parties:
        return {norm.debtor}
    if norm.debtor == EITHER_PARTY or trig.event is None:
        return None
    can = actors(ctx.book.vocabulary.types[trig.event], trig.party, trig.tests)
    return can if norm.debtor == "auteur" else {ctx.book.other_party(a) for a in can}


def performable(ctx: Context, norm: Norm) -> None:
    key = norm.key
    if norm.kind == "obligation" and not norm.performances and norm.on_expiry is None:
        ctx.add(norm.file, f"{key}.execution", "execution_impossible",
                f"{q(norm.id)} : aucune exécution ; l'obligation ne peut jamais être "
                "satisfaite (sans exécution, seule une norme avec a_echeance est admise)",
                f"'{norm.id}': no performance; the obligation can never be satisfied "
                "(only a norm with a_echeance may have none)")
    if norm.kind == "continue" and not norm.violations:
        ctx.add(norm.file, f"{key}.violation", "execution_impossible",
                f"{q(norm.id)} : obligation continue sans violation ; elle ne peut jamais "
                "être violée (p. ex. violation = [{ evenement = \"manquement\", si = { "
                "norme = \"…\" } }])",
                f"'{norm.id}': continuing obligation with no violation; it can never be "
                "breached (e.g. violation = [{ evenement = \"manquement\", … }])")
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
                ctx.add(norm.file, where, "execution_impossible",
                        f"{q(norm.id)} : l'instance n'a pas de clé (déclencheur sans "
                        f"« cle », ou débiteur « parties » à l'entrée en vigueur sans "
                        f"pour_chaque_partie) : {q(act.event)} ne peut jamais s'y "
                        "rattacher",
                        f"'{norm.id}': the instance has no key (trigger without 'cle', or "
                        "debtor 'parties' at entry into force without pour_chaque_partie): "
                        f"'{act.event}' can never be joined to it")
            elif "?" not in (instance_kind, act_kind) and instance_kind != act_kind:
                field = "par" if act.key_field == "par" else f"cle = {act.key_field!r}"
                ctx.add(norm.file, where, "execution_impossible",
                        f"{q(norm.id)} : la clé de l'instance est de nature "
                        f"{q(instance_kind)}, mais {act.event} la cherche dans {field} "
                        f"(nature {q(act_kind)}) : les valeurs ne se rencontrent jamais",
                        f"'{norm.id}': the instance key is of kind '{instance_kind}', but "
                        f"{act.event} looks for it in {field} (kind '{act_kind}'): the "
                        "values never meet")
            if act.by == "debiteur" and norm.debtor != EITHER_PARTY and owing is not None:
                can_act = actors(spec, None, act.tests)
                if not owing & can_act:
                    ctx.add(norm.file, where, "execution_impossible",
                            f"{q(norm.id)} : le débiteur ({', '.join(sorted(owing))}) "
                            f"ne peut pas produire {q(act.event)} (par : "
                            f"{', '.join(sorted(can_act)) or 'personne'}) ; "
                            "par = \"parties\" si l'autre partie peut l'accomplir",
                            f"'{norm.id}': the debtor ({', '.join(sorted(owing))}) cannot "
                            f"produce '{act.event}' (by: "
                            f"{', '.join(sorted(can_act)) or 'nobody'}); use "
                            "par = \"parties\" if the other party may do it")
    amounts(ctx, norm, key)


def amounts(ctx: Context, norm: Norm, key: str) -> None:
    tracked = norm.trigger.amount_field is not None
    if norm.trigger.kind != "evenement":
        return
    for i, act in enumerate(norm.performances):
        where = f"{key}.execution[{i}].montant"
        if act.amount_field is not None and not tracked:
            ctx.add(norm.file, where, "montant_incoherent",
                    f"{q(norm.id)} : l'exécution porte un montant, mais le déclencheur "
                    "n'en porte pas : un paiement partiel exécuterait toute l'obligation",
                    f"'{norm.id}': the performance carries an amount but the trigger does "
                    "not: a partial payment would perform the whole obligation")
        if act.amount_field is None and tracked:
            ctx.add(norm.file, where, "montant_incoherent",
                    f"{q(norm.id)} : le déclencheur porte un montant, mais {act.event} "
                    "l'exécute sans montant : le solde ne baisserait jamais",
                    f"'{norm.id}': the trigger carries an amount but {act.event} performs "
                    "it without one: the balance would never go down")


def act_tests(ctx: Context, file: str, where: str, spec: EventType,
              tests: Tests) -> None:
    for name, value in tests:
        if name == "par":
            ok = value in spec.parties
            expected_fr = f"une partie parmi {', '.join(spec.parties)}"
            expected_en = f"a party among {', '.join(spec.parties)}"
        else:
            field = spec.fields.get(name)
            if field is None:
                continue
            ok = isinstance(value, bool) == (field.kind == "booleen")
            expected_fr = "true ou false" if field.kind == "booleen" else "un texte"
            expected_en = "true or false" if field.kind == "booleen" else "a string"
        if not ok:
            ctx.add(file, f"{where}.si.{name}", "declencheur_impossible",
                    f"le test {name} = {value!r} ne peut jamais être vrai pour "
                    f"{q(spec.name)} ({fr_expected(expected_fr)})",
                    f"the test {name} = {value!r} can never hold for '{spec.name}' "
                    f"(expected {expected_en})")


def triggerable(ctx: Context, norm: Norm) -> None:
    key = norm.key
    trig = norm.trigger
    if trig.kind == "evenement" and trig.event is not None:
        spec = ctx.book.vocabulary.types[trig.event]
        act_tests(ctx, norm.file, f"{key}.declencheur", spec, trig.tests)
        if trig.party is not None and trig.party not in spec.parties:
            ctx.add(norm.file, f"{key}.declencheur.par", "declencheur_impossible",
                    f"{q(norm.id)} : par = {trig.party!r}, mais {q(spec.name)} n'est "
                    f"produit que par {', '.join(spec.parties)} : elle ne naît jamais",
                    f"'{norm.id}': par = {trig.party!r}, but '{spec.name}' is only "
                    f"produced by {', '.join(spec.parties)}: it never arises")
    if trig.kind == "consequence":
        source = ctx.norm(trig.source_norm)
        if source is not None and (source.deadline is None
                                   or source.deadline.form not in DATED_FORMS):
            ctx.add(norm.file, f"{key}.declencheur.consequence_de",
                    "declencheur_impossible",
                    f"{q(norm.id)} naît à l'échéance de {q(source.id)}, qui n'a pas "
                    "d'échéance datée : elle ne naît jamais",
                    f"'{norm.id}' arises when '{source.id}' expires, which has no dated "
                    "deadline: it never arises")


def acts_of_powers(ctx: Context) -> None:
    for power in ctx.book.powers:
        key = power.key
        spec = ctx.book.vocabulary.types.get(power.event)
        if spec is None:
            continue
        act_tests(ctx, power.file, f"{key}.acte", spec, power.tests)
        if power.holder != EITHER_PARTY and power.holder not in spec.parties:
            ctx.add(power.file, f"{key}.titulaire", "declencheur_impossible",
                    f"{q(power.id)} : le titulaire {power.holder} ne peut pas produire "
                    f"{q(power.event)} (par : {', '.join(spec.parties)})",
                    f"'{power.id}': the holder {power.holder} cannot produce "
                    f"'{power.event}' (by: {', '.join(spec.parties)})")
    for effect in ctx.book.effects:
        spec = ctx.book.vocabulary.types.get(effect.event)
        if spec is not None:
            act_tests(ctx, effect.file, effect.key, spec, effect.tests)
