"""The limits of durable_rules that a compiled rulebook may exceed, measured once.

The adapter refuses a rulebook past them before a session starts, and the rulebook checker
reports the same crossings (``limites_durable``): one function, so they never disagree. No
import of ``durable`` here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from entente_regles.engine.durable.encoding import (
    MAX_FIELDS,
    MAX_JOINS_PER_NORM,
    MAX_VALUES_PER_FIELD,
    encode_value,
)
from entente_regles.engine.matching import MatchRule


class LimitCrossing(NamedTuple):
    """A limit of durable_rules that rules exceed: ``rule_id`` is the first rule past it (where
    a rulebook checker places the finding); ``fr`` and ``en`` say which limit, with counts."""

    rule_id: str
    fr: str
    en: str


def limit_crossings(compiled: Any) -> list[LimitCrossing]:
    """The limits of durable_rules that ``compiled`` (a ``CompiledRules`` or a sequence of
    ``MatchRule``) exceeds, each at the first rule past it; empty when it fits. The one
    measure of these limits: the adapter refuses on it (:func:`durable_limits`), the rulebook
    checker reports it (``limites_durable``)."""
    rules: Sequence[MatchRule] = getattr(compiled, "rules", compiled)
    crossings: list[LimitCrossing] = []
    fields: dict[str, None] = {}
    fields_past: str | None = None
    values: dict[str, dict[str, str]] = {}  # field -> encoded value -> first rule testing it
    joins: dict[str, list[str]] = {}  # norm -> ids of the rules joining its instances
    for rule in rules:
        names = [test.field for test in rule.tests]
        names += [rule.join.key_field] if rule.join is not None else []
        for name in names:
            if name not in fields:
                fields[name] = None
                if len(fields) == MAX_FIELDS + 1:
                    fields_past = rule.id
        values.setdefault("type", {}).setdefault(encode_value(rule.type), rule.id)
        for test in rule.tests:
            values.setdefault(test.field, {}).setdefault(encode_value(test.value), rule.id)
        if rule.join is not None:
            values["type"].setdefault(encode_value(rule.join.norm), rule.id)
            joins.setdefault(rule.join.norm, []).append(rule.id)
    if fields_past is not None:
        crossings.append(LimitCrossing(
            fields_past,
            f"{len(fields)} champs distincts testés par les règles : durable_rules en tient au "
            f"plus {MAX_FIELDS}",
            f"{len(fields)} distinct fields tested by the rules: durable_rules holds at most "
            f"{MAX_FIELDS}"))
    groups = (({name: list(seen.values()) for name, seen in values.items()},
               MAX_VALUES_PER_FIELD, _too_many_values),
              (joins, MAX_JOINS_PER_NORM, _too_many_joins))
    for members_of, limit, say in groups:
        for name, members in sorted(members_of.items()):
            if len(members) > limit:
                crossings.append(LimitCrossing(members[limit], *say(name, len(members))))
    return crossings


def _too_many_values(name: str, count: int) -> tuple[str, str]:
    what = "types d'événement et normes" if name == "type" else f"champ {name!r}"
    what_en = "event types and norms" if name == "type" else f"field {name!r}"
    return (f"{count} valeurs distinctes testées sur un même champ ({what}) : au-delà de "
            f"{MAX_VALUES_PER_FIELD}, durable_rules boucle sans fin",
            f"{count} distinct values tested on one field ({what_en}): past "
            f"{MAX_VALUES_PER_FIELD}, durable_rules loops forever")


def _too_many_joins(norm: str, count: int) -> tuple[str, str]:
    return (f"{count} règles joignent les instances de la norme {norm!r} : au-delà de "
            f"{MAX_JOINS_PER_NORM}, durable_rules échoue (erreur 303)",
            f"{count} rules join the instances of norm {norm!r}: past {MAX_JOINS_PER_NORM}, "
            "durable_rules fails (error 303)")


def durable_limits(compiled: Any) -> list[str]:
    """The limits of durable_rules that ``compiled`` (a ``CompiledRules`` or a sequence of
    ``MatchRule``) exceeds, one message each (French / English); empty when it fits.

    Checked before a session starts: past these limits durable_rules fails mid-replay
    (error 303), or loops forever in its C code."""
    return [f"{c.fr} / {c.en}" for c in limit_crossings(compiled)]
