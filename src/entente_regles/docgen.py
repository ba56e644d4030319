"""docs/evenements.md, generated from the event vocabulary and the rules that use each type.

``python -m entente_regles.docgen > docs/evenements.md`` (a test checks it is current).
"""

from __future__ import annotations

import sys
from collections import defaultdict

from .rulebook import RuleBook
from .vocabulary import FIELD_KIND_HELP

_HEADER = """\
# Vocabulaire des événements — event vocabulary

*Every event type of `regles/evenements.toml`: its fields and their kinds, who may act, the
articles it feeds, and the rules that use it. Names and fields are a commitment: fields are
added, never renamed.*

Généré par `python -m entente_regles.docgen` à partir de `regles/evenements.toml` (la
déclaration fait foi) et des règles ; ne pas modifier à la main. Un journal d'événements
(JSON Lines, un objet par ligne) porte pour chaque événement :

| clé | sens |
|---|---|
| `type` | le type, l'un de ceux ci-dessous |
| `date` | la date de l'acte, `AAAA-MM-JJ` |
| `par` | la partie qui agit : `mcn` ou `client` (limitée par la colonne « par » ci-dessous) |
| `recu_le` | facultatif : la date de réception d'un avis, quand un délai court de la réception ; \
absente, la réception est présumée le jour de l'envoi (et l'explication le dit) ; jamais avant \
`date` |
| les champs du type | ci-dessous ; un champ non déclaré, manquant (sauf facultatif) ou mal \
formé est une erreur qui nomme le fichier, la ligne et le champ |

```json
{"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-2026-05", \
"montant": "12500.00", "periode": "2026-04"}
{"type": "paiement", "date": "2026-05-28", "par": "client", "facture": "F-2026-05", \
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
    lines = [_HEADER, "## Natures de champ — field kinds", "",
             "| nature | valeur attendue | expected value |", "|---|---|---|"]
    lines += [f"| `{kind}` | {fr} | {en} |" for kind, (fr, en) in FIELD_KIND_HELP.items()]
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


def main() -> int:
    sys.stdout.write(events_markdown(RuleBook.bundled()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
