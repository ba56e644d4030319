"""entente-regles: what is owed, on a date, under the MCN's Entente globale de services."""

from .agreement import Agreement
from .calendar import LegalCalendar, Policy
from .evaluation import (
    Evaluation,
    Obligation,
    Option,
    PendingTermination,
    Snapshot,
)
from .events import read_events
from .model import (
    Diagnostic,
    EntenteError,
    Event,
    EventError,
    InputError,
    OptionStatus,
    RuleFileError,
    Status,
)
from .rulebook import RuleBook

__all__ = [
    "Agreement", "Diagnostic", "EntenteError", "Evaluation", "Event", "EventError",
    "InputError", "LegalCalendar", "Obligation", "Option", "OptionStatus",
    "PendingTermination", "Policy", "RuleBook", "RuleFileError", "Snapshot", "Status",
    "read_events",
]
