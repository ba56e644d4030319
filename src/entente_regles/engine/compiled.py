"""RuleBook + agreement parameters -> the compiled form a backend executes.

The compiled form is a flat list of :class:`MatchRule` (a discriminating fact type, field
tests, an optional join on an instance's key) and a dispatch table telling the replay what
each rule means (create, perform, discharge or breach an instance; exercise a power; apply
an effect; check a control), each handler holding the object it acts on. Parameters are
resolved here, annex values included (checked by ``rules.annexes``: an annex value that
contradicts a clause that does not defer to the annexes is set aside with a diagnostic). A
parameter used by a delay stays a reference (``"$name"``) that the replay resolves at a date
through :meth:`CompiledRules.param`, the one place where a parameter's value is read.

The compiled form is the only input of the replay, the amendments and the agenda: norms,
powers, effects, controls, parameters, per-type lists, the agreement's parties and the
articles cited by diagnostics are all here; nothing but :func:`compile_rules` reads the rule
book.
"""

from __future__ import annotations

import enum
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs

from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.values import EITHER_PARTY, Lang
from entente_regles.engine.matching import PARTY_FIELD, FieldTest, Join, MatchRule, Scalar
from entente_regles.rules.annexes import resolve_parameters
from entente_regles.rules.metadata import Parameter
from entente_regles.rules.money import Rounding, decimal_value
from entente_regles.rules.norms import (
    Act,
    Control,
    DemandSpec,
    Effect,
    EffectAction,
    EffectSpec,
    Norm,
    Power,
    Tests,
)
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.vocabulary import (
    EACH_PARTY,
    OTHER_PARTY,
    AgreementFacts,
    MonthDay,
    Party,
)
from entente_regles.words.replay import say

__all__ = ["CONTROL", "DEMAND", "EACH_PARTY", "EFFECT", "EXECUTION", "EXTINCTION",
           "OTHER_PARTY", "POWER", "TRIGGER", "VIOLATION", "Act", "Amendment",
           "CompiledRules", "Control", "DemandSpec", "Effect", "EffectAction", "EffectSpec",
           "Handler", "Norm", "Power", "Role", "Tests", "compile_rules", "event_fields",
           "shared_rules"]


class Role(enum.StrEnum):
    """What a matched rule does to the event it matched (its value names the rule)."""

    EXECUTION = "execution"  # performs an instance
    EXTINCTION = "extinction"  # ends an instance
    VIOLATION = "violation"  # breaches an instance
    CONTROL = "controle"  # checks the event's form
    POWER = "pouvoir"  # exercises a power
    EFFECT = "effet"  # applies an effect
    TRIGGER = "declencheur"  # creates an instance
    DEMAND = "demeure"  # puts a debtor in default


# The members as module constants, for the replay's dispatch: on Python 3.11 reading a member
# off its Enum class is a descriptor call, several per event. Read them this way in engine/.
TRIGGER, EXECUTION, EXTINCTION, VIOLATION = (
    Role.TRIGGER, Role.EXECUTION, Role.EXTINCTION, Role.VIOLATION)
CONTROL, POWER, EFFECT, DEMAND = Role.CONTROL, Role.POWER, Role.EFFECT, Role.DEMAND

NORM_FIELD = "@norme"
SIGNAL_ENTRY = "entree_en_vigueur"
SIGNAL_PERIOD = "periode"
SIGNAL_EXPIRY = "echeance"
SIGNAL_END = "fin_entente"
SIGNAL_RENEWAL = "renouvellement_terme"  # the term renewed (decision 76)
# Another instance's state that gives rise to a norm (``consequence_de``, ``quand``), besides
# its deadline passing (SIGNAL_EXPIRY): each is the signal's type.
SIGNAL_STATES = ("satisfaite", "eteinte", "violee")


@attrs.frozen
class Handler:
    """What a matched rule means: its role, the id of its target and the target itself."""

    role: Role
    target: str
    act: Act | None = None
    norm: Norm | None = None
    power: Power | None = None
    effect: Effect | None = None
    control: Control | None = None
    demand: DemandSpec | None = None


@attrs.frozen
class Amendment:
    """A parameter's new value from a date, agreed in an amendment to the agreement."""

    name: str
    value: int | str | bool
    effective: date
    event: Event
    article: str

    def describe(self, lang: Lang = "fr") -> str:
        where = f" — {self.event.source}" if self.event.source else ""
        return say("amendment", lang, name=self.name, value=self.value,
                   effective=self.effective, event_date=self.event.date, article=self.article,
                   where=where)


@attrs.frozen
class CompiledRules:
    rules: tuple[MatchRule, ...]
    handlers: Mapping[str, Handler]
    fields_by_type: Mapping[str, frozenset[str]]
    parameters: Mapping[str, int | str | bool]  # their values, the annex's included
    diagnostics: tuple[Diagnostic, ...]
    norms: tuple[Norm, ...] = ()
    norm_by_id: Mapping[str, Norm] = attrs.field(factory=dict)
    powers: tuple[Power, ...] = ()
    effects: tuple[Effect, ...] = ()
    control_by_id: Mapping[str, Control] = attrs.field(factory=dict)
    declared_parameters: Mapping[str, Parameter] = attrs.field(factory=dict)  # [[parametre]]
    period_norms: tuple[Norm, ...] = ()  # norms born of periods (monthly invoicing…)
    acting_types: frozenset[str] = frozenset()  # event types that act on instances
    # event type -> the norms whose performance by it reports an unknown reference
    unknown_reference_acts: Mapping[str, tuple[tuple[Norm, Act], ...]] = attrs.field(
        factory=dict)
    fed_articles: Mapping[str, str] = attrs.field(factory=dict)  # event type -> "9.2, 9.3"
    entry_into_force_article: str = "-"
    # fields_by_type in name order, the order a fact's fields are built in
    field_order: Mapping[str, tuple[str, ...]] = attrs.field(
        default=attrs.Factory(lambda self: {t: tuple(sorted(names)) for t, names
                                            in self.fields_by_type.items()}, takes_self=True),
        init=False)
    amendments: tuple[Amendment, ...] = ()  # in order of effect (then of the log)
    # norms whose deadline passing does something: they lapse, or a norm arises from it (the
    # replay schedules the day after the deadline for these only; for the others the status
    # follows from the dates alone)
    expiry_acts: frozenset[str] = frozenset()
    # norms whose instances' satisfaction, discharge or breach gives rise to another norm
    # (the replay signals these transitions for them only); norms arising at the end
    state_sources: frozenset[str] = frozenset()
    end_norms: tuple[Norm, ...] = ()
    renewal_norms: tuple[Norm, ...] = ()  # norms arising when the term renews (decision 76)
    condition_norms: frozenset[str] = frozenset()  # norms a condition reads (disponible_si)
    # the agreement's own facts, as its rule book declares them: the ids of its parties (two
    # or more, in its order), each party to the other (only between two parties: empty
    # otherwise), the first day of its fiscal year, its parties' names and labels
    parties: tuple[str, ...] = attrs.field(kw_only=True)
    other_party: Mapping[str, str] = attrs.field(kw_only=True)
    fiscal_year_start: MonthDay = attrs.field(kw_only=True)
    party_details: Mapping[str, Party] = attrs.field(kw_only=True, factory=dict)
    # what [entente] declares (currency, locales…): how the engine's own sentences write an
    # amount, the same facts every output reads through the vocabulary
    agreement: AgreementFacts = attrs.field(kw_only=True, factory=AgreementFacts)
    money: Rounding = attrs.field(kw_only=True, factory=Rounding)  # [argent] (decision 66)
    party_set: frozenset[str] = attrs.field(
        default=attrs.Factory(lambda self: frozenset(self.parties), takes_self=True),
        init=False)

    def party_label(self, party: str, lang: Lang = "fr") -> str:
        """What tables show for a party: its short label (``abrege``) in ``lang``, else its
        id; a word that is not a party's id (« parties »…) unchanged."""
        found = self.party_details.get(party)
        return found.label(lang) if found is not None else party

    def party_name(self, party: str, lang: Lang = "fr") -> str:
        """A party's name (``nom``) in ``lang``; a word that is not a party's id unchanged."""
        found = self.party_details.get(party)
        return found.name(lang) if found is not None else party

    def source_of(self, value: int | str | None, on: date | None) -> Amendment | None:
        """The amendment that sets parameter ``value`` ("@name") on ``on``, if any."""
        if not isinstance(value, str) or on is None:
            return None
        found = None
        for amendment in self.amendments:
            if amendment.effective > on:
                break
            if amendment.name == value[1:]:
                found = amendment
        return found

    def param(self, value: int | str | None, on: date | None = None) -> int:
        """An integer of a rule: a literal, or parameter "@name" as in force on ``on`` (the
        agreement's value, the annex's where the clause defers to it, or an amendment's from
        its effective date; ``on`` None: before any amendment). The one place a parameter is
        read."""
        if type(value) is int:
            return value
        if isinstance(value, str):
            amendment = self.source_of(value, on)
            resolved = amendment.value if amendment else self.parameters[value[1:]]
            assert isinstance(resolved, int) and not isinstance(resolved, bool)
            return resolved
        assert value is not None
        return value

    def rate(self, value: str, on: date) -> Decimal:
        """A rate or amount of a rule (decision 67): a literal decimal text, or parameter
        "@name" as in force on ``on`` (like :meth:`param`; its value checked by ``check``)."""
        if value.startswith("@"):
            amendment = self.source_of(value, on)
            found = decimal_value(amendment.value if amendment
                                  else self.parameters[value[1:]])
        else:
            found = decimal_value(value)
        assert found is not None
        return found

    def norm(self, norm_id: str) -> Norm:
        return self.norm_by_id[norm_id]

    def with_amendments(self, amendments: Sequence[Amendment]) -> CompiledRules:
        """These rules with more dated parameters: ``amendments`` (in log order) after those
        already known, in order of effect."""
        if not amendments:
            return self
        ordered = sorted(enumerate((*self.amendments, *amendments)),
                         key=lambda p: (p[1].effective, p[0]))
        return attrs.evolve(self, amendments=tuple(a for _, a in ordered))


def _tests(tests: Tests) -> tuple[FieldTest, ...]:
    """Rule tests as backend tests; strings in NFC, like validated event fields."""
    return tuple(
        FieldTest(PARTY_FIELD if name == "par" else name,
                  unicodedata.normalize("NFC", value) if isinstance(value, str) else value)
        for name, value in tests)


def _key_field(act: Act) -> str:
    return PARTY_FIELD if act.key_field == "par" else act.key_field


_SHARED: dict[tuple[int, tuple[tuple[str, str], ...], date],
              tuple[RuleBook, CompiledRules]] = {}
_SHARED_LOCK = threading.Lock()
_MAX_SHARED = 64


def shared_rules(book: RuleBook, annex: Mapping[str, object], start: date) -> CompiledRules:
    """:func:`compile_rules`, compiled once per process for each rule book (by identity),
    annex and date of entry into force: the agreements of a portfolio mostly share all
    three (about 3 ms each). The compiled rules are frozen: sharing them changes no
    answer."""
    key = (id(book), tuple(sorted((str(k), repr(v)) for k, v in annex.items())), start)
    with _SHARED_LOCK:
        found = _SHARED.get(key)
    if found is not None and found[0] is book:
        return found[1]
    compiled = compile_rules(book, annex, start)
    with _SHARED_LOCK:
        if len(_SHARED) >= _MAX_SHARED:
            _SHARED.clear()
        _SHARED[key] = (book, compiled)
    return compiled


def compile_rules(book: RuleBook, annex: Mapping[str, object], start: date) -> CompiledRules:
    parameters, diagnostics = resolve_parameters(book, annex, start)
    rules: list[MatchRule] = []
    handlers: dict[str, Handler] = {}
    fields: dict[str, set[str]] = {}

    def add(role: Role, target: str, rule: MatchRule, act: Act | None = None,
            **objects: object) -> None:
        rules.append(rule)
        handlers[rule.id] = Handler(role, target, act, **objects)  # type: ignore[arg-type]
        if rule.kind == "evenement":
            used = fields.setdefault(rule.type, set())
            used.update(t.field for t in rule.tests)
            if rule.join is not None:
                used.add(rule.join.key_field)

    def acts(norm: Norm, role: Role, items: tuple[Act, ...]) -> None:
        for i, act in enumerate(items):
            same_party = act.by == "debiteur" and norm.debtor != EITHER_PARTY
            join = Join(norm.id, _key_field(act), same_party)
            add(role, norm.id, MatchRule(f"{role}:{norm.id}:{i}", "evenement", act.event,
                                         _tests(act.tests), join), act, norm=norm)

    # Order matters only for readability of traces: acts on existing instances first, then
    # controls, powers and effects, then triggers of new instances (see replay).
    for norm in book.norms:
        acts(norm, Role.EXECUTION, norm.performances)
        acts(norm, Role.EXTINCTION, norm.extinctions)
        acts(norm, Role.VIOLATION, norm.violations)
    for control in book.controls:
        add(Role.CONTROL, control.id, MatchRule(f"controle:{control.id}", "evenement",
                                              control.event), control=control)
    for power in book.powers:
        add(Role.POWER, power.id, MatchRule(f"pouvoir:{power.id}", "evenement", power.event,
                                           _tests(power.tests)), power=power)
    for demand in book.demands:
        add(Role.DEMAND, demand.id, MatchRule(f"demeure:{demand.id}", "evenement", demand.event),
            demand=demand)
    for effect in book.effects:
        add(Role.EFFECT, effect.id, MatchRule(f"effet:{effect.id}", "evenement", effect.event,
                                          _tests(effect.tests)), effect=effect)
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
            rule = MatchRule(rule_id, "signal", trig.when,
                             (FieldTest(NORM_FIELD, trig.source_norm),))
        elif trig.kind == "fin_entente":
            rule = MatchRule(rule_id, "signal", SIGNAL_END)
        elif trig.kind == SIGNAL_RENEWAL:
            rule = MatchRule(rule_id, "signal", SIGNAL_RENEWAL)
        else:
            rule = MatchRule(rule_id, "signal", SIGNAL_ENTRY)
        add(Role.TRIGGER, norm.id, rule, norm=norm)
    norms = book.norms
    unknown: dict[str, list[tuple[Norm, Act]]] = {}
    for norm in norms:
        if norm.unknown_reference is not None:
            for act in norm.performances:
                unknown.setdefault(act.event, []).append((norm, act))
    return CompiledRules(
        tuple(rules), handlers, {k: frozenset(v) for k, v in fields.items()}, parameters,
        tuple(diagnostics), norms=norms, norm_by_id={n.id: n for n in norms},
        powers=book.powers, effects=book.effects,
        control_by_id={c.id: c for c in book.controls}, declared_parameters=book.parameters,
        period_norms=tuple(n for n in norms if n.trigger.kind == "periode"),
        acting_types=frozenset(act.event for n in norms
                               for act in n.performances + n.extinctions + n.violations),
        unknown_reference_acts={k: tuple(v) for k, v in unknown.items()},
        fed_articles={name: ", ".join(spec.articles) if spec.articles else "-"
                      for name, spec in book.vocabulary.types.items()},
        entry_into_force_article=book.entry_into_force_article,
        expiry_acts=frozenset(
            {n.id for n in norms if n.lapses}
            | {n.trigger.source_norm for n in norms
               if n.trigger.kind == "consequence" and n.trigger.source_norm is not None
               and n.trigger.when == SIGNAL_EXPIRY}),
        state_sources=frozenset(
            n.trigger.source_norm for n in norms
            if n.trigger.kind == "consequence" and n.trigger.source_norm is not None
            and n.trigger.when != SIGNAL_EXPIRY),
        end_norms=tuple(n for n in norms if n.trigger.kind == "fin_entente"),
        renewal_norms=tuple(n for n in norms if n.trigger.kind == SIGNAL_RENEWAL),
        condition_norms=frozenset(
            name for holder in (*[n.condition for n in norms],
                                *[p.condition for p in book.powers])
            if holder is not None for name in holder.norms),
        parties=book.parties, fiscal_year_start=book.fiscal_year_start,
        other_party={p: book.other_party(p) for p in book.parties}
        if book.vocabulary.two_parties else {},
        party_details={p.id: p for p in book.vocabulary.parties},
        agreement=book.agreement, money=book.vocabulary.money)


def fact_value(value: object) -> Scalar | None:
    """An event field as a backend sees it (str, int or bool); None when not comparable."""
    if type(value) is str or isinstance(value, bool | str | int):
        return value
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, tuple):
        return "+".join(str(v) for v in value)
    return None


def event_fields(compiled: CompiledRules, event: Event) -> dict[str, Scalar]:
    """The fields of ``event`` the rules test or join on, in name order (not a set's)."""
    out: dict[str, Scalar] = {}
    data = event.data
    for name in compiled.field_order.get(event.type, ()):
        if name == PARTY_FIELD:
            if event.by is not None:
                out[name] = event.by
            continue
        value = data.get(name)
        if value is None:
            continue
        if type(value) is not str:
            value = fact_value(value)
            if value is None:
                continue
        out[name] = value
    return out
