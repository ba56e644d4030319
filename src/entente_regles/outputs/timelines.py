"""The report page's timelines: which obligations get one, and where their marks and the
dates of their axis fall, in percent of the page's width (the template draws them in HTML
and CSS, so that they use the full width at any size and stay legible on a phone).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

import attrs
from babel.dates import format_date

from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang, OptionStatus, Status
from entente_regles.query.evaluation import Obligation, Snapshot

MAX_TICKS = 7
"""At most this many dates on a timeline's axis (month, quarter or year starts)."""

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
    Status.SUSPENDED: "#8d6e63",  # its deadline stopped (decision 69)
}

@attrs.frozen
class Marker:
    """One mark on a timeline: its position (percent of the width), shape and what it says."""

    x: float
    shape: str
    title: str


@attrs.frozen
class Tick:
    """One date on a timeline's axis: its position (percent of the width) and its label;
    ``minor`` ticks are left out on narrow screens."""

    x: float
    label: str
    minor: bool


@attrs.frozen
class Timeline:
    """The data of one obligation's timeline (positions in percent of the width)."""

    anchor: str
    heading: str
    ident: str
    colour: str
    status: str
    x_start: float
    x_end: float
    markers: tuple[Marker, ...]


def anchor(ob: Obligation) -> str:
    ident = "\x1f".join((ob.rule, ob.key or "", ob.triggered_on.isoformat()))
    return "ob-" + hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]


def ident(ob: Obligation) -> str:
    """The secondary line of an obligation: article, rule id and key."""
    key = f" — {ob.key}" if ob.key else ""
    return visible(f"art. {ob.article} · {ob.rule}{key}")


def scale(first: date, last: date) -> Any:
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(100 * (day - first).days / span, 2)
    return x


def ticks(first: date, last: date, locale: str) -> list[Tick]:
    """Month, two-month, quarter, half-year or year starts after ``first`` up to ``last``,
    at most ``MAX_TICKS``, each labelled by its month and year (or its year) in ``locale``.
    Months are counted as integers (year × 12 + month − 1), so no date past 9999 is made."""
    x = scale(first, last)
    low = first.year * 12 + first.month  # the month after first's
    high = last.year * 12 + last.month - 1
    for step in (1, 2, 3, 6, 12, 24, 60, 120, 600, 1200, 6000, 12000, 60000):
        start = low + (-low) % step  # a boundary of the step: quarters on Jan, Apr, …
        months = range(start, high + 1, step)
        if len(months) <= MAX_TICKS:
            pattern = "MMM y" if step < 12 else "y"
            days = [date(m // 12, m % 12 + 1, 1) for m in months]
            return [Tick(x(d), format_date(d, pattern, locale=locale), i % 2 == 1)
                    for i, d in enumerate(days) if x(d) <= 92]
    return []


def has_history(ob: Obligation) -> bool:
    """Worth a timeline: more than one state since it arose (late, performed, ended,
    breached), or a dated contractual deadline to place on the axis. A standing duty in
    force, or an instance due with no dated deadline, has one state: it is grouped."""
    return (ob.deadline is not None or ob.performed_on is not None
            or ob.ended_on is not None
            or ob.status not in (Status.IN_FORCE, Status.DUE))


def drawn(snapshot: Snapshot, shown: Sequence[Obligation], limit: int) -> list[Obligation]:
    """The obligations given a timeline: those with a history, the owed rows shown first
    (late first), then the others in the snapshot's order, ``limit`` at most."""
    chosen: dict[str, Obligation] = {}
    for ob in [*shown[:limit], *snapshot.obligations]:
        if len(chosen) >= limit:
            break
        if has_history(ob):
            chosen.setdefault(anchor(ob), ob)
    return list(chosen.values())


def timelines(obligations: Sequence[Obligation], on: date, first: date, last: date,
               lang: Lang) -> list[Timeline]:
    x = scale(first, last)
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
        start = x(ob.triggered_on)
        out.append(Timeline(
            anchor(ob), visible(ob.label), ident(ob), STATUS_COLOURS[ob.status],
            ob.status.label(lang), start, max(round(x(end) - start, 2), 0.0),
            tuple(markers)))
    return out


__all__ = ["MAX_TICKS", "STATUS_COLOURS", "Marker", "Tick", "Timeline", "anchor", "drawn",
           "has_history", "ident", "scale", "ticks", "timelines"]
