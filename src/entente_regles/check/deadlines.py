"""Deadlines against their trigger and against the clause's words.

A deadline that can fall before its trigger (a date field, a consequence counted from the
original receipt, the end of a period born after it, the eve of an effect with no notice), and
a deadline form or a label contrary to the wording of the article the norm cites.
"""

from __future__ import annotations

from entente_regles.check.agreement_text import WORKING_DAYS, days_said, normalize, vague_wording
from entente_regles.check.base import DATED_FORMS, Context
from entente_regles.check.findings import shown
from entente_regles.core.values import Text
from entente_regles.rules.norms import Norm
from entente_regles.words.check import FINDINGS


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
        ctx.report(norm.file, f"{where}.depuis", "delai_avant_declencheur.since_field",
                   norm=shown(norm.id), field=shown(spec.since))
    if spec.form == "jours" and spec.since != "date" and trig.kind == "consequence":
        ctx.report(norm.file, f"{where}.depuis", "delai_avant_declencheur.original_event",
                   norm=shown(norm.id), field=shown(spec.since))
    if spec.form == "fin_periode":
        if trig.kind != "periode":
            ctx.report(norm.file, where, "delai_avant_declencheur.not_periodic",
                       norm=shown(norm.id), trigger=trig.kind)
        elif trig.birth != "debut":
            ctx.report(norm.file, where, "delai_avant_declencheur.born_after_period",
                       norm=shown(norm.id))
    if spec.form == "veille_effet":
        day_before_effect(ctx, norm, where)
    if norm.on_expiry is not None and spec.form not in DATED_FORMS:
        ctx.report(norm.file, f"{key}.a_echeance", "delai_incoherent.undated_lapse",
                   norm=shown(norm.id), form=spec.form)


def day_before_effect(ctx: Context, norm: Norm, where: str) -> None:
    trig = norm.trigger
    powers = [p for p in ctx.book.powers if p.event == trig.event]
    if not powers:
        return  # the loader reports it
    tests = set(trig.tests) | ({("par", trig.party)} if trig.party else set())
    covering = [p for p in powers if set(p.tests) <= tests]
    if not covering:
        ctx.report(norm.file, where, "delai_avant_declencheur.no_power",
                   norm=shown(norm.id), event=shown(trig.event))
    for power in covering:
        days = None if power.notice is None else ctx.param(power.notice.days)
        if power.notice is None or (days is not None and days < 1):
            ctx.report(norm.file, where, "delai_avant_declencheur.no_notice",
                       norm=shown(norm.id), power=shown(power.id))


def deadline_wording(ctx: Context, norm: Norm) -> None:
    """A deadline form (and a label) that agrees with the wording of the cited article, in
    the rule book's languages. A delay given by a parameter may also be worded by the
    parameter's source (e.g. a figure of an order form the article defers to)."""
    if norm.kind != "obligation" or norm.article not in ctx.tables:
        return
    key = norm.key
    spec = norm.deadline
    form = spec.form if spec is not None else None
    languages = ctx.book.agreement.languages
    words = ctx.tables.wording_of(norm.article)
    own = ctx.tables.wording_of(norm.article, with_descendants=False)
    said = _said(ctx, words)
    where = f"{key}.delai"
    standards = ctx.book.standards
    declared = standards.get(spec.standard or "") if spec is not None else None
    silent = declared is not None and not declared.in_text  # the text's silence: no words
    if spec is not None and form == "norme" and not silent:
        if spec.standard not in words:
            ctx.report(norm.file, where, "delai_incoherent.other_standard",
                       norm=shown(norm.id), standard=shown(spec.standard),
                       article=norm.article, said=said)
    elif form in (None, "norme") and own and not _claimed_by_others(ctx, norm, own):
        chosen = (FINDINGS.text("delai_incoherent.standard", standard=spec.standard)
                  if spec is not None and form else FINDINGS.text("delai_incoherent.none"))
        ctx.report(norm.file, where, "delai_incoherent.no_time_limit", norm=shown(norm.id),
                   chosen=chosen, article=norm.article, said=said)
    elif spec is not None and form == "jours":
        days = ctx.param(spec.days)
        sourced = _parameter_wording(ctx, spec.days)
        if days is not None and f"{days} jours" not in words \
                and f"{days} jours" not in sourced:
            ctx.report(norm.file, where, "delai_incoherent.other_days", norm=shown(norm.id),
                       days=days, article=norm.article, said=_said(ctx, (*words, *sourced)))
    for lang in languages:
        label = normalize(norm.label(lang))
        vague_in_label = [n for n, p in vague_wording(standards, (lang,)).items()
                          if p.search(label)]
        days_in_label = [d.split(" ")[0] for d in days_said(label, (lang,))]
        if vague_in_label and (form != "norme" or spec is None
                               or spec.standard not in vague_in_label):
            ctx.report(norm.file, f"{key}.libelle", "delai_incoherent.label_standard",
                       norm=shown(norm.id), standard=_show_wording(ctx, vague_in_label[0]),
                       deadline=_describe_deadline(ctx, norm))
        if days_in_label and (form != "jours" or spec is None
                              or str(ctx.param(spec.days)) not in days_in_label):
            ctx.report(norm.file, f"{key}.libelle", "delai_incoherent.label_days",
                       norm=shown(norm.id), days=days_in_label[0],
                       deadline=_describe_deadline(ctx, norm))


def _claimed_by_others(ctx: Context, norm: Norm, own: tuple[str, ...]) -> bool:
    """True when every delay the article states is the deadline (or window) of another norm
    of the same article: the article's sentences then each have their own rule, and a rule
    without a delay is not contradicted by another sentence's figure (e.g. a notice within
    45 days, an attempt within 45 days, and a refund with no time in the text)."""
    claimed = set()
    for other in ctx.book.norms:
        spec = other.deadline
        if other is norm or other.article != norm.article or spec is None \
                or spec.form != "jours":
            continue
        days = ctx.param(spec.days)
        if days is not None:
            claimed.add(f"{days} jours")
    stated = [w for w in own if w not in ctx.book.standards]
    return bool(stated) and len(stated) == len(own) and set(stated) <= claimed


def _parameter_wording(ctx: Context, days: int | str | None) -> tuple[str, ...]:
    """The delays in days the source of the parameter ``days`` names (none for a number)."""
    if not isinstance(days, str):
        return ()
    param = ctx.book.parameters.get(days[1:])
    if param is None:
        return ()
    return tuple(days_said(normalize(param.source), ctx.book.agreement.languages))


def _said(ctx: Context, words: tuple[str, ...]) -> Text:
    if not words:
        return FINDINGS.text("delai_incoherent.none")
    shown_words = [_show_wording(ctx, w) for w in words]
    return Text(", ".join(w.fr for w in shown_words), ", ".join(w.en for w in shown_words))


def _show_wording(ctx: Context, word: str) -> Text:
    """A vague standard's words, or a delay in days, quoted in each language."""
    standard = ctx.book.standards.get(word)
    if standard is not None:
        return FINDINGS.text("delai_incoherent.quoted", words=standard.wording)
    number, _, rest = word.partition(" jours")
    working = rest.strip() == WORKING_DAYS
    return FINDINGS.text("delai_incoherent.quoted", words=FINDINGS.text(
        "delai_incoherent.working_days" if working else "delai_incoherent.days", days=number))


def _describe_deadline(ctx: Context, norm: Norm) -> Text:
    spec = norm.deadline
    if spec is None:
        return FINDINGS.text("delai_incoherent.absent")
    if spec.form == "jours":
        return FINDINGS.text("delai_incoherent.days", days=ctx.param(spec.days))
    if spec.form == "norme":
        return FINDINGS.text("delai_incoherent.standard", standard=spec.standard)
    return Text(spec.form, spec.form)
