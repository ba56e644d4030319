"""Amendments that change the agreement's parameters from a date.

A rule file declares which event amends the agreement: an ``[[effet]]`` whose action is
``modifier_parametres``, naming the field that carries the new values (a ``parametres``
field) and, optionally, the field of the effective date and a control the event must pass
(e.g. signed by both parties). Each ``[[parametre]]`` says whether an amendment may change it
(``avenant_peut_modifier``).

Amendments are read from the replay's own log before the walk: every event of that log is
known to it (the log of an answer "as known on K" holds only events recorded by K), and an
amendment whose effective date precedes the event then applies from that date like any other.
From its effective date, new instances use the new value; instances born earlier keep theirs.
The annex-precedence rule does not apply: an amendment is the agreement itself, amended. An
amendment that fails its control, names an unknown parameter or one that may not be amended,
or gives a value of the wrong type changes nothing and gets a diagnostic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.values import Text
from entente_regles.engine.compiled import Amendment, CompiledRules, Effect, Tests
from entente_regles.rules.annexes import value_problem
from entente_regles.words.replay import text


def passes(tests: Tests, event: Event) -> bool:
    """The ``si`` equality tests of a rule, on one validated event."""
    return all((event.by if name == "par" else event.data.get(name)) == value
               for name, value in tests)


def _problems(compiled: CompiledRules, values: Mapping[str, object]
              ) -> list[tuple[str, Text]]:
    """(code, message) for each entry that cannot be applied."""
    declared = compiled.declared_parameters
    problems = []
    for name, value in sorted(values.items()):
        param = declared.get(name)
        if param is None:
            known = ", ".join(sorted(n for n, p in declared.items() if p.amendable))
            problems.append(("avenant_parametre_inconnu",
                             text("amendment_unknown_parameter", name=name, known=known)))
        elif not param.amendable:
            problems.append(("avenant_parametre_non_modifiable",
                             text("amendment_not_amendable", name=name, article=param.article)))
        else:
            wrong = value_problem(param, value)
            if wrong is not None:
                problems.append(("avenant_valeur_invalide",
                                 text("amendment_invalid_value", name=name, problem=wrong)))
    return problems


def _amendment(compiled: CompiledRules, effect: Effect, event: Event
               ) -> tuple[list[Amendment], list[Diagnostic]]:
    spec = effect.effect
    assert spec.parameters_field is not None
    values = event.data.get(spec.parameters_field)
    if not isinstance(values, Mapping):
        return [], []  # an amendment that changes no parameter of the rules
    effective = event.date
    if spec.date_field is not None and isinstance(event.data.get(spec.date_field), date):
        effective = event.data[spec.date_field]
    problems = _problems(compiled, values)
    if problems:
        return [], [Diagnostic(code, effect.article, event.date,
                               text("amendment_rejected", problem=problem),
                               "erreur", event, effect.id) for code, problem in problems]
    changes = [Amendment(name, value, effective, event, effect.article)
               for name, value in sorted(values.items())]
    retro = effective < event.date
    listed = ", ".join(f"{a.name} = {a.value!r}" for a in changes)
    note = Diagnostic(
        "avenant_applique", effect.article, event.date,
        text("amendment_applied_retroactive" if retro else "amendment_applied", listed=listed,
             effective=effective), "info", event, effect.id)
    return changes, [note]


def collect(compiled: CompiledRules, events: Sequence[Event], in_force_from: date
            ) -> tuple[list[Amendment], list[Diagnostic]]:
    """The amendments of ``events``, given in date order (a date's events in log order, as
    the replay walks them), as dated parameters for :meth:`CompiledRules.with_amendments`,
    and their diagnostics. Events before the entry into force have no effect (the replay
    says so)."""
    effects = [e for e in compiled.effects if e.effect.action == "modifier_parametres"]
    if not effects:
        return [], []
    controls = compiled.control_by_id
    amendments: list[Amendment] = []
    diagnostics: list[Diagnostic] = []
    types = {effect.event for effect in effects}
    for event in [e for e in events if e.type in types]:  # only those of an amending type
        if event.date < in_force_from:
            continue
        for effect in effects:
            if effect.event != event.type or not passes(effect.tests, event):
                continue
            required = controls.get(effect.requires_control or "")
            if required is not None and required.missing(event):
                continue  # the control reports it (e.g. not signed by both parties)
            found, notes = _amendment(compiled, effect, event)
            amendments += found
            diagnostics += notes
    return amendments, diagnostics
