"""References: event types used, articles that exist, parameters usable where used."""

from __future__ import annotations

from collections.abc import Iterable

from entente_regles.check.agreement_text import canonical_article
from entente_regles.check.base import Context
from entente_regles.check.findings import short
from entente_regles.rules.norms import VOCABULARY_FILE
from entente_regles.rules.rulebook import RuleBook
from entente_regles.words.check import FINDINGS


def _used_events(book: RuleBook) -> Iterable[str]:
    for norm in book.norms:
        if norm.trigger.event is not None:
            yield norm.trigger.event
        for act in (*norm.performances, *norm.extinctions, *norm.violations):
            yield act.event
        if norm.hold is not None:  # a hold and its releases (decision 71)
            yield norm.hold.event
            yield from (release.event for release in norm.hold.releases)
    term = book.vocabulary.term
    if term is not None and term.renewal_event is not None:  # renewed by an act (dec. 74)
        yield term.renewal_event
    yield from (p.event for p in book.powers)
    yield from (e.event for e in book.effects)
    yield from (c.event for c in book.controls)
    yield from (d.event for d in book.demands)


def unused_events(ctx: Context) -> None:
    """Every declared event type is used by some rule."""
    used = set(_used_events(ctx.book))
    for name in ctx.book.vocabulary.types:
        if name not in used:
            ctx.report(VOCABULARY_FILE, f"evenement.{name}", "evenement_inutilise.unused",
                       event=short(name))


def articles(ctx: Context) -> None:
    """Every article a rule file or the vocabulary cites is in the agreement's text."""
    for f in ctx.book.files:
        article(ctx, f.path, "article", f.article)
        cited: list[tuple[str, str]] = []
        cited += [(f"{n.key}.article", n.article) for n in f.norms]
        cited += [(f"{p.key}.article", p.article) for p in f.powers]
        cited += [(f"{e.key}.article", e.article) for e in f.effects]
        cited += [(f"{c.key}.article", c.article) for c in f.controls]
        cited += [(f"permission[{i}].article", p.article)
                  for i, p in enumerate(f.permissions)]
        cited += [(f"parametre[{i}].article", p.article) for i, p in enumerate(f.parameters)]
        cited += [(f"non_encode[{i}].article", u.article) for i, u in enumerate(f.unencoded)]
        cited += [(f"renvoi[{i}].article", r.article)
                  for i, r in enumerate(f.cross_references)]
        if f.precedence is not None:
            cited.append(("preseance.article", f.precedence.article))
        for key, number in cited:
            if number != f.article:  # the file's own article is checked once above
                article(ctx, f.path, key, number)
    for name, spec in ctx.book.vocabulary.types.items():
        for i, number in enumerate(spec.articles):
            article(ctx, VOCABULARY_FILE, f"evenement.{name}.articles[{i}]", number)


def article(ctx: Context, file: str, key: str, article: str) -> None:
    if article in ctx.tables:
        return
    canonical = canonical_article(article)
    hint: object = ""
    if canonical is not None and canonical in ctx.tables:
        hint = FINDINGS.text("article_inconnu.hint", article=short(canonical))
    ctx.report(file, key, "article_inconnu.absent", article=short(article), hint=hint)


def parameters(ctx: Context) -> None:
    """A parameter used as a count of days or months is an integer that makes sense there."""
    sites: list[tuple[str, str, int | str | None, str]] = []
    for norm in ctx.book.norms:
        key = norm.key
        if norm.deadline is not None and norm.deadline.form == "jours":
            sites.append((norm.file, f"{key}.delai.jours", norm.deadline.days, "jours"))
        if norm.trigger.kind == "periode" and not norm.trigger.period_year:
            sites.append((norm.file, f"{key}.declencheur.periode.mois",
                          norm.trigger.period_months, "mois"))
    for power in ctx.book.powers:
        if power.notice is not None:
            sites.append((power.file, f"{power.key}.preavis.jours",
                          power.notice.days, "jours"))
    for file, key, value, unit in sites:
        if isinstance(value, str):
            param = ctx.book.parameters.get(value[1:])
            if param is None:
                continue  # the loader reports unknown parameters
            if not isinstance(param.value, int) or isinstance(param.value, bool):
                ctx.report(file, key, "parametre_invalide.not_integer", name=value,
                           value=param.value, file=param.file)
                continue
        number = ctx.param(value)
        if number is None:
            continue
        if unit == "jours" and number < 0:
            ctx.report(file, key, "delai_avant_declencheur.negative", days=number)
        if unit == "mois" and number < 1:
            ctx.report(file, key, "parametre_invalide.months", months=number)
