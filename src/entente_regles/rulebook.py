"""Rule files (TOML) -> a validated :class:`RuleBook`.

Every key is checked: unknown keys, wrong types, unknown event types or fields and dangling
references fail with the file and the key path. Nothing in a rule file is executed. The
format is documented in ``docs/format-regles.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs

from .model import ErrorLocation, RuleFileError, Status, Text
from .resources import bundled_rules_dir
from .validation import RuleFileErrors, TomlSource, TomlTable, collecting
from .vocabulary import FIELD_KINDS, RESERVED_KEYS, EventType, FieldSpec, Vocabulary

VAGUE_STANDARDS: Mapping[str, Text] = {
    "immediatement": Text("immédiatement", "immediately"),
    "plus_brefs_delais": Text("dans les plus brefs délais", "as soon as possible"),
    "meilleurs_delais": Text("dans les meilleurs délais", "as promptly as possible"),
    "sans_delai": Text("aucun délai stipulé", "no time limit stipulated"),
}
DEBTORS = ("mcn", "client", "parties", "auteur", "autre")
EFFECT_ACTIONS = ("fin_entente", "fin_service", "debut_service", "journal_service")
VOCABULARY_FILE = "evenements.toml"
MAX_DAYS = 3660
"""Largest day count a rule file may state (``jours`` of a deadline or a notice): ten years."""
MAX_MONTHS = 120
"""Largest period a rule file may state in months (``periode.mois``): ten years."""
_DAYS = Text("jours", "days")
_MONTHS = Text("mois", "months")

T = TypeVar("T")


# --------------------------------------------------------------------------- model


@attrs.frozen
class Trigger:
    """What creates an instance: an event, a period, another norm's expiry, or entry into force."""

    kind: Literal["evenement", "periode", "consequence", "entree_en_vigueur"]
    event: str | None = None
    key_field: str | None = None
    tests: tuple[tuple[str, str | bool], ...] = ()
    party: str | None = None
    period_months: int | str | None = None  # int, or "@parameter"
    period_year: bool = False
    birth: Literal["debut", "lendemain_fin"] = "lendemain_fin"
    key_of: Literal["periode", "periode_suivante"] = "periode"
    source_norm: str | None = None
    per_party: bool = False
    amount_field: str | None = None


@attrs.frozen
class Act:
    """An event that performs, discharges or breaches an instance, joined on its key."""

    event: str
    key_field: str
    by: Literal["debiteur", "parties"] = "debiteur"
    amount_field: str | None = None
    tests: tuple[tuple[str, str | bool], ...] = ()
    reason: Text | None = None


@attrs.frozen
class Deadline:
    form: Literal["jours", "norme", "fin_periode", "veille_effet"]
    days: int | str | None = None  # int, or "@parameter"
    since: str = "date"  # "date", "reception", or a date field of the trigger
    standard: str | None = None


@attrs.frozen
class Norm:
    """An obligation to act (``kind="obligation"``) or a continuing one (``"continue"``)."""

    id: str
    article: str
    file: str
    label: Text
    kind: Literal["obligation", "continue"]
    debtor: str
    creditor: str
    trigger: Trigger
    performances: tuple[Act, ...] = ()
    extinctions: tuple[Act, ...] = ()
    violations: tuple[Act, ...] = ()
    deadline: Deadline | None = None
    on_expiry: Text | None = None
    survives_termination: bool = False
    service_field: str | None = None
    survives_withdrawal: bool = False
    duplicates: Literal["diagnostic", "permis"] = "diagnostic"
    unknown_reference: Text | None = None
    key: str = ""  # its TOML path in its file, e.g. "obligation_continue[2]"


@attrs.frozen
class EffectSpec:
    action: str
    date_field: str | None = None
    service_field: str | None = None


@attrs.frozen
class Notice:
    days: int | str
    before_field: str | None = None  # "au moins N jours avant <field>"; else minimum from receipt


@attrs.frozen
class Power:
    id: str
    article: str
    file: str
    label: Text
    holder: str  # "mcn", "client" or "parties" (either)
    event: str
    tests: tuple[tuple[str, str | bool], ...]
    effect: EffectSpec
    notice: Notice | None = None
    key: str = ""


@attrs.frozen
class Effect:
    id: str
    article: str
    file: str
    event: str
    tests: tuple[tuple[str, str | bool], ...]
    effect: EffectSpec
    label: Text | None = None
    key: str = ""


@attrs.frozen
class Control:
    id: str
    article: str
    file: str
    event: str
    field: str
    contains: tuple[str, ...]
    code: str
    message: Text
    key: str = ""


@attrs.frozen
class Permission:
    id: str
    article: str
    holder: str
    label: Text
    why_no_duty: str


@attrs.frozen
class Parameter:
    name: str
    value: int | str | bool
    annex_may_override: bool
    source: str
    article: str
    file: str


@attrs.frozen
class CrossReference:
    """A sentence whose duty is carried by rules of another article (e.g. 13.1.3 by 9.3)."""

    article: str
    rules: tuple[str, ...]
    explanation: str
    file: str


@attrs.frozen
class Unencoded:
    article: str
    text: str
    reason: str


@attrs.frozen
class Expectation:
    on: date
    norm: str
    key: str | None
    status: str | None = None
    deadline: date | None = None
    balance: str | None = None
    debtor: str | None = None
    policy_late: bool | None = None
    absent: bool = False


@attrs.frozen
class Example:
    name: str
    file: str
    index: int
    agreement: Mapping[str, Any]
    events: tuple[Mapping[str, Any], ...]
    expected: tuple[Expectation, ...]
    diagnostics: tuple[tuple[date | None, str], ...]
    in_force: tuple[tuple[date, bool], ...]


@attrs.frozen
class Precedence:
    """Which article settles a disparity between the agreement and an annex."""

    article: str
    code: str
    message: Text


@attrs.frozen
class RuleFile:
    path: str
    article: str
    title: str
    text: str
    norms: tuple[Norm, ...] = ()
    powers: tuple[Power, ...] = ()
    effects: tuple[Effect, ...] = ()
    controls: tuple[Control, ...] = ()
    permissions: tuple[Permission, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    unencoded: tuple[Unencoded, ...] = ()
    cross_references: tuple[CrossReference, ...] = ()
    examples: tuple[Example, ...] = ()
    precedence: Precedence | None = None
    governs_entry_into_force: bool = False


@attrs.frozen
class RuleBook:
    files: tuple[RuleFile, ...]
    vocabulary: Vocabulary
    directory: str

    @property
    def norms(self) -> tuple[Norm, ...]:
        return tuple(n for f in self.files for n in f.norms)

    @property
    def powers(self) -> tuple[Power, ...]:
        return tuple(p for f in self.files for p in f.powers)

    @property
    def effects(self) -> tuple[Effect, ...]:
        return tuple(e for f in self.files for e in f.effects)

    @property
    def controls(self) -> tuple[Control, ...]:
        return tuple(c for f in self.files for c in f.controls)

    @property
    def parameters(self) -> Mapping[str, Parameter]:
        return {p.name: p for f in self.files for p in f.parameters}

    @property
    def examples(self) -> tuple[Example, ...]:
        return tuple(e for f in self.files for e in f.examples)

    @property
    def precedence(self) -> Precedence | None:
        found = [f.precedence for f in self.files if f.precedence is not None]
        return found[0] if found else None

    @property
    def entry_into_force_article(self) -> str:
        """The article that fixes the entry into force (cited for events before it)."""
        found = [f.article for f in self.files if f.governs_entry_into_force]
        return found[0] if found else "-"

    def norm(self, norm_id: str) -> Norm:
        for norm in self.norms:
            if norm.id == norm_id:
                return norm
        raise KeyError(norm_id)

    @classmethod
    def from_directory(cls, path: str | Path) -> RuleBook:
        return load_directory(Path(path))

    @classmethod
    def bundled(cls) -> RuleBook:
        """The agreement's rules shipped with the package."""
        return _bundled()


@cache
def _bundled() -> RuleBook:
    return load_directory(bundled_rules_dir())


# --------------------------------------------------------------------------- reading


_Table = TomlTable


def _tests(table: _Table, key: str, event: EventType | None) -> tuple[tuple[str, str | bool], ...]:
    sub = table.table(key, required=False)
    if sub is None:
        return ()
    tests: list[tuple[str, str | bool]] = []
    for name, value in sorted(sub.data.items()):
        sub.seen.add(name)
        if name != "par" and event is not None and name not in event.fields:
            raise sub.error(name, f"champ inconnu pour {event.name}",
                            f"unknown field for {event.name}")
        if not isinstance(value, (str, bool)):
            raise sub.error(name, "un texte ou un booléen attendu",
                            "expected a string or a boolean")
        choices = event.fields[name].choices if event is not None and name in event.fields \
            else ()
        if choices and value not in choices:
            raise sub.error(name, f"valeur parmi {', '.join(choices)} attendue",
                            f"expected one of {', '.join(choices)}")
        tests.append((name, value))
    return tuple(tests)


class _Loader:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    def event_type(self, table: _Table, key: str) -> EventType:
        name = table.text(key)
        spec = self.vocabulary.get(name)
        if spec is None:
            raise table.error(key, f"type d'événement inconnu {name!r} (voir {VOCABULARY_FILE})",
                              f"unknown event type {name!r} (see {VOCABULARY_FILE})",
                              "evenement_inconnu")
        return spec

    def field(self, table: _Table, key: str, event: EventType, kinds: tuple[str, ...] = (),
              required: bool = True) -> str | None:
        name = table.text(key, required)
        if name is None:
            return None
        spec = event.fields.get(name)
        if spec is None:
            raise table.error(key, f"champ {name!r} inconnu pour {event.name}",
                              f"unknown field {name!r} for {event.name}")
        if kinds and spec.kind not in kinds:
            raise table.error(key, f"le champ {name!r} doit être de nature {' ou '.join(kinds)}",
                              f"field {name!r} must be of kind {' or '.join(kinds)}")
        return str(name)

    def trigger(self, table: _Table) -> Trigger:
        if "evenement" in table.data:
            event = self.event_type(table, "evenement")
            key_field = self.field(table, "cle", event, required=False)
            party = table.choice("par", ("mcn", "client"), required=False)
            amount = self.field(table, "montant", event, ("montant",), required=False)
            trig = Trigger("evenement", event=event.name, key_field=key_field,
                           tests=_tests(table, "si", event), party=party, amount_field=amount)
        elif "periode" in table.data:
            period = table.table("periode")
            assert period is not None
            months = period.bounded("mois", 1, MAX_MONTHS, _MONTHS, required=False)
            year = period.boolean("annee")
            if (months is None) == (not year):
                raise period.error(None, "« mois = N » ou « annee = true », l'un des deux",
                                   "exactly one of 'mois = N' or 'annee = true'")
            period.done()
            trig = Trigger("periode", period_months=months, period_year=year,
                           birth=table.choice("naissance", ("debut", "lendemain_fin")),
                           key_of=table.choice("cle", ("periode", "periode_suivante"),
                                               required=False, default="periode"))
        elif "consequence_de" in table.data:
            trig = Trigger("consequence", source_norm=table.text("consequence_de"))
            table.choice("quand", ("echeance",))
        elif "entree_en_vigueur" in table.data:
            if table.boolean("entree_en_vigueur") is not True:
                raise table.error("entree_en_vigueur", "true attendu", "expected true")
            trig = Trigger("entree_en_vigueur", per_party=table.boolean("pour_chaque_partie"))
        else:
            raise table.error(None, "déclencheur : evenement, periode, consequence_de ou "
                              "entree_en_vigueur attendu", "trigger: expected evenement, periode, "
                              "consequence_de or entree_en_vigueur")
        table.done()
        return trig

    def acts(self, table: _Table, key: str, with_amount: bool = False,
             with_reason: bool = False) -> tuple[Act, ...]:
        acts = []
        for sub in table.tables(key):
            event = self.event_type(sub, "evenement")
            key_field = self.field(sub, "cle", event, required=False) or "par"
            amount = self.field(sub, "montant", event, ("montant",), required=False) \
                if with_amount else None
            by = sub.choice("par", ("debiteur", "parties"), required=False, default="debiteur")
            reason = sub.localized("motif") if with_reason else None
            acts.append(Act(event.name, key_field, by, amount, _tests(sub, "si", event), reason))
            sub.done()
        return tuple(acts)

    def deadline(self, table: _Table | None) -> Deadline | None:
        if table is None:
            return None
        if "jours" in table.data:
            days = table.bounded("jours", 0, MAX_DAYS, _DAYS)
            since = table.text("depuis", required=False, default="date")
            deadline = Deadline("jours", days=days, since=since)
        elif "norme" in table.data:
            deadline = Deadline("norme", standard=table.choice("norme", tuple(VAGUE_STANDARDS)))
        elif table.boolean("fin_periode"):
            deadline = Deadline("fin_periode")
        elif table.boolean("veille_effet"):
            deadline = Deadline("veille_effet")
        else:
            raise table.error(None, "délai : jours, norme, fin_periode ou veille_effet attendu",
                              "deadline: expected jours, norme, fin_periode or veille_effet")
        table.done()
        return deadline

    def norm(self, table: _Table, file: RuleFileDraft, kind: Literal["obligation", "continue"]
             ) -> Norm:
        trigger_table = table.table("declencheur")
        assert trigger_table is not None
        trigger = self.trigger(trigger_table)
        debtor = table.choice("debiteur", DEBTORS)
        creditor = table.choice("creancier", DEBTORS)
        deadline = self.deadline(table.table("delai", required=False))
        if deadline is not None and deadline.form == "jours" and trigger.event is not None:
            event = self.vocabulary.types[trigger.event]
            field = event.fields.get(deadline.since)
            if deadline.since not in ("date", "reception") and (
                    field is None or field.kind != "date"):
                raise table.error("delai.depuis", "« date », « reception » ou un champ date "
                                  "de l'événement déclencheur attendu", "expected 'date', "
                                  "'reception' or a date field of the trigger event")
        expiry = table.table("a_echeance", required=False)
        on_expiry = None
        if expiry is not None:
            expiry.choice("statut", ("eteinte",))
            on_expiry = expiry.localized("motif")
            expiry.done()
        service_field = None
        if trigger.event is not None:
            service_field = self.field(table, "service", self.vocabulary.types[trigger.event],
                                       required=False)
        norm = Norm(
            id=table.text("id"),
            article=table.text("article", required=False, default=file.article),
            file=file.path,
            label=table.localized("libelle") or Text("", ""),
            kind=kind,
            debtor=debtor,
            creditor=creditor,
            trigger=trigger,
            performances=self.acts(table, "execution", with_amount=True),
            extinctions=self.acts(table, "extinction", with_reason=True),
            violations=self.acts(table, "violation"),
            deadline=deadline,
            on_expiry=on_expiry,
            survives_termination=table.boolean("survit_resiliation"),
            service_field=service_field,
            survives_withdrawal=table.boolean("survit_retrait"),
            duplicates=table.choice("doublon", ("diagnostic", "permis"), required=False,
                                    default="diagnostic"),
            unknown_reference=table.localized("si_reference_inconnue", required=False),
            key=table.path,
        )
        table.done()
        return norm

    def effect_spec(self, table: _Table, event: EventType) -> EffectSpec:
        spec = EffectSpec(
            action=table.choice("action", EFFECT_ACTIONS),
            date_field=self.field(table, "date", event, ("date",), required=False),
            service_field=self.field(table, "service", event, required=False),
        )
        if spec.action != "fin_entente" and spec.service_field is None:
            raise table.error("service", "un effet sur un service nomme le champ du service",
                              "an effect on a service names the service field")
        table.done()
        return spec


@attrs.define
class RuleFileDraft:
    path: str
    article: str


def _parse_vocabulary(source: TomlSource) -> Vocabulary:
    """The event vocabulary; every problem is recorded on ``source``."""
    root = source.root()
    types: dict[str, EventType] = {}
    events = collecting(source, lambda: root.table("evenement"))
    for name in sorted(events.data if events is not None else ()):
        assert events is not None
        events.seen.add(name)
        built = collecting(source, lambda name=name: _event_type(events, name))  # type: ignore[misc]
        if built is not None:
            types[name] = built
    root.done()
    return Vocabulary(types)


def _event_type(events: _Table, name: str) -> EventType:
    if name in RESERVED_KEYS:
        raise events.error(name, "nom réservé", "reserved name")
    spec = events.table(name)
    assert spec is not None
    fields: dict[str, FieldSpec] = {}
    champs = spec.table("champs", required=False)
    optional = spec._get("optionnels", (list,), ("une liste", "a list"), False, [])
    allowed = spec.table("valeurs", required=False)
    if champs is not None:
        for field_name, kind in champs.data.items():
            champs.seen.add(field_name)
            if field_name in RESERVED_KEYS:
                raise champs.error(field_name, "nom de champ réservé", "reserved field name")
            if kind not in FIELD_KINDS:
                raise champs.error(field_name, f"nature parmi {', '.join(FIELD_KINDS)}",
                                   f"kind among {', '.join(FIELD_KINDS)}")
            choices: tuple[str, ...] = ()
            if allowed is not None and field_name in allowed.data:
                values = allowed._get(field_name, (list,), ("une liste de textes",
                                                            "a list of strings"), True)
                if kind != "texte" or not values or not all(
                        isinstance(v, str) and v.strip() for v in values):
                    raise allowed.error(field_name, "une liste non vide de textes, pour un "
                                        "champ texte", "a non-empty list of strings, for "
                                        "a texte field")
                choices = tuple(values)
            fields[field_name] = FieldSpec(field_name, kind, field_name in optional,
                                           choices)
    if allowed is not None:
        allowed.done()
    for opt in optional:
        if opt not in fields:
            raise spec.error("optionnels", f"champ {opt!r} non déclaré",
                             f"field {opt!r} not declared")
    parties = spec._get("par", (list,), ("une liste", "a list"), False, ["mcn", "client"])
    if not parties or any(p not in ("mcn", "client") for p in parties):
        raise spec.error("par", "liste parmi mcn, client", "list among mcn, client")
    articles = spec._get("articles", (list,), ("une liste", "a list"), False, [])
    event_type = EventType(name, spec.localized("libelle") or Text("", ""), fields,
                           tuple(str(a) for a in articles), tuple(parties),
                           spec.localized("description", required=False))
    spec.done()
    return event_type


@attrs.frozen
class LoadReport:
    """What a lenient load found: the book of the files that loaded (None when the vocabulary
    itself does not), one error per file that does not, then the whole book's reference
    errors."""

    book: RuleBook | None
    file_errors: tuple[RuleFileError, ...]
    reference_errors: tuple[RuleFileError, ...]
    sources: Mapping[str, TomlSource] = attrs.field(factory=dict)  # by file name, for lines

    @property
    def errors(self) -> tuple[RuleFileError, ...]:
        return self.file_errors + self.reference_errors


def _unreadable(path: Path, exc: OSError) -> RuleFileError:
    return RuleFileError(ErrorLocation(path.name), f"lecture impossible : {exc.strerror}",
                         f"cannot read: {exc.strerror}")


def load_each(directory: Path) -> LoadReport:
    """Load every rule file that loads, for tools that report every problem at once (the
    checker); :func:`load_directory` is the strict form used to evaluate. Every problem of
    every file is reported (a file with one is left out of the book)."""
    if not directory.is_dir():
        return LoadReport(None, (RuleFileError(ErrorLocation(str(directory)),
                                               "répertoire de règles introuvable",
                                               "rules directory not found"),), ())
    vocab_path = directory / VOCABULARY_FILE
    if not vocab_path.is_file():
        return LoadReport(None, (RuleFileError(ErrorLocation(str(vocab_path)),
                                               "vocabulaire des événements absent",
                                               "event vocabulary missing"),), ())
    try:
        vocab_source = TomlSource.read(vocab_path)
    except RuleFileError as exc:
        return LoadReport(None, (exc,), ())
    vocabulary = _parse_vocabulary(vocab_source)
    if vocab_source.problems:
        return LoadReport(None, tuple(vocab_source.problems), ())
    sources: dict[str, TomlSource] = {vocab_path.name: vocab_source}
    loader = _Loader(vocabulary)
    files: list[RuleFile] = []
    file_errors: list[RuleFileError] = []
    for path in sorted(directory.glob("*.toml")):
        if path.name == VOCABULARY_FILE:
            continue
        try:
            source = TomlSource.read(path)
        except RuleFileError as exc:
            file_errors.append(exc)
            continue
        rule_file = collecting(source, lambda source=source: _parse_rule_file(  # type: ignore[misc]
            loader, source))
        if source.problems:
            file_errors += source.problems
        elif rule_file is not None:
            files.append(rule_file)
            sources[path.name] = source
    book = RuleBook(tuple(files), vocabulary, str(directory))
    return LoadReport(book, tuple(file_errors), _check_references(book, sources), sources)


def load_directory(directory: Path) -> RuleBook:
    """Load strictly: any problem raises :class:`RuleFileErrors` (a :class:`RuleFileError`
    naming the first, and carrying them all in ``errors``)."""
    report = load_each(directory)
    if report.errors:
        raise RuleFileErrors(report.errors)
    assert report.book is not None
    return report.book


def _many(root: _Table, key: str, build: Callable[[_Table], T]) -> tuple[T, ...]:
    return tuple(root.each(key, build))


def _parse_rule_file(loader: _Loader, source: TomlSource) -> RuleFile:
    name = source.name
    root = source.root()
    draft = RuleFileDraft(name, root.text("article"))

    def power(t: _Table) -> Power:
        act = t.table("acte")
        assert act is not None
        event = loader.event_type(act, "evenement")
        tests = _tests(act, "si", event)
        act.done()
        notice_table = t.table("preavis", required=False)
        notice = None
        if notice_table is not None:
            before = loader.field(notice_table, "avant", event, ("date",), required=False)
            days = notice_table.bounded("jours", 0, MAX_DAYS, _DAYS)
            assert days is not None
            notice = Notice(days, before)
            notice_table.done()
        effect_table = t.table("effet")
        assert effect_table is not None
        p = Power(t.text("id"), t.text("article", False, draft.article), name,
                  t.localized("libelle") or Text("", ""),
                  t.choice("titulaire", ("mcn", "client", "parties")), event.name, tests,
                  loader.effect_spec(effect_table, event), notice, t.path)
        t.done()
        return p

    def effect(t: _Table) -> Effect:
        event = loader.event_type(t, "evenement")
        effect_table = t.table("effet")
        assert effect_table is not None
        e = Effect(t.text("id"), t.text("article", False, draft.article), name, event.name,
                   _tests(t, "si", event), loader.effect_spec(effect_table, event),
                   t.localized("libelle", required=False), t.path)
        t.done()
        return e

    def control(t: _Table) -> Control:
        event = loader.event_type(t, "evenement")
        field = loader.field(t, "champ", event, ("parties",))
        contains = t._get("contient", (list,), ("une liste", "a list"), True)
        c = Control(t.text("id"), t.text("article", False, draft.article), name, event.name,
                    field or "", tuple(contains), t.text("code"),
                    t.localized("message") or Text("", ""), t.path)
        t.done()
        return c

    def permission(t: _Table) -> Permission:
        p = Permission(t.text("id"), t.text("article", False, draft.article),
                       t.choice("titulaire", ("mcn", "client", "parties")),
                       t.localized("libelle") or Text("", ""), t.text("pourquoi_aucune_obligation"))
        t.done()
        return p

    def parameter(t: _Table) -> Parameter:
        value = t._get("valeur", (int, str, bool), ("un entier, texte ou booléen",
                                                    "an integer, string or boolean"), True)
        p = Parameter(t.text("nom"), value, t.boolean("annexe_peut_preciser"), t.text("source"),
                      t.text("article", False, draft.article), name)
        t.done()
        return p

    def cross_reference(t: _Table) -> CrossReference:
        rules = t._get("regles", (list,), ("une liste d'identifiants", "a list of ids"), True)
        if not rules or not all(isinstance(r, str) for r in rules):
            raise t.error("regles", "une liste non vide d'identifiants de règles",
                          "a non-empty list of rule ids")
        c = CrossReference(t.text("article", False, draft.article), tuple(rules),
                           t.text("explication"), name)
        t.done()
        return c

    def unencoded(t: _Table) -> Unencoded:
        u = Unencoded(t.text("article", False, draft.article), t.text("texte"), t.text("raison"))
        t.done()
        return u

    def example(index: int, t: _Table) -> Example:
        def expectation(e: _Table) -> Expectation:
            on = e.get("au", (date,), ("une date", "a date"), True)
            status = e.text("statut", required=False)
            if status is not None and status not in _STATUS_CODES:
                raise e.error("statut", f"statut parmi {', '.join(_STATUS_CODES)}",
                              f"status among {', '.join(_STATUS_CODES)}")
            expected = Expectation(
                on=on, norm=e.text("obligation"), key=e.text("cle", required=False),
                status=status,
                deadline=e.get("echeance", (date,), ("une date", "a date"), False),
                balance=e.text("solde", required=False),
                debtor=e.choice("debiteur", ("mcn", "client", "parties"), required=False),
                policy_late=e.get("retard_politique", (bool,), ("un booléen", "a boolean"),
                                  False),
                absent=e.boolean("absente"))
            e.done()
            return expected

        expected = list(t.each("attendu", expectation))
        diagnostics = []
        for d in t.tables("diagnostics"):
            diagnostics.append((d._get("au", (date,), ("une date", "a date"), False),
                                d.text("code")))
            d.done()
        in_force = []
        for v in t.tables("entente_en_vigueur"):
            in_force.append((v._get("au", (date,), ("une date", "a date"), True),
                             bool(v._get("valeur", (bool,), ("un booléen", "a boolean"), True))))
            v.done()
        agreement = t._get("entente", (dict,), ("une table", "a table"), False, {})
        events = t._get("evenements", (list,), ("une liste d'événements", "a list of events"),
                        False, [])
        ex = Example(t.text("nom"), name, index, agreement, tuple(events), tuple(expected),
                     tuple(diagnostics), tuple(in_force))
        t.done()
        return ex

    precedence = None
    prec = root.table("preseance", required=False)
    if prec is not None:
        precedence = Precedence(prec.text("article", False, draft.article), prec.text("code"),
                                prec.localized("message") or Text("", ""))
        prec.done()
    rule_file = RuleFile(
        governs_entry_into_force=root.boolean("regit_entree_en_vigueur"),
        precedence=precedence,
        path=name,
        article=draft.article,
        title=root.text("titre"),
        text=root.text("texte"),
        norms=_many(root, "obligation", lambda t: loader.norm(t, draft, "obligation"))
        + _many(root, "obligation_continue", lambda t: loader.norm(t, draft, "continue")),
        powers=_many(root, "pouvoir", power),
        effects=_many(root, "effet", effect),
        controls=_many(root, "controle", control),
        permissions=_many(root, "permission", permission),
        parameters=_many(root, "parametre", parameter),
        unencoded=_many(root, "non_encode", unencoded),
        cross_references=_many(root, "renvoi", cross_reference),
        examples=_many(root, "exemple", lambda t: example(int(t.path[len("exemple["):-1]), t)),
    )
    root.done()
    return rule_file


_STATUS_CODES = tuple(status.value for status in Status)


def _check_references(book: RuleBook, sources: Mapping[str, TomlSource]
                      ) -> tuple[RuleFileError, ...]:
    """Ids unique, references resolved, parameters declared and usable, join fields present:
    every problem, in file order."""
    seen: dict[str, str] = {}
    params = book.parameters
    errors: list[RuleFileError] = []

    def fail(file: str, key: str, fr: str, en: str, code: str | None = None) -> None:
        source = sources.get(file)
        line = source.line(key) if source is not None else None
        errors.append(RuleFileError(ErrorLocation(file, line, key), fr, en, code))

    items: list[tuple[str, str, str]] = [(n.id, n.file, n.key) for n in book.norms]
    items += [(p.id, p.file, p.key) for p in book.powers]
    items += [(e.id, e.file, e.key) for e in book.effects]
    items += [(c.id, c.file, c.key) for c in book.controls]
    items += [(p.id, f.path, f"permission[{i}]") for f in book.files
              for i, p in enumerate(f.permissions)]
    for ident, file, key in items:
        if ident in seen:
            fail(file, f"{key}.id", f"identifiant {ident!r} déjà utilisé dans {seen[ident]}",
                 f"id {ident!r} already used in {seen[ident]}", "identifiant_double")
        else:
            seen[ident] = file
    names: dict[str, str] = {}
    for rule_file in book.files:
        for i, param in enumerate(rule_file.parameters):
            if param.name in names:
                fail(rule_file.path, f"parametre[{i}].nom", f"paramètre {param.name!r} déjà "
                     f"déclaré dans {names[param.name]}", f"parameter {param.name!r} already "
                     f"declared in {names[param.name]}", "identifiant_double")
            names.setdefault(param.name, rule_file.path)
    norm_ids = {n.id for n in book.norms}
    with_precedence = [f.path for f in book.files if f.precedence is not None]
    for extra in with_precedence[1:]:
        fail(extra, "preseance", f"[preseance] déjà déclarée dans {with_precedence[0]} : une "
             f"seule est permise", f"[preseance] already declared in {with_precedence[0]}: "
             "only one is allowed")
    for rule_file in book.files:
        for example in rule_file.examples:
            for j, exp in enumerate(example.expected):
                if exp.norm not in norm_ids:
                    fail(rule_file.path, f"exemple[{example.index}].attendu[{j}].obligation",
                         f"obligation inconnue {exp.norm!r}", f"unknown obligation {exp.norm!r}",
                         "reference_inconnue")
        for i, ref in enumerate(rule_file.cross_references):
            for rule_id in ref.rules:
                if rule_id not in seen:
                    fail(rule_file.path, f"renvoi[{i}].regles", f"règle inconnue {rule_id!r}",
                         f"unknown rule {rule_id!r}")
    for norm in book.norms:
        _norm_references(book, norm, norm_ids, fail)
    for power in book.powers:
        days = power.notice.days if power.notice else None
        if isinstance(days, str):
            problem = _parameter_bounds(params, days, 0, MAX_DAYS, _DAYS)
            if problem is not None:
                fail(power.file, f"{power.key}.preavis.jours", *problem)
    return tuple(errors)


def _parameter_bounds(params: Mapping[str, Parameter], name: str, low: int, high: int,
                      unit: Text) -> tuple[str, str] | None:
    """What is wrong with a « @paramètre » used as a count of days or months (None: it is
    declared, an integer, within bounds)."""
    param = params.get(name[1:])
    if param is None:
        return f"paramètre inconnu {name}", f"unknown parameter {name}"
    value = param.value
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return (f"le paramètre {name} vaut {value!r} ({param.file}) : un nombre entier de "
                f"{unit.fr} entre {low} et {high} est attendu",
                f"parameter {name} is {value!r} ({param.file}): an integer number of "
                f"{unit.en} between {low} and {high} is expected")
    return None


def _norm_references(book: RuleBook, norm: Norm, norm_ids: set[str],
                     fail: Callable[..., None]) -> None:
    where = norm.key
    params = book.parameters
    for path, value, unit, high in (
            (f"{where}.declencheur.periode.mois", norm.trigger.period_months, _MONTHS,
             MAX_MONTHS),
            (f"{where}.delai.jours", norm.deadline.days if norm.deadline else None, _DAYS,
             MAX_DAYS)):
        problem = _parameter_bounds(params, value, 1, high, unit) \
            if isinstance(value, str) else None
        if problem is not None:
            fail(norm.file, path, *problem)
    if norm.deadline and norm.deadline.form == "fin_periode" and norm.trigger.kind != "periode":
        fail(norm.file, f"{where}.delai", "fin_periode exige un déclencheur périodique",
             "fin_periode needs a periodic trigger")
    if norm.deadline and norm.deadline.form == "veille_effet":
        acts = [p for p in book.powers if p.event == norm.trigger.event]
        if not any(set(p.tests) <= set(norm.trigger.tests) for p in acts):
            fail(norm.file, f"{where}.delai", "veille_effet : chaque déclenchement doit être "
                 "l'acte d'un pouvoir (mêmes conditions si)", "veille_effet: every trigger must "
                 "be a power's act (same si conditions)")
    if norm.trigger.kind == "consequence" and norm.trigger.source_norm not in norm_ids:
        fail(norm.file, f"{where}.declencheur.consequence_de",
             f"obligation inconnue {norm.trigger.source_norm!r}",
             f"unknown obligation {norm.trigger.source_norm!r}")
    if norm.kind == "obligation" and norm.trigger.kind == "evenement" and \
            norm.trigger.key_field is None and (norm.performances or norm.extinctions):
        fail(norm.file, f"{where}.declencheur.cle", "une clé est nécessaire pour rattacher "
             "l'exécution", "a key is needed to correlate the performance")
    if norm.debtor in ("auteur", "autre") and norm.trigger.kind != "evenement":
        fail(norm.file, f"{where}.debiteur", "auteur/autre exige un déclencheur événement",
             "auteur/autre needs an event trigger")
