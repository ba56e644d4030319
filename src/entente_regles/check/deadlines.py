"""Deadlines against their trigger and against the clause's words.

A deadline that can fall before its trigger (a date field, a consequence counted from the
original receipt, the end of a period born after it, the eve of an effect with no notice), and
a deadline form or a label contrary to the wording of the article the norm cites.
"""

from __future__ import annotations

from entente_regles.check.agreement_text import DAYS_WORDING, normalize, vague_wording
from entente_regles.check.base import DATED_FORMS, Context
from entente_regles.check.findings import q
from entente_regles.rules.norms import Norm


def deadline_after_trigger(ctx: Context, norm: Norm) -> None:
    """A deadline that can never fall before the instance arises."""
    spec = norm.deadline
    if spec is None:
        return
    key = norm.key
    trig = norm.trigger
    where = f"{key}.delai"
    if spec.form == "jours" and spec.since not in ("date", "reception") \
            and trig.kind == "evenement":
        ctx.add(norm.file, f"{where}.depuis", "delai_avant_declencheur",
                f"{q(norm.id)} : compté depuis le champ {q(spec.since)}, l'échéance "
                "précède le déclencheur dès que cette date est plus ancienne que "
                "l'événement de plus du délai ; le moteur ne l'empêche pas",
                f"'{norm.id}': counted from the field '{spec.since}', the deadline falls "
                "before the trigger whenever that date is older than the event by more "
                "than the delay; the engine does not prevent it")
    if spec.form == "jours" and spec.since != "date" and trig.kind == "consequence":
        ctx.add(norm.file, f"{where}.depuis", "delai_avant_declencheur",
                f"{q(norm.id)} naît à l'échéance d'une autre norme, mais son délai court "
                f"depuis {q(spec.since)} de l'événement d'origine : il peut être expiré "
                "avant même qu'elle naisse (depuis = \"date\" : sa naissance)",
                f"'{norm.id}' arises when another norm expires, but its delay runs from "
                f"the original event's '{spec.since}': it may run out before it even "
                "arises (depuis = \"date\": its birth)")
    if spec.form == "fin_periode":
        if trig.kind != "periode":
            ctx.add(norm.file, where, "delai_avant_declencheur",
                    f"{q(norm.id)} : fin_periode exige un déclencheur périodique "
                    f"(déclencheur : {trig.kind})",
                    f"'{norm.id}': fin_periode needs a periodic trigger "
                    f"(trigger: {trig.kind})")
        elif trig.birth != "debut":
            ctx.add(norm.file, where, "delai_avant_declencheur",
                    f"{q(norm.id)} : naît le lendemain de la fin de sa période mais "
                    "échoit le dernier jour de celle-ci, la veille de sa naissance "
                    "(naissance = \"debut\")",
                    f"'{norm.id}': arises the day after its period ends but is due on the "
                    "period's last day, the day before it arises (naissance = \"debut\")")
    if spec.form == "veille_effet":
        day_before_effect(ctx, norm, where)
    if norm.on_expiry is not None and spec.form not in DATED_FORMS:
        ctx.add(norm.file, f"{key}.a_echeance", "delai_incoherent",
                f"{q(norm.id)} : a_echeance sans échéance datée (délai {spec.form}) : "
                "l'instance ne s'éteint jamais à échéance",
                f"'{norm.id}': a_echeance without a dated deadline ({spec.form}): the "
                "instance never lapses")


def day_before_effect(ctx: Context, norm: Norm, where: str) -> None:
    trig = norm.trigger
    powers = [p for p in ctx.book.powers if p.event == trig.event]
    if not powers:
        return  # the loader reports it
    tests = set(trig.tests) | ({("par", trig.party)} if trig.party else set())
    covering = [p for p in powers if set(p.tests) <= tests]
    if not covering:
        ctx.add(norm.file, where, "delai_avant_declencheur",
                f"{q(norm.id)} : veille_effet, mais le déclencheur peut naître d'un "
                f"{q(trig.event)} qu'aucun pouvoir n'exerce (ses tests « si » doivent "
                "inclure ceux du pouvoir) : pas de date d'effet",
                f"'{norm.id}': veille_effet, but the trigger can arise from a "
                f"'{trig.event}' that no power exercises (its 'si' tests must include the "
                "power's): no effective date")
    for power in covering:
        days = None if power.notice is None else ctx.param(power.notice.days)
        if power.notice is None or (days is not None and days < 1):
            ctx.add(norm.file, where, "delai_avant_declencheur",
                    f"{q(norm.id)} : veille_effet sur le pouvoir {q(power.id)}, sans "
                    "préavis d'au moins un jour : la prise d'effet peut être le jour même, "
                    "et l'échéance la veille du déclencheur",
                    f"'{norm.id}': veille_effet on power '{power.id}', with no notice of "
                    "at least one day: it may take effect the same day, and the deadline "
                    "fall the day before the trigger")


def deadline_wording(ctx: Context, norm: Norm) -> None:
    """A deadline form (and a label) that agrees with the wording of the cited article."""
    if norm.kind != "obligation" or norm.article not in ctx.tables:
        return
    key = norm.key
    spec = norm.deadline
    form = spec.form if spec is not None else None
    words = ctx.tables.wording_of(norm.article)
    own = ctx.tables.wording_of(norm.article, with_descendants=False)
    said_fr = ", ".join(_show_wording(ctx, w) for w in words) or "aucun délai"
    where = f"{key}.delai"
    standards = ctx.book.standards
    declared = standards.get(spec.standard or "") if spec is not None else None
    silent = declared is not None and not declared.in_text  # the text's silence: no words
    if spec is not None and form == "norme" and not silent:
        if spec.standard not in words:
            ctx.add(norm.file, where, "delai_incoherent",
                    f"{q(norm.id)} : norme {q(spec.standard)}, mais l'art. "
                    f"{norm.article} dit : {said_fr}",
                    f"'{norm.id}': standard '{spec.standard}', but art. {norm.article} "
                    f"says: {said_fr}")
    elif form in (None, "norme") and own:
        chosen = f"norme {spec.standard}" if spec is not None and form else "aucun délai"
        ctx.add(norm.file, where, "delai_incoherent",
                f"{q(norm.id)} : {chosen}, mais l'art. {norm.article} dit : {said_fr}",
                f"'{norm.id}': no time limit stipulated, but art. {norm.article} says: "
                f"{said_fr}")
    elif spec is not None and form == "jours":
        days = ctx.param(spec.days)
        if days is not None and f"{days} jours" not in words:
            ctx.add(norm.file, where, "delai_incoherent",
                    f"{q(norm.id)} : délai de {days} jours, mais l'art. {norm.article} "
                    f"dit : {said_fr}",
                    f"'{norm.id}': a {days}-day delay, but art. {norm.article} says: "
                    f"{said_fr}")
    label = normalize(norm.label.fr)
    vague_in_label = [n for n, p in vague_wording(standards).items() if p.search(label)]
    days_in_label = DAYS_WORDING.findall(label)
    if vague_in_label and (form != "norme" or spec is None
                           or spec.standard not in vague_in_label):
        ctx.add(norm.file, f"{key}.libelle", "delai_incoherent",
                f"{q(norm.id)} : le libellé dit {_show_wording(ctx, vague_in_label[0])}, le "
                f"délai est {_describe_deadline(ctx, norm)}",
                f"'{norm.id}': the label says {vague_in_label[0]}, the deadline is "
                f"{_describe_deadline(ctx, norm)}")
    if days_in_label and (form != "jours" or spec is None
                          or str(ctx.param(spec.days)) not in days_in_label):
        ctx.add(norm.file, f"{key}.libelle", "delai_incoherent",
                f"{q(norm.id)} : le libellé dit {days_in_label[0]} jours, le délai est "
                f"{_describe_deadline(ctx, norm)}",
                f"'{norm.id}': the label says {days_in_label[0]} days, the deadline is "
                f"{_describe_deadline(ctx, norm)}")


def _show_wording(ctx: Context, word: str) -> str:
    standard = ctx.book.standards.get(word)
    return q(standard.wording.fr if standard is not None else word)


def _describe_deadline(ctx: Context, norm: Norm) -> str:
    spec = norm.deadline
    if spec is None:
        return "absent"
    if spec.form == "jours":
        return f"{ctx.param(spec.days)} jours"
    if spec.form == "norme":
        return f"norme {spec.standard}"
    return spec.form
