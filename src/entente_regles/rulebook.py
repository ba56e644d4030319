"""Rule files (TOML) -> a validated :class:`RuleBook`.

Every key is checked: unknown keys, wrong types, unknown event types or fields and dangling
references fail with the file and the key path. Nothing in a rule file is executed. The
format is documented in ``docs/format-regles.md``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs

from .model import ErrorLocation, RuleFileError, Text
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
    """The rule files of a directory, loaded and validated: norms, powers, effects,
    controls, parameters, examples and the event vocabulary."""
    files: tuple[RuleFile, ...]
    vocabulary: Vocabulary
    directory: str

    @property
    def norms(self) -> tuple[Norm, ...]:
        """The obligations, continuing obligations included, in file order."""
        return tuple(n for f in self.files for n in f.norms)

    @property
    def powers(self) -> tuple[Power, ...]:
        """The powers a party may exercise (terminate, withdraw, modify)."""
        return tuple(p for f in self.files for p in f.powers)

    @property
    def effects(self) -> tuple[Effect, ...]:
        """The effect rules: events that change the agreement or a service."""
        return tuple(e for f in self.files for e in f.effects)

    @property
    def controls(self) -> tuple[Control, ...]:
        """The content controls on event fields."""
        return tuple(c for f in self.files for c in f.controls)

    @property
    def parameters(self) -> Mapping[str, Parameter]:
        """The parameters by name (``[[parametre]]``), annex-overridable or not."""
        return {p.name: p for f in self.files for p in f.parameters}

    @property
    def examples(self) -> tuple[Example, ...]:
        """The worked examples of every rule file, run as tests."""
        return tuple(e for f in self.files for e in f.examples)

    @property
    def precedence(self) -> Precedence | None:
        """The ``[preseance]`` declaration (art. 2), if any."""
        found = [f.precedence for f in self.files if f.precedence is not None]
        return found[0] if found else None

    @property
    def entry_into_force_article(self) -> str:
        """The article that fixes the entry into force (cited for events before it)."""
        found = [f.article for f in self.files if f.governs_entry_into_force]
        return found[0] if found else "-"

    def norm(self, norm_id: str) -> Norm:
        """The norm with id ``norm_id`` (KeyError when unknown)."""
        for norm in self.norms:
            if norm.id == norm_id:
                return norm
        raise KeyError(norm_id)

    @classmethod
    def from_directory(cls, path: str | Path) -> RuleBook:
        """Load and validate every rule file of ``path`` (errors name file, line, key)."""
        return load_directory(Path(path))

    @classmethod
    def bundled(cls) -> RuleBook:
        """The agreement's rules shipped with the package."""
        return _bundled()


def bundled_rules_dir() -> Path:
    """``regles/`` inside the installed wheel, or at the repository root in a checkout."""
    inside = resources.files("entente_regles") / "regles"
    if inside.is_dir():
        return Path(str(inside))
    checkout = Path(__file__).resolve().parents[2] / "regles"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("regles/ not found next to the package")


@cache
def _bundled() -> RuleBook:
    return load_directory(bundled_rules_dir())


# --------------------------------------------------------------------------- reading


class _Table:
    """A TOML table with its file and key path; every key read is ticked off."""

    def __init__(self, data: Mapping[str, Any], file: str, path: str) -> None:
        self.data = data
        self.file = file
        self.path = path
        self.seen: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str | None, fr: str, en: str) -> RuleFileError:
        return RuleFileError(ErrorLocation(self.file, None, self.at(key) if key else self.path),
                             fr, en)

    def _get(self, key: str, kinds: tuple[type, ...], what: tuple[str, str], required: bool,
             default: Any = None) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                raise self.error(key, f"clé obligatoire manquante ({what[0]})",
                                 f"missing required key ({what[1]})")
            return default
        value = self.data[key]
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            raise self.error(key, f"{what[0]} attendu, reçu {value!r}",
                             f"expected {what[1]}, got {value!r}")
        return value

    def text(self, key: str, required: bool = True, default: str | None = None) -> Any:
        value = self._get(key, (str,), ("un texte", "a string"), required, default)
        if isinstance(value, str) and not value.strip():
            raise self.error(key, "texte vide", "empty string")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        return bool(self._get(key, (bool,), ("true ou false", "true or false"), False, default))

    def integer_or_param(self, key: str, required: bool = True) -> int | str | None:
        value = self._get(key, (int, str), ("un entier ou « @paramètre »",
                                            "an integer or '@parameter'"), required)
        if isinstance(value, int) and value < 0:
            raise self.error(key, "entier positif attendu", "expected a non-negative integer")
        if isinstance(value, str) and not value.startswith("@"):
            raise self.error(key, "un paramètre s'écrit « @nom »", "a parameter is written '@name'")
        return value  # type: ignore[no-any-return]

    def choice(self, key: str, choices: tuple[str, ...], required: bool = True,
               default: str | None = None) -> Any:
        value = self.text(key, required, default)
        if value is not None and value not in choices:
            raise self.error(key, f"une valeur parmi {', '.join(choices)} attendue, reçu {value!r}",
                             f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    def table(self, key: str, required: bool = True) -> _Table | None:
        value = self._get(key, (dict,), ("une table { ... }", "a table { ... }"), required)
        return None if value is None else _Table(value, self.file, self.at(key))

    def tables(self, key: str) -> list[_Table]:
        self.seen.add(key)
        value = self.data.get(key, [])
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, "une liste de tables [[...]] attendue",
                             "expected an array of tables [[...]]")
        return [_Table(v, self.file, f"{self.at(key)}[{i}]") for i, v in enumerate(value)]

    def localized(self, key: str, required: bool = True) -> Text | None:
        table = self.table(key, required)
        if table is None:
            return None
        text = Text(table.text("fr"), table.text("en"))
        table.done()
        return text

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            allowed = ", ".join(sorted(self.seen))
            raise self.error(unknown[0], f"clé inconnue (clés permises : {allowed})",
                             f"unknown key (allowed keys: {allowed})")


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
                              f"unknown event type {name!r} (see {VOCABULARY_FILE})")
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
            months = period.integer_or_param("mois", required=False)
            if months == 0:
                raise period.error("mois", "au moins 1 mois", "at least 1 month")
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
            days = table.integer_or_param("jours")
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


def _parse_vocabulary(data: Mapping[str, Any], file: str) -> Vocabulary:
    root = _Table(data, file, "")
    types: dict[str, EventType] = {}
    events = root.table("evenement")
    assert events is not None
    for name in sorted(events.data):
        events.seen.add(name)
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
        types[name] = EventType(name, spec.localized("libelle") or Text("", ""), fields,
                                tuple(str(a) for a in articles), tuple(parties),
                                spec.localized("description", required=False))
        spec.done()
    root.done()
    return Vocabulary(types)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(found.group(1)) if found else None
        column = f", colonne {found.group(2)}" if found else ""
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise RuleFileError(ErrorLocation(path.name, line),
                            f"TOML invalide{column} ({detail})",
                            f"invalid TOML{column.replace('colonne', 'column')}: {detail}",
                            ) from None


@attrs.frozen
class LoadReport:
    """What a lenient load found: the book of the files that loaded (None when the vocabulary
    itself does not), one error per file that does not, then the whole book's reference
    errors."""

    book: RuleBook | None
    file_errors: tuple[RuleFileError, ...]
    reference_errors: tuple[RuleFileError, ...]

    @property
    def errors(self) -> tuple[RuleFileError, ...]:
        return self.file_errors + self.reference_errors


def _unreadable(path: Path, exc: OSError) -> RuleFileError:
    return RuleFileError(ErrorLocation(path.name), f"lecture impossible : {exc.strerror}",
                         f"cannot read: {exc.strerror}")


def load_each(directory: Path) -> LoadReport:
    """Load every rule file that loads, for tools that report every problem at once (the
    checker); :func:`load_directory` is the strict form used to evaluate."""
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
        vocabulary = _parse_vocabulary(_read_toml(vocab_path), vocab_path.name)
    except RuleFileError as exc:
        return LoadReport(None, (exc,), ())
    except OSError as exc:
        return LoadReport(None, (_unreadable(vocab_path, exc),), ())
    loader = _Loader(vocabulary)
    files: list[RuleFile] = []
    file_errors: list[RuleFileError] = []
    for path in sorted(directory.glob("*.toml")):
        if path.name == VOCABULARY_FILE:
            continue
        try:
            files.append(_parse_rule_file(loader, _read_toml(path), path.name))
        except RuleFileError as exc:
            file_errors.append(exc)
        except OSError as exc:
            file_errors.append(_unreadable(path, exc))
    book = RuleBook(tuple(files), vocabulary, str(directory))
    try:
        _check_references(book)
    except RuleFileError as exc:
        return LoadReport(book, tuple(file_errors), (exc,))
    return LoadReport(book, tuple(file_errors), ())


def load_directory(directory: Path) -> RuleBook:
    """Load strictly: the first problem raises :class:`RuleFileError`."""
    report = load_each(directory)
    if report.errors:
        raise report.errors[0]
    assert report.book is not None
    return report.book


def _many(root: _Table, key: str, build: Callable[[_Table], T]) -> tuple[T, ...]:
    return tuple(build(t) for t in root.tables(key))


def _parse_rule_file(loader: _Loader, data: Mapping[str, Any], name: str) -> RuleFile:
    root = _Table(data, name, "")
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
            notice = Notice(notice_table.integer_or_param("jours") or 0, before)
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
        expected = []
        for e in t.tables("attendu"):
            on = e._get("au", (date,), ("une date", "a date"), True)
            status = e.text("statut", required=False)
            if status is not None and status not in _STATUS_CODES:
                raise e.error("statut", f"statut parmi {', '.join(_STATUS_CODES)}",
                              f"status among {', '.join(_STATUS_CODES)}")
            expected.append(Expectation(
                on=on, norm=e.text("obligation"), key=e.text("cle", required=False),
                status=status,
                deadline=e._get("echeance", (date,), ("une date", "a date"), False),
                balance=e.text("solde", required=False),
                debtor=e.choice("debiteur", ("mcn", "client", "parties"), required=False),
                policy_late=e._get("retard_politique", (bool,), ("un booléen", "a boolean"),
                                   False),
                absent=e.boolean("absente")))
            e.done()
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
        examples=tuple(example(i, t) for i, t in enumerate(root.tables("exemple"))),
    )
    root.done()
    return rule_file


_STATUS_CODES = ("a_echoir", "en_retard", "satisfaite", "satisfaite_en_retard", "eteinte",
                 "en_vigueur", "violee")


def _check_references(book: RuleBook) -> None:
    """Ids unique, references resolved, parameters declared, join fields present."""
    seen: dict[str, str] = {}
    params = book.parameters

    def fail(file: str, key: str, fr: str, en: str) -> RuleFileError:
        return RuleFileError(ErrorLocation(file, None, key), fr, en)

    items: list[tuple[str, str, str]] = [(n.id, n.file, n.key) for n in book.norms]
    items += [(p.id, p.file, p.key) for p in book.powers]
    items += [(e.id, e.file, e.key) for e in book.effects]
    items += [(c.id, c.file, c.key) for c in book.controls]
    for ident, file, key in items:
        if ident in seen:
            raise fail(file, f"{key}.id", f"identifiant {ident!r} déjà utilisé dans {seen[ident]}",
                       f"id {ident!r} already used in {seen[ident]}")
        seen[ident] = file
    norm_ids = {n.id for n in book.norms}
    with_precedence = [f.path for f in book.files if f.precedence is not None]
    if len(with_precedence) > 1:
        raise fail(with_precedence[1], "preseance", f"[preseance] déjà déclarée dans "
                   f"{with_precedence[0]} : une seule est permise", f"[preseance] already "
                   f"declared in {with_precedence[0]}: only one is allowed")
    for rule_file in book.files:
        for example in rule_file.examples:
            for j, exp in enumerate(example.expected):
                if exp.norm not in norm_ids:
                    raise fail(rule_file.path, f"exemple[{example.index}].attendu[{j}].obligation",
                               f"obligation inconnue {exp.norm!r}", f"unknown obligation "
                               f"{exp.norm!r}")
    for rule_file in book.files:
        for i, ref in enumerate(rule_file.cross_references):
            for rule_id in ref.rules:
                if rule_id not in seen:
                    raise fail(rule_file.path, f"renvoi[{i}].regles",
                               f"règle inconnue {rule_id!r}", f"unknown rule {rule_id!r}")
    for norm in book.norms:
        where = norm.key
        for path, value in ((f"{where}.declencheur.periode.mois", norm.trigger.period_months),
                            (f"{where}.delai.jours",
                             norm.deadline.days if norm.deadline else None)):
            if isinstance(value, str) and value[1:] not in params:
                raise fail(norm.file, path, f"paramètre inconnu {value}",
                           f"unknown parameter {value}")
            if isinstance(value, str):
                declared = params[value[1:]].value
                if isinstance(declared, bool) or not isinstance(declared, int) or declared < 1:
                    raise fail(norm.file, path, f"le paramètre {value} doit valoir un entier "
                               "d'au moins 1", f"parameter {value} must be an integer >= 1")
        if norm.deadline and norm.deadline.form == "fin_periode" and \
                norm.trigger.kind != "periode":
            raise fail(norm.file, f"{where}.delai", "fin_periode exige un déclencheur périodique",
                       "fin_periode needs a periodic trigger")
        if norm.deadline and norm.deadline.form == "veille_effet":
            acts = [p for p in book.powers if p.event == norm.trigger.event]
            if not any(set(p.tests) <= set(norm.trigger.tests) for p in acts):
                raise fail(norm.file, f"{where}.delai", "veille_effet : chaque déclenchement doit "
                           "être l'acte d'un pouvoir (mêmes conditions si)", "veille_effet: every "
                           "trigger must be a power's act (same si conditions)")
        if norm.trigger.kind == "consequence" and norm.trigger.source_norm not in norm_ids:
            raise fail(norm.file, f"{where}.declencheur.consequence_de",
                       f"obligation inconnue {norm.trigger.source_norm!r}",
                       f"unknown obligation {norm.trigger.source_norm!r}")
        if norm.kind == "obligation" and norm.trigger.kind == "evenement" and \
                norm.trigger.key_field is None and (norm.performances or norm.extinctions):
            raise fail(norm.file, f"{where}.declencheur.cle", "une clé est nécessaire pour "
                       "rattacher l'exécution", "a key is needed to correlate the performance")
        if norm.debtor in ("auteur", "autre") and norm.trigger.kind != "evenement":
            raise fail(norm.file, f"{where}.debiteur", "auteur/autre exige un déclencheur "
                       "événement", "auteur/autre needs an event trigger")
    for power in book.powers:
        days = power.notice.days if power.notice else None
        if isinstance(days, str) and days[1:] not in params:
            raise fail(power.file, f"{power.key}.preavis.jours",
                       f"paramètre inconnu {days}",
                       f"unknown parameter {days}")
