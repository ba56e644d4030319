"""The matching interface between the replay and a backend.

The replay (Python, generic) decides *when* things happen; a backend decides *what matches
what*: which rule patterns an incoming fact satisfies, and which live obligation instances
it joins with. Two backends implement this interface: the durable_rules adapter
(``durable_backend``) and a deliberately plain reference in pure Python (``PythonBackend``
below), used as an oracle in the differential tests.

Facts here are adapter-neutral: logical field names chosen by the compiler from the
rulebook, values already normalised (str in NFC, int, bool). A backend must never see a raw
user event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Literal, Protocol

import attrs

Scalar = str | int | bool
FactKind = Literal["evenement", "signal", "instance"]


@attrs.frozen
class FieldTest:
    """Equality test on one logical field of the incoming fact."""

    field: str
    value: Scalar


@attrs.frozen
class Join:
    """Join the incoming fact with the instance facts of one norm.

    ``key_field`` is the logical field of the incoming fact whose value must equal the
    instance's key; with ``same_party`` the fact's party must equal the instance's party
    (its debtor).
    """

    norm: str
    key_field: str
    same_party: bool = False


@attrs.frozen
class MatchRule:
    """One pattern: a fact of ``kind``/``type`` passing every test (and the join, if any)."""

    id: str
    kind: FactKind
    type: str
    tests: tuple[FieldTest, ...] = ()
    join: Join | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind == "instance":
            raise ValueError("a rule cannot match instance facts directly")


@attrs.frozen
class Fact:
    """A fact posted to a backend: an event, a signal, or a live obligation instance.

    ``seq`` is unique within a session and increases with posting order. For an instance,
    ``type`` is the norm id, ``key`` its correlation key and ``party`` its debtor (or None
    when the debtor is both parties).
    """

    seq: int
    kind: FactKind
    type: str
    party: str | None = None
    key: str | None = None
    fields: Mapping[str, Scalar] = attrs.field(factory=dict)


@attrs.frozen(order=True)
class Match:
    """``rule_id`` matched the posted fact, joined with instance ``instance_seq`` if any."""

    rule_index: int
    rule_id: str
    instance_seq: int | None


class Session(Protocol):
    def add_instance(self, fact: Fact) -> None:
        """Store a live instance; later facts may join with it."""

    def match(self, fact: Fact) -> list[Match]:
        """Every match of an event or signal fact, sorted; the fact is not kept."""


class Backend(Protocol):
    name: str

    def session(self, rules: Sequence[MatchRule]) -> AbstractContextManager[Session]:
        """Open an isolated session for one replay; closed (and cleaned up) on exit."""


def fact_passes(rule: MatchRule, fact: Fact) -> bool:
    """Does ``fact`` satisfy ``rule``'s own pattern (not its join)?"""
    if fact.kind != rule.kind or fact.type != rule.type:
        return False
    return all(
        test.field in fact.fields and fact.fields[test.field] == test.value
        and type(fact.fields[test.field]) is type(test.value)
        for test in rule.tests
    )


class _PythonSession:
    def __init__(self, rules: Sequence[MatchRule]) -> None:
        self._rules = list(rules)
        self._instances: dict[tuple[str, str | None], list[Fact]] = defaultdict(list)

    def add_instance(self, fact: Fact) -> None:
        if fact.kind != "instance":
            raise ValueError(f"not an instance fact: {fact!r}")
        self._instances[(fact.type, fact.key)].append(fact)

    def match(self, fact: Fact) -> list[Match]:
        if fact.kind == "instance":
            raise ValueError("instances are added with add_instance, not matched")
        found: list[Match] = []
        for index, rule in enumerate(self._rules):
            if not fact_passes(rule, fact):
                continue
            if rule.join is None:
                found.append(Match(index, rule.id, None))
                continue
            key = fact.fields.get(rule.join.key_field)
            if not isinstance(key, str):
                continue
            for instance in self._instances.get((rule.join.norm, key), []):
                if rule.join.same_party and instance.party != fact.party:
                    continue
                found.append(Match(index, rule.id, instance.seq))
        return sorted(found)


class PythonBackend:
    """The reference backend: loops and dictionaries, no cleverness."""

    name = "python"

    @contextmanager
    def session(self, rules: Sequence[MatchRule]) -> Iterator[_PythonSession]:
        yield _PythonSession(rules)
