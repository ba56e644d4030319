"""The generated documentation: docs/couverture.md (every article of the agreement, encoded by
which rule or left out why) and docs/evenements.md (the event vocabulary and the rules that use
each type), both from the rule files so they cannot drift from them (a test checks they are
current)::

    python -m entente_regles.docgen couverture > docs/couverture.md
    python -m entente_regles.docgen evenements > docs/evenements.md
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable

from entente_regles.rules.norms import Deadline, Norm, RuleFile
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.vocabulary import FIELD_KIND_HELP

# --------------------------------------------------------------------------- couverture.md


def _deadline(norm: Norm) -> str:
    d: Deadline | None = norm.deadline
    if d is None:
        return "—"
    if d.form == "jours":
        since = {"date": "de l'événement", "reception": "de la réception"}.get(d.since, d.since)
        return f"{d.days} jours {since}".replace("@", "paramètre ")
    if d.form == "norme" and d.wording is not None:
        return f"« {d.wording.fr} »"
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
        "Généré à partir de `regles/` par `python -m entente_regles.docgen couverture` ; "
        "ne pas modifier à la main. *Generated from the rule files; every article and "
        "sentence, encoded by which rule or left out and why.*",
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



# --------------------------------------------------------------------------- evenements.md

_HEADER = """\
# Vocabulaire des événements — event vocabulary

*Every event type of `regles/evenements.toml`: its fields and their kinds, who may act, the
articles it feeds, and the rules that use it. Names and fields are a commitment: fields are
added, never renamed.*

Généré par `python -m entente_regles.docgen evenements` à partir de `regles/evenements.toml` (la
déclaration fait foi) et des règles ; ne pas modifier à la main. Un journal d'événements
(JSON Lines, un objet par ligne) porte pour chaque événement :

| clé | sens |
|---|---|
| `type` | le type, l'un de ceux ci-dessous |
| `date` | la date de l'acte, `AAAA-MM-JJ` |
| `par` | la partie qui agit : `<P1>` ou `<P2>` (limitée par la colonne « par » ci-dessous) |
| `recu_le` | facultatif : la date de réception d'un avis, quand un délai court de la réception ; \
absente, la réception est présumée le jour de l'envoi (et l'explication le dit) ; jamais avant \
`date` |
| les champs du type | ci-dessous ; un champ non déclaré, manquant (sauf facultatif) ou mal \
formé est une erreur qui nomme le fichier, la ligne et le champ |

```json
{"type": "facture_emise", "date": "2026-05-01", "par": "<P1>", "facture": "F-2026-05", \
"montant": "12500.00", "periode": "2026-04"}
{"type": "paiement", "date": "2026-05-28", "par": "<P2>", "facture": "F-2026-05", \
"montant": "12500.00"}
```
"""


def _uses(book: RuleBook) -> dict[str, list[str]]:
    uses: dict[str, list[str]] = defaultdict(list)
    for n in book.norms:
        if n.trigger.event:
            uses[n.trigger.event].append(f"déclenche `{n.id}` ({n.article})")
        perform = "exerce la faculté" if n.kind == "faculte" else "exécute"
        for role, acts in ((perform, n.performances), ("éteint", n.extinctions),
                           ("viole", n.violations)):
            for a in acts:
                uses[a.event].append(f"{role} `{n.id}` ({n.article})")
    for p in book.powers:
        uses[p.event].append(f"exerce le pouvoir `{p.id}` ({p.article})")
    for e in book.effects:
        uses[e.event].append(f"produit l'effet `{e.id}` ({e.article})")
    for c in book.controls:
        uses[c.event].append(f"contrôlé par `{c.id}` ({c.article})")
    for d in book.demands:
        uses[d.event].append(f"met en demeure le débiteur de l'obligation nommée : `{d.id}` "
                             f"({d.article} ; {d.source})")
    return uses


def events_markdown(book: RuleBook) -> str:
    uses = _uses(book)
    types = book.vocabulary.types
    parties = book.parties  # two or more
    who = f"{', '.join(f'`{p}`' for p in parties[:-1])} ou `{parties[-1]}`"
    header = _HEADER.replace("`<P1>` ou `<P2>`", who).replace("<P1>", parties[0]) \
        .replace("<P2>", parties[1])
    lines = [header, "## Natures de champ — field kinds", "",
             "| nature | valeur attendue | expected value |", "|---|---|---|"]
    lines += [f"| `{kind}` | {' | '.join(book.vocabulary.kind_help(kind))} |"
              for kind in FIELD_KIND_HELP]
    lines += ["", "## Résumé — summary", "", "| type | par | champs | articles |",
              "|---|---|---|---|"]
    for name, t in types.items():
        fields = ", ".join(f"`{f}`" + (" (fac.)" if s.optional else "")
                           for f, s in t.fields.items())
        lines.append(f"| [`{name}`](#{name}) | {', '.join(t.parties)} | {fields} | "
                     f"{', '.join(t.articles)} |")
    lines += ["", "## Types", ""]
    for name, t in types.items():
        lines += [f"### `{name}`", "", f"**{t.label.fr}** — *{t.label.en}*", ""]
        if t.description is not None:
            lines += [f"{t.description.fr} *{t.description.en}*", ""]
        lines.append(f"- par / by : {', '.join(f'`{p}`' for p in t.parties)}")
        lines.append(f"- articles : {', '.join(t.articles)}")
        lines.append("- champs / fields :")
        lines += [f"  - `{f}` : {s.kind}" + (" (facultatif / optional)" if s.optional else "")
                  + (f" — valeurs / values : {', '.join(f'`{c}`' for c in s.choices)}"
                     if s.choices else "")
                  for f, s in t.fields.items()]
        lines += [f"- règles / rules : {'; '.join(uses[name]) if uses[name] else 'aucune'}", ""]
    return "\n".join(lines).rstrip() + "\n"



DOCUMENTS: dict[str, Callable[[RuleBook], str]] = {
    "couverture": coverage_markdown, "evenements": events_markdown}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in DOCUMENTS:
        sys.stderr.write(f"usage : python -m entente_regles.docgen {{{'|'.join(DOCUMENTS)}}}\n")
        return 2
    sys.stdout.write(DOCUMENTS[args[0]](RuleBook.bundled()))
    return 0
