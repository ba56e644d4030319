"""Reports for people: what is owed on a date, as an aligned table or as JSON.

Amounts are written in the agreement's currency and the locale of the language, parties by
their short labels: both through the ``presentation`` each answer carries
(``query.presentation``, one formatting of money: ``words.money.format_amount``).

``bundled_example`` (the example agreement and event log shipped inside the package) lives
in :mod:`entente_regles.resources`; it is re-exported here, where it was first documented.
"""

from __future__ import annotations

import io
import shlex
import textwrap
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from rich.box import Box
from rich.console import Console
from rich.table import Table

from entente_regles.core.event import Diagnostic
from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang, Status
from entente_regles.query.evaluation import Snapshot
from entente_regles.query.obligations import Obligation
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.rules.resources import bundled_example
from entente_regles.words.command import severity_label
from entente_regles.words.reports import MESSAGES, WORDS

if TYPE_CHECKING:
    from entente_regles.query.agenda import Agenda
    from entente_regles.query.aging import Aging

WIDTH = 119  # fits a 120-column terminal
POLICY_MARK = "*"
MAX_CELL = 200  # characters of user text shown in a cell (folded over a few lines)
MAX_LINE = 2000  # characters of a diagnostic shown (the full text is in the JSON)
# A header, a dashed rule under it, nothing else: plain text that survives any pipe.
_DASHED = Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)

__all__ = ["agenda_table", "aging_table", "bundled_example", "new_table", "owed_days",
           "owed_deadline", "owed_json", "owed_table", "parties", "render"]


def _days(days_left: int | None, lang: Lang) -> str:
    if days_left is None:
        return ""
    if days_left == 0:
        return MESSAGES.say("today", lang)
    if days_left > 0:
        return MESSAGES.say("days_left", lang, days=days_left)
    return MESSAGES.say("days_late", lang, days=-days_left)


def parties(debtor: str, creditor: str, lang: Lang,
            presentation: Presentation = PLAIN) -> str:
    """``debtor → creditor`` by the parties' short labels (one of them when the same)."""
    if debtor == creditor:
        return presentation.party(debtor, lang)
    return f"{presentation.party(debtor, lang)} → {presentation.party(creditor, lang)}"


POLICY_DATE_MARK = "†"


def _deadline(deadline: date | None, wording: str | None, policy: date | None = None) -> str:
    """A deadline's date; else the policy's indicative date of a vague standard, marked
    ``†`` (never contractual: the footnote says so), as the JSON's ``echeance_politique``;
    else the standard's wording (the rule book's), else "—"."""
    if deadline is not None:
        return deadline.isoformat()
    if policy is not None:
        return f"{policy.isoformat()} {POLICY_DATE_MARK}"
    return wording if wording is not None else "—"


def owed_deadline(ob: Obligation, lang: Lang) -> str:
    """The deadline cell of an owed instance: a suspended one has none while suspended, and
    says since when (decision 69)."""
    since = ob.suspended_since if ob.status is Status.SUSPENDED else None
    if since is not None:
        return MESSAGES.say("suspended_since", lang, since=since.isoformat())
    return _deadline(ob.deadline, ob.standard_wording(lang), ob.policy_deadline)


def owed_days(ob: Obligation, lang: Lang) -> str:
    """The days cell: none for an instance still due past its deadline, whose only unpaid
    part is held back by a dispute (never late, decision 71), nor for a suspended one."""
    if ob.status is not Status.LATE and (ob.days_left or 0) < 0:
        return ""
    return _days(ob.days_left, lang)


# Beyond this many rows a table is laid out without rich (whose layout costs about 2.5 ms a
# row: 100,000 owed invoices took minutes), in the same columns; a line may then pass WIDTH.
PLAIN_ROWS = 2000


def _plain(table: Table) -> str:
    """``table`` as ``render`` lays it out when nothing needs folding, in linear time."""
    from rich.cells import cell_len
    columns = [(str(c.header), [str(v) for v in c.cells], c.justify == "right")
               for c in table.columns]
    widths = [max([cell_len(head), *(cell_len(v) for v in cells)])
              for head, cells, _ in columns]

    def line(values: Sequence[str]) -> str:
        parts = []
        for value, width, (_, _, right) in zip(values, widths, columns, strict=True):
            pad = " " * (width - cell_len(value))
            parts.append((pad + value if right else value + pad) + " ")
        return " ".join(parts).rstrip()
    last = len(widths) - 1  # pad_edge=False: no padding right of the last column
    lines = [line([head for head, _, _ in columns]),
             " ".join("-" * (width + (i < last)) for i, width in enumerate(widths))]
    lines += (line(row) for row in zip(*(cells for _, cells, _ in columns), strict=True))
    return "\n".join(lines)


def render(table: Table, out: TextIO | None = None) -> str:
    """``table`` as plain text (no colour, no escape sequence), lines right-stripped.

    The width is ``WIDTH`` so that piped output is the same everywhere; a table of more than
    ``PLAIN_ROWS`` rows is laid out plainly (``_plain``)."""
    if table.row_count > PLAIN_ROWS:
        return _plain(table)
    buffer = io.StringIO()
    console = Console(file=buffer, width=WIDTH, color_system=None, force_terminal=False,
                      no_color=True, highlight=False, markup=False, emoji=False,
                      legacy_windows=False, soft_wrap=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())


def new_table(columns: Sequence[str], right: frozenset[int] = frozenset(),
              fold: frozenset[int] = frozenset()) -> Table:
    """A plain table: a header, a dashed rule under it, columns two spaces apart."""
    table = Table(box=_DASHED, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0),
                  show_header=True, header_style=None, expand=False)
    for i, name in enumerate(columns):
        table.add_column(name, justify="right" if i in right else "left",
                         overflow="fold", no_wrap=i not in fold)
    return table


def cell(text: str | None) -> str:
    """User text for a table cell: control characters made visible, very long text cut
    (the exact value stays in JSON and CSV)."""
    if text is None:
        return ""
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + "…"
    return visible(text)


def _wrap(text: str, indent: str = "  ") -> list[str]:
    text = text if len(text) <= MAX_LINE else text[:MAX_LINE] + "…"
    return textwrap.wrap(visible(text), WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "  ",
                         break_on_hyphens=False, break_long_words=True) or [indent]


def owed_table(snapshot: Snapshot, client: str, lang: Lang = "fr", *, policy: str | None = None,
               all_diagnostics: bool = False) -> str:
    """The ``owed`` report: header, one line per owed instance, then the diagnostics.

    ``policy`` names the organisational policy, for the footnote on policy lateness.
    """
    on = snapshot.on
    known = snapshot.known_on or on
    head = MESSAGES.say(
        "owed_head", lang, client=client, on=on.isoformat(), known=known.isoformat(),
        state=WORDS.say("in_force" if snapshot.agreement_in_force else "not_in_force", lang),
        services=", ".join(snapshot.services_in_force) or WORDS.say("none", lang))
    lines = textwrap.wrap(visible(head), WIDTH, subsequent_indent="  ",
                          break_on_hyphens=False)
    for line in snapshot.term_lines(lang):
        lines += _wrap(line)
    if snapshot.termination_pending is not None:
        lines += _wrap(snapshot.termination_pending.describe(lang))
    lines.append("")

    owed = list(snapshot.owed)
    if not owed:
        lines.append(WORDS.say("nothing_owed", lang))
    else:
        late = sum(1 for o in owed if o.status is Status.LATE)
        lines.append(MESSAGES.say("owed_count", lang, count=len(owed), late=late))
        header = _columns(lang, "art", "rule", "parties", "status", "deadline", "days", "key",
                          "balance")
        presentation = snapshot.presentation
        held = _held_column(owed, header, lang)  # decision 71
        interest = _interest_column(owed, header, lang)  # decision 68
        table = new_table(header, right=frozenset({7, 8, 9}), fold=frozenset({4, 6}))
        for ob in owed:
            status = ob.status.label(lang) + (POLICY_MARK if ob.policy_late else "")
            table.add_row(
                ob.article, ob.rule, cell(parties(ob.debtor, ob.creditor, lang, presentation)),
                status, owed_deadline(ob, lang), owed_days(ob, lang), cell(ob.key),
                "" if ob.balance is None else presentation.amount(ob.balance, lang),
                *held(ob.held, presentation), *interest(ob.interest, presentation))
        lines += render(table).splitlines()
        if any(o.held for o in owed):
            lines += _wrap(MESSAGES.say("held_note", lang), indent="")
        if any(o.status is Status.SUSPENDED for o in owed):
            lines += _wrap(MESSAGES.say("suspended_note", lang), indent="")
        name = MESSAGES.say("policy_name", lang, policy=policy) if policy else ""
        dated = [o for o in owed if o.deadline is None and o.policy_deadline is not None]
        if dated:
            wordings = sorted({w for o in dated if (w := o.standard_wording(lang))})
            lines += _wrap(MESSAGES.say(
                "policy_date", lang, mark=POLICY_DATE_MARK, name=name,
                standards=", ".join(MESSAGES.say("quoted", lang, text=w) for w in wordings)
                or "—"), indent="")
        if any(o.policy_late for o in owed):
            lines += _wrap(MESSAGES.say("policy_late", lang, mark=POLICY_MARK, name=name),
                           indent="")
        first = next((o for o in owed if o.status is Status.LATE), owed[0])
        key = f" {_shell_word(first.key)}" if first.key else ""
        lines += _wrap(MESSAGES.say(
            "line_details", lang,
            command=f"entente-regles explain {first.rule}{key} --at {on.isoformat()}"
            + (f" --connu-le {known.isoformat()}" if known != on else "")), indent="")

    shown, hidden = _diagnostics(snapshot.diagnostics, all_diagnostics)
    if shown or hidden:
        lines.append("")
        lines.append(MESSAGES.say("diagnostics_on", lang, on=on.isoformat(),
                                  count=len(shown)))
        for diag in shown:
            lines += _wrap(f"[{severity_label(diag.severity, lang)}] " + diag.describe(lang))
        if hidden:
            lines.append(MESSAGES.say("hidden_diagnostics", lang, hidden=hidden))
    return "\n".join(lines) + "\n"


def _shell_word(text: str) -> str:
    """``text`` quoted for a shell command line, then made visible."""
    return visible(shlex.quote(text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…"))


def agenda_table(agenda: Agenda, client: str, lang: Lang = "fr") -> str:
    """The ``agenda`` report: one line per dated item, then how to get an explanation."""
    head = MESSAGES.say("agenda_head", lang, client=client, start=agenda.start,
                        end=agenda.end, count=len(agenda))
    lines = textwrap.wrap(visible(head), WIDTH, subsequent_indent="  ")
    if not len(agenda):
        lines.append(MESSAGES.say("agenda_empty", lang))
        return "\n".join(lines) + "\n"
    header = _columns(lang, "date", "kind", "art", "rule", "party", "key", "status")
    table = new_table(header, fold=frozenset({1, 3, 5}))
    shown = agenda.presentation
    for item in agenda:
        table.add_row(item.on.isoformat(), item.kind_label(lang), item.article, item.rule,
                      cell(shown.party(item.party, lang)), cell(item.key),
                      "" if item.status is None else item.status.label(lang))
    lines += render(table).splitlines()
    lines += _wrap(MESSAGES.say("agenda_details", lang), indent="")
    return "\n".join(lines) + "\n"


def aging_table(aging: Aging, client: str, lang: Lang = "fr") -> str:
    """The ``soldes`` report: unpaid balances by days past deadline, totals per bucket."""
    from entente_regles.query.aging import BUCKETS, bucket_label
    on = aging.on.isoformat()
    shown = aging.presentation
    lines = [visible(MESSAGES.say("aging_head", lang, client=client, on=on)), ""]
    if aging.lines:
        header = _columns(lang, "art", "rule", "key", "debtor", "deadline", "days_past",
                          "bucket", "amount", "balance")
        held = _held_column(aging.lines, header, lang)  # decision 71
        interest = _interest_column(aging.lines, header, lang)  # decision 68
        table = new_table(header, right=frozenset({5, 7, 8, 9, 10}), fold=frozenset({1, 2}))
        for line in aging.lines:
            table.add_row(line.article, line.rule, cell(line.key),
                          cell(shown.party(line.debtor, lang)),
                          "" if line.deadline is None else line.deadline.isoformat(),
                          str(line.days_past), bucket_label(line.bucket, lang),
                          shown.amount(line.amount, lang), shown.amount(line.balance, lang),
                          *held(line.held, shown), *interest(line.interest, shown))
        lines += render(table).splitlines()
        if any(line.held for line in aging.lines):
            lines += _wrap(MESSAGES.say("aging_held", lang), indent="")
        lines.append("")
    else:
        lines += [MESSAGES.say("aging_none", lang), ""]
    totals = new_table(_columns(lang, "bucket", "count", "total"), right=frozenset({1, 2}))
    counts, sums = aging.counts, aging.totals
    for code, _, text in BUCKETS:
        totals.add_row(text(lang), str(counts[code]), shown.amount(sums[code], lang))
    totals.add_row(WORDS.say("total", lang), str(len(aging.lines)),
                   shown.amount(aging.total, lang))
    lines += render(totals).splitlines()
    return "\n".join(lines) + "\n"


class _HasInterest(Protocol):
    @property
    def interest(self) -> Decimal | None: ...


def _interest_column(rows: Sequence[_HasInterest], header: list[str], lang: Lang
                     ) -> Callable[[Decimal | None, Presentation], tuple[str, ...]]:
    """An « Intérêt » column, added to ``header`` only when some row has accrued interest
    (decision 68: tables without interest keep their columns); the cells it gives."""
    if not any(row.interest for row in rows):
        return lambda value, shown: ()
    header.append(WORDS.say("interest", lang))
    return lambda value, shown: ("" if value is None else shown.amount(value, lang),)


class _HasHeld(Protocol):
    @property
    def held(self) -> Decimal | None: ...


def _held_column(rows: Sequence[_HasHeld], header: list[str], lang: Lang
                 ) -> Callable[[Decimal | None, Presentation], tuple[str, ...]]:
    """A « Retenu » column, added to ``header`` only when some row has a part of its balance
    held back by a dispute on the date (decision 71); the cells it gives (blank: none)."""
    if not any(row.held for row in rows):
        return lambda value, shown: ()
    header.append(WORDS.say("held", lang))
    return lambda value, shown: ("" if not value else shown.amount(value, lang),)


def _columns(lang: Lang, *names: str) -> list[str]:
    """The column names of a table in ``lang`` (``words.reports.WORDS``)."""
    return [WORDS.say(name, lang) for name in names]


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
