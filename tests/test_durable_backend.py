"""DurableBackend must give exactly PythonBackend's matches, and survive durable's pitfalls."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import needs_durable
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entente_regles.core.errors import EngineLimitError
from entente_regles.engine.durable import backend as durable_backend
from entente_regles.engine.durable.backend import (
    FIXED_NAMES,
    MAX_FIELDS,
    MAX_JOINS_PER_NORM,
    MAX_VALUES_PER_FIELD,
    BackendError,
    DurableBackend,
    durable_limits,
    encode_value,
)
from entente_regles.engine.matching import (
    Backend,
    Fact,
    FieldTest,
    Join,
    Match,
    MatchRule,
    PythonBackend,
    Scalar,
)

# Skipped only where durable_rules does not import (e.g. Python 3.13+, where the package
# does not install it): everything here drives durable itself.
pytestmark = needs_durable

Op = tuple[str, Fact]  # ("add", instance) or ("match", event/signal)


def run(backend: Backend, rules: Sequence[MatchRule], ops: Sequence[Op]) -> list[list[Match]]:
    results: list[list[Match]] = []
    with backend.session(rules) as session:
        for verb, fact in ops:
            if verb == "add":
                session.add_instance(fact)
            else:
                results.append(session.match(fact))
    return results


def same(rules: Sequence[MatchRule], ops: Sequence[Op]) -> list[list[Match]]:
    expected = run(PythonBackend(), rules, ops)
    assert run(DurableBackend(), rules, ops) == expected
    return expected


def inst(seq: int, norm: str, key: str | None, party: str | None = None) -> Op:
    return ("add", Fact(seq, "instance", norm, party, key))


def event(seq: int, type_: str, party: str | None = None, /, **fields: Scalar) -> Op:
    return ("match", Fact(seq, "evenement", type_, party, None, fields))


PAY = MatchRule("pay", "evenement", "paiement")
PAY_JOIN = MatchRule("pay-join", "evenement", "paiement", join=Join("N", "facture"))
PAY_PARTY = MatchRule("pay-party", "evenement", "paiement", join=Join("N", "facture", True))


def test_no_join() -> None:
    got = same([PAY], [event(1, "paiement"), event(2, "livraison"), event(3, "paiement")])
    assert got == [[Match(0, "pay", None)], [], [Match(0, "pay", None)]]


def test_join_on_key() -> None:
    ops = [
        inst(1, "N", "F1"),
        inst(2, "N", "F2"),
        inst(3, "N", "F1", "A"),
        inst(4, "M", "F1"),
        inst(5, "N", None),
        event(6, "paiement", facture="F1"),
        event(7, "paiement"),
        event(8, "paiement", facture="F3"),
        event(9, "paiement", facture=1),
    ]
    got = same([PAY_JOIN], ops)
    assert got[0] == [Match(0, "pay-join", 1), Match(0, "pay-join", 3)]
    assert got[1:] == [[], [], []]


def test_join_on_key_and_party() -> None:
    ops = [
        inst(1, "N", "F1", "A"),
        inst(2, "N", "F1", "B"),
        inst(3, "N", "F1", None),
        event(4, "paiement", "A", facture="F1"),
        event(5, "paiement", None, facture="F1"),
        event(6, "paiement", "C", facture="F1"),
    ]
    got = same([PAY_PARTY], ops)
    assert got == [[Match(0, "pay-party", 1)], [Match(0, "pay-party", 3)], []]


def test_none_is_not_the_empty_string() -> None:
    ops = [
        inst(1, "N", None, None),
        inst(2, "N", "", ""),
        event(3, "paiement", "", facture=""),
        event(4, "paiement", None, facture=""),
    ]
    assert same([PAY_PARTY], ops) == [[Match(0, "pay-party", 2)], []]


def test_several_rules_match_one_fact() -> None:
    rules = [PAY_PARTY, PAY, PAY_JOIN, MatchRule("sig", "signal", "paiement"), PAY]
    ops = [
        inst(1, "N", "F1", "A"),
        inst(2, "N", "F1", "B"),
        event(3, "paiement", "A", facture="F1"),
    ]
    got = same(rules, ops)
    assert len(got[0]) == 5 and got[0] == sorted(got[0])


@pytest.mark.parametrize("rule_value", [1, "1", True, 0, "0", False, "", "true", "b:1", "i:1"])
def test_typed_values_are_not_confused(rule_value: Scalar) -> None:
    rule = MatchRule("r", "evenement", "E", (FieldTest("v", rule_value),))
    values: list[Scalar] = [1, "1", True, 0, "0", False, "", "true", "b:1", "i:1"]
    got = same([rule], [event(i, "E", v=v) for i, v in enumerate(values)])
    assert sum(len(matches) for matches in got) == 1


def test_logical_fields_named_like_durable_or_adapter_names() -> None:
    names = ["id", "sid", "q", "k", "t", "p", "key", "m", "x", "f0", "$s", "f1.a"]
    rules = [MatchRule(f"r-{n}", "evenement", "E", (FieldTest(n, n),)) for n in names]
    rules.append(MatchRule("j-id", "evenement", "E", join=Join("N", "id", True)))
    ops: list[Op] = [inst(1, "N", "id", "P"), inst(2, "N", "1", "P")]
    ops += [event(10 + i, "E", "P", **{n: n}) for i, n in enumerate(names)]
    ops += [event(30, "E", "P", **{n: n for n in names}), event(31, "E", "P", id=1, sid=1)]
    got = same(rules, ops)
    assert all(matches for matches in got[:-1]) and got[-1] == []


def test_fact_matching_no_rule() -> None:
    assert same([PAY_JOIN], [event(1, "paiement", facture="F")]) == [[]]
    assert same([], [event(1, "paiement"), inst(2, "N", "F")]) == [[]]


def test_instance_added_after_event_does_not_match_it() -> None:
    ops = [
        event(1, "paiement", facture="F1"),
        inst(2, "N", "F1"),
        event(3, "paiement", facture="F1"),
    ]
    assert same([PAY_JOIN], ops) == [[], [Match(0, "pay-join", 2)]]


def test_identical_facts_posted_twice_and_duplicate_instances() -> None:
    ops = [
        inst(1, "N", "F"),
        inst(1, "N", "F"),
        event(2, "paiement", facture="F"),
        event(2, "paiement", facture="F"),
    ]
    assert same([PAY_JOIN, PAY], ops)[0] == [Match(0, "pay-join", 1)] * 2 + [Match(1, "pay", None)]


def test_strings_durable_would_mangle() -> None:
    # durable compares strings over (length % 65536) bytes: these would all match "a" / each other
    tricky = [
        "a",
        "a" + "b" * 65536,
        "a" * 65536,
        "b" * 65536,
        'q"uote',
        "back\\slash",
        "nul\x00a",
        "nul\x00b",
        "é",
        "\ud800",
        "\ud801",
        "x" * 512,
        "x" * 513,
        "\n",
        "💶",
    ]
    rules = [
        MatchRule(f"r{i}", "evenement", "E", (FieldTest("v", s),)) for i, s in enumerate(tricky)
    ]
    ops = [event(i, "E", v=s) for i, s in enumerate(tricky)]
    ops += [inst(100 + i, "N", s) for i, s in enumerate(tricky)]
    ops += [event(200 + i, "E", v=s, k=s) for i, s in enumerate(tricky)]
    got = same([*rules, MatchRule("j", "evenement", "E", join=Join("N", "k"))], ops)
    assert all(len(matches) == 1 for matches in got[: len(tricky)])
    assert all(len(matches) == 2 for matches in got[len(tricky) :])


def test_strings_are_nfc_normalised() -> None:
    # deliberate: durable compares bytes, so the adapter sends NFC (the compiler's promise)
    composed, decomposed = "é", unicodedata.normalize("NFD", "é")
    assert composed != decomposed and encode_value(composed) == encode_value(decomposed)


def test_value_encoding_is_typed_and_injective() -> None:
    values: list[Scalar] = [
        True,
        False,
        0,
        1,
        -1,
        "",
        "0",
        "1",
        "True",
        "b:1",
        "i:1",
        "s:",
        10**500,
        -(10**500),
        10**500 + 1,
        "y" * 600,
        "y" * 601,
    ]
    codes = [encode_value(v) for v in values]
    assert len(set(codes)) == len(values)
    assert all(code[:2] in {"b:", "i:", "s:", "i#", "s#"} for code in codes)


def fnv1a32(name: str) -> int:  # durable's fnv1Hash32 (xor, then multiply), on ASCII names
    value = 0x811C9DC5
    for byte in name.encode("ascii"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def test_fixed_names_do_not_collide_in_durables_hash() -> None:
    assert fnv1a32("id") == 926444256 and fnv1a32("sid") == 3593476751  # HASH_ID, HASH_SID
    reserved = ["id", "$s", "label", "chart", "chart_context", "running", "exception"]
    names = [*FIXED_NAMES, *reserved]
    assert len(set(names)) == len(names)
    assert len({fnv1a32(n) for n in names}) == len(names)


def test_field_limit() -> None:
    fields = [f"champ {i}" for i in range(MAX_FIELDS)]
    rule = MatchRule("wide", "evenement", "E", tuple(FieldTest(f, i) for i, f in enumerate(fields)))
    all_fields = {f: i for i, f in enumerate(fields)}
    assert same([rule], [event(1, "E", **all_fields)]) == [[Match(0, "wide", None)]]
    too_wide = MatchRule("too", "evenement", "E", (FieldTest("one more", 1),))
    with pytest.raises(EngineLimitError, match=f"at most {MAX_FIELDS}"), \
            DurableBackend().session([rule, too_wide]):
        pass


def test_values_per_field_limit_is_refused_before_starting() -> None:
    """512 distinct values tested on one field hang durable's C code: refused up front."""
    fits = [MatchRule(f"r{i}", "evenement", "E", (FieldTest("v", f"x{i}"),))
            for i in range(MAX_VALUES_PER_FIELD)]
    assert durable_limits(fits) == []
    assert same(fits, [event(1, "E", v="x7")]) == [[Match(7, "r7", None)]]
    over = [*fits, MatchRule("one more", "evenement", "E", (FieldTest("v", "y"),))]
    (problem,) = durable_limits(over)
    assert f"{MAX_VALUES_PER_FIELD + 1} distinct values tested on one field" in problem
    with pytest.raises(EngineLimitError, match="loops forever"), DurableBackend().session(over):
        pass


def test_joins_per_norm_limit_is_refused_before_starting() -> None:
    """65 join rules on one norm's instances fail with durable's error 303: refused up front."""
    rules = [MatchRule(f"j{i}", "evenement", f"T{i}", join=Join("N", "k"))
             for i in range(MAX_JOINS_PER_NORM)]
    ops = [inst(1, "N", "K"), event(2, "T5", k="K")]
    assert durable_limits(rules) == []
    assert same(rules, ops) == [[Match(5, "j5", 1)]]
    over = [*rules, MatchRule("j-over", "evenement", "T-over", join=Join("N", "k"))]
    (problem,) = durable_limits(over)
    assert "error 303" in problem and "'N'" in problem
    with pytest.raises(EngineLimitError), DurableBackend().session(over):
        pass


def test_bundled_rules_fit_durable() -> None:
    from datetime import date

    from entente_regles import Agreement

    assert durable_limits(Agreement(client="X", in_force_from=date(2026, 4, 1)).compiled()) == []


def test_retired_instances_still_join_and_sessions_resume() -> None:
    """A closed instance is retracted from durable but still joins (an overpayment is
    reported); a session resumed after another keeps its instances."""
    rules = [PAY_PARTY, PAY]
    backend = DurableBackend()
    with backend.session(rules) as first:
        first.add_instance(inst(1, "N", "F", "A")[1])
        first.add_instance(inst(2, "N", "G", "A")[1])
        first.retire_instance(1)
        assert first.match(event(3, "paiement", "A", facture="F")[1]) == \
            [Match(0, "pay-party", 1), Match(1, "pay", None)]
    with backend.session(rules, resume=first) as second:
        assert second.match(event(4, "paiement", "A", facture="G")[1]) == \
            [Match(0, "pay-party", 2), Match(1, "pay", None)]
        assert second.match(event(5, "paiement", "A", facture="F")[1])[0] == \
            Match(0, "pay-party", 1)


def test_facts_whose_content_hashes_clash_get_unique_ids() -> None:
    """Two invoices whose facts share durable's 32-bit content hash (found on a random
    10,000-invoice log) made durable raise MessageObservedException; with unique ids both
    are kept and the answers are the Python engine's."""
    from datetime import date
    from decimal import Decimal

    import entente_regles as er

    events = [
        er.Event("facture_emise", date(2026, 5, 1), by="mcn",
                 data={"facture": "F-24064", "montant": Decimal("10.00"), "periode": "2026-04"}),
        er.Event("facture_emise", date(2026, 5, 2), by="mcn",
                 data={"facture": "F-126499", "montant": Decimal("10.00"),
                       "periode": "2026-04"}),
        er.Event("paiement", date(2026, 5, 3), by="client",
                 data={"facture": "F-126499", "montant": Decimal("10.00")}),
    ]
    answers = []
    for engine in ("python", "durable"):
        agreement = er.Agreement(client="X", in_force_from=date(2026, 4, 1), engine=engine)
        answers.append(agreement.evaluate(events).at(date(2026, 7, 1)).to_dict())
    assert answers[0] == answers[1]


# small alphabets, skewed so that joins and confusable values (1, "1", True) meet often
RULE_KINDS = st.sampled_from(["evenement", "evenement", "signal"])
TYPES = st.sampled_from(["A", "A", "B"])
NORMS = st.sampled_from(["N", "N", "M"])
FIELDS = st.sampled_from(["f", "id", "sid"])
KEYS = st.sampled_from(["k1", "k1", "1", ""])  # strings, as join keys are
VALUES: st.SearchStrategy[Scalar] = KEYS | st.sampled_from(["1", 1, True, 0, False])
PARTIES = st.sampled_from([None, "P", "P", "Q", ""])

rules_strategy = st.lists(
    st.builds(
        MatchRule,
        id=st.sampled_from(["r1", "r2", "r3"]),
        kind=RULE_KINDS,
        type=TYPES,
        tests=st.lists(st.builds(FieldTest, FIELDS, VALUES), max_size=2).map(tuple),
        join=st.builds(Join, NORMS, FIELDS, st.booleans()) | st.none(),
    ),
    min_size=1,
    max_size=5,
)
# Every argument of Fact is given: left out, ``builds`` infers it from its type (random
# text dictionaries for an instance's fields, text for an event's key), which neither backend
# reads (an instance joins by its key, an event by its fields) and which cost nine tenths of
# the test's time to generate. They are drawn here from the same small alphabets instead.
instance_strategy = st.tuples(
    st.just("add"),
    st.builds(
        Fact,
        seq=st.just(0),
        kind=st.just("instance"),
        type=NORMS,
        party=PARTIES,
        key=KEYS | st.none(),
        fields=st.dictionaries(FIELDS, VALUES, max_size=1),
    ),
)
posted_strategy = st.tuples(
    st.just("match"),
    st.builds(
        Fact,
        seq=st.just(0),
        kind=RULE_KINDS,
        type=TYPES,
        party=PARTIES,
        key=KEYS | st.none(),
        fields=st.dictionaries(FIELDS, VALUES, min_size=2, max_size=3),
    ),
)


# cheap examples (a few facts each): five times the profile's count (200 under "ci", 50,000
# under "thorough"; the README's test command must stay under three minutes on two cores)
@settings(max_examples=5 * settings().max_examples, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(rules_strategy, st.lists(instance_strategy | posted_strategy, min_size=8, max_size=30))
def test_differential(rules: list[MatchRule], ops: list[Op]) -> None:
    same(rules, [(verb, fact._replace(seq=seq)) for seq, (verb, fact) in enumerate(ops)])


join_rules_strategy = st.lists(
    st.builds(
        MatchRule,
        id=st.just("j"),
        kind=st.just("evenement"),
        type=st.just("A"),
        join=st.builds(Join, NORMS, st.sampled_from(["f", "id"]), st.booleans()),
    ),
    min_size=1,
    max_size=4,
)
join_posted_strategy = st.tuples(
    st.just("match"),
    st.builds(
        Fact,
        seq=st.just(0),
        kind=st.just("evenement"),
        type=st.just("A"),
        party=PARTIES,
        key=KEYS | st.none(),
        fields=st.dictionaries(
            st.sampled_from(["f", "id"]), KEYS | st.just(1), min_size=1, max_size=2
        ),
    ),
)


@settings(max_examples=3 * settings().max_examples, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    join_rules_strategy, st.lists(instance_strategy | join_posted_strategy, min_size=4, max_size=30)
)
def test_differential_joins(rules: list[MatchRule], ops: list[Op]) -> None:
    same(rules, [(verb, fact._replace(seq=seq)) for seq, (verb, fact) in enumerate(ops)])


def test_two_thousand_sessions_in_a_row() -> None:
    rules = [PAY_PARTY, PAY]
    ops = [inst(1, "N", "F", "A"), event(2, "paiement", "A", facture="F")]
    expected = run(PythonBackend(), rules, ops)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(2000):  # more than durable's 1024 live sessions per ruleset
        assert run(DurableBackend(), rules, ops) == expected  # no instance left over
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 64 * 1024


def test_same_rules_reuse_one_registered_ruleset() -> None:
    rules = [MatchRule("reuse", "evenement", "Reuse", (FieldTest("v", 7),))]
    run(DurableBackend(), rules, [])
    count = len(durable_backend._registered)
    renamed = [MatchRule("other id", "evenement", "Reuse", (FieldTest("w", 7),))]
    run(DurableBackend(), rules, [])
    run(DurableBackend(), renamed, [])  # ids and logical names do not reach durable
    assert len(durable_backend._registered) == count
    run(DurableBackend(), [MatchRule("reuse", "evenement", "Reuse", (FieldTest("v", True),))], [])
    assert len(durable_backend._registered) == count + 1  # True is not 7, nor 1


def test_one_rule_tuple_is_prepared_once_and_equal_rules_of_other_types_apart() -> None:
    """The limits, field table and definition of a rule tuple are worked out once and reused
    by every session on the same tuple; an equal tuple whose values differ in type (True ==
    1) is prepared on its own, and a list (which may change) is never kept."""
    ones = (MatchRule("typed", "evenement", "Typed", (FieldTest("v", 1),)),)
    trues = (MatchRule("typed", "evenement", "Typed", (FieldTest("v", True),)),)
    assert ones == trues  # equal to Python: a cache by equality would mix them up
    first = durable_backend._prepared(ones)
    assert durable_backend._prepared(ones) is first
    other = durable_backend._prepared(trues)
    assert other is not first and other.canonical != first.canonical
    ops = [event(1, "Typed", "A", v=1), event(2, "Typed", "A", v=True)]
    for rules in (ones, trues, list(ones)):
        assert run(DurableBackend(), rules, ops) == run(PythonBackend(), rules, ops)
    kept = durable_backend._PREPARED
    assert not any(isinstance(entry.rules, list) for entry in kept)
    assert len(kept) <= durable_backend._PREPARED_SIZE


def test_action_exception_surfaces_and_next_session_works(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(index: int, closure: object) -> None:
        raise ZeroDivisionError("boom")

    ops = [inst(1, "N", "F"), event(2, "paiement", facture="F")]
    with monkeypatch.context() as patch:
        patch.setattr(durable_backend, "_record", broken)
        with pytest.raises(BackendError) as caught, DurableBackend().session([PAY_JOIN]) as s:
            s.add_instance(ops[0][1])
            s.match(ops[1][1])
        assert isinstance(caught.value.__cause__, ZeroDivisionError)
    assert same([PAY_JOIN], ops[1:]) == [[]]  # the failed session's instance is gone
    assert same([PAY_JOIN], ops) == [[Match(0, "pay-join", 1)]]


def test_error_in_caller_still_cleans_up() -> None:
    with pytest.raises(KeyError), DurableBackend().session([PAY_JOIN]) as s:
        s.add_instance(inst(1, "N", "F")[1])
        raise KeyError("caller")
    assert same([PAY_JOIN], [event(2, "paiement", facture="F")]) == [[]]


def test_closed_and_nested_sessions_are_refused() -> None:
    with DurableBackend().session([PAY]) as s:
        with pytest.raises(BackendError), DurableBackend().session([PAY]):
            pass
        assert s.match(event(1, "paiement")[1]) == [Match(0, "pay", None)]
    with pytest.raises(BackendError):
        s.match(event(2, "paiement")[1])


def test_sessions_from_threads_are_serialised() -> None:
    ops = [inst(1, "N", "F", "A"), event(2, "paiement", "A", facture="F")]
    expected = run(PythonBackend(), [PAY_PARTY], ops)
    results: list[list[list[Match]]] = []

    def one() -> None:
        results.append(run(DurableBackend(), [PAY_PARTY], ops))

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 8


def test_module_imports_without_durable() -> None:
    src = Path(durable_backend.__file__).resolve().parents[3]
    code = "import sys, entente_regles.engine.durable.backend; assert 'durable' not in sys.modules"
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
