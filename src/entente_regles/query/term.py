"""An agreement's term and end as known on one date (``Snapshot.term``,
``Snapshot.ending``), read from the replay's records and its term (``TermPlan``): the
current term, the date it renews or the agreement ends, the last day to give notice of
non-renewal, how the agreement ended and on which date. No look-ahead: only the notices and
performances dated on or before the date count."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

import attrs

from entente_regles.calendar.legal import BeyondCalendar
from entente_regles.core.event import Event
from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang
from entente_regles.engine.replay import TerminationNotice
from entente_regles.engine.replay.terms import EXPIRY, TermPlan
from entente_regles.words.terms import MESSAGES

ONE_DAY = timedelta(days=1)


@attrs.frozen
class Ending:
    """The agreement's end as known on a date: its first day without it (``effective``),
    how (``execution``, ``resiliation``, ``expiration``) and under which article."""

    effective: date
    how: str
    article: str

    @property
    def last_day(self) -> date:
        """The agreement's last day in force."""
        return self.effective - ONE_DAY

    def describe(self, on: date, lang: Lang = "fr") -> str:
        """One line: the agreement ended (or will end) on its last day, and how."""
        message = "agreement_ended" if on >= self.effective else "term_ends"
        return visible(MESSAGES.say(message, lang, last_day=self.last_day,
                                    how=MESSAGES.say(self.how, lang), article=self.article))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``dernier_jour``, ``date_effet`` (the first day without it), ``mode``
        and ``article``."""
        return {"dernier_jour": self.last_day.isoformat(),
                "date_effet": self.effective.isoformat(), "mode": self.how,
                "article": self.article}


@attrs.frozen
class TermState:
    """The current term on a date: its number (0: the initial term), first and last days;
    ``renewal``: the first day of the next term if it renews (None: the agreement ends at
    this term's end, as known on the date); ``notice_limit``: the last day a notice of
    non-renewal may be received to end the agreement at this term's end (None: no notice
    declared, or the end is already fixed)."""

    number: int
    start: date
    end: date
    article: str
    renewal: date | None
    notice_limit: date | None
    # renewed only by an act (decision 74): ``notice_limit`` is then the last day to renew
    by_option: bool = False

    def describe(self, lang: Lang = "fr") -> str:
        """One line: the term, and whether and when it renews."""
        said = MESSAGES.say("term_current", lang, number=self.number + 1, start=self.start,
                            end=self.end, article=self.article)
        if self.by_option and self.renewal is None and self.notice_limit is not None:
            said += " ; " if lang == "fr" else "; "
            said += MESSAGES.say("term_renews_if", lang, limit=self.notice_limit)
        elif self.renewal is not None:
            key = "term_renews" if self.notice_limit is None else "term_renews_unless"
            said += " ; " if lang == "fr" else "; "
            said += MESSAGES.say(key, lang, renewal=self.renewal, limit=self.notice_limit)
        return visible(said)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``numero`` (1: the initial term), ``debut``, ``fin``, ``article``,
        ``renouvellement`` and ``limite_preavis`` (ISO dates or null)."""
        return {"numero": self.number + 1, "debut": self.start.isoformat(),
                "fin": self.end.isoformat(), "article": self.article,
                "renouvellement": None if self.renewal is None else self.renewal.isoformat(),
                "limite_preavis": (None if self.notice_limit is None
                                   else self.notice_limit.isoformat()),
                "sur_avis": self.by_option}


def ending_on(plan: TermPlan | None, notices: Sequence[TerminationNotice],
              on: date, renewals: Sequence[tuple[Event, int]] = ()) -> Ending | None:
    """The earliest end known on ``on``: a notice, termination or performance dated on or
    before it, or the expiry of the last term the rules allow; for a term renewed only by an
    act, of the last term the acts dated on or before ``on`` opened (``renewals``)."""
    found = [Ending(n.effective, n.how, n.article) for n in notices if n.event.date <= on]
    if plan is not None and plan.by_option:
        last = max((k for event, k in renewals if event.date <= on), default=0)
        with suppress(BeyondCalendar):
            found.append(Ending(plan.end_of(last), EXPIRY, plan.term.article))
    elif plan is not None and plan.last is not None:
        with suppress(BeyondCalendar):  # expires beyond the calendar: never
            found.append(Ending(plan.end_of(plan.last), EXPIRY, plan.term.article))
    return min(found, key=lambda e: e.effective) if found else None


def term_on(plan: TermPlan | None, ending: Ending | None, on: date) -> TermState | None:
    """The term ``on`` falls in, while the agreement is in force (None: no term, before its
    start, or after the end)."""
    if plan is None or (ending is not None and on >= ending.effective):
        return None
    try:
        k = plan.index_on(on)
        if k is None:
            return None
        start, after = plan.start_of(k), plan.end_of(k)
        limit = plan.notice_limit(k)
    except BeyondCalendar:
        return None
    if plan.by_option:  # renewed only by an act (decision 74)
        if ending is not None and ending.effective <= after:
            last_day = None
            if ending.how == EXPIRY and ending.effective == after \
                    and (plan.last is None or k < plan.last):
                with suppress(BeyondCalendar):
                    last_day = plan.renewal_limit(k)
            if last_day is not None and last_day < on:
                last_day = None  # too late to renew
            return TermState(k, start, after - ONE_DAY, plan.term.article, None, last_day,
                             True)
        return TermState(k, start, after - ONE_DAY, plan.term.article, after, None, True)
    if ending is not None and ending.effective <= after:
        return TermState(k, start, after - ONE_DAY, plan.term.article, None, None)
    if limit is not None and limit < on:
        limit = None  # the day has passed: the term renews
    return TermState(k, start, after - ONE_DAY, plan.term.article, after, limit)


__all__ = ["Ending", "TermState", "ending_on", "term_on"]
