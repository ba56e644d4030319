"""An agreement's term and its renewals, as the replay reads them: the bounds of each term
(computed from the start, never chained: decision 63), the last day a notice of non-renewal
may be received for a term's end (counted backward by the legal calendar: decision 64), and
the term a notice received on a day ends (a late notice lets the term renew: decision 65).

Pure functions of the rules and the calendar: the replay, the snapshot and the agenda read
the same ones, so they cannot disagree."""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.rules.vocabulary import Term

ONE_DAY = timedelta(days=1)
EXPIRY = "expiration"  # the term ran out (not renewed, or no renewal left)
TERMINATION = "resiliation"  # a power ended it
PERFORMANCE = "execution"  # every obligation of [fin_par_execution] performed
ENDINGS = (PERFORMANCE, TERMINATION, EXPIRY)


@attrs.frozen
class TermPlan:
    """``term`` for an agreement whose term starts on ``start``, counted on ``calendar``."""

    term: Term
    start: date
    calendar: LegalCalendar = attrs.field(eq=False, repr=False)

    @property
    def last(self) -> int | None:
        """The index of the last term (0: the initial one), None: renewals without limit."""
        return self.term.renewals

    def end_of(self, k: int) -> date:
        """The first day after the k-th term (k = 0: the initial term); raises
        ``BeyondCalendar`` beyond 9999."""
        months = self.term.months + k * self.term.renewal_months
        return self.calendar.add_months(self.start, months, rounding=self.term.month_rounding)

    def start_of(self, k: int) -> date:
        return self.start if k == 0 else self.end_of(k - 1)

    def index_on(self, on: date) -> int | None:
        """The term ``on`` falls in (it may be past the last one: the agreement has then
        expired); None before the start."""
        if on < self.start:
            return None
        elapsed = (on.year - self.start.year) * 12 + on.month - self.start.month
        k = max(0, (elapsed - self.term.months) // self.term.renewal_months)
        while k > 0 and self.start_of(k) > on:
            k -= 1
        while self.end_of(k) <= on:
            k += 1
        return k

    def notice_limit(self, k: int) -> date | None:
        """The last day a notice of non-renewal may be received to end the agreement at the
        end of the k-th term (« au moins N jours avant » the first day after it, by the
        calendar's ``before_mode``); None when the term declares no notice."""
        days = self.notice_days
        if days is None:
            return None
        return self.calendar.before(self.end_of(k), days)

    @property
    def notice_days(self) -> int | None:
        """The days of notice counted back from the first day after a term: the term's,
        one more when the notice must come strictly before the date they give."""
        days = self.term.notice_days
        return None if days is None else days + self.term.notice_strict

    @property
    def by_option(self) -> bool:
        """Renewed only by an act (``renouvellement_sur_avis``, decision 74)."""
        return self.term.renewal_event is not None

    def renewal_limit(self, k: int) -> date:
        """The last day an act renewing the k-th term may be received: N days before the
        first day after it, counted backward (decision 64), or its last day."""
        days = self.term.renewal_days
        after = self.end_of(k)
        return self.calendar.before(after, days) if days else after - ONE_DAY

    def ended_by_notice(self, received: date) -> tuple[int, int]:
        """The term a notice received on ``received`` ends, and the term it was received in:
        the first term, from the current one, whose notice limit it meets (the last term at
        the latest: the agreement expires then anyway)."""
        current = self.index_on(received)
        current = 0 if current is None else current
        k = current
        while True:
            last = self.last
            if last is not None and k >= last:
                return last, current
            limit = self.notice_limit(k)
            if limit is None or received <= limit:
                return k, current
            k += 1


__all__ = ["ENDINGS", "EXPIRY", "PERFORMANCE", "TERMINATION", "TermPlan"]
