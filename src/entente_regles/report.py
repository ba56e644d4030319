"""Reports for people: what is owed on a date, as an aligned table or as JSON.

``bundled_example`` (the example agreement and event log shipped inside the package) lives
in :mod:`entente_regles.resources`; it is re-exported here, where it was first documented.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .evaluation import Snapshot
from .model import VAGUE_STANDARDS, Diagnostic, Lang, Status
from .resources import bundled_example

WIDTH = 99  # fits a 100-column terminal
POLICY_MARK = "*"

__all__ = ["bundled_example", "format_money", "owed_json", "owed_table"]


def format_money(amount: Decimal, lang: Lang = "fr") -> str:
    """``12 500,00 $`` in French, ``$12,500.00`` in English (no rounding: exact Decimal)."""
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}" if amount == amount.quantize(Decimal("0.01")) \
        else f"{abs(amount):,f}"
    if lang == "fr":
        text = text.replace(",", "\u00a0").replace(".", ",")
        return f"{sign}{text}\u00a0$"
    return f"{sign}${text}"


def _days(days_left: int | None, lang: Lang) -> str:
    if days_left is None:
        return ""
    if days_left == 0:
        return "aujourd'hui" if lang == "fr" else "today"
    if days_left > 0:
        return f"dans {days_left} j" if lang == "fr" else f"in {days_left} d"
    return f"retard {-days_left} j" if lang == "fr" else f"{-days_left} d late"


def _parties(debtor: str, creditor: str) -> str:
    if debtor == creditor:
        return debtor
    return f"{debtor} → {creditor}"


def _deadline(deadline: date | None, standard: str | None, lang: Lang) -> str:
    if deadline is not None:
        return deadline.isoformat()
    if standard is not None and standard in VAGUE_STANDARDS:
        return VAGUE_STANDARDS[standard](lang)
    return "—"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]],
           right: frozenset[int] = frozenset()) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        out = [c.rjust(w) if i in right else c.ljust(w)
               for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(out).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_on_hyphens=False) or [indent]


def owed_table(snapshot: Snapshot, client: str, lang: Lang = "fr", *, policy: str | None = None,
               all_diagnostics: bool = False) -> str:
    """The ``owed`` report: header, one line per owed instance, then the diagnostics.

    ``policy`` names the organisational policy, for the footnote on policy lateness.
    """
    fr = lang == "fr"
    on = snapshot.on
    known = snapshot.known_on or on
    if fr:
        state = "entente en vigueur" if snapshot.agreement_in_force else "entente PAS en vigueur"
        services = ", ".join(snapshot.services_in_force) or "aucun"
        head = (f"{client} au {on.isoformat()}, connu le {known.isoformat()} — {state} — "
                f"services en vigueur : {services}")
    else:
        state = "agreement in force" if snapshot.agreement_in_force else "agreement NOT in force"
        services = ", ".join(snapshot.services_in_force) or "none"
        head = (f"{client} on {on.isoformat()}, as known on {known.isoformat()} — {state} — "
                f"services in force: {services}")
    lines = textwrap.wrap(head, WIDTH, subsequent_indent="  ", break_on_hyphens=False)
    if snapshot.termination_pending is not None:
        lines += _wrap(snapshot.termination_pending.describe(lang))
    lines.append("")

    owed = list(snapshot.owed)
    if not owed:
        lines.append("Rien n'est dû à cette date." if fr else "Nothing is owed on this date.")
    else:
        late = sum(1 for o in owed if o.status is Status.LATE)
        lines.append(f"Obligations dues : {len(owed)} (dont {late} en retard)" if fr else
                     f"Obligations owed: {len(owed)} ({late} late)")
        header = (["Art.", "Dû par → à", "Statut", "Échéance", "Jours", "Clé", "Solde"]
                  if fr else
                  ["Art.", "Owed by → to", "Status", "Deadline", "Days", "Key", "Balance"])
        rows = []
        for ob in owed:
            status = ob.status.label(lang) + (POLICY_MARK if ob.policy_late else "")
            rows.append([
                ob.article, _parties(ob.debtor, ob.creditor), status,
                _deadline(ob.deadline, ob.standard, lang), _days(ob.days_left, lang),
                ob.key or "", "" if ob.balance is None else format_money(ob.balance, lang),
            ])
        lines += _table(header, rows, right=frozenset({6}))
        if any(o.policy_late for o in owed):
            name = f" « {policy} »" if fr and policy else f" '{policy}'" if policy else ""
            lines += _wrap(
                f"{POLICY_MARK} en retard selon la politique{name} seulement (délai indicatif "
                "dépassé) : pas un retard contractuel." if fr else
                f"{POLICY_MARK} late under the policy{name} only (indicative deadline passed): "
                "not contractually late.", indent="")
        first = next((o for o in owed if o.status is Status.LATE), owed[0])
        key = f" {first.key}" if first.key else ""
        lines += _wrap(("Détail d'une ligne : " if fr else "Details of a line: ")
                       + f"entente-regles explain {first.rule}{key} --at {on.isoformat()}"
                       + (f" --connu-le {known.isoformat()}" if known != on else ""),
                       indent="")

    shown, hidden = _diagnostics(snapshot.diagnostics, all_diagnostics)
    if shown or hidden:
        lines.append("")
        lines.append(f"Diagnostics au {on.isoformat()} : {len(shown)}" if fr else
                     f"Diagnostics up to {on.isoformat()}: {len(shown)}")
        for diag in shown:
            lines += _wrap(f"[{diag.severity}] " + diag.describe(lang))
        if hidden:
            lines.append(f"  (+ {hidden} diagnostic(s) d'information : --all-diagnostics)" if fr
                         else f"  (+ {hidden} informational diagnostic(s): --all-diagnostics)")
    return "\n".join(lines) + "\n"


def _diagnostics(diagnostics: Sequence[Diagnostic],
                 include_info: bool) -> tuple[list[Diagnostic], int]:
    shown = [d for d in diagnostics if include_info or d.severity != "info"]
    return shown, len(diagnostics) - len(shown)


def owed_json(snapshot: Snapshot, client: str,
              reproduction: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``snapshot.to_dict()`` with the client's acronym at the top level and, when given, the
    ``reproduction`` block (version and fingerprints, see ``provenance``)."""
    report: dict[str, Any] = {"client": client, **snapshot.to_dict()}
    if reproduction is not None:
        report["reproduction"] = dict(reproduction)
    return report
