"""The report page: one self-contained HTML file (no network, no CDN, no external resource).

Rendered with Jinja2 and autoescaping from ``templates/rapport.html.j2`` (shipped in the
wheel). The page leads with what matters: the header (agreement, client, in force or not,
services, pending effects such as a notified termination), a summary band (owed by each
party, late, the next 7 days, due today, a pending termination), the late items, the rest of
what is owed (titles first, rule ids secondary; policy dates marked ``*`` and explained), the
aging of unpaid balances, the agenda of the next 90 days, then one timeline per obligation
with a history or a dated deadline (a date axis across the full width; obligations with one
state since they arose are grouped in one line) and the explanations.

One small inline script, allowed by its hash in the page's content security policy, sorts
the tables and opens every explanation for printing; without it the page reads the same
(tables in order of urgency, print CSS opens the explanations).
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from importlib.resources import files
from typing import Any

import attrs
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang, Status
from entente_regles.outputs.text import POLICY_MARK, owed_days, owed_deadline, parties
from entente_regles.outputs.timelines import (
    STATUS_COLOURS,
    Marker,
    Tick,
    Timeline,
    anchor,
    drawn,
    has_history,
    ident,
    scale,
    ticks,
    timelines,
)
from entente_regles.query.agenda import Agenda, AgendaItem
from entente_regles.query.aging import BUCKETS, Aging
from entente_regles.query.changes import Changes
from entente_regles.query.evaluation import Evaluation, Obligation, Snapshot
from entente_regles.query.presentation import Presentation
from entente_regles.words.reports import MESSAGES, WORDS

AGENDA_DAYS = 90
WEEK_DAYS = 7
"""The summary's "next deadlines": the agenda items of the 7 days after the date asked."""
# Rows a table of the page shows, and timelines it draws (docs/limites.md): beyond, the page
# says how many more there are and where the full list is (the CSV and JSON outputs).
MAX_ROWS = 500

# Sorts the tables marked ``tri`` by a click on a column's heading and opens every
# explanation before printing (``templates/tri.js``); allowed by its hash in the page's
# content security policy, the one script the page runs.
SORT_SCRIPT = (files("entente_regles.outputs") / "templates" / "tri.js").read_text("utf-8")
SCRIPT_HASH = "sha256-" + base64.b64encode(
    hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()).decode("ascii")


@attrs.frozen
class Explained:
    """One obligation's explanation at the foot of the page."""

    anchor: str
    heading: str
    ident: str
    status: str
    explanation: str


def _cut(total: int, command: str, lang: Lang, key: str = "rows_cut") -> str:
    """The sentence under a table cut at ``MAX_ROWS`` rows (empty when it is not cut)."""
    if total <= MAX_ROWS:
        return ""
    return MESSAGES.say(key, lang, shown=MAX_ROWS, total=total, more=total - MAX_ROWS,
                        command=command)


def _later(day: date, days: int) -> date:
    """``day`` plus ``days``, at most the calendar's last day (a report asked through the API
    near 9999-12-31 shows a shorter window instead of failing)."""
    return day + timedelta(days=days) if (date.max - day).days >= days else date.max


def _policy_date(ob: Obligation) -> str:
    """The indicative date a policy gives a vague standard (with its mark), when the
    obligation has no contractual deadline."""
    if ob.deadline is not None or ob.policy_deadline is None:
        return ""
    return ob.policy_deadline.isoformat() + POLICY_MARK


def _owed_row(o: Obligation, lang: Lang, shown: Presentation) -> dict[str, Any]:
    wording = o.standard_wording(lang)
    dated = o.deadline or o.policy_deadline
    return {
        "article": o.article, "rule": o.rule, "title": visible(o.label), "anchor": anchor(o),
        "parties": parties(o.debtor, o.creditor, lang, shown),
        "status": o.status.label(lang) + (POLICY_MARK if o.policy_late else ""),
        "status_code": o.status.value, "colour": STATUS_COLOURS[o.status],
        "deadline": owed_deadline(o, lang) if o.status is Status.SUSPENDED
        else o.deadline.isoformat() if o.deadline else (wording or "—"),
        "policy_date": _policy_date(o),
        "deadline_sort": dated.isoformat() if dated else "9999-12-31",
        "days": owed_days(o, lang),
        "days_sort": "" if o.days_left is None else str(o.days_left),
        "key": o.key or "",
        "balance": "" if o.balance is None else shown.amount(o.balance, lang),
        "balance_sort": "" if o.balance is None else str(o.balance),
        "held": MESSAGES.say("held_part", lang, amount=shown.amount(held, lang))
        if (held := o.held) else "",
        "interest": "" if (interest := o.interest) is None else shown.amount(interest, lang),
        "interest_sort": "" if interest is None else str(interest),
    }


def _agenda_row(i: AgendaItem, lang: Lang, shown: Presentation) -> dict[str, Any]:
    return {
        "on": i.on.isoformat(), "kind": i.kind_label(lang), "article": i.article,
        "rule": i.rule, "title": visible(i.title(lang)), "party": shown.party(i.party, lang),
        "key": i.key or "", "status": "" if i.status is None else i.status.label(lang),
        "colour": STATUS_COLOURS[i.status] if i.status else "#444",
        "explanation": i.explain(lang),
    }


def _summary(owed: Sequence[Obligation], agenda: Agenda, on: date, lang: Lang,
             shown: Presentation) -> dict[str, Any]:
    """The summary band: what each party owes (count, total of the balances), what is late,
    the agenda items of the next ``WEEK_DAYS`` days and those of the date asked."""
    by_party: dict[str, list[Obligation]] = {}
    for ob in owed:
        by_party.setdefault(ob.debtor, []).append(ob)

    def total(obs: Sequence[Obligation]) -> str:
        amounts = [o.balance for o in obs if o.balance is not None]
        return shown.amount(sum(amounts, Decimal(0)), lang) if amounts else ""

    late = [o for o in owed if o.status is Status.LATE]
    # a part held back by a dispute is not late (decision 71): the late total leaves it out
    held = sum((o.held or Decimal(0) for o in late), Decimal(0))
    interest = sum((o.interest or Decimal(0) for o in late), Decimal(0))
    amounts = [o.balance - (o.held or 0) for o in late if o.balance is not None]
    week_end = _later(on, WEEK_DAYS)
    return {
        "parties": [{"party": shown.party(debtor, lang), "total": total(obs),
                     "line": MESSAGES.say("summary_party", lang, count=len(obs), late=sum(
                         1 for o in obs if o.status is Status.LATE))}
                    for debtor, obs in sorted(by_party.items(),
                                              key=lambda kv: shown.party(kv[0], lang))],
        "late_count": len(late),
        "late_total": shown.amount(sum(amounts, Decimal(0)), lang) if amounts else "",
        "late_held": MESSAGES.say("summary_held", lang, amount=shown.amount(held, lang))
        if held else "",
        "late_interest": MESSAGES.say("summary_interest", lang,
                                      amount=shown.amount(interest, lang)) if interest else "",
        "late_line": MESSAGES.say("summary_late", lang, count=len(late)),
        "until": MESSAGES.say("summary_until", lang, end=_later(on, WEEK_DAYS).isoformat()),
        "week": [_agenda_row(i, lang, shown) for i in agenda if on < i.on <= week_end],
        "today": [_agenda_row(i, lang, shown) for i in agenda if i.on == on],
    }


def _single_state(snapshot: Snapshot, lang: Lang) -> dict[str, Any]:
    """The obligations with one state since they arose (standing duties in force, duties
    due with no dated deadline), grouped in one line by status, listed in a ``details``."""
    alone = [o for o in snapshot.obligations if not has_history(o)]
    counts: dict[str, int] = {}
    for ob in alone:
        label = ob.status.label(lang)
        counts[label] = counts.get(label, 0) + 1
    detail = ", ".join(f"{n} {label}" for label, n in counts.items())
    return {
        "line": MESSAGES.say("single_state", lang, count=len(alone), detail=detail)
        if alone else "",
        "members": [{"anchor": anchor(o), "title": visible(o.label), "ident": ident(o),
                   "status": o.status.label(lang)} for o in alone[:MAX_ROWS]],
        "all": alone,
    }


def _explained(groups: Sequence[Sequence[Obligation]], lang: Lang) -> list[Explained]:
    """One explanation per obligation linked from the page (each once, in the order of the
    groups: owed rows shown, timelines, obligations grouped)."""
    seen: dict[str, Explained] = {}
    for group in groups:
        for ob in group:
            name = anchor(ob)
            if name not in seen:
                seen[name] = Explained(name, visible(ob.label), ident(ob),
                                         ob.status.label(lang), ob.explain(lang))
    return list(seen.values())


def report_context(evaluation: Evaluation, client: str, on: date, lang: Lang = "fr",
                   policy: str | None = None, known_on: date | None = None,
                   reproduction: Mapping[str, Any] | None = None,
                   changes: Changes | None = None) -> dict[str, Any]:
    """Everything the template shows, as plain values (strings already in ``lang``);
    ``known_on``: as the events recorded by then tell it (default: ``on``); ``reproduction``:
    what an auditor needs to reproduce the page (``provenance.provenance``), in its footer;
    ``changes``: the digest shown below the summary (``Evaluation.changes``; None: no such
    section)."""
    words = WORDS.in_language(lang)
    snapshot = evaluation.at(on, lang, known_on=known_on)
    words["title"] = snapshot.presentation.title(lang) or words["title"]
    aging: Aging = snapshot.aging()
    agenda: Agenda = evaluation.agenda(on, _later(on, AGENDA_DAYS), as_of=on,
                                       known_on=known_on)
    shown = snapshot.presentation

    def money(amount: Decimal) -> str:
        return shown.amount(amount, lang)

    owed_all = list(snapshot.owed)
    owed_shown = owed_all[:MAX_ROWS]
    shown_drawn = drawn(snapshot, owed_all, MAX_ROWS)
    first = min([on, *[o.triggered_on for o in shown_drawn]])
    last = _later(on, AGENDA_DAYS)
    deadlines = [o.deadline for o in shown_drawn if o.deadline is not None]
    last = max([last, *[d for d in deadlines if d <= _later(on, 400)]])
    single = _single_state(snapshot, lang)
    rows = [_owed_row(o, lang, shown) for o in owed_shown]
    counts, totals = aging.counts, aging.totals
    pending = [{
        "on": r.on.isoformat(), "article": r.article,
        "what": (r.label(lang) if r.label else r.action)
        + (f" — {r.service}" if r.service else ""),
        "by": shown.party(r.event.by, lang) if r.event.by else "",
        "notice": r.event.date.isoformat(),
    } for r in evaluation.scheduled_effects(on) if r.action != "fin_entente"]
    pending_end = snapshot.termination_pending
    explained = _explained([owed_shown, shown_drawn, single["all"][:MAX_ROWS]], lang)
    # the aging rows are owed instances: their titles and links to their explanations
    titles = {(o.rule, o.key): (visible(o.label), anchor(o)) for o in owed_all}
    policy_name = MESSAGES.say("policy_name", lang, policy=policy) if policy else ""
    return {
        "lang": lang, "w": words, "client": client, "on": on.isoformat(),
        "known_on": (known_on or on).isoformat(),
        "reproduction": dict(reproduction) if reproduction is not None else None,
        "changes": changes,
        "changes_shown": [] if changes is None else list(changes)[:MAX_ROWS],
        "changes_cut": "" if changes is None else _cut(
            len(changes), f"changements --depuis {changes.since} --at {changes.on}", lang),
        "script": SORT_SCRIPT, "script_hash": SCRIPT_HASH,
        "in_force": snapshot.agreement_in_force,
        "services": ", ".join(snapshot.services_in_force) or words["none"],
        "pending": pending, "policy": policy,
        "termination": None if pending_end is None else pending_end.describe(lang),
        "summary": _summary(owed_all, agenda, on, lang, shown),
        "owed_late": [r for r in rows if r["status_code"] == Status.LATE.value],
        "owed_other": [r for r in rows if r["status_code"] != Status.LATE.value],
        "owed_count": len(owed_all),
        # an « Intérêt » column only when some interest accrued (decision 68), as in text
        "interest_column": any(r["interest_sort"] and Decimal(r["interest_sort"])
                               for r in rows),
        "owed_cut": _cut(len(owed_all), f"owed --at {on}", lang),
        "late": sum(1 for o in owed_all if o.status is Status.LATE),
        "policy_note": MESSAGES.say("policy_note", lang, mark=POLICY_MARK, name=policy_name)
        if any(r["policy_date"] for r in rows) or any(o.policy_late for o in owed_shown)
        else "",
        "aging_lines": [{
            "article": a.article, "rule": a.rule, "key": a.key or "",
            "title": titles.get((a.rule, a.key), (a.rule, ""))[0],
            "anchor": titles.get((a.rule, a.key), (a.rule, ""))[1],
            "debtor": shown.party(a.debtor, lang),
            "deadline": a.deadline.isoformat() if a.deadline else "",
            "days_past": a.days_past, "bucket": _bucket(a.bucket, lang),
            "amount": money(a.amount), "balance": money(a.balance),
            "amount_sort": str(a.amount), "balance_sort": str(a.balance),
            "held": MESSAGES.say("held_part", lang, amount=money(a.held)) if a.held else "",
        } for a in aging.lines[:MAX_ROWS]],
        "aging_cut": _cut(len(aging.lines), f"soldes --at {on}", lang),
        "aging_totals": [{"bucket": text(lang), "count": counts[code],
                          "total": money(totals[code])}
                         for code, _, text in BUCKETS],
        "aging_total": money(aging.total), "aging_count": len(aging.lines),
        "agenda": [_agenda_row(i, lang, shown) for i in agenda[:MAX_ROWS]],
        "agenda_cut": _cut(len(agenda), f"agenda --at {on} --du {on} --au "
                                       f"{_later(on, AGENDA_DAYS)}", lang),
        "timelines": timelines(shown_drawn, on, first, last, lang),
        "drawn_anchors": {anchor(o) for o in shown_drawn},
        "timelines_cut": _cut(sum(1 for o in snapshot.obligations if has_history(o)),
                              "explain", lang, "timelines_cut"),
        "single_state": single,
        "explained": explained,
        "explained_anchors": {e.anchor for e in explained},
        "axis": {"first": first.isoformat(), "last": last.isoformat(),
                 "today": scale(first, last)(on),
                 "ticks": ticks(first, last, shown.locale(lang))},
        "diagnostics": [d.describe(lang) for d in snapshot.diagnostics if d.severity != "info"],
    }


def _bucket(code: str, lang: Lang) -> str:
    from entente_regles.query.aging import bucket_label
    return bucket_label(code, lang)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (for the column names the narrow layout writes
    before each cell): quotes, backslashes, angle brackets and controls escaped."""
    out = []
    for char in text:
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescaping, strict undefined names,
    the ``visible`` filter for user text and ``css_string`` for words written in CSS. One per
    process, so each template is compiled once (a report page compiled afresh cost 0.3 s:
    ``portefeuille rapport`` writes one page per agreement); never changed once built."""
    env = Environment(loader=PackageLoader("entente_regles.outputs", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["visible"] = visible
    env.filters["css_string"] = css_string
    return env


def render_report(evaluation: Evaluation, client: str, on: date, lang: Lang = "fr",
                  policy: str | None = None, *, known_on: date | None = None,
                  reproduction: Mapping[str, Any] | None = None,
                  changes: Changes | None = None) -> str:
    """The report page for ``on``, as HTML text (deterministic for the same input);
    ``reproduction`` (``provenance.provenance(agreement, on, known_on)``) goes in its footer;
    ``changes`` is handed to the template's ``changements`` block (see ``report_context``)."""
    template = environment().get_template("rapport.html.j2")
    return template.render(**report_context(evaluation, client, on, lang, policy, known_on,
                                            reproduction, changes))


__all__ = ["AGENDA_DAYS", "MAX_ROWS", "SCRIPT_HASH", "SORT_SCRIPT", "STATUS_COLOURS",
           "WEEK_DAYS", "Explained", "Marker", "Tick", "Timeline", "css_string", "environment",
           "has_history", "render_report", "report_context"]
