"""A deadline computed under one policy name and given another (``legal._named``, which writes
the copy into a twin of its slots): the very computation the class would make."""

from __future__ import annotations

import pickle
from datetime import date

import attrs
import pytest

from entente_regles.calendar import legal
from entente_regles.calendar.legal import DeadlineComputation
from entente_regles.rules.rulebook import RuleBook


def test_a_renamed_computation_is_the_one_made_under_that_name() -> None:
    calendar = legal.LegalCalendar(days=RuleBook.bundled().calendar)
    unnamed = calendar.explain_after(date(2026, 12, 20), 5)  # rolled over the holidays
    assert unnamed.skipped
    renamed = legal._named(unnamed, "politique-client")
    made = attrs.evolve(unnamed, policy="politique-client")
    assert type(renamed) is DeadlineComputation
    assert renamed == made and hash(renamed) == hash(made) and repr(renamed) == repr(made)
    assert renamed.describe("fr") == made.describe("fr")
    assert renamed.describe("en") == made.describe("en")
    assert pickle.loads(pickle.dumps(renamed)) == made
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        renamed.policy = "autre"  # type: ignore[misc]
    assert legal._named(unnamed, unnamed.policy) is unnamed


def test_a_named_policy_shares_the_computation_and_keeps_its_name() -> None:
    days = RuleBook.bundled().calendar
    plain = legal.LegalCalendar(days=days)
    named = legal.LegalCalendar(attrs.evolve(plain.policy, name="politique-x"), days=days)
    found = named.explain_after(date(2026, 12, 20), 5)
    assert found.policy == "politique-x"
    assert attrs.evolve(found, policy=plain.policy.name) == plain.explain_after(
        date(2026, 12, 20), 5)
    assert named.add_working_days(date(2026, 12, 20), 3) == plain.add_working_days(
        date(2026, 12, 20), 3)
    with pytest.raises(TypeError):
        named.explain_after("2026-12-20", 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        named.add_working_days(date(2026, 12, 20), -1)
