"""The public entry point: an agreement (client, dates, services, annex, policy, rules)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
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
from entente_regles.engine.compiled import CompiledRules, shared_rules
from entente_regles.engine.matching import Backend, PythonBackend, ReferenceBackend
from entente_regles.engine.replay import Context, Replay
from entente_regles.events.log import read_events, validate_events
from entente_regles.query.evaluation import Evaluation
from entente_regles.query.presentation import Presentation
from entente_regles.query.resumable import ResumableReplay
from entente_regles.rules.agreement_file import (
    AgreementFileErrors,
    agreement_arguments,
    read_agreement_file,
)
from entente_regles.rules.annexes import resolve_parameters
from entente_regles.rules.calendar_reader import CalendarContext
from entente_regles.rules.fingerprint import Fingerprint
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.term_reader import NOTICE_POWER_KEY, notice_power_problem
from entente_regles.rules.toml_tables import RuleFileErrors, TomlSource
from entente_regles.rules.vocabulary import Term, Vocabulary

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


def _annex_problems(book: RuleBook, annex: object,
                    locate: Callable[[str], ErrorLocation]) -> list[RuleFileError]:
    """Every annex value the rule book's ``[[parametre]]`` refuses (an unknown parameter, a
    value of the wrong kind or out of bounds), each located; nothing when ``annex`` is not a
    table (the agreement file's reader says so)."""
    if not isinstance(annex, Mapping):
        return []
    problems: list[RuleFileError] = []
    for name, value in annex.items():
        if not isinstance(name, str) or not name.strip():
            continue  # the reader names it
        try:
            resolve_parameters(book, {name: value}, EARLIEST_DATE, locate)
        except InputError as exc:
            problems.append(RuleFileError(exc.where, exc.fr, exc.en))
    return problems


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
    # the agreement's own term (its file's [terme] over the rule book's); None: the rule book's
    term: Term | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"moteur inconnu {quoted(self.engine)} (python, durable ou "
                             f"reference) / unknown engine {quoted(self.engine)} (python, "
                             "durable or reference)")
        backend_for(self.engine)
        if self.term is not None:  # its term's notice: a power of its rule book
            problem = notice_power_problem(self.term, self.rulebook.powers)
            if problem is not None:
                raise ValueError(f"terme : {problem[0]} / term: {problem[1]}")
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
        if self.term is not None:  # a term of the agreement's own
            parameters["terme"] = self.term
        return Fingerprint.of(self.rulebook, self.policy, parameters, self.engine)

    @property
    def rulebook(self) -> RuleBook:
        """The rule book in use: ``rules``, or the bundled rule files."""
        return self.rules if self.rules is not None else RuleBook.bundled()

    @property
    def agreement_term(self) -> Term | None:
        """The agreement's term: its own (``term``), else its rule book's (None: none)."""
        return self.term if self.term is not None else self.rulebook.vocabulary.term

    def legal_calendar(self) -> LegalCalendar:
        """The legal calendar the agreement's deadlines are counted on: its ``calendar`` (or
        its rule book's) under its ``policy``."""
        days = self.calendar if self.calendar is not None else self.rulebook.calendar
        return LegalCalendar(self.policy, days=days)

    def compiled(self) -> CompiledRules:
        """The rules compiled for this agreement (annex parameters resolved, art. 2)."""
        return shared_rules(self.rulebook, self.annex, self.in_force_from)

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

    def evaluate_checked(self, events: list[Event], vocabulary: Vocabulary) -> Evaluation:
        """:meth:`evaluate` of ``events`` already read and validated against ``vocabulary``
        (``read_events``, a portfolio's workers): not validated again when it is this
        agreement's own vocabulary (3 µs an event), else as :meth:`evaluate`."""
        if vocabulary is not self.rulebook.vocabulary:
            return self.evaluate(events)
        with collection_paused():
            return self._evaluation(events, vocabulary)

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
                      self.legal_calendar(), self.agreement_term,
                      self.rulebook.vocabulary.performance_end)
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

        def locate(name: str) -> ErrorLocation:
            key = f"{where.key}.annexe.{name}" if where.key else f"annexe.{name}"
            line = source.line(key) if source is not None else where.line
            return ErrorLocation(where.file, line, key)

        # The annex's values against the rule files' [[parametre]], with the other keys, so
        # that every problem of the file comes in one error.
        annex_problems = _annex_problems(book, merged.get("annexe"), locate)
        try:
            arguments = agreement_arguments(merged, where, source, standards=book.standards,
                                            term=book.vocabulary.term,
                                            calendar=CalendarContext(facts.languages,
                                                                     facts.locales))
        except RuleFileErrors as exc:
            raise AgreementFileErrors((*exc.errors, *annex_problems)) from None
        term = arguments.get("term")
        problem = None if term is None else notice_power_problem(term, book.powers)
        if problem is not None:  # the file's [terme] names a power of the rule book
            key = f"{where.key}.{NOTICE_POWER_KEY}" if where.key else NOTICE_POWER_KEY
            line = source.line(key) if source is not None else where.line
            annex_problems.append(RuleFileError(ErrorLocation(where.file, line, key), *problem))
        if annex_problems:
            raise AgreementFileErrors(tuple(annex_problems))
        try:
            agreement = cls(**arguments, rules=rules, engine=engine)
        except (TypeError, ValueError) as exc:  # the reader checks first: not expected
            raise AgreementFileErrors((RuleFileError(where, f"entente invalide : {exc}",
                                                     f"invalid agreement: {exc}"),)) from None
        try:  # checked above, entry by entry: not expected
            resolve_parameters(agreement.rulebook, agreement.annex, agreement.in_force_from,
                               locate)
        except InputError as exc:
            raise AgreementFileErrors((RuleFileError(exc.where, exc.fr, exc.en),)) from None
        return agreement

    @classmethod
    def from_toml(cls, path: str | Path, rules: RuleBook | None = None,
                  engine: Engine = "python") -> Agreement:
        """Read an agreement file (TOML: client, en_vigueur_le, services, annexe, politique,
        calendrier). A file that does not validate raises one
        :class:`~entente_regles.rules.agreement_file.AgreementFileErrors` carrying every
        problem (``.problems``: file, line, key, what was expected)."""
        source = read_agreement_file(str(path))
        return cls.from_mapping(source.data, ErrorLocation(str(path)), rules, engine,
                                source=source)
