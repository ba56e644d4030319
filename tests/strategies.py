"""Hypothesis strategies: agreements and event logs, realistic and hostile.

Importable by any test (``from strategies import cases``; ``tests/`` is on ``sys.path``
because ``tests/conftest.py`` lives there). Everything is read from the bundled rule book:
the event types and their fields come from ``RuleBook.bundled().vocabulary`` (so every type
declared in ``regles/evenements.toml`` is drawn), the annex parameters from
``RuleBook.bundled().parameters``, and the "trigger then performance" chains from the norms of
every rule file — a new rule file is covered without touching this module.

A :class:`Case` is an agreement (the keys of an agreement file, as ``Agreement.from_mapping``
reads them) plus an event log. It round-trips through JSON Lines (``Case.to_jsonl`` /
``Case.from_file``) so that a failing log can be kept under ``tests/regressions/``.

Logs are small (at most ``MAX_EVENTS`` events) and span about two years, so examples stay fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import attrs
from hypothesis import event as note_event
from hypothesis import strategies as st

from entente_regles import Agreement, Evaluation, Event, RuleBook
from entente_regles.agreement import Engine
from entente_regles.core.errors import ErrorLocation
from entente_regles.rules.money import decimal_value
from entente_regles.rules.norms import Norm
from entente_regles.rules.vocabulary import EventType, FieldSpec

BOOK = RuleBook.bundled()
VOCAB = BOOK.vocabulary
TYPES: tuple[str, ...] = tuple(sorted(VOCAB.types))
PARTIES = BOOK.parties  # the rule book's two parties
VAGUE_STANDARDS = tuple(BOOK.standards)
other_party = BOOK.other_party
SERVICES = ("hebergement", "telephonie", "courriel")
UNKNOWN_KEY = "INCONNU-404"
MAX_EVENTS = 30
MIN_START, MAX_START = date(2025, 1, 1), date(2027, 6, 30)
SPAN_DAYS = 730
DAY = timedelta(days=1)


# --------------------------------------------------------------------------- the case


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def event_to_mapping(event: Event) -> dict[str, Any]:
    """An event as one JSON Lines object (the log format of docs/cli.md)."""
    out: dict[str, Any] = {"type": event.type, "date": event.date.isoformat(), "par": event.by}
    if event.received is not None:
        out["recu_le"] = event.received.isoformat()
    if event.recorded is not None:
        out["enregistre_le"] = event.recorded.isoformat()
    out.update({k: _jsonable(v) for k, v in sorted(event.data.items())})
    return out


def _agreement_from_json(raw: Mapping[str, Any]) -> dict[str, Any]:
    spec = dict(raw)
    spec["en_vigueur_le"] = date.fromisoformat(spec["en_vigueur_le"])
    if isinstance(spec.get("services"), Mapping):
        spec["services"] = {k: None if v is None else date.fromisoformat(v)
                            for k, v in spec["services"].items()}
    return spec


@attrs.frozen
class Case:
    """An agreement (``Agreement.from_mapping`` keys) and an event log."""

    agreement: Mapping[str, Any]
    events: tuple[Event, ...]
    note: str = ""

    @property
    def start(self) -> date:
        value = self.agreement["en_vigueur_le"]
        assert isinstance(value, date)
        return value

    def build(self, engine: Engine = "python") -> Agreement:
        return Agreement.from_mapping(self.agreement, ErrorLocation("<cas généré>"),
                                      engine=engine)

    def evaluate(self, engine: Engine = "python") -> Evaluation:
        return self.build(engine).evaluate(list(self.events))

    def with_events(self, events: Iterable[Event]) -> Case:
        return attrs.evolve(self, events=tuple(events))

    def cut(self, on: date) -> Case:
        """The log cut to the events dated on or before ``on`` (their order kept)."""
        return self.with_events(e for e in self.events if e.date <= on)

    def known_by(self, on: date) -> Case:
        """The log of the events recorded on or before ``on`` (their order kept)."""
        return self.with_events(e for e in self.events if e.recorded_on <= on)

    @property
    def latest_knowledge(self) -> date:
        """The last knowledge date of the log: as of then, every event is known."""
        return max((e.recorded_on for e in self.events), default=self.start)

    def to_jsonl(self) -> str:
        header = ["# entente: " + json.dumps(_jsonable(self.agreement), ensure_ascii=False,
                                             sort_keys=True)]
        header += [f"# note: {line}" for line in self.note.splitlines()]
        body = [json.dumps(event_to_mapping(e), ensure_ascii=False) for e in self.events]
        return "\n".join(header + body) + "\n"

    @classmethod
    def from_file(cls, path: str | Path) -> Case:
        """Read a kept log: ``# entente: {...}`` and ``# note: ...`` lines, then the events."""
        from entente_regles import read_events

        text = Path(path).read_text(encoding="utf-8")
        agreement: dict[str, Any] | None = None
        notes = []
        for line in text.splitlines():
            if line.startswith("# entente:"):
                agreement = _agreement_from_json(json.loads(line[len("# entente:"):]))
            elif line.startswith("# note:"):
                notes.append(line[len("# note:"):].strip())
        if agreement is None:
            raise ValueError(f"{path}: ligne « # entente: {{...}} » manquante / missing header")
        return cls(agreement, tuple(read_events(path, VOCAB)), "\n".join(notes))

    def describe(self) -> str:
        """Readable dump, for hypothesis' failure reports."""
        return self.to_jsonl()


def with_sources(events: Sequence[Event], prefix: str = "gen") -> tuple[Event, ...]:
    """Give each event a stable ``source`` (kept when the log is cut or shuffled), so that
    diagnostics name the same event whatever the position in the list."""
    return tuple(attrs.evolve(e, source=f"{prefix}#{i}") for i, e in enumerate(events))


# --------------------------------------------------------------------------- rule book facts


def _harvest_pools() -> dict[str, set[str]]:
    """Text values the rules test fields against (``si = { nature = "confidentialite" }``)."""
    pools: dict[str, set[str]] = {}
    tests: list[tuple[tuple[str, str | bool], ...]] = []
    for norm in BOOK.norms:
        tests.append(norm.trigger.tests)
        tests += [a.tests for a in (*norm.performances, *norm.extinctions, *norm.violations)]
    tests += [p.tests for p in BOOK.powers] + [e.tests for e in BOOK.effects]
    for group in tests:
        for name, value in group:
            if isinstance(value, str) and name != "par":
                pools.setdefault(name, set()).add(value)
    return pools


POOLS = _harvest_pools()
# The vocabulary's documented values (issue 3's table), in case no rule tests them yet.
POOLS.setdefault("nature", set()).update({"confidentialite", "securite"})
POOLS.setdefault("norme", set()).update(n.id for n in BOOK.norms if n.kind == "continue")
POOLS["norme"].add("norme-inconnue")
# Rules a demand or a recorded breach may name ([[demeure]]): every norm, so that demands
# reach obligations to act, continuing ones, faculties and unknown rules alike.
for _demand in BOOK.demands:
    POOLS.setdefault(_demand.rule_field, set()).update(n.id for n in BOOK.norms)
    POOLS[_demand.rule_field].add("norme-inconnue")
POOLS.setdefault("service", set()).update(SERVICES)
POWER_TYPES = frozenset(p.event for p in BOOK.powers)
ACT_TYPES = frozenset(a.event for n in BOOK.norms
                      for a in (*n.performances, *n.extinctions, *n.violations))
TERMINATION_POWERS = tuple(p for p in BOOK.powers if p.effect.action == "fin_entente")
TERMINATION_TYPE = TERMINATION_POWERS[0].event if TERMINATION_POWERS else "avis_resiliation"


@attrs.frozen
class Step:
    """One event of a chain: its type, the field carrying the chain's key, who acts."""

    type: str
    key_field: str
    party: str  # "mcn", "client", "same" (as the first event), "other", "any"
    tests: tuple[tuple[str, str | bool], ...] = ()


def _party_rule(role: str) -> str:
    return {"auteur": "same", "autre": "other", "parties": "any"}.get(role, role)


def _norm_chains() -> list[tuple[Step, ...]]:
    """Trigger then performing event, for every norm of every rule file."""
    chains = []
    for norm in BOOK.norms:
        trig = norm.trigger
        if trig.kind != "evenement" or trig.event is None or trig.key_field is None:
            continue
        first = Step(trig.event, trig.key_field, trig.party or "any", trig.tests)
        for act in (*norm.performances, *norm.extinctions):
            by = _party_rule(norm.debtor) if act.by == "debiteur" else "any"
            if act.key_field == "par":
                continue
            chains.append((first, Step(act.event, act.key_field, by, act.tests)))
    return chains


# Flows of issue 3's vocabulary table (a commitment), kept even before their rule files exist.
_CONVENTIONAL: tuple[tuple[tuple[str, str], ...], ...] = (
    (("imprevu", "any"), ("avis_imprevu", "same"), ("avis_consequences", "client")),
    (("changement_besoins", "any"), ("avis_changement_besoins", "same")),
    (("incident", "any"), ("avis_incident", "same")),
    (("conflit_interets", "any"), ("avis_conflit_interets", "same")),
    (("remplacement_responsable", "any"), ("avis_remplacement_responsable", "same"),
     ("mise_a_jour_annexe_2", "same")),
    (("recours", "any"), ("avis_recours", "same")),
    (("differend_soumis", "any"), ("reglement_differend", "any")),
    (("differend_soumis", "any"), ("differend_soumis_signataires", "any")),
    (("retrait_sans_preavis", "mcn"), ("avis_retrait_sans_preavis", "mcn"),
     ("retrait_formalise", "any")),
    (("avis_retrait_service", "any"), ("entente_transition", "any")),
)


def _common_key(types: Sequence[str]) -> str | None:
    fields = [{n for n, f in VOCAB.types[t].fields.items() if f.kind == "texte"} for t in types]
    common = set.intersection(*fields) if fields else set()
    return sorted(common)[0] if common else None


def _conventional_chains() -> list[tuple[Step, ...]]:
    chains = []
    for flow in _CONVENTIONAL:
        types = [t for t, _ in flow]
        if not all(t in VOCAB for t in types):
            continue
        key = _common_key(types)
        if key is not None:
            chains.append(tuple(Step(t, key, p) for t, p in flow))
    return chains


def _dedupe(chains: Iterable[tuple[Step, ...]]) -> tuple[tuple[Step, ...], ...]:
    seen: dict[tuple[tuple[str, str, str], ...], tuple[Step, ...]] = {}
    for chain in chains:
        seen.setdefault(tuple((s.type, s.key_field, s.party) for s in chain), chain)
    return tuple(seen.values())


CHAINS = _dedupe([*_norm_chains(), *_conventional_chains()])
AMOUNT_NORMS: tuple[Norm, ...] = tuple(
    n for n in BOOK.norms
    if n.trigger.kind == "evenement" and n.trigger.amount_field and n.trigger.key_field
    and any(a.amount_field for a in n.performances))


# --------------------------------------------------------------------------- field values

Draw = Callable[..., Any]


POOL_KEYS = frozenset({"service"})  # keys that name things the agreement declares


def key_value(field: str, n: int) -> str:
    """The n-th key of a chain: "FAC-1", "DIF-2"…; services come from the service pool."""
    if field in POOL_KEYS:
        pool = sorted(POOLS[field])
        return pool[n % len(pool)]
    return f"{field[:3].upper()}-{n}"


def _months_back(on: date, months: int) -> str:
    y, m = divmod(on.year * 12 + on.month - 1 - months, 12)
    return f"{y:04d}-{m + 1:02d}"


def field_value(draw: Draw, spec: FieldSpec, on: date) -> Any:
    """A valid value of ``spec``'s kind, near the event's date ``on``."""
    kind = spec.kind
    if kind == "texte" and spec.choices:
        return draw(st.sampled_from(spec.choices))
    if kind == "texte":
        pool = sorted(POOLS.get(spec.name, set()))
        keys = sorted({key_value(spec.name, n) for n in range(1, 4)})
        return draw(st.sampled_from(pool + keys) if pool else st.sampled_from(keys))
    if kind == "montant":
        return Decimal(draw(st.integers(1, 2_000_000))) / 100
    if kind == "date":
        return on + timedelta(days=draw(st.integers(-10, 150)))
    if kind == "booleen":
        return draw(st.booleans())
    if kind == "periode":
        return _months_back(on, draw(st.integers(0, 3)))
    if kind == "exercice":
        year = on.year + draw(st.integers(-1, 1))
        return f"{year}-{year + 1}"
    if kind == "parties":
        return draw(st.sampled_from([("mcn",), ("client",), ("client", "mcn")]))
    if kind == "entier" and spec.choices:
        return draw(st.sampled_from(spec.choices))
    if kind == "entier":
        return draw(st.one_of(st.integers(1, 15), st.integers(16, 120)))
    if kind == "parametres":
        return draw(parameter_changes())
    raise AssertionError(f"field kind {kind!r} unknown to the strategies: add it here")


def make_event(draw: Draw, type_: str, on: date, by: str | None = None,
               fixed: Mapping[str, Any] | None = None, received: date | None = None) -> Event:
    """An event of ``type_`` with ``fixed`` fields; the others drawn by kind (optional ones
    sometimes left out); ``by`` drawn among the parties the vocabulary allows when None."""
    spec: EventType = VOCAB.types[type_]
    if by is None or by not in spec.parties:
        by = draw(st.sampled_from(spec.parties))
    data: dict[str, Any] = {}
    for name, field in spec.fields.items():
        if fixed and name in fixed:
            if fixed[name] is not None:
                data[name] = fixed[name]
        elif not field.optional or draw(st.booleans()):
            data[name] = field_value(draw, field, on)
    return Event(type_, on, by=by, received=received, data=data)


def _receipt(draw: Draw, type_: str, on: date) -> date | None:
    """Notices are sometimes received a few days after they are sent."""
    if (type_.startswith("avis") or type_.startswith("differend")) and draw(st.booleans()):
        return on + timedelta(days=draw(st.integers(0, 7)))
    return None


def _gap(draw: Draw) -> int:
    """Days between a trigger and its follow-up: prompt, ordinary or late."""
    return int(draw(st.one_of(st.integers(0, 5), st.integers(6, 40), st.integers(41, 200))))


def _resolve(party: str, first: str) -> str | None:
    if party in PARTIES:
        return party
    if party == "same":
        return first
    if party == "other":
        return other_party(first)
    return None


# --------------------------------------------------------------------------- amendments

AMENDABLE = tuple(sorted(n for n, p in BOOK.parameters.items() if p.amendable))
AMENDMENT_EFFECTS = tuple(e for e in BOOK.effects if e.effect.action == "modifier_parametres")


@st.composite
def parameter_changes(draw: Draw) -> dict[str, Any]:
    """New values of parameters, as an amendment gives them: mostly amendable parameters with
    values of their type; now and then an unknown or unamendable name, or a wrong type."""
    changes: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(AMENDABLE), min_size=1, max_size=2, unique=True)
                     if AMENDABLE else st.just([])):
        declared = BOOK.parameters[name].value
        assert isinstance(declared, int)
        changes[name] = draw(st.integers(max(1, declared // 2), 2 * declared))
    flaw = draw(st.integers(0, 9))
    if flaw == 0:
        changes["parametre_inconnu_jours"] = 10
    elif flaw == 1:
        fixed = sorted(n for n, p in BOOK.parameters.items() if not p.amendable)
        if fixed:
            changes[fixed[0]] = 2
    elif flaw == 2 and changes:
        name = sorted(changes)[0]
        changes[name] = str(changes[name])
    return changes or {"parametre_inconnu_jours": 10}


@st.composite
def amendment_story(draw: Draw, start: date) -> list[Event]:
    """An amendment changing parameters from an agreed date (sometimes before the amendment
    itself), usually signed by both parties."""
    for effect in AMENDMENT_EFFECTS:
        spec = effect.effect
        on = _in_window(draw, start, 0, SPAN_DAYS - 200)
        fixed: dict[str, Any] = {}
        if spec.parameters_field is not None:
            fixed[spec.parameters_field] = draw(parameter_changes())
        if spec.date_field is not None:
            fixed[spec.date_field] = on + timedelta(days=draw(st.integers(-45, 60)))
        fixed.update({k: v for k, v in effect.tests if k != "par"})
        event = make_event(draw, effect.event, on, None, fixed)
        if draw(st.integers(0, 4)):  # mostly signed by both parties
            fields = VOCAB.types[effect.event].fields
            for name, field in fields.items():
                if field.kind == "parties":
                    event = attrs.evolve(event, data={**event.data, name: ("client", "mcn")})
        return [event]
    return []


@st.composite
def late_recordings(draw: Draw, events: Sequence[Event]) -> list[Event]:
    """Some events recorded days or weeks after they happened (payments entered later, an
    agreement filed after signing)."""
    out = []
    for event in events:
        if draw(st.integers(0, 5)) == 0:
            delay = draw(st.one_of(st.integers(1, 10), st.integers(11, 90)))
            event = attrs.evolve(event, recorded=event.date + timedelta(days=delay))
        out.append(event)
    return out


# --------------------------------------------------------------------------- agreements


@cache  # built once: a strategy is immutable, and building one per agreement drawn was slow
def annexes() -> st.SearchStrategy[dict[str, Any]]:
    """Annex parameters from the rule book, including values that contradict a clause that
    does not defer to the annexes (art. 2: rejected with a diagnostic)."""
    items: dict[str, st.SearchStrategy[Any]] = {}
    for name, param in sorted(BOOK.parameters.items()):
        value = param.value
        if isinstance(value, bool):
            items[name] = st.booleans()
        elif isinstance(value, int):
            items[name] = st.one_of(st.just(value), st.integers(1, max(12, 2 * value)))
        elif decimal_value(value) is not None:  # a rate or an amount stays a decimal
            items[name] = st.sampled_from([value, str(Decimal(value) + 1)])
        else:
            items[name] = st.sampled_from([value, f"{value}-annexe"])
    return st.fixed_dictionaries({}, optional=items)


@cache
def policies() -> st.SearchStrategy[dict[str, Any]]:
    """``Policy`` keywords: the default, the strict I-16 reading, indicative deadlines for
    the vague standards, and the other knobs now and then."""
    strict = {"saturday_non_working": False, "dec26_jan2_non_working": False,
              "name": "stricte-I-16"}
    vague = st.dictionaries(st.sampled_from(sorted(VAGUE_STANDARDS)), st.integers(0, 15),
                            min_size=1)
    extra = st.fixed_dictionaries({}, optional={
        "before_mode": st.sampled_from(["calendar", "clear_days", "roll_back"]),
        "renewal_year": st.sampled_from(["fiscal", "anniversary"]),
        "roll_forward": st.just(False),
    })

    @st.composite
    def build(draw: Draw) -> dict[str, Any]:
        base: dict[str, Any] = dict(strict) if draw(st.booleans()) else {}
        if draw(st.booleans()):
            base["vague_deadlines"] = draw(vague)
        if draw(st.integers(0, 3)) == 0:
            base.update(draw(extra))
        return base

    return st.one_of(st.just({}), build())


@st.composite
def agreements(draw: Draw, start: date | None = None) -> dict[str, Any]:
    """The keys of an agreement file: client, entry into force, services, annex, policy."""
    s = start if start is not None else draw(st.dates(MIN_START, MAX_START))
    spec: dict[str, Any] = {"client": draw(st.sampled_from(["MSSS", "SAAQ", "RAMQ"])),
                            "en_vigueur_le": s}
    if draw(st.booleans()):
        spec["services"] = draw(st.dictionaries(
            st.sampled_from(SERVICES),
            st.dates(s - timedelta(days=60), s + timedelta(days=120)), min_size=1))
    annex = draw(annexes()) if draw(st.booleans()) else {}
    if annex:
        spec["annexe"] = annex
    policy = draw(policies())
    if policy:
        spec["politique"] = policy
    return spec


# --------------------------------------------------------------------------- realistic stories


def _in_window(draw: Draw, start: date, lo: int = 0, hi: int = SPAN_DAYS - 60) -> date:
    return start + timedelta(days=draw(st.integers(lo, hi)))


@st.composite
def invoice_story(draw: Draw, start: date, n: int) -> list[Event]:
    """An amount-bearing trigger (an invoice) then payments: none, full on time, late,
    partial (rest paid or not), or over the amount."""
    if not AMOUNT_NORMS:
        return []
    norm = draw(st.sampled_from(AMOUNT_NORMS))
    trig = norm.trigger
    act = next(a for a in norm.performances if a.amount_field)
    assert trig.event and trig.key_field and trig.amount_field and act.amount_field
    issued = _in_window(draw, start, -10, SPAN_DAYS - 120)
    amount = Decimal(draw(st.integers(100, 5_000_000))) / 100
    key = key_value(trig.key_field, n)
    debtor = norm.debtor if norm.debtor in PARTIES else None
    issuer = trig.party or (other_party(debtor) if debtor else None)
    events = [make_event(draw, trig.event, issued, issuer,
                         {trig.key_field: key, trig.amount_field: amount, **dict(trig.tests)})]
    mode = draw(st.sampled_from(["aucun", "a_temps", "en_retard", "partiel", "partiel_solde",
                                 "excedent", "deux_versements"]))
    on_time = issued + timedelta(days=draw(st.integers(0, 30)))
    late = issued + timedelta(days=draw(st.integers(31, 120)))
    cents = draw(st.integers(1, max(1, int(amount * 100) - 1)))
    part = min(Decimal(cents) / 100, amount)
    payments: list[tuple[date, Decimal]] = {
        "aucun": [],
        "a_temps": [(on_time, amount)],
        "en_retard": [(late, amount)],
        "partiel": [(on_time, part)],
        "partiel_solde": [(on_time, part), (max(on_time, late), amount - part)],
        "excedent": [(draw(st.sampled_from([on_time, late])),
                      amount + Decimal(draw(st.integers(1, 10_000))) / 100)],
        "deux_versements": [(on_time, part), (on_time + timedelta(days=draw(st.integers(0, 20))),
                                              amount - part)],
    }[mode]
    for on, paid in payments:
        if paid > 0:
            events.append(make_event(draw, act.event, on, debtor,
                                     {act.key_field: key, act.amount_field: paid,
                                      **dict(act.tests)}))
    return events


@st.composite
def chain_story(draw: Draw, start: date, n: int) -> list[Event]:
    """A trigger then some of its follow-ups (notices, performances), same key and party."""
    if not CHAINS:
        return []
    chain = draw(st.sampled_from(CHAINS))
    on = _in_window(draw, start, -5)
    key = key_value(chain[0].key_field, n)
    first_party = _resolve(chain[0].party, "mcn") or draw(st.sampled_from(PARTIES))
    events = []
    for i, step in enumerate(chain):
        if i and not draw(st.integers(0, 3)):
            break  # the follow-up never came
        if i:
            on += timedelta(days=_gap(draw))
        fixed = {step.key_field: key, **{k: v for k, v in step.tests if k != "par"}}
        party = dict(step.tests).get("par")
        by = party if isinstance(party, str) else _resolve(step.party, first_party)
        event = make_event(draw, step.type, on, by, fixed, _receipt(draw, step.type, on))
        if i == 0:
            first_party = event.by or first_party
        events.append(event)
    return events


@st.composite
def service_story(draw: Draw, start: date, services: Sequence[str]) -> list[Event]:
    """Add, withdraw (with or without notice) or modify a service."""
    service = draw(st.sampled_from(sorted(set(services) | set(SERVICES))))
    on = _in_window(draw, start)
    kind = draw(st.sampled_from(["ajout", "retrait", "modification", "modification_refusee"]))
    events: list[Event] = []

    def add(type_: str, when: date, by: str | None, **fixed: Any) -> None:
        if type_ in VOCAB:
            events.append(make_event(draw, type_, when, by, {"service": service, **fixed},
                                     _receipt(draw, type_, when)))

    if kind == "ajout":
        # the agreed date is sometimes before the agreement itself (retroactive)
        add("ajout_service", on, None,
            date_effet=on + timedelta(days=draw(st.integers(-30, 60))))
    elif kind == "retrait":
        by = draw(st.sampled_from(PARTIES))
        add("avis_retrait_service", on, by)
        if draw(st.booleans()):
            agreed = on + timedelta(days=draw(st.integers(0, 120)))
            add("entente_transition", agreed, None,
                date_effet=agreed + timedelta(days=draw(st.integers(-30, 90))))
    else:
        notice = draw(st.one_of(st.integers(10, 29), st.integers(30, 90)))
        add("avis_modification_service", on, "mcn", date_effet=on + timedelta(days=notice))
        if kind == "modification_refusee":
            add("avis_retrait_service", on + timedelta(days=draw(st.integers(0, notice))),
                "client")
    return events


@st.composite
def termination_story(draw: Draw, start: date) -> list[Event]:
    """A written notice of termination, by either party, with or without a date."""
    if TERMINATION_TYPE not in VOCAB:
        return []
    on = _in_window(draw, start, 20, SPAN_DAYS - 150)
    fixed: dict[str, Any] = {}
    for name, field in VOCAB.types[TERMINATION_TYPE].fields.items():
        if field.kind == "date":
            later = st.integers(30, 200).map(lambda n: on + timedelta(days=n))
            fixed[name] = draw(st.one_of(st.none(), later) if field.optional else later)
    by = draw(st.sampled_from(PARTIES))
    if TERMINATION_POWERS and TERMINATION_POWERS[0].holder in PARTIES:
        by = TERMINATION_POWERS[0].holder
    return [make_event(draw, TERMINATION_TYPE, on, by, fixed,
                       _receipt(draw, "avis", on))]


CONTINUING = tuple(n for n in BOOK.norms if n.kind == "continue")
DEMANDABLE = tuple(n for n in BOOK.norms if n.kind == "obligation"
                   and n.trigger.kind == "evenement" and n.trigger.key_field is not None)


def _role_party(role: str, actor: str) -> str | None:
    """The party a debtor or creditor role names, the trigger's author being ``actor``."""
    if role in PARTIES:
        return role
    if role == "auteur":
        return actor
    if role == "autre":
        return other_party(actor)
    return None  # both parties


@st.composite
def demand_story(draw: Draw, start: date) -> list[Event]:
    """A trigger then an act of a ``[[demeure]]`` rule naming its instance: a formal demand
    by the creditor (now and then by the debtor, or naming no instance), or a recorded
    breach by the debtor."""
    if not BOOK.demands or not DEMANDABLE:
        return []
    norm = draw(st.sampled_from(DEMANDABLE))
    spec = draw(st.sampled_from(BOOK.demands))
    trig = norm.trigger
    assert trig.event is not None and trig.key_field is not None
    on = _in_window(draw, start, -5, SPAN_DAYS - 200)
    key = key_value(trig.key_field, draw(st.integers(1, 3)))
    first = make_event(draw, trig.event, on, trig.party,
                       {trig.key_field: key, **{k: v for k, v in trig.tests if k != "par"}},
                       _receipt(draw, trig.event, on))
    actor = first.by or "mcn"
    debtor = _role_party(norm.debtor, actor)
    creditor = _role_party(norm.creditor, actor)
    by = creditor if spec.by == "creancier" else debtor
    if by is None or draw(st.integers(0, 5)) == 0:
        by = draw(st.sampled_from(PARTIES))
    fixed: dict[str, Any] = {spec.rule_field: norm.id}
    if spec.key_field is not None:
        fixed[spec.key_field] = key if draw(st.integers(0, 5)) else UNKNOWN_KEY
    if spec.delay_field is not None:
        fixed[spec.delay_field] = draw(st.one_of(st.integers(1, 15), st.integers(16, 90)))
    when = on + timedelta(days=_gap(draw))
    demand = make_event(draw, spec.event, when, by, fixed,
                        when + timedelta(days=draw(st.integers(0, 5)))
                        if draw(st.booleans()) else None)
    return [first, demand]


@st.composite
def breach_story(draw: Draw, start: date) -> list[Event]:
    """A breach of a continuing obligation: an event that the norm lists as a violation, by
    the party bound (or, now and then, by the other one)."""
    options = [(n, a) for n in CONTINUING for a in n.violations]
    if not options:
        return []
    norm, act = draw(st.sampled_from(options))
    on = _in_window(draw, start, -5)
    by = norm.debtor if norm.debtor in PARTIES else None
    if by is not None and draw(st.integers(0, 4)) == 0:
        by = other_party(by)
    fixed = {k: v for k, v in act.tests if k != "par"}
    if act.key_field not in ("par", None) and act.key_field in VOCAB.types[act.event].fields:
        fixed.setdefault(act.key_field, key_value(act.key_field, draw(st.integers(1, 3))))
    return [make_event(draw, act.event, on, by, fixed)]


@st.composite
def any_event(draw: Draw, start: date, lo: int = -30, hi: int = SPAN_DAYS) -> Event:
    """Any event type of the vocabulary, fields drawn by kind (keys from small pools)."""
    type_ = draw(st.sampled_from(TYPES))
    on = _in_window(draw, start, lo, hi)
    return make_event(draw, type_, on, None, None, _receipt(draw, type_, on))


def _merge(stories: Iterable[Sequence[Event]]) -> list[Event]:
    """Interleave stories by date; a stable sort keeps each story's same-day order."""
    merged = [e for story in stories for e in story]
    return sorted(merged, key=lambda e: e.date)


@st.composite
def realistic_events(draw: Draw, agreement: Mapping[str, Any],
                     termination: bool | None = None) -> list[Event]:
    start: date = agreement["en_vigueur_le"]
    services = list(agreement.get("services") or ())
    stories: list[list[Event]] = []
    for n in range(1, draw(st.integers(0, 6)) + 1):
        stories.append(draw(invoice_story(start, n)))
    for n in range(1, draw(st.integers(0, 4)) + 1):
        stories.append(draw(chain_story(start, n)))
    for _ in range(draw(st.integers(0, 2))):
        stories.append(draw(service_story(start, services)))
    for _ in range(draw(st.integers(0, 1))):
        stories.append(draw(breach_story(start)))
    for _ in range(draw(st.integers(0, 2))):
        stories.append(draw(demand_story(start)))
    for _ in range(draw(st.integers(0, 1))):
        stories.append(draw(amendment_story(start)))
    if termination is True or (termination is None and draw(st.integers(0, 3)) == 0):
        stories.append(draw(termination_story(start)))
    stories.append(draw(st.lists(any_event(start, 0), max_size=2)))
    events = _merge(stories)
    if termination and not any(e.type == TERMINATION_TYPE for e in events[:MAX_EVENTS]):
        events = [*events[:MAX_EVENTS - 1], *draw(termination_story(start))]
        events = _merge([events])
    return events[:MAX_EVENTS]


# --------------------------------------------------------------------------- hostile edits


def redate(event: Event, on: date) -> Event:
    """The event moved to ``on``, its receipt and knowledge dates (if any) moved by the same
    number of days."""
    received = None if event.received is None else event.received + (on - event.date)
    recorded = None if event.recorded is None else event.recorded + (on - event.date)
    return attrs.evolve(event, date=on, received=received, recorded=recorded)


def _keyed_fields(event: Event) -> list[str]:
    spec = VOCAB.types[event.type]
    return [n for n, f in spec.fields.items()
            if f.kind == "texte" and not f.choices and n in event.data]


@st.composite
def hostile_edit(draw: Draw, events: list[Event], start: date) -> list[Event]:
    """One hostile edit: a duplicate, an unknown key, an event before entry into force or after
    a termination, a same-day reordering, an act by the wrong party (a power's holder, a
    payment by the creditor…), a receipt long after sending, noise."""
    edits = ["duplicate", "unknown_key", "before_start", "after_end", "same_day",
             "wrong_party", "noise", "late_receipt"]
    kind = draw(st.sampled_from(edits))
    events = list(events)
    if not events or kind == "noise":
        return [*events, draw(any_event(start))]
    i = draw(st.integers(0, len(events) - 1))
    target = events[i]
    if kind == "duplicate":
        events.insert(draw(st.integers(i + 1, len(events))), target)
    elif kind == "unknown_key":
        fields = _keyed_fields(target)
        if fields:
            name = draw(st.sampled_from(fields))
            events[i] = attrs.evolve(target, data={**target.data, name: UNKNOWN_KEY})
    elif kind == "before_start":
        events[i] = redate(target, start - timedelta(days=draw(st.integers(1, 60))))
    elif kind == "after_end":
        end = draw(termination_story(start))
        if end:
            later = end[0].date + timedelta(days=draw(st.integers(60, 200)))
            events += [*end, redate(target, later)]
    elif kind == "same_day":
        j = draw(st.integers(0, len(events) - 1))
        if i == j:
            return events
        moved = events.pop(max(i, j))
        anchor = min(i, j)
        events.insert(anchor, redate(moved, events[anchor].date))
    elif kind == "wrong_party":
        powers = [k for k, e in enumerate(events) if e.type in POWER_TYPES]
        acts = [k for k, e in enumerate(events) if e.type in ACT_TYPES]
        pool = draw(st.sampled_from([powers, acts, [i]]))
        k = draw(st.sampled_from(pool or [i]))
        flipped = other_party(events[k].by or "mcn")
        if flipped in VOCAB.types[events[k].type].parties:
            events[k] = attrs.evolve(events[k], by=flipped)
    elif kind == "late_receipt":
        events[i] = attrs.evolve(target, received=target.date + timedelta(
            days=draw(st.integers(8, 120))))
    return events


@st.composite
def hostile_events(draw: Draw, agreement: Mapping[str, Any],
                   termination: bool | None = None) -> list[Event]:
    start: date = agreement["en_vigueur_le"]
    events = draw(realistic_events(agreement, termination))[:MAX_EVENTS - 8]
    for _ in range(draw(st.integers(1, 4))):
        events = draw(hostile_edit(events, start))
    return events[:MAX_EVENTS]


# --------------------------------------------------------------------------- cases


@st.composite
def cases(draw: Draw, kind: str = "mixed", termination: bool | None = None) -> Case:
    """An agreement and its log. ``kind``: "realistic", "hostile" or "mixed";
    ``termination``: True forces a notice of termination, False forbids one (when not
    drawn by the hostile edits), None draws."""
    agreement = draw(agreements())
    if kind == "mixed":
        kind = draw(st.sampled_from(["realistic", "hostile"]))
    strategy = realistic_events if kind == "realistic" else hostile_events
    events = draw(strategy(agreement, termination))
    if draw(st.booleans()):
        events = draw(late_recordings(events))
    assert all(e.received is None or e.received >= e.date for e in events), "generator bug"
    case = Case(agreement, with_sources(events), note=kind)
    classify(case)
    return case


def classify(case: Case) -> None:
    """Tell hypothesis' statistics which kinds of time a case exercises."""
    if any(e.recorded_on > e.date for e in case.events):
        note_event("an event recorded after its date")
    if any(v < e.date for e in case.events for v in e.data.values() if isinstance(v, date)):
        note_event("an agreed date before its event (retroactive)")
    if any(e.type in {a.event for a in AMENDMENT_EFFECTS} and any(
            isinstance(v, Mapping) for v in e.data.values()) for e in case.events):
        note_event("an amendment changing parameters")


# --------------------------------------------------------------------------- dates


def interesting_dates(case: Case, evaluation: Any) -> list[date]:
    """Every date on which some answer may change: entry into force, event, knowledge and
    receipt dates,
    date fields, each instance's birth, deadline (and the day after), performance and end,
    policy deadlines, the end of the agreement; plus the day before each."""
    days: set[date] = {case.start}
    for event in case.events:
        days.update((event.date, event.recorded_on))
        if event.received is not None:
            days.add(event.received)
        days.update(v for v in event.data.values() if isinstance(v, date))
    far = max(days) + timedelta(days=60)
    snapshot = evaluation.at(far)
    for ob in snapshot.obligations:
        for value in (ob.triggered_on, ob.deadline, ob.performed_on, ob.ended_on,
                      ob.policy_deadline):
            if value is not None:
                days.update((value, value + DAY))
    if evaluation.agreement_end is not None:
        days.add(evaluation.agreement_end)
    days.update({d - DAY for d in days})
    return sorted(d for d in days if d <= far)
