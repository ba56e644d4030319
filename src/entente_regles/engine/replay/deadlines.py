"""An instance's deadline, as it arises: a delay in days (from its date, the notice's receipt
or a field's date; amended parameters read as in force on its date), a vague standard (and
the policy's indicative date), the end of its period, or the day before an effect."""

from __future__ import annotations

from datetime import date, timedelta

from entente_regles.calendar.legal import BeyondCalendar, DeadlineComputation, LegalCalendar
from entente_regles.core.event import Event
from entente_regles.engine.compiled import Amendment
from entente_regles.engine.replay.records import Instance
from entente_regles.engine.replay.state import InUse
from entente_regles.words.replay import text

ONE_DAY = timedelta(days=1)
_BEYOND = text("beyond_calendar", last=date.max)


class Deadlines:
    """Sets a new instance's deadline; owns two caches of what instances share: a delay as in
    force on a date, and a deadline computed from a start and a number of days."""

    def __init__(self, in_use: InUse, calendar: LegalCalendar) -> None:
        self._in_use = in_use
        self._calendar = calendar
        # A delay ("@name" or days) as in force on a date (None: on any date, while no
        # amendment is known): its days and the amendment that set them (cleared when
        # amendments are added).
        self._delays: dict[tuple[int | str | None, date | None], tuple[int, Amendment | None]]
        self._delays = {}
        self._computed: dict[tuple[date, int], DeadlineComputation] = {}
        self._vague: dict[str, int | None] = {}

    def forget_delays(self) -> None:
        """The parameters were amended: a delay may now read an amendment."""
        self._delays.clear()

    def set(self, inst: Instance, event: Event | None, period_end: date | None,
            effect_on: date | None) -> None:
        """Set ``inst``'s deadline, born of ``event`` (None: of a signal); ``period_end``: the
        last day of its period; ``effect_on``: when the power ``event`` exercised takes
        effect."""
        spec = inst.norm.deadline
        if spec is None:
            return
        if spec.form == "jours":
            compiled = self._in_use.compiled
            # shared: instances born on one day share their delay; every instance, while no
            # amendment is known (the delay is then the same on every day)
            mark = (spec.days, inst.triggered_on if compiled.amendments else None)
            delay = self._delays.get(mark)
            if delay is None:
                delay = self._delays[mark] = (compiled.param(spec.days, inst.triggered_on),
                                              compiled.source_of(spec.days, inst.triggered_on))
            days, inst.amendment = delay
            start = inst.triggered_on
            if event is not None and spec.since == "reception":
                start = event.received_on
                if event.received is None:
                    inst.deadline_note = text("notice_received_presumed", received=start)
            elif event is not None and spec.since not in ("date", "reception"):
                start = event.data[spec.since]
            computation = self._computed.get((start, days))
            if computation is None:  # shared: invoices of one day share their deadline
                try:
                    computation = self._calendar.explain_after(start, days)
                except BeyondCalendar:
                    inst.deadline_note = _BEYOND
                    return
                self._computed[(start, days)] = computation
            inst.computation = computation
            inst.deadline = computation.deadline
        elif spec.form == "norme":
            assert spec.standard is not None
            inst.standard = spec.standard
            working = self._vague.get(spec.standard, -1)
            if working == -1:  # the policy's indicative delay, looked up once per standard
                working = self._vague[spec.standard] = self._calendar.policy.vague_deadline(
                    spec.standard)
            if working is not None:  # the calendar keeps the dates it counted, for every
                # replay of the process: most instances are born on a day of their own, and
                # a replay's own cache in front of it cost more than it saved
                try:  # noqa: SIM105 (a context manager costs more here)
                    inst.policy_deadline = self._calendar.add_working_days(inst.triggered_on,
                                                                           working)
                except BeyondCalendar:  # no indicative date in the calendar
                    pass
        elif spec.form == "fin_periode":
            if period_end is None:  # the period ends beyond the calendar
                inst.deadline_note = _BEYOND
                return
            inst.deadline = period_end
            inst.deadline_note = text("last_day_of_period", end=period_end)
        elif spec.form == "veille_effet":
            # The rule's references check that the power is exercised by this very event.
            assert effect_on is not None
            inst.deadline = effect_on - ONE_DAY
            inst.deadline_note = text("day_before_effect", effect=effect_on)
