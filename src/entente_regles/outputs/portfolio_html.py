"""The portfolio page: one self-contained HTML file (no network, no CDN) with one row per
client body — the balance owed by each party, the late balance, the next deadline, a
pending termination —, the totals by debtor and currency, and the agreements in error.

Rendered with Jinja2 and autoescaping from ``templates/portefeuille.html.j2``. The table
sorts by any column with a small inline script, allowed by the page's Content Security
Policy through its hash (nothing else may run); without scripts the table is in agreement
order. Each client links to its own page (``outputs.html.render_report``), written beside
the portfolio page under the name :func:`page_name` gives.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from entente_regles.core.values import Lang
from entente_regles.outputs.html import environment
from entente_regles.portfolio.snapshot import ClientLine, OwedTotal, PortfolioSnapshot
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.words.money import format_amount
from entente_regles.words.portfolio_reports import MESSAGES, WORDS

__all__ = ["SORT_SCRIPT", "Money", "page_name", "portfolio_context", "render_portfolio"]

# Sorts the client table by the column whose heading is clicked (again: the other way),
# on each cell's data-v (numbers, ISO dates) or its text. Kept to what the page needs.
SORT_SCRIPT = """\
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, column) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var down = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", down ? "ascending" : "descending");
      var numeric = th.classList.contains("num");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[column];
        var v = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent;
        return numeric ? parseFloat(v) : v;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = numeric ? x - y : (x < y ? -1 : x > y ? 1 : 0);
        return down ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(
    hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()).decode("ascii")

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def page_name(agreement: str) -> str:
    """The file name of ``agreement``'s own page beside the portfolio page: its id when it
    is a plain file name, else a plain form of it and a short hash (never a path)."""
    plain = _UNSAFE.sub("_", agreement).strip("._") or "entente"
    if plain == agreement and plain.lower() != "index":
        return f"{plain}.html"
    digest = hashlib.sha256(agreement.encode("utf-8")).hexdigest()[:8]
    return f"{plain[:60]}-{digest}.html"


class Money:
    """Amounts written in each currency's locale for a language: the presentation of an
    agreement kept in that currency (its rule book's locales), else the language's own."""

    def __init__(self, snapshot: PortfolioSnapshot, lang: Lang) -> None:
        self.lang: Lang = lang
        self._shown: dict[str | None, Presentation] = {}
        for agreement in snapshot:
            shown = snapshot.presentation(agreement)
            self._shown.setdefault(shown.currency, shown)

    def __call__(self, amount: Decimal, currency: str | None) -> str:
        shown = self._shown.get(currency)
        if shown is None:
            return format_amount(amount, currency, PLAIN.locale(self.lang))
        return shown.amount(amount, self.lang)

    def party(self, party: str) -> str:
        """``party`` by its short label (the first presentation that has one)."""
        for shown in self._shown.values():
            return shown.party(party, self.lang)
        return party


def parties_of(lines: Sequence[ClientLine]) -> list[str]:
    """The parties of the client lines, in their rule books' order, each once."""
    found: list[str] = []
    for line in lines:
        found += [p for p in line.owed if p not in found]
    return found


def termination_text(line: ClientLine, lang: Lang) -> str:
    """A short mention of the agreement's pending termination (empty when none)."""
    pending = line.termination_pending
    if pending is None:
        return ""
    return MESSAGES.say("terminating", lang, last_day=pending.last_day.isoformat())


def client_rows(snapshot: PortfolioSnapshot, lang: Lang, money: Money,
                pages: Mapping[str, str] | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """The parties shown (columns) and one row per agreement answered, as plain values."""
    lines = snapshot.by_client()
    parties = parties_of(lines)
    links = pages or {}
    rows = []
    for line in lines:
        rows.append({
            "agreement": line.agreement, "body": line.client,
            "href": links.get(line.agreement),
            "currency": line.currency or "",
            "owed": [{"text": money(line.owed.get(p, Decimal(0)), line.currency),
                      "value": str(line.owed.get(p, Decimal(0)))} for p in parties],
            "late": money(line.late, line.currency), "late_value": str(line.late),
            "late_count": line.late_count, "owed_count": line.owed_count,
            "next_deadline": line.next_deadline.isoformat() if line.next_deadline else "",
            "termination": termination_text(line, lang),
            "termination_value": (line.termination_pending.last_day.isoformat()
                                  if line.termination_pending else ""),
            "in_force": line.in_force,
        })
    return parties, rows


def total_rows(totals: Sequence[OwedTotal], money: Money) -> list[dict[str, Any]]:
    """The totals by debtor and currency, as plain values."""
    return [{"debtor": money.party(t.debtor), "currency": t.currency or "",
             "owed": money(t.owed, t.currency), "owed_count": t.owed_count,
             "late": money(t.late, t.currency), "late_count": t.late_count,
             "agreements": t.agreements, "interest": money(t.interest, t.currency)}
            for t in totals]


def portfolio_context(snapshot: PortfolioSnapshot, lang: Lang = "fr",
                      pages: Mapping[str, str] | None = None,
                      reproduction: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything the portfolio page shows, as plain values in ``lang``; ``pages``: the
    file name of each agreement's own page (no link without it)."""
    words = WORDS.in_language(lang)
    money = Money(snapshot, lang)
    parties, rows = client_rows(snapshot, lang, money, pages)
    totals = snapshot.owed_totals()
    on: date = snapshot.on
    known: date = snapshot.known_on or on
    return {
        "lang": lang, "w": words, "on": on.isoformat(), "known_on": known.isoformat(),
        "head": MESSAGES.say("head", lang, on=on, known=known, count=len(snapshot),
                             failed=len(snapshot.errors)),
        "owed_by": [MESSAGES.say("owed_by", lang, party=money.party(p)) for p in parties],
        "rows": rows, "totals": total_rows(totals, money),
        # an « Intérêt couru » column only when some interest accrued (decision 68)
        "interest_column": any(t.interest for t in totals),
        "totals_head": MESSAGES.say("totals_head", lang),
        "errors": [{"agreement": e.agreement or "", "file": e.where.file or "",
                    "line": "" if e.where.line is None else str(e.where.line),
                    "key": e.where.key or "", "message": e.describe(lang)}
                   for e in snapshot.errors],
        "script": SORT_SCRIPT, "script_hash": SCRIPT_HASH,
        "reproduction": dict(reproduction) if reproduction is not None else None,
    }


def render_portfolio(snapshot: PortfolioSnapshot, lang: Lang = "fr",
                     pages: Mapping[str, str] | None = None, *,
                     reproduction: Mapping[str, Any] | None = None) -> str:
    """The portfolio page for the snapshot's date, as HTML text (deterministic for the same
    input); ``pages`` maps agreement ids to their own pages' file names."""
    template = environment().get_template("portefeuille.html.j2")
    return template.render(**portfolio_context(snapshot, lang, pages, reproduction))

