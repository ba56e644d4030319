"""RuleBook + agreement parameters -> the compiled form a backend executes.

The compiled form is a flat list of :class:`MatchRule` (a discriminating fact type, field
tests, an optional join on an instance's key) and a dispatch table telling the replay what
each rule means (create, perform, discharge or breach an instance; exercise a power; apply
an effect; check a control). Parameters are resolved here, annex values included: an annex
value that contradicts a clause that does not defer to the annexes is rejected with a
diagnostic citing the precedence article, and the agreement's value applies.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Literal

import attrs

from .matching import FieldTest, Join, MatchRule, Scalar
from .model import Diagnostic, ErrorLocation, Event, InputError, Text
from .rulebook import Act, Norm, RuleBook, Tests

Role = Literal["execution", "extinction", "violation", "controle", "pouvoir", "effet",
               "declencheur", "demeure"]
PARTY_FIELD = "@par"
NORM_FIELD = "@norme"
SIGNAL_ENTRY = "entree_en_vigueur"
SIGNAL_PERIOD = "periode"
SIGNAL_EXPIRY = "echeance"
MAX_PARAMETER = 3660  # days or months: ten years is beyond any delay of the agreement


@attrs.frozen
class Handler:
    role: Role
    target: str
    act: Act | None = None


@attrs.frozen
class CompiledRules:
    book: RuleBook
    rules: tuple[MatchRule, ...]
    handlers: Mapping[str, Handler]
    fields_by_type: Mapping[str, frozenset[str]]
    parameters: Mapping[str, int | str | bool]
    diagnostics: tuple[Diagnostic, ...]

    def param_int(self, value: int | str | None) -> int:
        if isinstance(value, str):
            resolved = self.parameters[value[1:]]
            assert isinstance(resolved, int) and not isinstance(resolved, bool)
            return resolved
        assert value is not None
        return value


def _tests(tests: Tests) -> tuple[FieldTest, ...]:
    """Rule tests as backend tests; strings in NFC, like validated event fields."""
    return tuple(
        FieldTest(PARTY_FIELD if name == "par" else name,
                  unicodedata.normalize("NFC", value) if isinstance(value, str) else value)
        for name, value in tests)


def _key_field(act: Act) -> str:
    return PARTY_FIELD if act.key_field == "par" else act.key_field


def resolve_parameters(book: RuleBook, annex: Mapping[str, object], start: date
                       ) -> tuple[dict[str, int | str | bool], list[Diagnostic]]:
    values: dict[str, int | str | bool] = {}
    diagnostics: list[Diagnostic] = []
    declared = book.parameters
    for name, declared_param in declared.items():
        values[name] = declared_param.value
    for name, value in sorted(annex.items()):
        param = declared.get(name)
        where = ErrorLocation("<annexe>", None, f"annexe.{name}")
        if param is None:
            known = ", ".join(sorted(declared))
            raise InputError(where, f"paramètre d'annexe inconnu (connus : {known})",
                             f"unknown annex parameter (known: {known})")
        kind = type(param.value).__name__
        if type(value) is not type(param.value):
            raise InputError(where, f"{kind} attendu, reçu {value!r}",
                             f"expected {kind}, got {value!r}")
        if isinstance(value, int) and not isinstance(value, bool) \
                and not 1 <= value <= MAX_PARAMETER:
            raise InputError(where, f"entier de 1 à {MAX_PARAMETER} attendu, reçu {value!r}",
                             f"expected an integer from 1 to {MAX_PARAMETER}, got {value!r}")
        if value == param.value:
            continue
        if param.annex_may_override:
            values[name] = value
            continue
        precedence = book.precedence
        article = precedence.article if precedence else "?"
        code = precedence.code if precedence else "preseance"
        base = precedence.message if precedence else Text("", "")
        diagnostics.append(Diagnostic(
            code, article, start,
            Text(f"{base.fr} L'annexe fixe {name} = {value!r}, contraire à l'art. "
                 f"{param.article} ({param.source}) qui ne renvoie pas aux annexes ; "
                 f"la valeur de l'entente, {param.value!r}, s'applique.",
                 f"{base.en} The annex sets {name} = {value!r}, contrary to art. "
                 f"{param.article} ({param.source}), which does not defer to the annexes; "
                 f"the agreement's value, {param.value!r}, applies."),
            severity="erreur", rule=name))
    return values, diagnostics


def compile_rules(book: RuleBook, annex: Mapping[str, object], start: date) -> CompiledRules:
    parameters, diagnostics = resolve_parameters(book, annex, start)
    rules: list[MatchRule] = []
    handlers: dict[str, Handler] = {}
    fields: dict[str, set[str]] = {}

    def add(role: Role, target: str, rule: MatchRule, act: Act | None = None) -> None:
        rules.append(rule)
        handlers[rule.id] = Handler(role, target, act)
        if rule.kind == "evenement":
            used = fields.setdefault(rule.type, set())
            used.update(t.field for t in rule.tests)
            if rule.join is not None:
                used.add(rule.join.key_field)

    def acts(norm: Norm, role: Role, items: tuple[Act, ...]) -> None:
        for i, act in enumerate(items):
            same_party = act.by == "debiteur" and norm.debtor != "parties"
            join = Join(norm.id, _key_field(act), same_party)
            add(role, norm.id, MatchRule(f"{role}:{norm.id}:{i}", "evenement", act.event,
                                         _tests(act.tests), join), act)

    # Order matters only for readability of traces: acts on existing instances first, then
    # controls, powers and effects, then triggers of new instances (see replay).
    for norm in book.norms:
        acts(norm, "execution", norm.performances)
        acts(norm, "extinction", norm.extinctions)
        acts(norm, "violation", norm.violations)
    for control in book.controls:
        add("controle", control.id, MatchRule(f"controle:{control.id}", "evenement",
                                              control.event))
    for power in book.powers:
        add("pouvoir", power.id, MatchRule(f"pouvoir:{power.id}", "evenement", power.event,
                                           _tests(power.tests)))
    for demand in book.demands:
        add("demeure", demand.id, MatchRule(f"demeure:{demand.id}", "evenement", demand.event))
    for effect in book.effects:
        add("effet", effect.id, MatchRule(f"effet:{effect.id}", "evenement", effect.event,
                                          _tests(effect.tests)))
    for norm in book.norms:
        trig = norm.trigger
        rule_id = f"declencheur:{norm.id}"
        if trig.kind == "evenement":
            assert trig.event is not None
            tests = _tests(trig.tests)
            if trig.party is not None:
                tests += (FieldTest(PARTY_FIELD, trig.party),)
            rule = MatchRule(rule_id, "evenement", trig.event, tests)
        elif trig.kind == "periode":
            rule = MatchRule(rule_id, "signal", SIGNAL_PERIOD, (FieldTest(NORM_FIELD, norm.id),))
        elif trig.kind == "consequence":
            assert trig.source_norm is not None
            rule = MatchRule(rule_id, "signal", SIGNAL_EXPIRY,
                             (FieldTest(NORM_FIELD, trig.source_norm),))
        else:
            rule = MatchRule(rule_id, "signal", SIGNAL_ENTRY)
        add("declencheur", norm.id, rule)
    return CompiledRules(book, tuple(rules), handlers,
                         {k: frozenset(v) for k, v in fields.items()}, parameters,
                         tuple(diagnostics))


def fact_value(value: object) -> Scalar | None:
    """An event field as a backend sees it (str, int or bool); None when not comparable."""
    if isinstance(value, bool | str | int):
        return value
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, tuple):
        return "+".join(str(v) for v in value)
    return None


def event_fields(compiled: CompiledRules, event: Event) -> dict[str, Scalar]:
    out: dict[str, Scalar] = {}
    for name in sorted(compiled.fields_by_type.get(event.type, ())):  # not the set's order
        if name == PARTY_FIELD:
            if event.by is not None:
                out[name] = event.by
        elif name in event.data:
            value = fact_value(event.data[name])
            if value is not None:
                out[name] = value
    return out
