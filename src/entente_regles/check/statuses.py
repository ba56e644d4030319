"""Statuses: which a norm can reach, and whether the worked examples assert each of them
(and only those)."""

from __future__ import annotations

from entente_regles.check.base import STATUS_ORDER, Context
from entente_regles.check.findings import shown
from entente_regles.core.values import OptionStatus, Status, Text
from entente_regles.rules.metadata import Example
from entente_regles.rules.norms import Norm, Power, RuleFile

AnyStatus = Status | OptionStatus
# Statuses every obligation to act can reach through the rulebook's [[demeure]] rules: the
# demeure's own examples cover them, each norm's file need not.
BY_DEMAND = "mise en demeure ou manquement constaté"


def status_of(code: str) -> AnyStatus:
    """An obligation's or a faculty's status from its file code."""
    return OptionStatus(code) if code in {o.value for o in OptionStatus} else Status(code)


def reachable(ctx: Context, norm: Norm) -> dict[AnyStatus, str]:
    """Each status the norm can reach, with how (for messages)."""
    ends = {p.effect.action for p in ctx.book.powers} | {
        e.effect.action for e in ctx.book.effects}
    dated = ctx.dated(norm)
    out: dict[AnyStatus, str] = {}
    if norm.kind == "faculte":
        out[OptionStatus.OPEN] = "ouverture de la fenêtre"
        if norm.performances:
            out[OptionStatus.EXERCISED] = "exercice"
        closes = [way for way, ok in (
            ("fenêtre close", dated), ("résiliation", "fin_entente" in ends),
            ("retrait du service", norm.service_field is not None and "fin_service" in ends))
            if ok]
        if closes:
            out[OptionStatus.EXPIRED] = " ou ".join(closes)
        return out
    if norm.kind == "continue":
        out[Status.IN_FORCE] = "naissance"
        if norm.violations:
            out[Status.BREACHED] = "violation"
    else:
        out[Status.DUE] = "naissance"
        if norm.performances:
            out[Status.SATISFIED] = "exécution à temps"
        if dated and norm.on_expiry is None:
            out[Status.LATE] = "échéance passée"
            if norm.performances:
                out[Status.SATISFIED_LATE] = "exécution après l'échéance"
        elif ctx.book.demands:  # only a demand or a recorded breach can make it late
            out[Status.LATE] = BY_DEMAND
            if norm.performances:
                out[Status.SATISFIED_LATE] = BY_DEMAND
    if any(spec.action == "suspendre" and spec.norm == norm.id for spec in (
            *(p.effect for p in ctx.book.powers), *(e.effect for e in ctx.book.effects))):
        out[Status.SUSPENDED] = "suspension"
    ways = []
    if norm.extinctions:
        ways.append("extinction")
    if dated and norm.lapses:
        ways.append("a_echeance")
    if not norm.survives_termination and "fin_entente" in ends:
        ways.append("résiliation")
    if norm.service_field is not None and not norm.survives_withdrawal \
            and "fin_service" in ends:
        ways.append("retrait du service")
    if ways:
        out[Status.DISCHARGED] = " ou ".join(ways)
    return out


def examples(ctx: Context) -> None:
    """Each example names known norms and statuses they can reach; each reachable status of a
    norm is asserted by an example of its file."""
    norms = {n.id: n for n in ctx.book.norms}
    for f in ctx.book.files:
        asserted: dict[str, set[AnyStatus]] = {}
        for ex in f.examples:
            for j, exp in enumerate(ex.expected):
                norm = norms.get(exp.norm)
                if norm is None and not ctx.partial:  # else: maybe in a file that failed
                    ctx.report(f.path, f"exemple[{ex.index}].attendu[{j}].obligation",
                               "reference_inconnue.norm", example=shown(ex.name),
                               norm=shown(exp.norm))
                if norm is None:
                    continue
                if exp.status is not None:
                    asserted.setdefault(norm.id, set()).add(status_of(exp.status))
                _expectation(ctx, f, ex, j, norm)
        for norm in f.norms:
            reach = reachable(ctx, norm)
            missing = [s for s in STATUS_ORDER if s in reach and reach[s] != BY_DEMAND
                       and s not in asserted.get(norm.id, set())]
            if missing:
                how_fr = ", ".join(f"{s.value} ({reach[s]})" for s in missing)
                ctx.report(f.path, norm.key, "statuts_non_couverts.statuses",
                           norm=shown(norm.id), file=f.path,
                           statuses=Text(how_fr, ", ".join(s.value for s in missing)))


def _expectation(ctx: Context, f: RuleFile, ex: Example, j: int, norm: Norm) -> None:
    exp = ex.expected[j]
    where = f"exemple[{ex.index}].attendu[{j}]"
    if exp.status is not None:
        can = reachable(ctx, norm)
        reachable_list = ", ".join(s.value for s in STATUS_ORDER if s in can)
        if status_of(exp.status) not in can and not ctx.partial:
            ctx.report(f.path, f"{where}.statut", "statut_inatteignable.status",
                       example=shown(ex.name), norm=shown(norm.id),
                       status=shown(exp.status), reachable=reachable_list)
    # a demand fixes a deadline on any obligation to act
    demandable = norm.kind == "obligation" and bool(ctx.book.demands)
    if exp.deadline is not None and not ctx.dated(norm) and not demandable:
        ctx.report(f.path, f"{where}.echeance", "delai_incoherent.example_undated",
                   example=shown(ex.name), norm=shown(norm.id))
    vague = norm.deadline is not None and norm.deadline.form == "norme"
    if exp.policy_late is not None and not vague:
        ctx.report(f.path, f"{where}.retard_politique", "delai_incoherent.example_not_vague",
                   example=shown(ex.name), norm=shown(norm.id))


# the statuses of an instance in which a condition or a trigger finds a state (decisions 60–61)
_IN_STATE: dict[str, frozenset[AnyStatus]] = {
    "en_retard": frozenset({Status.LATE}),
    "satisfaite": frozenset({Status.SATISFIED, Status.SATISFIED_LATE, OptionStatus.EXERCISED}),
    "eteinte": frozenset({Status.DISCHARGED, OptionStatus.EXPIRED}),
    "violee": frozenset({Status.BREACHED}),
}


def states_read(ctx: Context) -> None:
    """A condition (``disponible_si``) or a trigger on state (``consequence_de`` … ``quand``)
    waits for a state its norm can never reach: it never holds, or never gives rise."""
    waits: list[tuple[Norm | Power, str, str, str]] = []
    holders: list[Norm | Power] = [*ctx.book.norms, *ctx.book.powers]
    for holder in holders:
        if holder.condition is not None:
            waits += [(holder, f"{holder.key}.disponible_si", test.norm, test.state)
                      for test in holder.condition.tests if test.norm is not None]
    for norm in ctx.book.norms:
        trig = norm.trigger
        if trig.kind == "consequence" and trig.source_norm is not None \
                and trig.when != "echeance":  # a deadline passing: declencheur_impossible
            waits.append((norm, f"{norm.key}.declencheur", trig.source_norm, trig.when))
    for holder, key, name, state in waits:
        source = ctx.norm(name)
        wanted = _IN_STATE.get(state)
        if source is None or wanted is None or wanted & set(reachable(ctx, source)):
            continue
        ctx.report(holder.file, key, "declencheur_impossible.state", rule=shown(holder.id),
                   norm=shown(name), state=state)
