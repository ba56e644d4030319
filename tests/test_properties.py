"""Properties of the engine over generated agreements and event logs (issue 4; issue 2 item 8).

Each property is a plain ``check_*`` function (reused by ``tests/regressions/``) wrapped by a
hypothesis test; each docstring names the clause or principle it protects. The list, the
clauses and the mutation each one was seen to catch are in ``docs/proprietes.md``.

Engine: the reference backend (``engine="python"``); ``test_differential.py`` proves the
durable_rules backend gives the same answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from operator import attrgetter
from typing import Any, Protocol

import attrs
import hypothesis
import pytest
from hypothesis import currently_in_test_context, given
from hypothesis import strategies as st
from strategies import (
    AMENDMENT_EFFECTS,
    AMOUNT_NORMS,
    BOOK,
    DAY,
    PARTIES,
    POWER_TYPES,
    TERMINATION_POWERS,
    VOCAB,
    Case,
    any_event,
    cases,
    interesting_dates,
    make_event,
    redate,
)

from entente_regles import (
    Evaluation,
    LegalCalendar,
    Obligation,
    Option,
    OptionStatus,
    Policy,
    Snapshot,
    Status,
)
from entente_regles.core.event import Diagnostic, Event
from entente_regles.query.serialization import (
    OBLIGATION_KEYS,
    OPTION_KEYS,
    TERMINATION_KEYS,
)
from entente_regles.query.serialization import plain as shown
from entente_regles.query.status import status_at
from entente_regles.rules.annexes import MAX_PARAMETER
from entente_regles.rules.norms import Act, Norm

QUEBEC = BOOK.calendar  # the bundled rule book's calendar
TERMINAL = (Status.SATISFIED, Status.SATISFIED_LATE, Status.DISCHARGED, Status.BREACHED)
ACT_STATUSES = {Status.DUE, Status.LATE, Status.SATISFIED, Status.SATISFIED_LATE,
                Status.DISCHARGED}
CONTINUING_STATUSES = {Status.IN_FORCE, Status.BREACHED, Status.DISCHARGED}
Identity = tuple[str, str | None, date, int]
# The rule book's norms by id and its parameters, read once: ``RuleBook.norm`` walks every
# norm of every file, and was a quarter of the time of the properties that ask it for each
# instance at each date.
_NORMS = {norm.id: norm for norm in reversed(BOOK.norms)}  # the first of an id, as norm()
PARAMETERS = BOOK.parameters


def norm_by_id(norm_id: str) -> Norm:
    """``BOOK.norm(norm_id)``: the norm with that id (KeyError when unknown)."""
    return _NORMS[norm_id]


def record_early_return(reason: str) -> None:
    """Count, in Hypothesis' statistics (``--hypothesis-show-statistics``), the examples a
    property returns early on; outside a Hypothesis test (regression logs) nothing to count."""
    if currently_in_test_context():
        hypothesis.event(reason)


# --------------------------------------------------------------------------- helpers


class Answers(Protocol):
    """What the properties ask of an evaluation."""

    def at(self, on: date) -> Snapshot: ...

    @property
    def agreement_end(self) -> date | None: ...

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]: ...


@attrs.frozen
class AsKnown:
    """An evaluation asked at every date as known once every event of the log is known: the
    properties of the timeline (statuses, deadlines, payments, termination, blame) are about
    the facts as the whole log tells them; the knowledge properties are separate (below)."""

    evaluation: Evaluation
    known_on: date

    def at(self, on: date) -> Snapshot:
        return self.evaluation.at(on, known_on=self.known_on)

    @property
    def agreement_end(self) -> date | None:
        return self.evaluation.agreement_end

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.evaluation.diagnostics


def as_known(case: Case) -> AsKnown:
    return AsKnown(case.evaluate(), case.latest_knowledge)


def identities(snapshot: Snapshot) -> dict[Identity, Obligation]:
    """Instances keyed by (rule, key, triggered_on, rank among equals): stable across dates,
    because every instance born on a date exists from that date on, in birth order."""
    out: dict[Identity, Obligation] = {}
    counts: dict[tuple[str, str | None, date], int] = {}
    for ob in snapshot.obligations:
        base = (ob.rule, ob.key, ob.triggered_on)
        rank = counts.get(base, 0)
        counts[base] = rank + 1
        out[(*base, rank)] = ob
    return out


def policy_of(case: Case) -> Policy:
    return Policy(**dict(case.agreement.get("politique", {})))


def amendments(case: Case) -> list[tuple[date, str, int]]:
    """A plain oracle of art. 14.1: (effective date, parameter, value) of every amendment of
    the log that changes something — on or after entry into force, its control passed (signed
    by both parties), every name known and amendable, every value an integer of the
    parameter's range — in order of effect, then of replay."""
    found = []
    ordered = sorted(enumerate(case.events), key=lambda p: (p[1].date, p[0]))
    for position, (_, event) in enumerate(ordered):
        for effect in AMENDMENT_EFFECTS:
            spec = effect.effect
            values = event.data.get(spec.parameters_field or "")
            if event.type != effect.event or event.date < case.start or values is None:
                continue
            control = next((c for c in BOOK.controls if c.id == effect.requires_control), None)
            if control is not None and control.missing(event):
                continue
            params = PARAMETERS
            if not all(n in params and params[n].amendable and type(v) is int
                       and 1 <= v <= MAX_PARAMETER for n, v in values.items()):
                continue
            on = event.data.get(spec.date_field or "", event.date)
            found += [(on, position, name, value) for name, value in values.items()]
    return [(on, name, value) for on, _, name, value in sorted(found)]


def param_value(case: Case, name: str, on: date | None = None) -> int:
    """The value a parameter must take on ``on``: the annex's only where the clause defers
    (art. 2); from an amendment's effective date, the amendment's (art. 14.1)."""
    param = PARAMETERS[name]
    annex = dict(case.agreement.get("annexe", {}))
    value = annex[name] if param.annex_may_override and name in annex else param.value
    if on is not None:
        for effective, amended, new in amendments(case):
            if amended == name and effective <= on:
                value = new
    assert isinstance(value, int)
    return value


def days_of(case: Case, value: int | str | None, on: date | None = None) -> int:
    if isinstance(value, str):
        return param_value(case, value[1:], on)
    assert value is not None
    return value


def replay_order(events: Sequence[Event]) -> list[tuple[int, Event]]:
    """Events in the order the engine replays them: by date, same-day events in log order."""
    return sorted(enumerate(events), key=lambda p: (p[1].date, p[0]))


def act_matches(act: Act, norm: Norm, event: Event, key: str | None, debtor: str) -> bool:
    if event.type != act.event or key is None:
        return False
    if act.key_field == "par":
        if event.by != key:
            return False
    elif str(event.data.get(act.key_field)) != key:
        return False
    if act.by == "debiteur" and norm.debtor != "parties" and debtor in PARTIES \
            and event.by != debtor:
        return False
    data = {**event.data, "par": event.by}
    return all(data.get(name) == value for name, value in act.tests)


def trigger_position(case: Case, norm: Norm, ob: Obligation) -> int | None:
    """Replay position of the event that created ``ob`` (None: not an event trigger, or
    ambiguous)."""
    trig = norm.trigger
    if trig.kind != "evenement" or trig.key_field is None:
        return None
    found = []
    for pos, (_, event) in enumerate(replay_order(case.events)):
        if event.type != trig.event or str(event.data.get(trig.key_field)) != ob.key:
            continue
        if event.date < case.start or (trig.party and event.by != trig.party):
            continue
        data = {**event.data, "par": event.by}
        if all(data.get(k) == v for k, v in trig.tests):
            found.append((pos, event))
    at_birth = [pos for pos, e in found if e.date == ob.triggered_on]
    return at_birth[0] if len(found) == 1 and at_birth else None


def statuses(evaluation: Answers, dates: Iterable[date]) -> dict[date, dict[Identity, Status]]:
    return {x: {i: ob.status for i, ob in identities(evaluation.at(x)).items()} for x in dates}


def all_dates(case: Case, *evaluations: Answers) -> list[date]:
    return sorted({d for ev in evaluations for d in interesting_dates(case, ev)})


def diff(a: dict[str, Any], b: dict[str, Any]) -> str:
    """The differences between two ``Snapshot.to_dict()``, short enough to read."""
    lines = [f"  {k}: {a.get(k)!r} != {b.get(k)!r}" for k in sorted(set(a) | set(b))
             if k not in ("obligations", "diagnostics") and a.get(k) != b.get(k)]
    for name, ident in (("obligations", ("obligation", "cle", "nee_le")),
                        ("diagnostics", ("code", "date", "evenement"))):
        left = {tuple(o[f] for f in ident): o for o in a.get(name, [])}
        right = {tuple(o[f] for f in ident): o for o in b.get(name, [])}
        for k in sorted(set(left) | set(right), key=str):
            x, y = left.get(k), right.get(k)
            if x is None or y is None:
                lines.append(f"  {name} {k}: only in the {'second' if x is None else 'first'}")
            elif x != y:
                fields = {f: (x.get(f), y.get(f)) for f in sorted(set(x) | set(y))
                          if x.get(f) != y.get(f)}
                lines.append(f"  {name} {k}: {fields}")
        if not lines and a.get(name) != b.get(name):
            lines.append(f"  {name}: same items, different order or multiplicity")
    return "\n".join(lines[:20])


# --------------------------------------------------------------------------- comparing answers
#
# The properties compare two answers as ``Snapshot.to_dict()`` shows them. Building that dict
# (a record of twenty text fields per instance, at every interesting date) was most of the
# time of the property and differential tests; :func:`answer` reads the same attributes raw
# (one ``attrgetter`` per view) into a tuple, and :func:`same_answer` compares those. Equal
# answers mean equal ``to_dict()``: :func:`answer_to_dict` rebuilds ``to_dict()`` from the
# tuple alone, and :func:`check_answer_determines_to_dict` (run on every generated case by
# ``test_differential.check_backends_agree``) checks that it does. Where two answers differ,
# the ``to_dict()`` of both are compared, so the verdict and the message are the dicts'.

_OBLIGATION = attrgetter(*(name for _, name in OBLIGATION_KEYS))
_OPTION = attrgetter(*(name for _, name in OPTION_KEYS))
_TERMINATION = attrgetter(*(name for _, name in TERMINATION_KEYS))
# Amounts are compared as their text too: 2500.0 and 2500.00 are equal numbers, not the same
# answer. Only an instance's amount, balance and interest (decision 68) are amounts (checked
# on every generated case).
AMOUNTS = ("amount", "balance", "interest")
_AMOUNT_AT = tuple([name for _, name in OBLIGATION_KEYS].index(a) for a in AMOUNTS)
Answer = tuple[Any, ...]


def _obligation(view: Obligation) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    raw = _OBLIGATION(view)  # the amounts' text from the values read (interest is computed)
    return raw, (str(raw[_AMOUNT_AT[0]]), str(raw[_AMOUNT_AT[1]]), str(raw[_AMOUNT_AT[2]]))


def _diagnostic(d: Diagnostic) -> tuple[Any, ...]:
    return (d.on, d.code, d.article, d.severity, d.message.fr, d.message.en,
            None if d.event is None else d.event.source)


def answer(snapshot: Snapshot) -> Answer:
    """What ``snapshot.to_dict()`` is built from, as raw values: for every field, equal
    values here give equal text there (dates, enum members; amounts with their text)."""
    pending = snapshot.termination_pending
    return (snapshot.on, snapshot.known_on or snapshot.on, snapshot.agreement_in_force,
            tuple(snapshot.services_in_force),
            None if pending is None else _TERMINATION(pending),
            tuple(map(_obligation, snapshot.obligations)),
            tuple(map(_OPTION, snapshot.options)),
            tuple(map(_diagnostic, snapshot.diagnostics)),
            # the term and how the agreement ends: frozen values, equal when their dicts are
            (snapshot.term, snapshot.next_end, snapshot.ending))


def answer_to_dict(key: Answer) -> dict[str, Any]:
    """``Snapshot.to_dict()`` rebuilt from :func:`answer` alone."""
    on, known_on, in_force, services, pending, obligations, options, diagnostics, ends = key
    term, next_end, ending = ends

    def record(values: tuple[Any, ...], keys: tuple[tuple[str, str], ...]) -> dict[str, Any]:
        return {out: shown(v) for (out, _), v in zip(keys, values, strict=True)}

    fields = ("date", "code", "article", "gravite", "message", "message_en", "evenement")
    return {
        "au": on.isoformat(), "connu_le": known_on.isoformat(),
        "entente_en_vigueur": in_force, "services_en_vigueur": list(services),
        "resiliation_en_cours": None if pending is None else record(pending, TERMINATION_KEYS),
        "obligations": [record(raw, OBLIGATION_KEYS) for raw, _ in obligations],
        "facultes": [record(o, OPTION_KEYS) for o in options],
        "diagnostics": [dict(zip(fields, (shown(d[0]), *d[1:]), strict=True))
                        for d in diagnostics],
        "terme": None if term is None else term.to_dict(),
        "prochaine_fin": None if next_end is None else next_end.isoformat(),
        "fin_entente": None if ending is None else ending.to_dict(),
    }


def check_answer_determines_to_dict(snapshot: Snapshot) -> None:
    """``to_dict()`` is a function of :func:`answer` (so equal answers are equal dicts): a
    field added to the snapshot's output and not to :func:`answer`, or an amount outside
    :data:`AMOUNTS`, fails here."""
    key = answer(snapshot)
    assert answer_to_dict(key) == snapshot.to_dict(), \
        "tests/test_properties.answer no longer reads everything Snapshot.to_dict() shows"
    pending, obligations, options = key[4], key[5], key[6]
    for values, keys, amounts in ((pending or (), TERMINATION_KEYS, ()),
                                  *((raw, OBLIGATION_KEYS, AMOUNTS) for raw, _ in obligations),
                                  *((raw, OPTION_KEYS, ()) for raw in options)):
        assert all(name in amounts for (_, name), v in zip(keys, values, strict=False)
                   if isinstance(v, Decimal)), f"an amount outside {AMOUNTS}: {values}"


def same_answer(want: Snapshot | Answer, got: Snapshot,
                what: str | Callable[[], str]) -> None:
    """``got.to_dict() == want.to_dict()``, compared through :func:`answer` (``want`` may be
    an answer already read); the dicts and their differences when they differ. ``what``
    (text, or a function giving it, called only on a failure) says what is compared."""
    expected = want if isinstance(want, tuple) else answer(want)
    if answer(got) == expected:
        return
    a, b = answer_to_dict(expected), got.to_dict()
    if isinstance(want, Snapshot):
        a = want.to_dict()
    assert b == a, f"{what if isinstance(what, str) else what()}:\n{diff(a, b)}"


# --------------------------------------------------------------------------- no look-ahead


def check_no_lookahead(case: Case, pairs: Iterable[tuple[date, date | None]] | None = None
                       ) -> None:
    """No look-ahead (docs/decisions.md, decision 1), restated for two kinds of time: an
    answer about X as known on K depends only on the events recorded on or before K —
    ``at(X, known_on=K)`` on the whole log equals ``at(X, known_on=K)`` on the log of the
    events recorded by K. K None is the default (K = X): with every event recorded on its
    date, the log cut to the events dated on or before X."""
    full = case.evaluate()
    if pairs is None:  # every interesting date, as known then and as known at the end
        pairs = [(x, k) for x in interesting_dates(case, full)
                 for k in (None, case.latest_knowledge)]
    for x, k in pairs:
        known = x if k is None else k
        part = case.known_by(known).evaluate()
        same_answer(full.at(x, known_on=k), part.at(x, known_on=k),
                    f"look-ahead at {x} as known on {known} (full log vs the events "
                    f"recorded by {known})")


def knowledge_pairs(case: Case, data: st.DataObject) -> list[tuple[date, date | None]]:
    """A few (X, K): K the default, later than X (hindsight), or earlier (a forecast), often
    on a knowledge date of the log."""
    dates = interesting_dates(case, case.evaluate())
    knowledge = sorted({e.recorded_on for e in case.events} | set(dates))
    xs = data.draw(st.lists(st.sampled_from(dates), min_size=1, max_size=3, unique=True),
                   label="X")
    pairs: list[tuple[date, date | None]] = []
    for x in xs:
        k = data.draw(st.one_of(st.none(), st.sampled_from(knowledge)), label="K")
        if k is not None:
            hypothesis.event("K < X (forecast)" if k < x else "K > X (hindsight)" if k > x
                       else "K = X")
        pairs.append((x, k))
    return pairs


@given(cases(), st.data())
def test_no_lookahead(case: Case, data: st.DataObject) -> None:
    """Principle « no look-ahead » (docs/decisions.md, decision 1) for (X, K) — property (a):
    ``at(X, known_on=K)`` on the whole log equals it on the log of the events recorded on or
    before K; with K = X (the default), the classic form."""
    check_no_lookahead(case, knowledge_pairs(case, data))


def check_knowledge_is_date(case: Case, dates: Iterable[date] | None = None) -> None:
    """With every event recorded on its own date, ``at(X, known_on=X)`` is ``at(X)`` and the
    answer of the log cut to the events dated on or before X: one date serves both
    questions, as before knowledge dates existed."""
    plain = case.with_events(attrs.evolve(e, recorded=None) for e in case.events)
    full = plain.evaluate()
    for x in dates if dates is not None else interesting_dates(plain, full):
        known = full.at(x, known_on=x)
        same_answer(known, full.at(x), f"at({x}, known_on={x}) != at({x})")
        same_answer(known, plain.cut(x).evaluate().at(x),
                    f"at({x}, known_on={x}) != the log cut at {x}")


@given(cases(), st.data())
def test_knowledge_defaults_to_the_date(case: Case, data: st.DataObject) -> None:
    """Issue 8 property (b): knowledge dates equal to event dates give today's answers."""
    dates = interesting_dates(case, case.evaluate())
    check_knowledge_is_date(case, data.draw(st.lists(st.sampled_from(dates), min_size=1,
                                                     max_size=3, unique=True)))


def check_late_event_changes_nothing(case: Case, extra: Event,
                                     pairs: Iterable[tuple[date, date]]) -> None:
    """Adding an event recorded after K never changes ``at(X, known_on=K)``."""
    before, after = case.evaluate(), case.with_events([*case.events, extra]).evaluate()
    for x, k in pairs:
        assert extra.recorded_on > k
        same_answer(before.at(x, known_on=k), after.at(x, known_on=k),
                    f"{extra.describe()} (recorded after {k}) changed ({x}, {k})")


@given(cases(), st.data())
def test_event_recorded_later_changes_nothing_known_before(case: Case,
                                                          data: st.DataObject) -> None:
    """Issue 8 property (c): an answer as known on K never changes when an event recorded
    after K is added — whatever its own date, even one whose agreed date is retroactive."""
    pairs = [(x, k if k is not None else x) for x, k in knowledge_pairs(case, data)]
    latest = max(k for _, k in pairs)
    extra = data.draw(any_event(case.start), label="event")
    recorded = latest + timedelta(days=data.draw(st.integers(1, 60), label="recorded after K"))
    if extra.date > recorded:
        extra = redate(extra, recorded - timedelta(days=data.draw(st.integers(0, 30))))
    if extra.received is not None and extra.received < extra.date:
        extra = attrs.evolve(extra, received=extra.date)
    extra = attrs.evolve(extra, recorded=recorded, source="ajout#0")
    hypothesis.event("added event dated before K" if extra.date <= latest else "added after K")
    check_late_event_changes_nothing(case, extra, pairs)


# --------------------------------------------------------------------------- determinism


def shuffle_distinct_dates(events: Sequence[Event], order: Sequence[int]) -> list[Event]:
    """Permute ``events`` by ``order``, then put each date's events back in their relative
    order: only events of distinct dates change places."""
    permuted = [events[i] for i in order]
    by_date: dict[date, list[Event]] = {}
    for event in events:
        by_date.setdefault(event.date, []).append(event)
    cursor = {d: iter(v) for d, v in by_date.items()}
    return [next(cursor[e.date]) for e in permuted]


def check_same_results(case: Case, other: Case, what: str,
                       first: Evaluation | None = None,
                       read: dict[date, Answer] | None = None) -> Evaluation:
    """``case`` and ``other`` give the same answers at every interesting date, and the same
    diagnostics; ``first``: ``case``'s evaluation when there is one already, and ``read``
    its answers already read (filled here: a later comparison with ``first`` reads each
    once). Returns it."""
    first = case.evaluate() if first is None else first
    read = {} if read is None else read
    second = other.evaluate()
    for x in all_dates(case, first, second):
        if x not in read:
            read[x] = answer(first.at(x))
        same_answer(read[x], second.at(x), lambda x=x: f"{what}: answers differ at {x}")
    assert first.diagnostics == second.diagnostics, f"{what}: diagnostics differ"
    return first


def check_determinism(case: Case, order: Sequence[int] | None = None) -> None:
    """docs/decisions.md « Temps et réponses »: replay in date order, same-day events in log
    order; nothing else (not the position of an event among other dates, not a previous run)
    matters."""
    read: dict[date, Answer] = {}  # the first evaluation's answers, read once for both
    first = check_same_results(case, case, "same log twice", read=read)
    order = list(order) if order is not None else list(reversed(range(len(case.events))))
    shuffled = case.with_events(shuffle_distinct_dates(case.events, order))
    check_same_results(case, shuffled, "events of distinct dates shuffled", first, read)


@given(cases(), st.data())
def test_determinism_and_order(case: Case, data: st.DataObject) -> None:
    """Determinism (auditors reproduce any past answer, art. 12): the same log twice, or its
    events of distinct dates shuffled (same-day order kept), gives identical answers."""
    order = data.draw(st.permutations(range(len(case.events))))
    check_determinism(case, order)


# --------------------------------------------------------------------------- one status


def check_one_status(case: Case) -> None:
    """docs/format-regles.md, statuses of an instance: exactly one status per instance per date,
    consistent with its dates; an instance never disappears; a terminal status never changes
    afterwards."""
    ev = as_known(case)
    seen: dict[Identity, Obligation] = {}
    terminal: dict[Identity, tuple[date, Obligation]] = {}
    for x in interesting_dates(case, ev):
        snapshot = ev.at(x)
        current = identities(snapshot)
        assert len(current) == len(snapshot.obligations)
        missing = set(seen) - set(current)
        assert not missing, f"instances vanished at {x}: {sorted(missing, key=str)}"
        for ident, ob in current.items():
            _check_status_fields(ob, x)
            if ident in terminal:
                since, before = terminal[ident]
                assert (ob.status, ob.performed_on, ob.ended_on) == \
                    (before.status, before.performed_on, before.ended_on), \
                    f"{ident}: terminal {before.status.value} on {since} became " \
                    f"{ob.status.value} on {x}"
            elif ob.status in TERMINAL:
                terminal[ident] = (x, ob)
            seen[ident] = ob


def where(ob: Obligation | Option, x: date) -> str:
    """An obligation and a date, for a failure message (built only when an assertion fails:
    the checks below run for every instance at every date)."""
    return f"{ob.rule} ({ob.key}) at {x}: {ob.status.value}"


def _check_status_fields(ob: Obligation, x: date) -> None:
    norm = norm_by_id(ob.rule)
    assert ob.triggered_on <= x, where(ob, x)
    # a view shows what status_at and deadline_on say of its instance on that date
    instance = ob.replay_record
    assert ob.status is status_at(instance, x), where(ob, x)
    assert ob.deadline == instance.deadline_on(x), where(ob, x)
    assert ob.status in (ACT_STATUSES if norm.kind == "obligation" else CONTINUING_STATUSES), \
        where(ob, x)
    if ob.status is Status.SATISFIED:
        assert ob.performed_on is not None and ob.performed_on <= x, where(ob, x)
        assert ob.deadline is None or ob.performed_on <= ob.deadline, where(ob, x)
    elif ob.status is Status.SATISFIED_LATE:
        assert ob.performed_on is not None and ob.deadline is not None, where(ob, x)
        assert ob.deadline < ob.performed_on <= x, where(ob, x)
    elif ob.status is Status.DISCHARGED:
        assert ob.ended_on is not None and ob.ended_on <= x, where(ob, x)
    elif ob.status is Status.DUE:
        assert ob.performed_on is None and ob.ended_on is None, where(ob, x)
        assert ob.deadline is None or x <= ob.deadline, where(ob, x)


@given(cases())
def test_one_status_terminal_never_changes(case: Case) -> None:
    """docs/format-regles.md, statuses of an instance at a date: exactly one status per instance
    per date; satisfaite, satisfaite_en_retard, eteinte and violee never change later."""
    check_one_status(case)


# --------------------------------------------------------------------------- monotonicity


def performable(ob: Obligation) -> bool:
    norm = norm_by_id(ob.rule)
    # a recorded breach on the day of birth puts the debtor in default at once: its last
    # day to perform (the day before) precedes the birth, and no performance can be timely
    return (norm.kind == "obligation" and ob.key is not None and ob.deadline is not None
            and ob.deadline >= ob.triggered_on
            and any(a.key_field != "par" for a in norm.performances))


def performing_event(case: Case, ob: Obligation, on: date, balance: Decimal | None,
                     draw: Callable[..., Any]) -> Event | None:
    """An event that performs ``ob`` on ``on``: the norm's performing type, the same key,
    by the debtor, paying the whole balance when the norm tracks amounts."""
    norm = norm_by_id(ob.rule)
    act = draw(st.sampled_from([a for a in norm.performances if a.key_field != "par"]))
    by = ob.debtor if act.by == "debiteur" and ob.debtor in PARTIES else None
    if by is not None and by not in VOCAB.types[act.event].parties:
        return None
    fixed: dict[str, Any] = {act.key_field: ob.key,
                             **{k: v for k, v in act.tests if k != "par"}}
    party_test = dict(act.tests).get("par")
    if isinstance(party_test, str):
        by = party_test
    if act.amount_field is not None:
        if balance is None or balance <= 0:
            return None
        fixed[act.amount_field] = balance
    event = make_event(draw, act.event, on, by, fixed)
    return attrs.evolve(event, source="ajout#0")


def check_added_performance(case: Case, new_case: Case, target: Identity | None) -> None:
    """Adding a performance dated on or before a deadline never makes any instance late;
    the instance it performs is never late (nor satisfied late) afterwards."""
    before, after = as_known(case), as_known(new_case)
    dates = all_dates(case, before, after)
    old, new = statuses(before, dates), statuses(after, dates)
    for x in dates:
        for ident, status in new[x].items():
            if status is Status.LATE and ident in old[x]:
                assert old[x][ident] is Status.LATE, \
                    f"{ident} made late at {x} by a timely performance"
            if ident == target:
                assert status not in (Status.LATE, Status.SATISFIED_LATE), \
                    f"{ident} is {status.value} at {x} though performed in time"


@given(cases(), st.data())
def test_timely_performance_never_makes_late(case: Case, data: st.DataObject) -> None:
    """Monotonicity (art. 9.3 and every dated duty: an act on the deadline day is on time):
    adding a performing event dated on or before the deadline never makes an instance
    late."""
    ev = as_known(case)
    dates = interesting_dates(case, ev)
    final = identities(ev.at(dates[-1]))
    candidates = sorted((i for i, ob in final.items() if performable(ob)), key=str)
    if not candidates:
        record_early_return("returned early: no performable instance with a deadline")
        return
    ident = data.draw(st.sampled_from(candidates), label="instance")
    chosen = final[ident]
    assert chosen.deadline is not None
    on = data.draw(st.dates(chosen.triggered_on, chosen.deadline), label="performed on")
    now = identities(ev.at(on)).get(ident)
    event = performing_event(case, chosen, on, now.balance if now else None, data.draw)
    if event is None or now is None:
        record_early_return("returned early: no performing event for the drawn instance and date")
        return
    strong = (now.status is Status.DUE and event.type not in {p.event for p in BOOK.powers})
    new_case = case.with_events([*case.events, event])
    check_added_performance(case, new_case, ident if strong else None)


def check_moved_performance(case: Case, new_case: Case) -> None:
    """Moving a performance later never makes anything on time that was late."""
    before, after = as_known(case), as_known(new_case)
    dates = all_dates(case, before, after)
    old, new = statuses(before, dates), statuses(after, dates)
    for x in dates:
        for ident, status in old[x].items():
            if status in (Status.LATE, Status.SATISFIED_LATE) and ident in new[x]:
                assert new[x][ident] is not Status.SATISFIED, \
                    f"{ident}: {status.value} at {x}, satisfied on time once performed later"


def check_moved_past_deadline(case: Case, new_case: Case, target: Identity) -> None:
    """The only performance moved past the deadline: never satisfied on time."""
    after = as_known(new_case)
    for x in interesting_dates(new_case, after):
        ob = identities(after.at(x)).get(target)
        assert ob is None or ob.status is not Status.SATISFIED, \
            f"{target} satisfied on time at {x} with its performance after the deadline"


@given(cases(), st.data())
def test_later_performance_never_on_time(case: Case, data: st.DataObject) -> None:
    """Monotonicity (art. 9.3 and every dated duty): moving a performance later never makes
    it on time."""
    ev = as_known(case)
    far = interesting_dates(case, ev)[-1]
    final = identities(ev.at(far))
    options = []
    for ident, ob in final.items():
        if ob.performed_on is None or ob.deadline is None or ob.key is None:
            continue
        norm = norm_by_id(ob.rule)
        if norm.window_only:
            # its date closes a window, it is not a term: performing after it is not late and
            # blames no one (decisions.md, decision 10: a duty to negotiate, not to succeed)
            continue
        for index, event in enumerate(case.events):
            acts = [a for a in norm.performances if act_matches(a, norm, event, ob.key, ob.debtor)]
            if acts and event.date == ob.performed_on:
                options.append((ident, ob, index))
    if not options:
        record_early_return("returned early: no performance to move later")
        return
    ident, ob, index = options[data.draw(st.integers(0, len(options) - 1), label="option")]
    shift = timedelta(days=data.draw(st.integers(1, 150)))
    moved = redate(case.events[index], case.events[index].date + shift)
    events = list(case.events)
    events[index] = moved
    new_case = case.with_events(events)
    check_moved_performance(case, new_case)
    assert ob.deadline is not None
    norm = norm_by_id(ob.rule)
    others = [e for i, e in enumerate(case.events) if i != index and e.date <= ob.deadline
              and any(act_matches(a, norm, e, ob.key, ob.debtor) for a in norm.performances)]
    if moved.date > ob.deadline and not others and trigger_position(case, norm, ob) is not None:
        check_moved_past_deadline(case, new_case, ident)


# --------------------------------------------------------------------------- lateness


def check_lateness(case: Case) -> None:
    """Late only from elapsed time: late at X implies a deadline before X and no performance
    by X (cross-checked against the log); a vague standard is never contractually late."""
    ev = as_known(case)
    for x in interesting_dates(case, ev):
        snap = ev.at(x)
        for ob in snap.obligations:
            norm = norm_by_id(ob.rule)
            if ob.status is Status.LATE:
                assert ob.deadline is not None and ob.deadline < x, where(ob, x)
                assert ob.performed_on is None, where(ob, x)
                if ob.balance is not None:
                    assert ob.balance > 0, f"{where(ob, x)}: late with balance {ob.balance}"
                else:
                    performed = _performed_in_log(case, norm, ob, x)
                    assert performed is None, \
                        f"{where(ob, x)}: late though performed by {performed}"
            vague = norm.kind == "obligation" and (norm.deadline is None
                                                   or norm.deadline.form == "norme")
            demanded = any(d.known_on <= x for d in ob.replay_record.demands)
            if vague and not demanded:  # art. 11: only a demand or a breach makes it late
                assert ob.deadline is None, where(ob, x)
                assert ob.status not in (Status.LATE, Status.SATISFIED_LATE), where(ob, x)
                assert ob.at_fault is None, where(ob, x)
            if ob.policy_late:
                assert vague and ob.status is Status.DUE, where(ob, x)
                assert ob.policy_deadline is not None and x > ob.policy_deadline, where(ob, x)
            elif ob.status is Status.DUE and ob.policy_deadline is not None:
                assert x <= ob.policy_deadline, \
                    f"{where(ob, x)}: policy deadline passed, not reported"


def _performed_in_log(case: Case, norm: Norm, ob: Obligation, x: date) -> Event | None:
    """A performing event of the log, after the instance's trigger and dated ≤ x."""
    position = trigger_position(case, norm, ob)
    if position is None:
        return None  # not an event trigger, or ambiguous: nothing to cross-check
    for pos, (_, event) in enumerate(replay_order(case.events)):
        if pos <= position or event.date > x:
            continue
        if event.type in POWER_TYPES:
            continue  # a power's act may be void (wrong holder): no simple oracle
        if any(act_matches(a, norm, event, ob.key, ob.debtor) for a in norm.performances):
            return event
    return None


@given(cases())
def test_lateness_only_from_elapsed_time(case: Case) -> None:
    """docs/format-regles.md « delai » and docs/decisions.md « Normes vagues »: late at X
    implies deadline < X and no performance by X; « immédiatement », « dans les plus brefs /
    meilleurs délais » carry no deadline and are never contractually late (policy lateness
    apart)."""
    check_lateness(case)


# --------------------------------------------------------------------------- calendar


def check_calendar(case: Case) -> None:
    """Deadlines counted by the legal calendar (docs/calendrier.md, « Règles de computation »,
    rules 1–4): every rolled deadline is a working day, at least N days after its start, at most
    one run of non-working days after the raw date; N is the agreement's value unless the clause
    defers to the annexes (art. 2). A prior notice is late iff received after ``before``."""
    ev = as_known(case)
    policy = policy_of(case)
    cal = LegalCalendar(policy, days=QUEBEC)
    for ob in ev.at(interesting_dates(case, ev)[-1]).obligations:
        norm = norm_by_id(ob.rule)
        if norm.deadline is None or norm.deadline.form != "jours":
            continue
        n = days_of(case, norm.deadline.days, ob.triggered_on)
        comp = ob.replay_record.computation  # the replay's record of how it counted
        base = ob.replay_record.deadline  # the clause's own deadline (a demand may set another)
        where = f"{ob.rule} ({ob.key}): deadline {base}"
        assert comp is not None and base is not None and base == comp.deadline, where
        assert comp.days == n, f"{where}: counted {comp.days} days, the clause says {n}"
        assert comp.start >= ob.triggered_on or norm.deadline.since not in ("date", "reception")
        raw = comp.start + timedelta(days=n)
        assert base >= raw >= ob.triggered_on + timedelta(days=n) \
            or norm.deadline.since not in ("date", "reception"), where
        if policy.roll_forward:
            assert cal.is_working_day(base), f"{where} is not a working day"
            gap = (base - raw).days
            assert all(not cal.is_working_day(raw + timedelta(days=i)) for i in range(gap)), \
                f"{where}: a working day between the raw date {raw} and the deadline"
        else:
            assert base == raw, where
    for ob in ev.at(interesting_dates(case, ev)[-1]).obligations:
        for demand in ob.replay_record.demands:  # a demand's delay is counted the same way
            if demand.computation is not None:
                comp = demand.computation
                assert comp.start == demand.event.received_on, ob.rule
                assert comp.deadline >= comp.start + timedelta(days=comp.days), ob.rule
                if policy.roll_forward:
                    assert cal.is_working_day(comp.deadline), ob.rule
    _check_prior_notices(case, ev, cal)


def _check_prior_notices(case: Case, ev: Answers, cal: LegalCalendar) -> None:
    late = [d for d in ev.diagnostics if d.code == "preavis_tardif"]
    for power in BOOK.powers:
        if power.notice is None or power.notice.before_field is None:
            continue
        for event in case.events:
            if event.type != power.event or event.date < case.start:
                continue
            if power.holder != "parties" and event.by != power.holder:
                continue
            data = {**event.data, "par": event.by}
            if not all(data.get(k) == v for k, v in power.tests):
                continue
            n = days_of(case, power.notice.days, event.received_on)
            anchor = event.data[power.notice.before_field]
            latest = cal.before(anchor, n)
            assert latest <= anchor - timedelta(days=n)
            flagged = any(d.event == event and d.event.source == event.source for d in late)
            assert flagged == (event.received_on > latest), \
                f"{event.describe()}: received {event.received_on}, latest {latest}, " \
                f"preavis_tardif reported: {flagged}"


@given(cases())
def test_calendar_deadlines(case: Case) -> None:
    """Loi d'interprétation art. 52 and 61 (23°) by analogy, C.c.Q. 1425 (docs/calendrier.md):
    the engine's deadlines are the calendar's (the calendar's own properties, `before` ≤ anchor
    − N included, are in tests/test_calendar.py)."""
    check_calendar(case)


# --------------------------------------------------------------------------- termination


# Art. 14.2: « La résiliation prend effet à compter d'un délai minimum de 90 jours. » The law,
# not the rule book's parameter: a rule file that lowered it would be caught here.
MINIMUM_TERMINATION_NOTICE = 90


def _terminations(case: Case) -> list[tuple[Event, int]]:
    """Valid notices and the minimum notice each is owed: the law's 90 days (art. 14.2), or
    the period the parties agreed by an amendment in force on the notice's date (14.1)."""
    found = []
    for power in TERMINATION_POWERS:
        assert power.notice is not None, f"{power.id}: art. 14.2 requires a notice period"
        n = days_of(case, power.notice.days)
        assert n >= MINIMUM_TERMINATION_NOTICE, f"{power.id}: notice of {n} days < 90 (14.2)"
        for event in case.events:
            if event.type != power.event or event.date < case.start:
                continue
            if power.holder != "parties" and event.by != power.holder:
                continue
            data = {**event.data, "par": event.by}
            if all(data.get(k) == v for k, v in power.tests):
                amended = days_of(case, power.notice.days, event.received_on)
                found.append((event, max(n, MINIMUM_TERMINATION_NOTICE) if amended == n
                              else amended))
    return found


# Art. 14.2, second paragraph: « notamment celles concernant la propriété intellectuelle (6), la
# protection des renseignements personnels et autres renseignements confidentiels (4) ainsi
# que celle concernant la responsabilité des parties (11) », and payment for services rendered
# (9.3, 13.1.3) by its nature.
SURVIVING_ARTICLES = ("4", "6", "9.3", "11")
# 5.1 a, 5.2 a: notifying a confidentiality incident concerns « autres renseignements
# confidentiels »: it survives for incidents of that nature (issue 7, point 3).
CONFIDENTIALITY_NOTICES = ("5.1 a", "5.2 a")


def _cites(article: str, prefix: str) -> bool:
    return article == prefix or article.startswith((prefix + ".", prefix + " "))


def check_termination(case: Case) -> None:
    """Art. 14.2 (« de par sa nature ») and docs/decisions.md « Règles par article »: the norms
    of the surviving articles survive termination."""
    for norm in BOOK.norms:
        if any(_cites(norm.article, a) for a in SURVIVING_ARTICLES):
            assert norm.survives_termination, f"{norm.id} (art. {norm.article}) must survive"
        if (norm.trigger.event is not None and any(
                n == "nature" and v == "confidentialite" for n, v in norm.trigger.tests)) \
                or any(_cites(norm.article, a) for a in CONFIDENTIALITY_NOTICES):
            assert norm.survives_termination or ("nature", "confidentialite") in \
                norm.survival_tests, f"{norm.id}: a confidentiality incident's notice survives"
    ev = as_known(case)
    end = ev.agreement_end
    notices = _terminations(case)
    if not notices:
        assert end is None, f"the agreement ends on {end} without a valid notice"
        record_early_return("no valid termination notice: checked only that it never ends")
        return
    assert end is not None, "a valid notice of termination had no effect"
    earliest = min(e.received_on + timedelta(days=minimum + 1) for e, minimum in notices)
    assert end >= earliest, f"ends on {end}, before receipt + 90 days ({earliest})"
    dates = interesting_dates(case, ev)
    owed_before = {i: ob for i, ob in identities(ev.at(end - timedelta(days=1))).items()
                   if ob.status.owed or ob.status is Status.IN_FORCE}
    for x in dates:
        snap = ev.at(x)
        assert snap.agreement_in_force == (case.start <= x < end), \
            f"agreement_in_force wrong at {x} (in force {case.start} to {end}, excluded)"
        if x < end:
            continue
        for ident, ob in identities(snap).items():
            norm = norm_by_id(ob.rule)
            where = f"{ob.rule} ({ob.key}) at {x}, agreement ended {end}"
            if not ob.replay_record.survives:
                assert ob.triggered_on < end, f"{where}: arose after the end"
                assert ob.status not in (Status.DUE, Status.IN_FORCE), \
                    f"{where}: still {ob.status.value}"
                if ob.status is Status.LATE:  # a default acquired while in force (C.c.Q. 1606)
                    late_from = ob.replay_record.deadline_on(end - timedelta(days=1))
                    assert late_from is not None and late_from < end, \
                        f"{where}: late, but not before the end"
            elif ident in owed_before and x == end and not _ended_otherwise(case, norm, ob, x):
                assert ob.status is not Status.DISCHARGED, \
                    f"{where}: survives termination but was discharged"


def _ended_otherwise(case: Case, norm: Norm, ob: Obligation, on: date) -> bool:
    """Discharged on ``on`` for a reason of its own: an extinguishing event of the log that
    day, its own deadline expiring (deemed acceptance), or its service withdrawn."""
    if ob.service is not None:
        return True
    if norm.on_expiry is not None and ob.deadline is not None and ob.deadline < on:
        return True
    return any(e.date == on and act_matches(a, norm, e, ob.key, ob.debtor)
               for e in case.events for a in norm.extinctions)


@given(cases(termination=True))
def test_termination(case: Case) -> None:
    """Art. 14.2: effect no earlier than receipt + 90 (first day without the agreement ≥
    receipt + 91); from then on no non-surviving instance arises, those still owed are
    discharged, surviving ones (art. 4, 6, 11, payment for services rendered) go on;
    ``agreement_in_force`` is False from the effective date."""
    check_termination(case)


# --------------------------------------------------------------------------- payments


def applied_payments(case: Case, norm: Norm, ob: Obligation) -> list[tuple[date, Decimal]]:
    """A plain oracle: the payments of the log that reduce ``ob``'s balance — same key, by
    the debtor, after the invoice, until the balance reaches zero."""
    position = trigger_position(case, norm, ob)
    assert position is not None, f"no single trigger for {ob.rule} ({ob.key})"
    assert ob.amount is not None
    balance, applied = ob.amount, []
    for pos, (_, event) in enumerate(replay_order(case.events)):
        if pos <= position or balance <= 0:
            continue
        if ob.ended_on is not None and event.date >= ob.ended_on:
            break
        for act in norm.performances:
            if act.amount_field and act_matches(act, norm, event, ob.key, ob.debtor):
                amount = event.data[act.amount_field]
                applied.append((event.date, amount))
                balance -= amount
                break
    return applied


def check_payments(case: Case) -> None:
    """Art. 9.3 (issue 2): partial payments reduce the balance, which equals the amount
    minus the payments dated up to X; a negative balance always comes with an overpayment
    diagnostic."""
    ev = as_known(case)
    amount_norms = {n.id: n for n in AMOUNT_NORMS}
    dates = interesting_dates(case, ev)
    for ob in ev.at(dates[-1]).obligations:
        if ob.rule not in amount_norms or trigger_position(case, amount_norms[ob.rule], ob) is None:
            continue
        payments = applied_payments(case, amount_norms[ob.rule], ob)
        key_field = amount_norms[ob.rule].trigger.key_field
        for x in dates:
            now = ev.at(x).find(ob.rule, ob.key)
            if x < ob.triggered_on or now is None:
                continue
            assert now.amount is not None and now.balance is not None
            paid = sum((a for d, a in payments if d <= x), Decimal(0))
            assert now.balance == now.amount - paid, \
                f"{ob.rule} ({ob.key}) at {x}: balance {now.balance}, expected " \
                f"{now.amount} - {paid}"
            if now.balance < 0:
                assert any(d.code == "paiement_excedentaire" and d.event is not None
                           and str(d.event.data.get(key_field or "")) == ob.key
                           for d in ev.at(x).diagnostics), \
                    f"{ob.rule} ({ob.key}) at {x}: negative balance without diagnostic"


@given(cases())
def test_payments_balance(case: Case) -> None:
    """Art. 9.3 (« payable dans les 30 jours »; issue 2: partial payments reduce the balance,
    overpayment is a diagnostic): the balance is the amount minus the payments up to X, and
    never negative without a ``paiement_excedentaire`` diagnostic."""
    check_payments(case)


# --------------------------------------------------------------------------- blame


def expected_fault(ob: Obligation, on: date) -> str:
    """Decision 37: the debtor; on a duty both parties owe (« parties »), the party the
    latest demand in effect puts in default — never the one that demanded (C.c.Q.
    1594–1595: the other party), the author of a recorded breach (1597) — else « parties »."""
    if ob.debtor != "parties":
        return ob.debtor
    found = "parties"
    for d in ob.replay_record.demands:
        if d.known_on <= on and d.in_default_on <= on and d.event.by is not None:
            if d.spec.by == "debiteur":
                found = d.event.by
            else:
                found = next(p for p in BOOK.parties if p != d.event.by)
    return found


def check_blame(case: Case) -> None:
    """docs/format-regles.md, statuses of an instance: a late or breached instance names its
    debtor; a discharged one (termination, withdrawal, deemed acceptance under 13.2) names no
    one."""
    ev = as_known(case)
    for x in interesting_dates(case, ev):
        for ob in ev.at(x).obligations:
            norm = norm_by_id(ob.rule)
            if ob.status in (Status.LATE, Status.BREACHED, Status.SATISFIED_LATE):
                assert ob.at_fault is not None and ob.at_fault == expected_fault(ob, x), \
                    where(ob, x)
                assert ob.to_dict()["en_faute"] == ob.at_fault, where(ob, x)
            else:
                assert ob.at_fault is None, where(ob, x)
            if ob.status in (Status.LATE, Status.BREACHED):
                assert f"en faute : {ob.at_fault}" in ob.explain(), where(ob, x)
            if ob.status is Status.DISCHARGED:
                assert "personne n'est en faute" in ob.explain(), where(ob, x)
            demanded = any(d.known_on <= x for d in ob.replay_record.demands)
            if norm.on_expiry is not None and not demanded:  # 10 a, agreements to agree
                assert ob.status is not Status.LATE, where(ob, x)


@given(cases())
def test_blame(case: Case) -> None:
    """docs/format-regles.md, statuses of an instance, and art. 13.2 (« le client accepte ces
    modifications »): every late or breached instance names its debtor; deemed acceptance and
    other discharges name no one."""
    check_blame(case)


# ------------------------------------------------------------- the end works for the future only


def check_end_keeps_defaults(case: Case) -> None:
    """C.c.Q. art. 1606 and art. 14.2 (issue 7, point 1): termination works for the future
    only. An instance ``en_retard`` or ``violee`` the day before the agreement ends never
    becomes ``eteinte`` because of the end: its debtor stays at fault."""
    ev = as_known(case)
    end = ev.agreement_end
    if end is None:
        record_early_return("end: the agreement does not end")
        return
    before = {i: ob for i, ob in identities(ev.at(end - DAY)).items()
              if ob.status in (Status.LATE, Status.BREACHED)}
    if not before:
        record_early_return("end: nothing late or breached the day before")
        return
    record_early_return("end: some instance late or breached the day before")
    for x in [d for d in interesting_dates(case, ev) if d >= end]:
        now = identities(ev.at(x))
        for ident, was in before.items():
            ob = now.get(ident)
            assert ob is not None, f"{ident} vanished at {x}"
            where = f"{ob.rule} ({ob.key}) {was.status.value} on {end - DAY}, at {x}"
            if ob.status is Status.DISCHARGED:
                norm = norm_by_id(ob.rule)
                assert ob.ended_on is not None and any(
                    e.date == ob.ended_on and act_matches(a, norm, e, ob.key, ob.debtor)
                    for e in case.events for a in norm.extinctions), \
                    f"{where}: discharged by the end of the agreement"
            if ob.status in (Status.LATE, Status.BREACHED):
                assert ob.at_fault == expected_fault(ob, x), where
                if not ob.replay_record.survives:  # the explanation says why it outlived the end
                    assert "pour l'avenir seulement" in ob.explain(), where


@given(cases(termination=True))
def test_end_keeps_acquired_defaults(case: Case) -> None:
    """C.c.Q. art. 1606 (a resiliation ends the contract for the future only) and art. 11
    (liability for a default survives, 14.2): nothing late or breached the day before the
    agreement ends becomes ``eteinte`` when it ends."""
    check_end_keeps_defaults(case)


# --------------------------------------------------------------------------- faculties


def check_faculties_never_owed(case: Case) -> None:
    """Art. 13.2 and art. 15 (issue 7, points 4–5): a faculty, or any right with a window,
    is never an obligation: never in ``obligations``, ``owed`` or ``late``; it is in
    ``options`` with a status consistent with its window."""
    ev = as_known(case)
    faculties = {n.id for n in BOOK.norms if n.kind == "faculte"}
    seen = False
    for x in interesting_dates(case, ev):
        snap = ev.at(x)
        for ob in (*snap.obligations, *snap.owed, *snap.late):
            assert ob.rule not in faculties, f"faculty {ob.rule} ({ob.key}) owed at {x}"
        for option in snap.options:
            seen = True
            assert option.rule in faculties, where(option, x)
            assert option.opens_on <= x, where(option, x)
            if option.status is OptionStatus.EXERCISED:
                assert option.exercised_on is not None and option.exercised_on <= x, \
                    where(option, x)
                assert option.closes_on is None or option.exercised_on <= option.closes_on, \
                    where(option, x)
            elif option.status is OptionStatus.OPEN:
                assert option.closes_on is None or x <= option.closes_on, where(option, x)
                assert snap.agreement_in_force or norm_by_id(option.rule).survives_termination
            assert "jamais due" in option.explain(), where(option, x)
    record_early_return("faculties: some option seen" if seen else "faculties: none in this case")


@given(cases())
def test_faculties_never_owed(case: Case) -> None:
    """Art. 13.2 (« à défaut de demander le retrait… le client accepte ») and art. 15: a
    faculty never appears in ``owed`` or ``late``; ``Snapshot.options`` holds it."""
    check_faculties_never_owed(case)


# --------------------------------------------------------------------------- for regressions

CHECKS: dict[str, Callable[[Case], None]] = {
    "no_lookahead": check_no_lookahead,
    "knowledge_is_date": check_knowledge_is_date,
    "determinism": check_determinism,
    "one_status": check_one_status,
    "lateness": check_lateness,
    "calendar": check_calendar,
    "termination": check_termination,
    "payments": check_payments,
    "blame": check_blame,
    "end_keeps_defaults": check_end_keeps_defaults,
    "faculties_never_owed": check_faculties_never_owed,
}


# --------------------------------------------------------------------------- the comparison


def test_answers_compare_as_their_dicts() -> None:
    """:func:`same_answer` says what comparing ``to_dict()`` says, on the bundled example:
    two evaluations of one log agree at every date, two dates never do."""
    from entente_regles import Agreement
    from entente_regles.outputs.text import bundled_example

    agreement_file, journal = bundled_example()
    agreement = Agreement.from_toml(agreement_file)
    first, second = agreement.evaluate(journal), agreement.evaluate(journal)
    dates = [date(2026, 4, 1), date(2026, 6, 3), date(2026, 7, 15), date(2027, 1, 1)]
    for x in dates:
        check_answer_determines_to_dict(first.at(x))
        same_answer(first.at(x), second.at(x), f"two evaluations at {x}")
        assert (answer(first.at(x)) == answer(second.at(x))) == \
            (first.at(x).to_dict() == second.at(x).to_dict())
    for x, y in pairwise(dates):
        assert answer(first.at(x)) != answer(first.at(y))
        with pytest.raises(AssertionError, match=f"dates {x} and {y}"):
            same_answer(first.at(x), second.at(y), f"dates {x} and {y}")
