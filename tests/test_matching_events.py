"""IndexedSession.match_event: an event matched with no fact made gives exactly what
matching its fact gives, or hands the event back (None) when a field it reads would first be
converted for the fact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from entente_regles.core.event import Event
from entente_regles.engine.compiled import event_fields
from entente_regles.engine.matching import (
    PARTY_FIELD,
    Fact,
    FieldTest,
    IndexedSession,
    Join,
    Match,
    MatchRule,
)


class Name(str):
    """Text of a subclass of str: a fact keeps it as it is; match_event hands it back."""


PARTIES = ["A", "B", "A", "B", None]
FIELDS = ["a", "b", PARTY_FIELD]
KEYS = ["k1", "k2"]
RULE_VALUES: list[str | int | bool] = ["k1", "k2", "A", 1, True, "2026-01-02", "1.5"]
DATA_VALUES: list[Any] = ["k1", "k2", "A", 1, True, 0, None, Decimal("1.5"),
                          date(2026, 1, 2), ("k1", "k2"), Name("k1"), 2.5]


@st.composite
def rules(draw: st.DrawFn) -> list[MatchRule]:
    """A few rules, most of them on events of type E, many joined on field "a"."""
    found = []
    for number in range(draw(st.integers(1, 4))):
        tests = tuple(FieldTest(name, draw(st.sampled_from(RULE_VALUES)))
                      for name in draw(st.sampled_from([[], [], [], FIELDS[:1], FIELDS[2:]])))
        join = draw(st.one_of(st.none(), *[st.builds(
            Join, st.sampled_from(["N", "N", "N", "M"]), st.sampled_from(["a", "a", *FIELDS]),
            st.booleans())] * 2))
        kind = draw(st.sampled_from(["evenement"] * 5 + ["signal"]))
        found.append(MatchRule(f"r{number}", kind, draw(st.sampled_from(["E"] * 4 + ["F"])),
                               tests, join))
    return found


def field_order(rules: list[MatchRule]) -> dict[str, tuple[str, ...]]:
    """What compile_rules gives: the fields the event rules of each type read, sorted."""
    used: dict[str, set[str]] = {}
    for rule in rules:
        if rule.kind == "evenement":
            names = used.setdefault(rule.type, set())
            names.update(test.field for test in rule.tests)
            if rule.join is not None:
                names.add(rule.join.key_field)
    return {type_: tuple(sorted(names)) for type_, names in used.items()}


# instances as (norm, key, debtor); events as (type, author, data)
INSTANCES = st.lists(st.tuples(st.sampled_from(["N", "N", "M"]), st.sampled_from(KEYS),
                               st.sampled_from(PARTIES)), min_size=1, max_size=5)
VALUES = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), st.sampled_from(DATA_VALUES))
EVENTS = st.lists(st.tuples(st.sampled_from(["E"] * 4 + ["F", "G"]), st.sampled_from(PARTIES),
                            st.fixed_dictionaries({"a": VALUES}, optional={"b": VALUES})),
                  min_size=1, max_size=6)


@given(rules(), INSTANCES, EVENTS)
def test_match_event_is_match_of_the_events_fact(
        rules: list[MatchRule], instances: list[tuple[str, str, str | None]],
        events: list[tuple[str, str | None, dict[str, Any]]]) -> None:
    check(rules, instances, events)


def check(rules: list[MatchRule], instances: list[tuple[str, str, str | None]],
          events: list[tuple[str, str | None, dict[str, Any]]]) -> None:
    session = IndexedSession(rules)
    for seq, (norm, key, party) in enumerate(instances, 1):
        session.add_instance(Fact(seq, "instance", norm, party, key))
    compiled = SimpleNamespace(field_order=field_order(rules))
    for type_, party, data in events:
        event = Event(type_, date(2026, 1, 1), party, data=data)
        fields = event_fields(compiled, event)  # type: ignore[arg-type]
        expected = session.match(Fact(100, "evenement", type_, party, None, fields))
        got = session.match_event(type_, party, event.data)
        if got is None:  # handed back: a field the rules read is converted for the fact
            read = set(compiled.field_order.get(type_, ())) - {PARTY_FIELD}
            assert any(type(event.data.get(name)) not in (str, int, bool, type(None))
                       for name in read)
        else:
            assert got == expected
        assert expected == sorted(expected)


def test_the_commonest_shapes() -> None:
    """One execution joined by key (of its debtor), and a trigger of one party."""
    rules = [MatchRule("pay", "evenement", "paiement", join=Join("N", "facture", True)),
             MatchRule("trig", "evenement", "facture", (FieldTest(PARTY_FIELD, "A"),))]
    session = IndexedSession(rules)
    session.add_instance(Fact(1, "instance", "N", "A", "F1"))
    session.add_instance(Fact(2, "instance", "N", "B", "F2"))
    session.add_instance(Fact(3, "instance", "N", "A", "F2"))
    assert session.match_event("paiement", "A", {"facture": "F1"}) == [Match(0, "pay", 1)]
    assert session.match_event("paiement", "A", {"facture": "F2"}) == [Match(0, "pay", 3)]
    assert session.match_event("paiement", "B", {"facture": "F2"}) == [Match(0, "pay", 2)]
    assert session.match_event("paiement", "B", {"facture": "F1"}) == []
    assert session.match_event("paiement", "A", {}) == []
    assert session.match_event("paiement", "A", {"facture": Decimal(1)}) is None
    assert session.match_event("facture", "A", {}) == [Match(1, "trig", None)]
    assert session.match_event("facture", "B", {}) == []
    assert session.match_event("autre", "A", {}) == []
