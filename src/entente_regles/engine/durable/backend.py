"""The durable_rules backend: the only module of the project that imports ``durable``.

durable_rules 2.0.28 sits behind a strict adapter (docs/moteurs.md lists its traps and the guards):
logical field names become fixed names (``FIELD_NAMES``) and values type-tagged strings
(``encode_value``); one live durable session at a time (module lock) under the fixed sid
``SID``, started by a sentinel fact that fires a trivial rule (``delete_state`` then never
crashes) and deleted on exit even on error; each compiled ruleset registered once per process
under a generated name; a Host without background threads; one-parameter actions whose
exceptions become ``BackendError``; a fresh sequence number ``q`` in every asserted fact.

durable keys a fact by a 32-bit hash of its content unless it carries an ``id``: every fact
gets one, the smallest free number (ids are recycled when a fact is retracted, so they stay
far below ``MAX_SAFE_ID``, the largest id up to which no two ids' hashes clash). Closed
instances are retracted (``retire_instance``): durable's memory holds only live instances,
and later acts on a closed instance (an overpayment, a repeated breach) are joined by the
adapter with the same compiled join in Python (``matching.IndexedSession``). The limits of
durable_rules that no adapter trick removes are checked from the compiled rules before a
session starts (``durable_limits``, in its own module). How rules and values are written for
durable is in ``durable_encoding``; neither of those two imports ``durable``.
"""

from __future__ import annotations

import copy
import heapq
import itertools
import json
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs

from entente_regles.core.errors import EngineLimitError, EngineUnavailable
from entente_regles.engine.durable.encoding import (
    _KINDS,
    _SENTINEL_RULE,
    FIXED_NAMES,
    MAX_FIELDS,
    MAX_JOINS_PER_NORM,
    MAX_SAFE_ID,
    MAX_VALUES_PER_FIELD,
    SID,
    BackendError,
    Definition,
    compile_rules,
    encode_value,
    field_table,
)
from entente_regles.engine.durable.limits import LimitCrossing, durable_limits, limit_crossings
from entente_regles.engine.matching import Fact, IndexedSession, Match, MatchRule, Session


def durable_available() -> str | None:
    """None when durable_rules imports here; otherwise why not."""
    try:
        _durable()
    except EngineUnavailable as error:
        return error.en
    return None


class _Collector:
    def __init__(self) -> None:
        self.fired: list[tuple[int, int | None]] = []
        self.errors: list[BaseException] = []


_LOCK = threading.Lock()
_owner: int | None = None
_current: _Collector | None = None
_durable_pair: tuple[Any, Any] | None = None  # (durable.engine, a QuietHost)
_registered: dict[str, str] = {}  # canonical definition -> ruleset name
_names = itertools.count()


def _record(index: int, closure: Any) -> None:
    """Body of every action: note which rule fired, with which instance (by its ``q``)."""
    assert _current is not None, "an action ran outside a session"
    joined = closure.x
    _current.fired.append((index, None if joined is None else int(joined["q"])))


def _make_action(index: int) -> Callable[[Any], None]:
    def action(closure: Any) -> None:  # one parameter: durable would treat two as async
        try:
            if index >= 0:
                _record(index, closure)
        except BaseException as error:
            if _current is not None:
                _current.errors.append(error)

    return action


def _durable() -> tuple[Any, Any]:
    """(durable.engine, the process's Host), created on first use."""
    global _durable_pair
    if _durable_pair is None:
        try:
            from durable import engine  # type: ignore[import-untyped]
        except ImportError as error:  # e.g. Python 3.13: PyEval_CallObject is gone
            raise EngineUnavailable(
                f"le moteur durable (durable_rules) n'est pas utilisable ici ({error}). C'est "
                "un extra, pour Python 3.11 et 3.12 : pip install "
                "\"entente-regles[durable]\" (il se compile : gcc et les en-têtes de "
                "Python) ; sous Python 3.13 et plus, utilisez le moteur par défaut "
                "(engine=\"python\", --engine python), qui donne les mêmes réponses.",
                f"the durable engine (durable_rules) is not usable here ({error}). It is an "
                "extra, for Python 3.11 and 3.12: pip install \"entente-regles[durable]\" "
                "(it builds from source: gcc and the Python headers); on Python 3.13 and "
                "later, use the default engine (engine=\"python\", --engine python), which "
                "gives the same answers.") from error

        class QuietHost(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:  # no dispatch threads: actions run inside our calls
                return None

        _durable_pair = (engine, QuietHost())
    return _durable_pair


def _canonical(definition: Definition) -> str:
    return json.dumps(definition, sort_keys=True, ensure_ascii=False)


def _forget(definition: Definition) -> None:
    """Never reuse this ruleset: its session state is in doubt."""
    _registered.pop(_canonical(definition), None)


def _ruleset_name(host: Any, definition: Definition, canonical: str) -> str:
    """The ruleset registered for ``definition`` (``canonical``: its canonical text; same
    content, same ruleset)."""
    name = _registered.get(canonical)
    if name is None:
        name = f"entente_regles_{next(_names)}"
        runnable = copy.deepcopy(definition)
        for rule_name, rule in runnable.items():
            rule["run"] = _make_action(-1 if rule_name == _SENTINEL_RULE else int(rule_name[1:]))
        host.set_rulesets({name: runnable})
        _registered[canonical] = name
    return name


@attrs.frozen
class _Prepared:
    """What a session needs of its rules and depends on them alone: the limits they cross,
    the field table, the durable definition and its canonical text."""

    rules: Sequence[MatchRule]
    problems: tuple[str, ...]
    table: dict[str, str]
    definition: Definition
    canonical: str


_PREPARED: list[_Prepared] = []  # the last few rule sequences prepared, newest last
_PREPARED_SIZE = 8
_PREPARED_LOCK = threading.Lock()


def _prepared(rules: Sequence[MatchRule]) -> _Prepared:
    """The session-independent work on ``rules``, done once per rule sequence: a replay opens
    a session for every step (each event fed, each date asked beyond the replayed horizon)
    with the same compiled rules, and checking the limits, building the definition and its
    canonical text took about 3 ms each time. Kept by identity (the compiled rules are a
    tuple of frozen rules, never changed; an entry holds its sequence, so the identity stays
    its own), not by equality: equal rules may differ in their values' types (True == 1)."""
    with _PREPARED_LOCK:
        for entry in reversed(_PREPARED):
            if entry.rules is rules:
                return entry
    problems = tuple(durable_limits(rules))
    table = field_table(rules) if not problems else {}
    definition = compile_rules(rules, table) if not problems else {}
    entry = _Prepared(rules, problems, table, definition, _canonical(definition))
    if isinstance(rules, tuple):  # a list could change after it is kept: never kept
        with _PREPARED_LOCK:
            _PREPARED.append(entry)
            del _PREPARED[:-_PREPARED_SIZE]
    return entry


class DurableSession:
    retires = True  # a closed instance is retracted from durable's memory

    def __init__(self, rules: Sequence[MatchRule], table: dict[str, str], name: str) -> None:
        self._rules = list(rules)
        self._table = table
        self._name = name
        self._q = 0
        self._instances: dict[int, int] = {}  # q -> Fact.seq
        self._live: dict[int, tuple[Fact, dict[str, Any]]] = {}  # seq -> fact, asserted data
        self._retired = IndexedSession([r for r in rules if r.join is not None])
        self._join_ids = [i for i, r in enumerate(rules) if r.join is not None]
        self._free: list[int] = []  # ids given back by retracted facts (a heap)
        self._next_id = 1
        self.open = True

    def _take_id(self) -> str:
        if self._free:
            return str(heapq.heappop(self._free))
        if self._next_id > MAX_SAFE_ID:
            raise EngineLimitError([
                f"plus de {MAX_SAFE_ID} faits vivants à la fois dans durable_rules (au-delà, "
                f"ses clés de 32 bits peuvent se heurter) / more than {MAX_SAFE_ID} live facts "
                "at once in durable_rules (past that, its 32-bit keys may clash)"])
        self._next_id += 1
        return str(self._next_id - 1)

    def _give_id(self, data: dict[str, Any]) -> None:
        heapq.heappush(self._free, int(data["id"]))

    def _call(self, method: str, data: dict[str, Any]) -> bool:
        """``host.<method>(data)``; False if no rule pattern takes the fact (nothing kept)."""
        engine, host = _durable()
        if not self.open or _current is None:
            raise BackendError("this durable session is closed")
        _current.fired.clear()
        _current.errors.clear()
        try:
            getattr(host, method)(self._name, data)
        except engine.MessageNotHandledException:
            return False
        except Exception as error:
            raise BackendError(f"durable_rules failed: {error!r}") from error
        if _current.errors:
            raise BackendError(
                f"a durable_rules action raised: {_current.errors[0]!r}"
            ) from _current.errors[0]
        return True

    def _base(self, fact: Fact) -> dict[str, Any]:
        self._q += 1
        kind, party = _KINDS[fact.kind], encode_value(fact.party)
        return {"sid": SID, "id": self._take_id(), "q": self._q, "k": kind,
                "t": encode_value(fact.type), "p": party}

    def _assert_instance(self, fact: Fact, data: dict[str, Any]) -> None:
        if self._call("assert_fact", data):
            self._instances[data["q"]] = fact.seq
            self._live[fact.seq] = (fact, data)
        else:
            self._give_id(data)
        if _current is not None and _current.fired:  # only if a posted fact was kept
            raise BackendError(f"an instance completed a match: {_current.fired!r}")

    def add_instance(self, fact: Fact) -> None:
        if fact.kind != "instance":
            raise ValueError(f"not an instance fact: {fact!r}")
        data = self._base(fact)
        data["key"] = encode_value(fact.key)
        self._assert_instance(fact, data)

    def retire_instance(self, seq: int) -> None:
        """Retract a closed instance from durable; later joins with it are done in Python."""
        live = self._live.pop(seq, None)
        if live is None:
            return
        fact, data = live
        self._call("retract_fact", data)
        del self._instances[data["q"]]
        self._give_id(data)
        self._retired.add_instance(fact)

    def match(self, fact: Fact) -> list[Match]:
        if fact.kind == "instance":
            raise ValueError("instances are added with add_instance, not matched")
        data = self._base(fact)
        for logical, value in fact.fields.items():
            if logical in self._table:
                data[self._table[logical]] = encode_value(value)
        kept = True  # unless durable says it took no notice of the fact
        try:
            kept = self._call("assert_fact", data)
            fired = list(_current.fired) if kept and _current is not None else []
        finally:  # the posted fact is never kept, even when an action raised
            if kept:
                self._call("retract_fact", data)
            self._give_id(data)
        found = [Match(index, self._rules[index].id, None if q is None else self._instances[q])
                 for index, q in fired]
        for match in self._retired.match(fact):  # joins with retracted (closed) instances
            index = self._join_ids[match.rule_index]
            found.append(Match(index, self._rules[index].id, match.instance_seq))
        return sorted(found)

    def _restore(self, previous: DurableSession) -> None:
        """Start where ``previous`` (closed) stopped: its live instances, its retired ones."""
        self._q = previous._q
        self._retired = previous._retired
        for _seq, (fact, old) in sorted(previous._live.items()):
            self._assert_instance(fact, {**old, "id": self._take_id()})


class DurableBackend:
    """Matching through durable_rules; same results as ``PythonBackend``."""

    name = "durable"

    def __init__(self) -> None:
        _durable()  # EngineUnavailable here, with how to get it, rather than mid-replay

    @contextmanager
    def session(self, rules: Sequence[MatchRule],
                resume: Session | None = None) -> Iterator[DurableSession]:
        global _owner, _current
        prepared = _prepared(rules)
        if prepared.problems:
            raise EngineLimitError(list(prepared.problems))
        table, definition = prepared.table, prepared.definition
        if _owner == threading.get_ident():
            raise BackendError("one durable session at a time: this thread already has one")
        with _LOCK, warnings.catch_warnings():
            # durable's engine calls datetime.utcfromtimestamp() on every action (its own
            # timers, unused here): deprecated since 3.12, and an exception under -W error.
            warnings.filterwarnings("ignore", category=DeprecationWarning,
                                    message=r"datetime\.datetime\.utcfromtimestamp",
                                    module=r"durable(\.|$)")
            _owner, _current = threading.get_ident(), _Collector()
            try:
                _, host = _durable()
                name = _ruleset_name(host, definition, prepared.canonical)
                session = DurableSession(rules, table, name)
                try:  # a rule that has fired: delete_state then never segfaults
                    sentinel = {"sid": SID, "id": "0", "q": 0, "k": "z", "t": "z"}
                    if not session._call("assert_fact", sentinel):
                        raise BackendError("the sentinel rule did not fire")
                    if resume is not None:
                        assert isinstance(resume, DurableSession) and not resume.open
                        session._restore(resume)
                except BaseException:
                    _forget(definition)
                    raise
                try:
                    yield session
                finally:
                    session.open = False
                    try:
                        host.delete_state(name, SID)
                    except BaseException:
                        _forget(definition)
                        raise
            finally:
                _owner, _current = None, None


__all__ = [
    "FIXED_NAMES", "MAX_FIELDS", "MAX_JOINS_PER_NORM", "MAX_SAFE_ID", "MAX_VALUES_PER_FIELD",
    "SID", "BackendError", "DurableBackend", "DurableSession", "LimitCrossing", "compile_rules",
    "durable_available", "durable_limits", "encode_value", "field_table", "limit_crossings",
]
