"""Obligations discharged when their condition stops holding (``si_condition_cesse``,
decision 73): an instance still due (neither closed nor late) whose ``disponible_si`` does
not hold at the end of a day is discharged, no one at fault, from the next day; once late,
it stays late (an acquired default is not undone).

A day is decided once the replay has moved past it: every event of that day is then known,
and the condition reads records dated that day or before only. The discharge is dated the
next day, so the answer on a date X depends only on events dated X or earlier.

A condition reads records that change only on the days of events and agenda items, and when
a faculty's window closes (the other changes time brings — a deadline passing, a state
lasting — only make a test hold, never stop holding). So only those days, noted by the
replay, are looked at: an evaluation asked about a far date costs no more."""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Callable
from datetime import date, timedelta

from entente_regles.core.values import Status
from entente_regles.engine.replay.conditions import Conditions
from entente_regles.engine.replay.records import Instance
from entente_regles.words.replay import text

ONE_DAY = timedelta(days=1)


class Lapses:
    """The instances to watch, each with the first day not yet decided, and the days on which
    the records change."""

    def __init__(self, conditions: Conditions,
                 on_state: Callable[[date, Instance, Status], None], active: bool) -> None:
        self._conditions = conditions
        self._on_state = on_state
        self.active = active  # does any rule say si_condition_cesse?
        self._watched: list[tuple[Instance, date]] = []
        self._marks: list[date] = []  # sorted: days the records change

    def note(self, day: date) -> None:
        """The records change on ``day`` (an event, an agenda item, a window closing)."""
        marks = self._marks
        if not marks or marks[-1] < day:
            marks.append(day)
        elif marks[-1] != day:
            insort(marks, day)

    def watch(self, inst: Instance) -> None:
        """``inst`` arose (its condition held that day): watch it from that day."""
        self._watched.append((inst, inst.triggered_on))

    def until(self, last: date) -> None:
        """Decide every day up to ``last`` included: discharge, from the next day, each
        instance still due whose condition does not hold at the end of one of them."""
        if not self._watched:
            return
        marks = self._marks
        still: list[tuple[Instance, date]] = []
        watched, self._watched = self._watched, []  # a discharge may make others arise
        for inst, first in watched:
            if first > last:
                still.append((inst, first))
                continue
            days = [first, *marks[bisect_right(marks, first):bisect_right(marks, last)]]
            for day in days:
                if inst.closed_by(day) or inst.late_on(day):
                    break  # closed, or late: an acquired default stays (decision 73)
                if not self._holds(inst, day):
                    self._discharge(inst, day)
                    break
            else:
                still.append((inst, last + ONE_DAY))
        self._watched = still + self._watched
        if not self._watched:  # the days decided are of no more use
            del marks[:bisect_right(marks, last)]

    def _holds(self, inst: Instance, day: date) -> bool:
        condition = inst.norm.condition
        assert condition is not None
        return self._conditions.holds(condition, day, inst.key, inst.debtor)

    def _discharge(self, inst: Instance, day: date) -> None:
        reason = inst.norm.on_condition_end
        assert reason is not None and inst.condition is not None
        on = day + ONE_DAY
        inst.ended_on = on
        inst.end_reason = text("condition_ceased", reason=reason, on=day,
                               condition=inst.condition)
        self._on_state(on, inst, Status.DISCHARGED)


__all__ = ["Lapses"]
