"""The public entry point: an agreement (client, dates, services, annex, policy, rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import attrs

from .agreement_file import agreement_arguments, read_agreement_file
from .calendar import LegalCalendar, Policy
from .compiled import CompiledRules, compile_rules
from .evaluation import Evaluation
from .events import read_events, validate_events
from .matching import Backend, PythonBackend
from .model import ErrorLocation, Event, RuleFileError
from .replay import Context, replay
from .rulebook import RuleBook
from .validation import TomlSource

Engine = Literal["durable", "python"]


def _services(value: Mapping[str, date] | Iterable[str] | None) -> Mapping[str, date | None]:
    if value is None:
        return MappingProxyType({})
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return MappingProxyType(dict.fromkeys(value))


def _annex(value: Mapping[str, object] | None) -> Mapping[str, object]:
    return MappingProxyType(dict(value or {}))


def backend_for(engine: Engine) -> Backend:
    if engine == "python":
        return PythonBackend()
    if engine == "durable":
        from .durable_backend import DurableBackend

        return DurableBackend()
    raise ValueError(f"moteur inconnu {engine!r} (durable ou python) / "
                     f"unknown engine {engine!r} (durable or python)")


@attrs.frozen
class Agreement:
    """One *entente globale de services* between the MCN and a client body.

    ``services`` maps each service to the date its annex takes effect (or lists names, in
    force from ``in_force_from``); empty means services are not tracked. ``annex`` holds
    annex parameters (see the rule files' ``[[parametre]]``). ``rules`` defaults to the
    bundled rule files; ``engine`` picks the matching backend.
    """

    client: str
    in_force_from: date
    services: Mapping[str, date | None] = attrs.field(factory=dict, converter=_services)
    annex: Mapping[str, object] = attrs.field(factory=dict, converter=_annex)
    policy: Policy = attrs.field(factory=Policy)
    rules: RuleBook | None = attrs.field(default=None, eq=False)
    engine: Engine = "durable"

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.in_force_from, date):
            raise TypeError("in_force_from doit être une date / must be a datetime.date")
        if not self.client.strip():
            raise ValueError("client : acronyme requis / client: acronym required")
        backend_for(self.engine)

    @property
    def rulebook(self) -> RuleBook:
        """The rule book in use: ``rules``, or the bundled rule files."""
        return self.rules if self.rules is not None else RuleBook.bundled()

    def compiled(self) -> CompiledRules:
        """The rules compiled for this agreement (annex parameters resolved, art. 2)."""
        return compile_rules(self.rulebook, self.annex, self.in_force_from)

    def evaluate(self, events: Iterable[Event] | str | Path) -> Evaluation:
        """Replay ``events`` (a list of :class:`Event` or a JSON Lines path) once."""
        book = self.rulebook
        if isinstance(events, (str, Path)):
            checked = read_events(events, book.vocabulary)
        else:
            checked = validate_events(events, book.vocabulary)
        compiled = self.compiled()
        ctx = Context(self.client, self.in_force_from,
                      {name: start or self.in_force_from for name, start in self.services.items()},
                      LegalCalendar(self.policy))
        backend = backend_for(self.engine)
        last = max((e.date for e in checked), default=None)
        return Evaluation(lambda horizon: replay(compiled, ctx, checked, backend, horizon),
                          self.in_force_from, last, compiled=compiled, calendar=ctx.calendar)

    @classmethod
    def from_mapping(cls, spec: Mapping[str, Any], where: ErrorLocation,
                     rules: RuleBook | None = None, engine: Engine = "durable",
                     defaults: Mapping[str, Any] | None = None,
                     source: TomlSource | None = None) -> Agreement:
        """Build from the keys of an agreement file (see docs/cli.md); every problem is
        reported at once, in the file's keys (:mod:`entente_regles.agreement_file`)."""
        merged = {**(defaults or {}), **spec}
        arguments = agreement_arguments(merged, where, source)
        try:
            return cls(**arguments, rules=rules, engine=engine)
        except (TypeError, ValueError) as exc:
            raise RuleFileError(where, f"entente invalide : {exc}",
                                f"invalid agreement: {exc}") from None

    @classmethod
    def from_toml(cls, path: str | Path, rules: RuleBook | None = None,
                  engine: Engine = "durable") -> Agreement:
        """Read an agreement file (TOML: client, en_vigueur_le, services, annexe, politique)."""
        source = read_agreement_file(str(path))
        return cls.from_mapping(source.data, ErrorLocation(str(path)), rules, engine,
                                source=source)
