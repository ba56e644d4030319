"""What is in force as the replay goes: the agreement, from its entry into force to its end,
and each service's intervals. Every step reads it; only ``effects`` changes it (an end
decided, a service withdrawn or added, a note in a service's history)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from entente_regles.core.event import Event
from entente_regles.engine.replay.records import ServiceState


class Standing:
    """The agreement's end (its first day without it) and the event that decided it, and the
    services in force (those the agreement declares, then those added)."""

    def __init__(self, in_force_from: date, services: Mapping[str, date]) -> None:
        self.in_force_from = in_force_from
        self.end: date | None = None
        self.end_event: Event | None = None  # None: the term expires (no event decided it)
        self.end_how: str | None = None  # « execution », « resiliation », « expiration »
        self.services = {name: ServiceState(name, [[max(start, in_force_from), None]])
                         for name, start in services.items()}
        self.track_services = bool(services)  # else any service named by an event is in force

    def in_force(self, on: date) -> bool:
        end = self.end
        return self.in_force_from <= on and (end is None or on < end)

    def service_in_force(self, name: str, on: date) -> bool:
        state = self.services.get(name)
        return state is not None and state.in_force(on)
