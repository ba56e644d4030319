"""The coverage table: every article of the agreement, encoded by which rule or left out why.

Generated from the rule files, so it cannot drift from them:
``python -m entente_regles.coverage > docs/couverture.md`` (a test checks it is current).
"""

from __future__ import annotations

import sys

from .rulebook import VAGUE_STANDARDS, Deadline, Norm, RuleBook, RuleFile


def _deadline(norm: Norm) -> str:
    d: Deadline | None = norm.deadline
    if d is None:
        return "—"
    if d.form == "jours":
        since = {"date": "de l'événement", "reception": "de la réception"}.get(d.since, d.since)
        return f"{d.days} jours {since}".replace("@", "paramètre ")
    if d.form == "norme" and d.standard:
        return f"« {VAGUE_STANDARDS[d.standard].fr} »"
    fixed = {"fin_periode": "fin de la période", "veille_effet": "veille de la prise d'effet"}
    return fixed[d.form]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _rows(rule_file: RuleFile) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for norm in rule_file.norms:
        kind = {"continue": "obligation continue", "faculte": "faculté (jamais due)"}.get(
            norm.kind, "obligation")
        extra = []
        if norm.survives_termination:
            extra.append("survit à la résiliation")
        elif norm.survival_tests:
            tests = ", ".join(f"{k} = {v}" for k, v in norm.survival_tests)
            extra.append(f"survit à la résiliation si {tests}")
        if norm.on_expiry is not None and norm.kind != "faculte":
            extra.append("à l'échéance : éteinte" if norm.lapses
                         else "à l'échéance : reste due, personne en faute d'office")
        who = f"titulaire : {norm.debtor}" if norm.kind == "faculte" \
            else f"{norm.debtor} → {norm.creditor}"
        delay = "fenêtre" if norm.kind == "faculte" else "délai"
        rows.append((norm.article, f"{norm.label.fr} ({who})",
                     f"`{norm.id}` — {kind}, {delay} : {_deadline(norm)}"
                     + (f" ; {', '.join(extra)}" if extra else "")))
    for power in rule_file.powers:
        notice = ""
        if power.notice is not None:
            notice = f", préavis {power.notice.days} jours".replace("@", "paramètre ")
        rows.append((power.article, power.label.fr,
                     f"`{power.id}` — pouvoir ({power.holder}{notice}), effet "
                     f"{power.effect.action}"))
    for effect in rule_file.effects:
        rows.append((effect.article, effect.label.fr if effect.label else effect.event,
                     f"`{effect.id}` — effet {effect.effect.action}"))
    for demand in rule_file.demands:
        rows.append((demand.article, demand.label.fr,
                     f"`{demand.id}` — demeure ({demand.source}) : l'événement "
                     f"`{demand.event}` ({demand.by}) met en demeure le débiteur de toute "
                     "obligation d'agir due qu'il nomme"
                     + (f", délai de `{demand.delay_field}` jours de la réception"
                        if demand.delay_field else ", dès sa date")))
    for control in rule_file.controls:
        rows.append((control.article, control.message.fr,
                     f"`{control.id}` — contrôle (diagnostic `{control.code}`)"))
    for permission in rule_file.permissions:
        rows.append((permission.article, permission.label.fr,
                     f"`{permission.id}` — permission, aucune obligation : "
                     f"{permission.why_no_duty}"))
    for ref in rule_file.cross_references:
        rows.append((ref.article, ref.explanation,
                     "encodé par " + ", ".join(f"`{r}`" for r in ref.rules)))
    for item in rule_file.unencoded:
        rows.append((item.article, f"« {item.text} »", f"**non encodé** : {item.reason}"))
    return rows


def encoded_articles(book: RuleBook) -> dict[str, list[str]]:
    """Article -> ids of the rules that encode it (norms, powers, effects, controls,
    permissions and cross-references)."""
    found: dict[str, list[str]] = {}
    for f in book.files:
        items = [(n.article, n.id) for n in f.norms] + [(p.article, p.id) for p in f.powers]
        items += [(e.article, e.id) for e in f.effects] + [(c.article, c.id) for c in f.controls]
        items += [(d.article, d.id) for d in f.demands]
        items += [(p.article, p.id) for p in f.permissions]
        items += [(ref.article, rule) for ref in f.cross_references for rule in ref.rules]
        for article, ident in items:
            found.setdefault(article, []).append(ident)
    return found


def _survivors(book: RuleBook) -> list[str]:
    out = []
    for norm in book.norms:
        if norm.survives_termination:
            out.append(f"`{norm.id}` ({norm.article})")
        elif norm.survival_tests:
            tests = ", ".join(f"{k} = {v}" for k, v in norm.survival_tests)
            out.append(f"`{norm.id}` ({norm.article}, si {tests})")
    return out


def coverage_markdown(book: RuleBook) -> str:
    lines = [
        "# Couverture de l'entente — coverage",
        "",
        "Généré à partir de `regles/` par `python -m entente_regles.coverage` ; ne pas modifier "
        "à la main. *Generated from the rule files; every article and sentence, encoded by "
        "which rule or left out and why.*",
        "",
        "Légende : *obligation* (à exécuter, avec délai), *obligation continue* (en vigueur "
        "jusqu'à violation), *faculté* (un droit à exercer dans une fenêtre, jamais dû), "
        "*pouvoir* (acte d'une partie et son effet), *effet*, *contrôle* (diagnostic), "
        "*demeure* (mise en demeure du débiteur), *permission* (aucune obligation), *encodé "
        "par* (renvoi à une autre règle), **non encodé** (avec la raison).",
        "",
        "Survie à la résiliation : " + "; ".join(_survivors(book)) + ". Les autres normes "
        "s'éteignent pour l'avenir à la fin de l'entente ; un défaut déjà acquis (en retard, "
        "violée) subsiste. Pourquoi : voir [decisions.md](decisions.md).",
        "",
    ]
    for rule_file in sorted(book.files, key=lambda f: f.path):
        lines += [f"## Art. {rule_file.article} — {rule_file.title}", "",
                  f"Fichier : `regles/{rule_file.path}`", "",
                  "| Article | Texte / norme | Encodage |", "|---|---|---|"]
        lines += [f"| {_cell(a)} | {_cell(t)} | {_cell(e)} |" for a, t, e in _rows(rule_file)]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    sys.stdout.write(coverage_markdown(RuleBook.bundled()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
