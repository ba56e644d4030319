"""The public entry point: an agreement (client, dates, services, annex, policy, rules)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import attrs

from entente_regles.calendar.days import DayCalendar, check_calendar
from entente_regles.calendar.legal import LegalCalendar, Policy
from entente_regles.calendar.policy import unknown_standards
from entente_regles.core.errors import ErrorLocation, InputError, RuleFileError
from entente_regles.core.event import Event
from entente_regles.core.gc_pause import collection_paused
from entente_regles.core.input_limits import EARLIEST_DATE, LATEST_DATE, in_date_range, quoted
from entente_regles.engine.compiled import CompiledRules, compile_rules
from entente_regles.engine.matching import Backend, PythonBackend, ReferenceBackend
from entente_regles.engine.replay import Context, Replay
from entente_regles.events.log import read_events, validate_events
from entente_regles.query.evaluation import Evaluation
from entente_regles.query.presentation import Presentation
from entente_regles.query.resumable import ResumableReplay
from entente_regles.rules.agreement_file import agreement_arguments, read_agreement_file
from entente_regles.rules.annexes import resolve_parameters
from entente_regles.rules.calendar_reader import CalendarContext
from entente_regles.rules.fingerprint import Fingerprint
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.toml_tables import TomlSource
from entente_regles.rules.vocabulary import Vocabulary

# "python": the default, indexed pure-Python matching; "durable": durable_rules (installed
# on Python 3.11 and 3.12); "reference": the plain loop the differential tests trust.
Engine = Literal["python", "durable", "reference"]
ENGINES: tuple[Engine, ...] = ("python", "durable", "reference")


def _agreement_date(value: object, what: str) -> date:
    """A date the agreement names: a ``datetime.date`` (not a datetime) within the range
    event dates have (see ``core.input_limits``)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} : une date sans heure (datetime.date) attendue, reçu "
                        f"{quoted(value)} / {what}: expected a datetime.date without a time "
                        f"of day, got {quoted(value)}")
    if not in_date_range(value):
        raise ValueError(f"{what} : date {value} hors de la plage acceptée ({EARLIEST_DATE} au "
                         f"{LATEST_DATE}) / {what}: date {value} outside the accepted range "
                         f"({EARLIEST_DATE} to {LATEST_DATE})")
    return value


def _name(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} : un texte attendu, reçu {quoted(value)} / {what}: expected "
                        f"a string, got {quoted(value)}")
    if not value.strip():
        raise ValueError(f"{what} : texte vide / {what}: empty string")
    return value


def _services(value: Mapping[str, date] | Iterable[str] | None) -> Mapping[str, date | None]:
    if value is None:
        return MappingProxyType({})
    if isinstance(value, str | bytes) or not isinstance(value, Mapping | Iterable):
        raise TypeError(f"services : un dictionnaire nom → date ou une liste de noms attendu, "
                        f"reçu {quoted(value)} / services: expected a mapping name → date or a "
                        f"list of names, got {quoted(value)}")
    pairs = value.items() if isinstance(value, Mapping) else ((name, None) for name in value)
    services: dict[str, date | None] = {}
    for name, start in pairs:
        # as event text is read (NFC, stripped), so that an event can name the service
        key = unicodedata.normalize("NFC", _name(name, "services").strip())
        if key in services:
            raise ValueError(f"services : {quoted(key)} nommé deux fois (une fois normalisé) / "
                             f"services: {quoted(key)} named twice (once normalised)")
        services[key] = None if start is None else _agreement_date(
            start, f"services[{quoted(name)}]")
    return MappingProxyType(services)


def _annex(value: Mapping[str, object] | None) -> Mapping[str, object]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise TypeError(f"annex : un dictionnaire paramètre → valeur attendu, reçu "
                        f"{quoted(value)} / annex: expected a mapping parameter → value, got "
                        f"{quoted(value)}")
    for name in value:
        _name(name, "annex")
    return MappingProxyType(dict(value))


def _client(value: object) -> str:
    return _name(value, "client")


def _in_force_from(value: object) -> date:
    return _agreement_date(value, "in_force_from")


def _policy(_: object, __: attrs.Attribute[Policy], value: object) -> None:
    if not isinstance(value, Policy):
        raise TypeError(f"policy : un entente_regles.Policy attendu, reçu {quoted(value)} / "
                        f"policy: expected an entente_regles.Policy, got {quoted(value)}")


def _rules(_: object, __: attrs.Attribute[RuleBook | None], value: object) -> None:
    if value is not None and not isinstance(value, RuleBook):
        raise TypeError(f"rules : un RuleBook attendu, reçu {quoted(value)} ; pour un "
                        f"répertoire, RuleBook.from_directory(chemin) / rules: expected a "
                        f"RuleBook, got {quoted(value)}; for a directory, "
                        "RuleBook.from_directory(path)")


def _calendar(value: object) -> DayCalendar | None:
    return None if value is None else check_calendar(value)


def backend_for(engine: Engine) -> Backend:
    """The matching backend of ``engine``; ``EngineUnavailable`` (saying how to get it) when
    durable_rules cannot be imported here."""
    if engine == "python":
        return PythonBackend()
    if engine == "reference":
        return ReferenceBackend()
    if engine == "durable":
        from entente_regles.engine.durable.backend import DurableBackend

        return DurableBackend()
    raise ValueError(f"moteur inconnu {engine!r} (python, durable ou reference) / "
                     f"unknown engine {engine!r} (python, durable or reference)")


@attrs.frozen
class Agreement:
    """One *entente globale de services* between the MCN and a client body.

    ``services`` maps each service to the date its annex takes effect (or lists names, in
    force from ``in_force_from``); empty means services are not tracked. ``annex`` holds
    annex parameters (see the rule files' ``[[parametre]]``). ``rules`` defaults to the
    bundled rule files; ``engine`` picks the matching backend: ``"python"`` (the default),
    ``"durable"`` (durable_rules, where it is installed) or ``"reference"`` (a plain loop,
    the oracle of the differential tests). All give the same answers. ``calendar``: the
    calendar of days to count on instead of the rule book's (``RuleBook.calendar``): any
    object following :class:`~entente_regles.calendar.days.DayCalendar`.
    """

    client: str = attrs.field(converter=_client)
    in_force_from: date = attrs.field(converter=_in_force_from)
    services: Mapping[str, date | None] = attrs.field(factory=dict, converter=_services)
    annex: Mapping[str, object] = attrs.field(factory=dict, converter=_annex)
    policy: Policy = attrs.field(factory=Policy, validator=_policy)
    rules: RuleBook | None = attrs.field(default=None, eq=False, validator=_rules)
    engine: Engine = "python"
    calendar: DayCalendar | None = attrs.field(default=None, converter=_calendar)

    def __attrs_post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"moteur inconnu {quoted(self.engine)} (python, durable ou "
                             f"reference) / unknown engine {quoted(self.engine)} (python, "
                             "durable or reference)")
        backend_for(self.engine)
        if self.policy.vague_deadlines:  # the policy meets its rule book: standards it knows
            unknown = unknown_standards(self.policy, self.rulebook.standards)
            if unknown is not None:
                raise ValueError(unknown)

    def fingerprint(self) -> Fingerprint:
        """Package version and fingerprints of the rules, the policy and the parameters: what
        an auditor needs, with the event log and the dates, to reproduce an answer."""
        parameters: dict[str, object] = {
            "client": self.client, "en_vigueur_le": self.in_force_from,
            "services": self.services, "annexe": self.annex}
        if self.calendar is not None:  # a calendar of the agreement's own
            parameters["calendrier"] = (self.calendar if attrs.has(type(self.calendar))
                                        else f"{type(self.calendar).__qualname__}:"
                                             f"{self.calendar!r}")
        return Fingerprint.of(self.rulebook, self.policy, parameters, self.engine)

    @property
    def rulebook(self) -> RuleBook:
        """The rule book in use: ``rules``, or the bundled rule files."""
        return self.rules if self.rules is not None else RuleBook.bundled()

    def legal_calendar(self) -> LegalCalendar:
        """The legal calendar the agreement's deadlines are counted on: its ``calendar`` (or
        its rule book's) under its ``policy``."""
        days = self.calendar if self.calendar is not None else self.rulebook.calendar
        return LegalCalendar(self.policy, days=days)

    def compiled(self) -> CompiledRules:
        """The rules compiled for this agreement (annex parameters resolved, art. 2)."""
        return compile_rules(self.rulebook, self.annex, self.in_force_from)

    def read_events(self, path: str | Path) -> list[Event]:
        """Read the JSON Lines event log ``path``, validated against this agreement's own
        vocabulary (its rule book's event types, fields and parties): what
        :meth:`evaluate` reads when given a path."""
        return read_events(path, self.rulebook.vocabulary)

    def evaluate(self, events: Iterable[Event] | str | Path) -> Evaluation:
        """Replay ``events`` (a list of :class:`Event` or a JSON Lines path) once."""
        vocabulary = self.rulebook.vocabulary
        # The cyclic collector paused while the log is read, validated, replayed and indexed:
        # what is built is nearly all kept, and the temporaries (sort keys, converted
        # fields) would otherwise set off collections that walk all that is kept, over and
        # over as the log grows (at 500,000 events, about 900 collections, a sixth of the
        # time). It runs again as soon as the evaluation is built.
        with collection_paused():
            return self._evaluate(events, vocabulary)

    def resume(self, replayed: ResumableReplay) -> Evaluation:
        """The evaluation around ``replayed``, the replay state (``Evaluation.replayed``) of
        an evaluation of this agreement made elsewhere, pickled and unpickled (another
        process, another machine): nothing is replayed again. The portfolio's workers
        evaluate; the parent resumes."""
        return self._evaluation((), self.rulebook.vocabulary, replayed)

    def _evaluate(self, events: Iterable[Event] | str | Path,
                  vocabulary: Vocabulary) -> Evaluation:
        if isinstance(events, (str, Path)):
            checked = read_events(events, vocabulary)
        else:
            checked = validate_events(events, vocabulary)
        return self._evaluation(checked, vocabulary)

    def _evaluation(self, checked: list[Event] | tuple[()], vocabulary: Vocabulary,
                    replayed: ResumableReplay | None = None) -> Evaluation:
        # compiled once, and only when a replay starts here (a resumed state has its own)
        compiled_once: list[CompiledRules] = []

        def compiled() -> CompiledRules:
            if not compiled_once:
                compiled_once.append(self.compiled())
            return compiled_once[0]

        if replayed is None:
            compiled()
        ctx = Context(self.client, self.in_force_from,
                      {name: start or self.in_force_from for name, start in self.services.items()},
                      self.legal_calendar())
        backend = backend_for(self.engine)
        date_fields = vocabulary.date_fields()
        # the rule book's currency, locales and party labels, for every answer shown
        presentation = Presentation(vocabulary)

        def evaluate(log: Sequence[Event], partial: bool = False) -> Evaluation:
            """The evaluation of ``log``; the full one answers "as known on K" through
            evaluations of the part of it known then (``partial``: one of those)."""
            return Evaluation(lambda: Replay(compiled(), ctx, backend), self.in_force_from,
                              log, lambda more: validate_events(more, vocabulary),
                              evaluate=None if partial else (lambda part: evaluate(part, True)),
                              date_fields=date_fields, presentation=presentation,
                              replayed=None if partial else replayed)

        return evaluate(checked)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any], where: ErrorLocation,
                     rules: RuleBook | None = None, engine: Engine = "python",
                     defaults: Mapping[str, Any] | None = None,
                     source: TomlSource | None = None) -> Agreement:
        """Build from the keys of an agreement file (see docs/cli.md); every problem is
        reported at once, in the file's keys (:mod:`entente_regles.rules.agreement_file`)."""
        merged = {**(defaults or {}), **spec}
        book = rules if rules is not None else RuleBook.bundled()
        facts = book.agreement
        arguments = agreement_arguments(merged, where, source, standards=book.standards,
                                        calendar=CalendarContext(facts.languages, facts.locales))
        try:
            agreement = cls(**arguments, rules=rules, engine=engine)
        except (TypeError, ValueError) as exc:  # the reader checks first: not expected
            raise RuleFileError(where, f"entente invalide : {exc}",
                                f"invalid agreement: {exc}") from None

        def locate(name: str) -> ErrorLocation:
            key = f"{where.key}.annexe.{name}" if where.key else f"annexe.{name}"
            line = source.line(key) if source is not None else where.line
            return ErrorLocation(where.file, line, key)

        # The annex's values against the rule files' [[parametre]], now rather than at the
        # first evaluation, so that the error names the file and the line.
        try:
            resolve_parameters(agreement.rulebook, agreement.annex, agreement.in_force_from,
                               locate)
        except InputError as exc:
            raise RuleFileError(exc.where, exc.fr, exc.en) from None
        return agreement

    @classmethod
    def from_toml(cls, path: str | Path, rules: RuleBook | None = None,
                  engine: Engine = "python") -> Agreement:
        """Read an agreement file (TOML: client, en_vigueur_le, services, annexe, politique,
        calendrier)."""
        source = read_agreement_file(str(path))
        return cls.from_mapping(source.data, ErrorLocation(str(path)), rules, engine,
                                source=source)
