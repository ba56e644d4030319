"""The public entry point: an agreement (client, dates, services, annex, policy, rules)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import attrs

from .calendar import LegalCalendar, Policy
from .compiled import CompiledRules, compile_rules
from .evaluation import Evaluation
from .events import read_events, validate_events
from .matching import Backend, PythonBackend
from .model import ErrorLocation, Event, RuleFileError
from .replay import Context, replay
from .rulebook import RuleBook

Engine = Literal["durable", "python"]
AGREEMENT_KEYS = ("client", "en_vigueur_le", "services", "annexe", "politique")


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
                     defaults: Mapping[str, Any] | None = None) -> Agreement:
        """Build from the keys of an agreement file (see docs/entente.md)."""
        merged = {**(defaults or {}), **spec}
        unknown = sorted(set(merged) - set(AGREEMENT_KEYS))
        if unknown:
            raise RuleFileError(
                ErrorLocation(where.file, where.line, _join(where.key, unknown[0])),
                f"clé inconnue (permises : {', '.join(AGREEMENT_KEYS)})",
                f"unknown key (allowed: {', '.join(AGREEMENT_KEYS)})")
        for key in ("client", "en_vigueur_le"):
            if key not in merged:
                raise RuleFileError(ErrorLocation(where.file, where.line, _join(where.key, key)),
                                    "clé obligatoire manquante", "missing required key")
        try:
            policy = Policy(**dict(merged.get("politique", {})))
            services = merged.get("services")
            if isinstance(services, Mapping):
                services = {name: _date(value) for name, value in services.items()}
            return cls(client=str(merged["client"]), in_force_from=merged["en_vigueur_le"],
                       services=services, annex=merged.get("annexe"), policy=policy,
                       rules=rules, engine=engine)
        except (TypeError, ValueError) as exc:
            raise RuleFileError(where, f"entente invalide : {exc}",
                                f"invalid agreement: {exc}") from None

    @classmethod
    def from_toml(cls, path: str | Path, rules: RuleBook | None = None,
                  engine: Engine = "durable") -> Agreement:
        """Read an agreement file (TOML: client, en_vigueur_le, services, annexe, politique)."""
        file = str(path)
        try:
            with Path(path).open("rb") as handle:
                data = tomllib.load(handle)
        except OSError as exc:
            raise RuleFileError(ErrorLocation(file), f"lecture impossible : {exc.strerror}",
                                f"cannot read: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise RuleFileError(ErrorLocation(file), f"TOML invalide : {exc}",
                                f"invalid TOML: {exc}") from None
        return cls.from_mapping(data, ErrorLocation(file), rules, engine)


def _join(prefix: str | None, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise TypeError(f"services : une date attendue, reçu {value!r} / services: expected a date")
