"""The report page: one self-contained HTML file (no network, no script, no CDN).

Rendered with Jinja2 and autoescaping from ``templates/rapport.html.j2`` (shipped in the
wheel). Sections: the header (agreement, client, in force or not, services, pending
effects such as a notified termination), the owed table, the aging of unpaid balances, the
agenda of the next 90 days, and one SVG timeline per obligation (born, deadline,
performed or ended, coloured by status), each linked to its explanation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang, OptionStatus, Status
from entente_regles.outputs.text import _days, _deadline, parties
from entente_regles.query.agenda import Agenda
from entente_regles.query.aging import BUCKETS, Aging
from entente_regles.query.evaluation import Evaluation, Obligation, Snapshot
from entente_regles.words.reports import MESSAGES, WORDS

AGENDA_DAYS = 90
# Rows a table of the page shows, and timelines it draws (docs/limites.md): beyond, the page
# says how many more there are and where the full list is (the CSV and JSON outputs).
MAX_ROWS = 500
SVG_WIDTH = 640
SVG_HEIGHT = 34
_MARGIN = 8

STATUS_COLOURS: dict[Status | OptionStatus, str] = {
    OptionStatus.OPEN: "#6a1b9a",
    OptionStatus.EXERCISED: "#2e7d32",
    OptionStatus.EXPIRED: "#757575",
    Status.DUE: "#1f6fb2",
    Status.LATE: "#c62828",
    Status.SATISFIED: "#2e7d32",
    Status.SATISFIED_LATE: "#ef6c00",
    Status.DISCHARGED: "#757575",
    Status.IN_FORCE: "#00838f",
    Status.BREACHED: "#8e0000",
}


@attrs.frozen
class Marker:
    """One mark on a timeline: its x position, shape and what it says."""

    x: float
    shape: str
    title: str


@attrs.frozen
class Timeline:
    """The SVG data of one obligation's timeline."""

    anchor: str
    heading: str
    colour: str
    status: str
    x_start: float
    x_end: float
    markers: tuple[Marker, ...]
    explanation: str


def _anchor(ob: Obligation) -> str:
    ident = "\x1f".join((ob.rule, ob.key or "", ob.triggered_on.isoformat()))
    return "ob-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]


def _scale(first: date, last: date) -> Any:
    span = max((last - first).days, 1)
    usable = SVG_WIDTH - 2 * _MARGIN

    def x(day: date) -> float:
        return round(_MARGIN + usable * (day - first).days / span, 1)
    return x


def _cut(total: int, command: str, lang: Lang, key: str = "rows_cut") -> str:
    """The sentence under a table cut at ``MAX_ROWS`` rows (empty when it is not cut)."""
    if total <= MAX_ROWS:
        return ""
    return MESSAGES.say(key, lang, shown=MAX_ROWS, total=total, more=total - MAX_ROWS,
                        command=command)


def _drawn(snapshot: Snapshot, shown: Sequence[Obligation]) -> list[Obligation]:
    """The obligations given a timeline: those of the owed rows shown first, then the others,
    in the snapshot's order, ``MAX_ROWS`` at most."""
    every = list(snapshot.obligations)
    if len(every) <= MAX_ROWS:
        return every
    chosen = {_anchor(o) for o in shown[:MAX_ROWS]}
    for ob in every:
        if len(chosen) >= MAX_ROWS:
            break
        chosen.add(_anchor(ob))
    return [ob for ob in every if _anchor(ob) in chosen][:MAX_ROWS]


def _timelines(obligations: Sequence[Obligation], on: date, first: date, last: date,
               lang: Lang) -> list[Timeline]:
    x = _scale(first, last)
    out = []
    for ob in obligations:
        closed = ob.performed_on or ob.ended_on
        end = min(closed or on, last)
        markers = [Marker(x(ob.triggered_on), "born", f"{ob.triggered_on}")]
        if ob.deadline is not None and first <= ob.deadline <= last:
            markers.append(Marker(x(ob.deadline), "deadline", f"{ob.deadline}"))
        if ob.performed_on is not None:
            markers.append(Marker(x(ob.performed_on), "performed", f"{ob.performed_on}"))
        elif ob.ended_on is not None:
            markers.append(Marker(x(ob.ended_on), "ended", f"{ob.ended_on}"))
        elif ob.status is Status.BREACHED:
            markers.append(Marker(x(on), "ended", f"{on}"))
        key = f" — {ob.key}" if ob.key else ""
        out.append(Timeline(
            _anchor(ob), visible(f"Art. {ob.article} · {ob.rule}{key}"),
            STATUS_COLOURS[ob.status], ob.status.label(lang), x(ob.triggered_on), x(end),
            tuple(markers), ob.explain(lang)))
    return out


def _later(day: date, days: int) -> date:
    """``day`` plus ``days``, at most the calendar's last day (a report asked through the API
    near 9999-12-31 shows a shorter window instead of failing)."""
    return day + timedelta(days=days) if (date.max - day).days >= days else date.max


def report_context(evaluation: Evaluation, client: str, on: date, lang: Lang = "fr",
                   policy: str | None = None, known_on: date | None = None,
                   reproduction: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything the template shows, as plain values (strings already in ``lang``);
    ``known_on``: as the events recorded by then tell it (default: ``on``); ``reproduction``:
    what an auditor needs to reproduce the page (``provenance.provenance``), in its footer."""
    words = WORDS.in_language(lang)
    snapshot = evaluation.at(on, lang, known_on=known_on)
    words["title"] = snapshot.presentation.title(lang) or words["title"]
    aging: Aging = snapshot.aging()
    agenda: Agenda = evaluation.agenda(on, _later(on, AGENDA_DAYS), as_of=on,
                                       known_on=known_on)
    births = [o.triggered_on for o in snapshot.obligations]
    first = min([on, *births])
    last = _later(on, AGENDA_DAYS)
    deadlines = [o.deadline for o in snapshot.obligations if o.deadline is not None]
    last = max([last, *[d for d in deadlines if d <= _later(on, 400)]])
    shown = snapshot.presentation

    def money(amount: Decimal) -> str:
        return shown.amount(amount, lang)

    owed_all = list(snapshot.owed)
    drawn = _drawn(snapshot, owed_all)
    owed = [{
        "article": o.article, "rule": o.rule, "anchor": _anchor(o),
        "parties": parties(o.debtor, o.creditor, lang, shown),
        "status": o.status.label(lang) + ("*" if o.policy_late else ""),
        "status_code": o.status.value, "colour": STATUS_COLOURS[o.status],
        "deadline": _deadline(o.deadline, o.standard_wording(lang)),
        "days": _days(o.days_left, lang), "key": o.key or "",
        "balance": "" if o.balance is None else money(o.balance),
    } for o in owed_all[:MAX_ROWS]]
    counts, totals = aging.counts, aging.totals
    pending = [{
        "on": r.on.isoformat(), "article": r.article,
        "what": (r.label(lang) if r.label else r.action)
        + (f" — {r.service}" if r.service else ""),
        "by": shown.party(r.event.by, lang) if r.event.by else "",
        "notice": r.event.date.isoformat(),
    } for r in evaluation.scheduled_effects(on) if r.action != "fin_entente"]
    pending_end = snapshot.termination_pending
    return {
        "lang": lang, "w": words, "client": client, "on": on.isoformat(),
        "known_on": (known_on or on).isoformat(),
        "reproduction": dict(reproduction) if reproduction is not None else None,
        "in_force": snapshot.agreement_in_force,
        "services": ", ".join(snapshot.services_in_force) or words["none"],
        "pending": pending, "policy": policy,
        "termination": None if pending_end is None else pending_end.describe(lang),
        "owed": owed, "owed_count": len(owed_all),
        "owed_cut": _cut(len(owed_all), f"owed --at {on}", lang),
        "late": sum(1 for o in owed_all if o.status is Status.LATE),
        "aging_lines": [{
            "article": a.article, "rule": a.rule, "key": a.key or "",
            "debtor": shown.party(a.debtor, lang),
            "deadline": a.deadline.isoformat() if a.deadline else "",
            "days_past": a.days_past, "bucket": _bucket(a.bucket, lang),
            "amount": money(a.amount), "balance": money(a.balance),
        } for a in aging.lines[:MAX_ROWS]],
        "aging_cut": _cut(len(aging.lines), f"soldes --at {on}", lang),
        "aging_totals": [{"bucket": text(lang), "count": counts[code],
                          "total": money(totals[code])}
                         for code, _, text in BUCKETS],
        "aging_total": money(aging.total), "aging_count": len(aging.lines),
        "agenda": [{
            "on": i.on.isoformat(), "kind": i.kind_label(lang), "article": i.article,
            "rule": i.rule, "party": shown.party(i.party, lang), "key": i.key or "",
            "status": "" if i.status is None else i.status.label(lang),
            "colour": STATUS_COLOURS[i.status] if i.status else "#444",
            "explanation": i.explain(lang),
        } for i in agenda[:MAX_ROWS]],
        "agenda_cut": _cut(len(agenda), f"agenda --at {on} --du {on} --au "
                                       f"{_later(on, AGENDA_DAYS)}", lang),
        "timelines": _timelines(drawn, on, first, last, lang),
        "timelines_cut": _cut(len(snapshot.obligations), "explain", lang, "timelines_cut"),
        "axis": {"first": first.isoformat(), "last": last.isoformat(),
                 "today": _scale(first, last)(on)},
        "svg": {"width": SVG_WIDTH, "height": SVG_HEIGHT},
        "diagnostics": [d.describe(lang) for d in snapshot.diagnostics if d.severity != "info"],
    }


def _bucket(code: str, lang: Lang) -> str:
    from entente_regles.query.aging import bucket_label
    return bucket_label(code, lang)


def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescaping, strict undefined names,
    and the ``visible`` filter for user text."""
    env = Environment(loader=PackageLoader("entente_regles.outputs", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, keep_trailing_newline=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["visible"] = visible
    return env


def render_report(evaluation: Evaluation, client: str, on: date, lang: Lang = "fr",
                  policy: str | None = None, *, known_on: date | None = None,
                  reproduction: Mapping[str, Any] | None = None) -> str:
    """The report page for ``on``, as HTML text (deterministic for the same input);
    ``reproduction`` (``provenance.provenance(agreement, on, known_on)``) goes in its footer."""
    template = environment().get_template("rapport.html.j2")
    return template.render(**report_context(evaluation, client, on, lang, policy, known_on,
                                                  reproduction))


__all__ = ["AGENDA_DAYS", "MAX_ROWS", "STATUS_COLOURS", "Marker", "Timeline", "environment",
           "render_report", "report_context"]
