"""The values an annex (or an amendment) gives the agreement's parameters, checked against
the rule book's ``[[parametre]]``: same type as the agreement's value, integers from 1 to
:data:`MAX_PARAMETER`. An annex value that contradicts a clause that does not defer to the
annexes is not an input error: it is set aside, with a diagnostic citing the precedence
article (``[preseance]``), and the agreement's value applies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from entente_regles.core.errors import ErrorLocation, InputError
from entente_regles.core.event import Diagnostic
from entente_regles.core.input_limits import quoted
from entente_regles.core.values import Text
from entente_regles.rules.metadata import Parameter
from entente_regles.rules.money import decimal_value
from entente_regles.rules.rulebook import RuleBook
from entente_regles.words.annexes import text

MAX_PARAMETER = 3660  # days or months: ten years is beyond any delay of the agreement


def value_problem(param: Parameter, value: object) -> Text | None:
    """Why ``value`` cannot be ``param``'s value, or None: same type as the agreement's value,
    integers from 1 to MAX_PARAMETER (annexes and amendments alike)."""
    if type(value) is not type(param.value):
        name = type(param.value).__name__
        kind = text(name) if name in ("bool", "int", "str") else Text(name, name)
        shown = str(value).lower() if isinstance(value, bool) else quoted(value)
        return text("wrong_type", kind=kind, shown=shown)
    if isinstance(value, int) and not isinstance(value, bool) \
            and not 1 <= value <= MAX_PARAMETER:
        return text("out_of_bounds", most=MAX_PARAMETER, value=value)
    if isinstance(param.value, str) and decimal_value(param.value) is not None:
        rate = decimal_value(value)  # a rate or an amount stays one (decision 67)
        if rate is None or rate < 0:
            return text("not_a_rate", shown=quoted(value))
    return None


def _annex_location(name: str) -> ErrorLocation:
    return ErrorLocation("<annexe>", None, f"annexe.{name}")


def resolve_parameters(book: RuleBook, annex: Mapping[str, object], start: date,
                       locate: Callable[[str], ErrorLocation] = _annex_location,
                       ) -> tuple[dict[str, int | str | bool], list[Diagnostic]]:
    """The parameters' values once the annex has set its own; ``locate`` turns a parameter's
    name into the place its value is written (an agreement file's line, when known). An
    unknown parameter or a value of the wrong kind is an :class:`InputError`."""
    values: dict[str, int | str | bool] = {}
    diagnostics: list[Diagnostic] = []
    declared = book.parameters
    for name, declared_param in declared.items():
        values[name] = declared_param.value
    for name, value in sorted(annex.items()):
        param = declared.get(name)
        where = locate(name)
        if param is None:
            problem = text("unknown_parameter", known=", ".join(sorted(declared)))
            raise InputError(where, problem.fr, problem.en)
        wrong = value_problem(param, value)
        if wrong is not None:
            raise InputError(where, wrong.fr, wrong.en)
        assert isinstance(value, int | str | bool)
        if value == param.value:
            continue
        if param.annex_may_override:
            values[name] = value
            continue
        precedence = book.precedence
        article = precedence.article if precedence else "?"
        code = precedence.code if precedence else "preseance"
        clause = precedence.message if precedence else Text("", "")
        diagnostics.append(Diagnostic(
            code, article, start,
            text("precedence", clause=clause, name=name, value=value, article=param.article,
                 source=param.source, agreed=param.value),
            severity="erreur", rule=name))
    return values, diagnostics


__all__ = ["MAX_PARAMETER", "resolve_parameters", "value_problem"]
