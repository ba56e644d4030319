"""Annex deferral (art. 2 of the agreement): a parameter an annex may set must cite a
clause that defers to the annexes, and its quotations must be in the quoted text.
"""

from __future__ import annotations

import re

from entente_regles.check.agreement_text import deferral, normalize
from entente_regles.check.base import Context
from entente_regles.check.findings import shown
from entente_regles.words.check import FINDINGS


def annex_deferral(ctx: Context) -> None:
    """``annexe_peut_preciser`` agrees with the clause, and sources quote the quoted text."""
    texts = {f.path: normalize(f.text) for f in ctx.book.files}
    defers_in = deferral(ctx.book.agreement.languages)
    for f in ctx.book.files:
        for i, param in enumerate(f.parameters):
            key = f"parametre[{i}]"
            source = normalize(param.source)
            defers = defers_in.search(source) is not None
            if param.annex_may_override and not defers:
                ctx.report(f.path, f"{key}.source", "renvoi_annexe.no_deferral_quoted",
                           name=shown(param.name))
            if param.annex_may_override and param.article in ctx.tables \
                    and not ctx.tables.defers(param.article):
                subs = [a for a in ctx.tables.descendants(param.article)
                        if a in ctx.tables.deferring]
                hint: object = ""
                if subs:
                    hint = FINDINGS.text(
                        "renvoi_annexe.hint_many" if len(subs) > 1 else "renvoi_annexe.hint_one",
                        articles=", ".join(subs), first=shown(subs[0]))
                ctx.report(f.path, f"{key}.annexe_peut_preciser",
                           "renvoi_annexe.clause_does_not_defer", name=shown(param.name),
                           article=param.article, hint=hint)
            if not param.annex_may_override and defers:
                ctx.report(f.path, f"{key}.annexe_peut_preciser", "renvoi_annexe.not_declared",
                           name=shown(param.name))
            for quote in _quotes(param.source):
                if quote not in texts[f.path]:
                    ctx.report(f.path, f"{key}.source", "citation_introuvable.quote",
                               name=shown(param.name), quote=shown(quote))
    strict = [p for p in ctx.book.parameters.values() if not p.annex_may_override]
    if strict and ctx.book.precedence is None and not ctx.partial:
        ctx.report(strict[0].file, "preseance", "renvoi_annexe.no_precedence")


def _quotes(source: str) -> list[str]:
    """The fragments quoted « … » (or “…”) in a source, split at ellipses, normalized."""
    out = []
    for quoted in re.findall(r"«([^»]*)»|“([^”]*)”", source):
        quoted = quoted[0] or quoted[1]
        for fragment in re.split(r"…|\.\.\.|\[…\]|\[\.\.\.\]", quoted):
            text = normalize(fragment).strip(" ,;:.")
            if len(text) >= 3:
                out.append(text)
    return out
