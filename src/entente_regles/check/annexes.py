"""Annex deferral (art. 2 of the agreement): a parameter an annex may set must cite a
clause that defers to the annexes, and its quotations must be in the quoted text.
"""

from __future__ import annotations

import re

from entente_regles.check.agreement_text import DEFERRAL, normalize
from entente_regles.check.base import Context
from entente_regles.check.findings import q


def annex_deferral(ctx: Context) -> None:
    """``annexe_peut_preciser`` agrees with the clause, and sources quote the quoted text."""
    texts = {f.path: normalize(f.text) for f in ctx.book.files}
    for f in ctx.book.files:
        for i, param in enumerate(f.parameters):
            key = f"parametre[{i}]"
            source = normalize(param.source)
            defers = DEFERRAL.search(source) is not None
            if param.annex_may_override and not defers:
                ctx.add(f.path, f"{key}.source", "renvoi_annexe",
                        f"{q(param.name)} : annexe_peut_preciser = true, mais la source ne "
                        "cite aucun renvoi aux annexes (« sous réserve de … annexes », "
                        "« prévues aux annexes »…)",
                        f"'{param.name}': annexe_peut_preciser = true, but the source "
                        "quotes no deferral to the annexes")
            if param.annex_may_override and param.article in ctx.tables \
                    and not ctx.tables.defers(param.article):
                subs = [a for a in ctx.tables.descendants(param.article)
                        if a in ctx.tables.deferring]
                hint_fr = hint_en = ""
                if subs:
                    verb = "y renvoient" if len(subs) > 1 else "y renvoie"
                    hint_fr = (f" (l'art. {', '.join(subs)} {verb} : préciser "
                               f"article = {q(subs[0])} ?)")
                    hint_en = (f" (art. {', '.join(subs)} does: set "
                               f"article = '{subs[0]}'?)")
                ctx.add(f.path, f"{key}.annexe_peut_preciser", "renvoi_annexe",
                        f"{q(param.name)} : l'art. {param.article} ne renvoie pas aux "
                        f"annexes ; une annexe ne peut pas y déroger (art. 2){hint_fr}",
                        f"'{param.name}': art. {param.article} does not defer to the "
                        f"annexes; an annex cannot override it (art. 2){hint_en}")
            if not param.annex_may_override and defers:
                ctx.add(f.path, f"{key}.annexe_peut_preciser", "renvoi_annexe",
                        f"{q(param.name)} : la source cite un renvoi aux annexes, mais "
                        "annexe_peut_preciser = false",
                        f"'{param.name}': the source quotes a deferral to the annexes, but "
                        "annexe_peut_preciser = false")
            for quote in _quotes(param.source):
                if quote not in texts[f.path]:
                    ctx.add(f.path, f"{key}.source", "citation_introuvable",
                            f"{q(param.name)} : {q(quote)} ne figure pas dans le texte "
                            "cité du fichier (clé texte)",
                            f"'{param.name}': '{quote}' is not in the file's quoted text "
                            "(key texte)")
    strict = [p for p in ctx.book.parameters.values() if not p.annex_may_override]
    if strict and ctx.book.precedence is None and not ctx.partial:
        ctx.add(strict[0].file, "preseance", "renvoi_annexe",
                "des paramètres ne renvoient pas aux annexes, mais aucun fichier ne "
                "déclare [preseance] : une annexe contraire serait écartée sans citer "
                "l'article qui le veut",
                "some parameters do not defer to the annexes, but no file declares "
                "[preseance]: a contrary annex would be set aside without citing why")


def _quotes(source: str) -> list[str]:
    """The fragments quoted « … » in a source, split at ellipses, normalized."""
    out = []
    for quoted in re.findall(r"«([^»]*)»", source):
        for fragment in re.split(r"…|\.\.\.|\[…\]|\[\.\.\.\]", quoted):
            text = normalize(fragment).strip(" ,;:.")
            if len(text) >= 3:
                out.append(text)
    return out
