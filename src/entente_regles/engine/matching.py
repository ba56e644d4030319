"""The matching interface between the replay and a backend.

The replay (Python, generic) decides *when* things happen; a backend decides *what matches
what*: which rule patterns an incoming fact satisfies, and which live obligation instances
it joins with. Three backends implement this interface: ``PythonBackend`` (the default
engine: rules indexed by fact kind and type, instances by norm and key), the durable_rules
adapter (``durable_backend``), and ``ReferenceBackend``, a deliberately plain loop over every
rule kept as the oracle of the differential tests.

Facts here are adapter-neutral: logical field names chosen by the compiler from the
rulebook, values already normalised (str in NFC, int, bool). A backend must never see a raw
user event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from types import MappingProxyType
from typing import Literal, NamedTuple, Protocol, TypeVar

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


_NO_FIELDS: Mapping[str, Scalar] = MappingProxyType({})
# The logical field of an event fact holding its author (``Event.by``), tested as "par"
PARTY_FIELD = "@par"


class Fact(NamedTuple):
    """A fact posted to a backend: an event, a signal, or a live obligation instance.

    ``seq`` is unique within a session and increases with posting order. For an instance,
    ``type`` is the norm id, ``key`` its correlation key and ``party`` its debtor (or None
    when the debtor is both parties). A light tuple: one is made for every event replayed.
    """

    seq: int
    kind: FactKind
    type: str
    party: str | None = None
    key: str | None = None
    fields: Mapping[str, Scalar] = _NO_FIELDS


class Match(NamedTuple):
    """``rule_id`` matched the posted fact, joined with instance ``instance_seq`` if any
    (ordered by rule, then instance)."""

    rule_index: int
    rule_id: str
    instance_seq: int | None


# A named tuple built without the Python frame of its generated __new__, every field given in
# order: new_named_tuple(Fact, (seq, kind, type, party, key, fields)). Measured on Python
# 3.11, it saves 5-7 % of a replay (a Fact per event and per instance, a Match per match).
new_named_tuple = tuple.__new__


class Session(Protocol):
    # Does retire_instance do anything? The replay tracks which instances are still open, to
    # retire them once closed, only for a session that moves closed instances out.
    retires: bool

    def add_instance(self, fact: Fact) -> None:
        """Store a live instance; later facts may join with it."""

    def match(self, fact: Fact) -> list[Match]:
        """Every match of an event or signal fact, sorted; the fact is not kept."""

    def retire_instance(self, seq: int) -> None:
        """The instance ``seq`` is closed: it still joins (an act on a closed instance is
        reported), but a backend may move it out of its working memory."""


class Backend(Protocol):
    name: str

    def session(self, rules: Sequence[MatchRule],
                resume: Session | None = None) -> AbstractContextManager[Session]:
        """Open an isolated session for one replay; closed (and cleaned up) on exit.

        ``resume`` is a session of the same rules closed earlier: the new one starts with
        its instances, so a replay can stop and continue where it stopped."""


def fact_passes(rule: MatchRule, fact: Fact) -> bool:
    """Does ``fact`` satisfy ``rule``'s own pattern (not its join)?"""
    if fact.kind != rule.kind or fact.type != rule.type:
        return False
    return all(
        test.field in fact.fields and fact.fields[test.field] == test.value
        and type(fact.fields[test.field]) is type(test.value)
        for test in rule.tests
    )


class _ReferenceSession:
    retires = False  # see retire_instance

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

    def retire_instance(self, seq: int) -> None:
        return None  # kept: a plain loop has nothing to gain

_S = TypeVar("_S", bound=Session)


def _resumed_or_new(kind: type[_S], rules: Sequence[MatchRule], resume: Session | None) -> _S:
    """The session to continue (a pure-Python session keeps its own state), or a new one."""
    if resume is None:
        return kind(rules)  # type: ignore[call-arg]
    assert isinstance(resume, kind)
    return resume


class ReferenceBackend:
    """The reference backend: every fact tried against every rule, no cleverness. It is the
    oracle of the differential tests (``engine="reference"``)."""

    name = "reference"

    @contextmanager
    def session(self, rules: Sequence[MatchRule],
                resume: Session | None = None) -> Iterator[_ReferenceSession]:
        yield _resumed_or_new(_ReferenceSession, rules, resume)


# (rule index, rule id, field tests as (field, value, type), join as (the joined norm's
# instances by key, norm, key field, same party) or None, and its match when it has no join,
# made once): a rule flattened for the loop of IndexedSession.match
_Candidate = tuple[int, str, tuple[tuple[str, Scalar, type], ...],
                   "tuple[dict[str | None, _Live | list[_Live]], str, str, bool] | None",
                   "Match"]


# An instance as a join needs it: its seq alone when its party is its norm's usual one (the
# party of the norm's first instance: memory, at a million instances), else (seq, party).
_Live = int | tuple[int, str | None]

# A candidate of an event's type, for IndexedSession.match_event: each test as (field, is it
# PARTY_FIELD, value, type), its join with whether its key field is PARTY_FIELD
_EventCandidate = tuple[
    int, str, tuple[tuple[str, bool, Scalar, type], ...],
    "tuple[dict[str | None, _Live | list[_Live]], str, str, bool, bool] | None", "Match"]


class IndexedSession:
    """Rules indexed by (fact kind, type); instances by norm, then key. A fact is tried only
    against the rules of its own kind and type, and a join looks up one key. An instance is
    kept as its seq (party: its norm's usual one) or (seq, party); a key's several instances
    as a list."""

    retires = False  # closed instances still join: see retire_instance

    def __init__(self, rules: Sequence[MatchRule]) -> None:
        by_type: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
        # A joined norm's instances by key, made now so that its rules hold that very dict
        # (add_instance fills it): a join looks up its key without finding the norm first.
        self._instances: dict[str, dict[str | None, _Live | list[_Live]]] = {}
        for index, rule in enumerate(rules):
            tests = tuple((t.field, t.value, type(t.value)) for t in rule.tests)
            join = rule.join
            by_type[(rule.kind, rule.type)].append(
                (index, rule.id, tests,
                 None if join is None else (self._instances.setdefault(join.norm, {}),
                                            join.norm, join.key_field, join.same_party),
                 Match(index, rule.id, None)))
        # kind -> type -> candidates: two lookups of interned strings, no key tuple per fact
        self._by_kind: dict[str, dict[str, tuple[_Candidate, ...]]] = {}
        for (kind, type_), found in by_type.items():
            self._by_kind.setdefault(kind, {})[type_] = tuple(found)
        # an event's candidates, each field they read marked as the author's or the data's:
        # what match_event reads from an event itself
        self._events: dict[str, tuple[_EventCandidate, ...]] = {
            type_: tuple(
                (index, rule_id,
                 tuple((name, name == PARTY_FIELD, value, kind_of)
                       for name, value, kind_of in tests),
                 None if join is None else (*join, join[2] == PARTY_FIELD), alone)
                for index, rule_id, tests, join, alone in found)
            for type_, found in self._by_kind.get("evenement", {}).items()}
        self._usual: dict[str, str | None] = {}  # norm -> the party of its first instance

    def add_instance(self, fact: Fact) -> None:
        if fact.kind != "instance":
            raise ValueError(f"not an instance fact: {fact!r}")
        keys = self._instances.get(fact.type)
        if keys is None:
            keys = self._instances[fact.type] = {}
        usual = self._usual.setdefault(fact.type, fact.party)
        live: _Live = fact.seq if fact.party == usual else (fact.seq, fact.party)
        known = keys.get(fact.key)
        if known is None:
            keys[fact.key] = live
        elif isinstance(known, list):
            known.append(live)
        else:
            keys[fact.key] = [known, live]

    def retire_instance(self, seq: int) -> None:
        return None  # closed instances still join: nothing to move

    def match(self, fact: Fact) -> list[Match]:
        kind = fact.kind
        if kind == "instance":
            raise ValueError("instances are added with add_instance, not matched")
        by_type = self._by_kind.get(kind)
        candidates = None if by_type is None else by_type.get(fact.type)
        if not candidates:
            return []
        fields = fact.fields
        found: list[Match] = []
        several = False
        for index, rule_id, tests, join, alone in candidates:
            if tests:  # every test passes: the same value, of the same type
                passed = True
                for name, value, kind_of in tests:
                    got = fields.get(name, _ABSENT)
                    if got != value or type(got) is not kind_of:
                        passed = False
                        break
                if not passed:
                    continue
            if join is None:  # its one match (a tuple, shared)
                found.append(alone)
                continue
            keys, norm, key_field, same_party = join
            key = fields.get(key_field)
            if not isinstance(key, str):
                continue
            known = keys.get(key)
            if known is not None and self._join(found, index, rule_id, norm, known, same_party,
                                                fact.party):
                several = True
        # in order: each candidate (by rule) gives one match at most, unless several
        # instances share the key
        if several and len(found) > 1:
            found.sort()
        return found

    def match_event(self, type_: str, party: str | None,
                    data: Mapping[str, object]) -> list[Match] | None:
        """:meth:`match` of the fact of an event of ``type_`` by ``party`` with ``data``, its
        fields read from the event itself, as ``compiled.event_fields`` gives them (the
        author as ``PARTY_FIELD``, a field absent or None not given), with no fact made;
        None when a field the rules read holds neither text nor a number (the caller then
        makes the fact: such a value is converted first)."""
        candidates = self._events.get(type_)
        if not candidates:
            return []
        found: list[Match] = []
        several = False
        for index, rule_id, tests, join, alone in candidates:
            if tests:  # every test passes: the same value, of the same type
                passed = True
                for name, is_party, value, kind_of in tests:
                    got: object
                    if is_party:  # the author, as is
                        got = party
                    else:
                        got = data.get(name)
                        if type(got) is not str and got is not None \
                                and not isinstance(got, int):
                            return None  # converted for a fact: not read here
                    if got != value or type(got) is not kind_of:
                        passed = False
                        break
                if not passed:
                    continue
            if join is None:  # its one match (a tuple, shared)
                found.append(alone)
                continue
            keys, norm, key_field, same_party, key_is_party = join
            key = party if key_is_party else data.get(key_field)
            if type(key) is not str:
                if key is None or isinstance(key, int):
                    continue  # no key to join on (as in match)
                return None  # converted for a fact: not read here
            known = keys.get(key)
            if known is not None and self._join(found, index, rule_id, norm, known, same_party,
                                                party):
                several = True
        if several and len(found) > 1:  # as in match
            found.sort()
        return found

    def _join(self, found: list[Match], index: int, rule_id: str, norm: str,
              known: _Live | list[_Live], same_party: bool,
              party: str | None) -> bool:
        """The matches of a join with a key's instances (``known``), appended to ``found``;
        True when the key has several (the matches may then need sorting)."""
        if isinstance(known, int):  # one instance, of its norm's usual party
            if not same_party or self._usual[norm] == party:
                found.append(new_named_tuple(Match, (index, rule_id, known)))
            return False
        if isinstance(known, tuple):  # one instance, of another party
            if not same_party or known[1] == party:
                found.append(new_named_tuple(Match, (index, rule_id, known[0])))
            return False
        usual = self._usual[norm]
        for live in known:
            seq, other = (live, usual) if isinstance(live, int) else live
            if same_party and other != party:
                continue
            found.append(Match(index, rule_id, seq))
        return True


_ABSENT = object()


class PythonBackend:
    """The default engine: indexed matching in pure Python (``engine="python"``)."""

    name = "python"

    @contextmanager
    def session(self, rules: Sequence[MatchRule],
                resume: Session | None = None) -> Iterator[IndexedSession]:
        yield _resumed_or_new(IndexedSession, rules, resume)
