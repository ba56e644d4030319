"""entente-regles: what is owed, on a date, under an agreement written as rule files — by
default the MCN's Entente globale de services (``regles/``); any other rule book is loaded with
``RuleBook.from_directory``, checked with ``entente-regles check`` and its worked examples run
with :func:`run_examples`."""

from entente_regles.agreement import Agreement
from entente_regles.calendar.days import Citations, DayCalendar, DayOff, PlainDays
from entente_regles.calendar.legal import LegalCalendar, Policy
from entente_regles.check.examples import ExampleResult, ExamplesReport, run_examples
from entente_regles.core.errors import (
    EngineLimitError,
    EngineUnavailable,
    EntenteError,
    EventError,
    InputError,
    RuleFileError,
)
from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.values import OptionStatus, Status
from entente_regles.events.log import read_events

# A portfolio: many agreements evaluated at once (docs/portefeuille.md).
from entente_regles.portfolio import (
    Portfolio,
    PortfolioError,
    PortfolioEvaluation,
    PortfolioSnapshot,
)
from entente_regles.query.evaluation import (
    Evaluation,
    Obligation,
    Option,
    PendingTermination,
    Snapshot,
)
from entente_regles.rules.resources import bundled_example
from entente_regles.rules.rulebook import RuleBook

__all__ = [
    "Agreement", "Citations", "DayCalendar", "DayOff", "Diagnostic", "EngineLimitError",
    "EngineUnavailable", "EntenteError",
    "Evaluation", "Event", "EventError", "ExampleResult", "ExamplesReport", "InputError",
    "LegalCalendar", "Obligation", "Option", "OptionStatus", "PendingTermination", "PlainDays",
    "Policy",
    "RuleBook", "RuleFileError", "Snapshot", "Status", "bundled_example", "read_events",
    "run_examples",
]
__all__ += ["Portfolio", "PortfolioError", "PortfolioEvaluation", "PortfolioSnapshot"]
