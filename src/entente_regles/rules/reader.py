"""Reading one rule-file table (or the event vocabulary) into the rulebook's values: each key
read, typed and ticked off, through the validation layer's :class:`TomlTable`."""

from __future__ import annotations

from typing import Literal, TypeVar

import attrs

from entente_regles.core.values import PARTIES, VAGUE_STANDARDS, Status, Text, other_party
from entente_regles.rules.norms import DAYS as _DAYS
from entente_regles.rules.norms import (
    DEBTORS,
    EFFECT_ACTIONS,
    MAX_DAYS,
    MAX_MONTHS,
    VOCABULARY_FILE,
    Act,
    Deadline,
    EffectAction,
    EffectSpec,
    Norm,
    Tests,
    Trigger,
)
from entente_regles.rules.norms import MONTHS as _MONTHS
from entente_regles.rules.toml_tables import TomlSource, TomlTable, collecting
from entente_regles.rules.vocabulary import (
    FIELD_KINDS,
    MAX_FIELD_INTEGER,
    RESERVED_KEYS,
    EventType,
    FieldSpec,
    Vocabulary,
)

T = TypeVar("T")

_Table = TomlTable


def read_tests(table: _Table, key: str, event: EventType | None) -> Tests:
    sub = table.table(key, required=False)
    if sub is None:
        return ()
    tests: list[tuple[str, str | bool | int]] = []
    for name, value in sorted(sub.data.items()):
        sub.seen.add(name)
        if name != "par" and event is not None and name not in event.fields:
            raise sub.error(name, f"champ inconnu pour {event.name}",
                            f"unknown field for {event.name}")
        kind = event.fields[name].kind if event is not None and name in event.fields else ""
        if not isinstance(value, (str, bool)) and not (
                kind == "entier" and isinstance(value, int)):
            raise sub.error(name, "un texte, un booléen (ou un entier pour un champ entier) "
                            "attendu", "expected a string, a boolean (or an integer for an "
                            "entier field)")
        choices = event.fields[name].choices if event is not None and name in event.fields \
            else ()
        if choices and value not in choices:
            shown = ", ".join(str(c) for c in choices)
            raise sub.error(name, f"valeur parmi {shown} attendue", f"expected one of {shown}")
        tests.append((name, value))
    return tuple(tests)


class RuleReader:
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
            party = table.choice("par", PARTIES, required=False)
            amount = self.field(table, "montant", event, ("montant",), required=False)
            trig = Trigger("evenement", event=event.name, key_field=key_field,
                           tests=read_tests(table, "si", event), party=party, amount_field=amount,
                           excluded=read_tests(table, "sauf", event))
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
        """The acts of ``key``; one that fails is recorded and the others still read."""

        def act(sub: _Table) -> Act:
            event = self.event_type(sub, "evenement")
            key_field = self.field(sub, "cle", event, required=False) or "par"
            amount = self.field(sub, "montant", event, ("montant",), required=False) \
                if with_amount else None
            by = sub.choice("par", ("debiteur", "parties"), required=False, default="debiteur")
            reason = sub.localized("motif") if with_reason else None
            built = Act(event.name, key_field, by, amount, read_tests(sub, "si", event), reason)
            sub.done()
            return built

        return tuple(table.each(key, act))

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

    def norm(self, table: _Table, file: RuleFileDraft,
             kind: Literal["obligation", "continue", "faculte"]) -> Norm:
        faculty = kind == "faculte"
        trigger_table = table.table("declencheur")
        assert trigger_table is not None
        trigger = self.trigger(trigger_table)
        if faculty:
            debtor = table.choice("titulaire", (*PARTIES, "auteur", "autre"))
            creditor = {"auteur": "autre", "autre": "auteur"}.get(debtor) \
                or other_party(debtor)
        else:
            debtor = table.choice("debiteur", DEBTORS)
            creditor = table.choice("creancier", DEBTORS)
        deadline = self.deadline(table.table("fenetre" if faculty else "delai",
                                             required=faculty))
        if deadline is not None and deadline.form == "jours" and trigger.event is not None:
            event = self.vocabulary.types[trigger.event]
            field = event.fields.get(deadline.since)
            if deadline.since not in ("date", "reception") and (
                    field is None or field.kind != "date"):
                raise table.error("delai.depuis", "« date », « reception » ou un champ date "
                                  "de l'événement déclencheur attendu", "expected 'date', "
                                  "'reception' or a date field of the trigger event")
        on_expiry = None
        on_expiry_status = Status.DISCHARGED
        on_exercise = None
        if faculty:
            on_expiry = table.localized("a_expiration", required=False)
            on_exercise = table.localized("a_exercice", required=False)
        else:
            expiry = table.table("a_echeance", required=False)
            if expiry is not None:
                on_expiry_status = Status(expiry.choice(
                    "statut", (Status.DISCHARGED.value, Status.DUE.value)))
                on_expiry = expiry.localized("motif")
                expiry.done()
        unknown = table.table("si_reference_inconnue", required=False)
        unknown_text = None
        unknown_severity: Literal["erreur", "avertissement"] = "erreur"
        if unknown is not None:
            unknown_text = Text(unknown.text("fr"), unknown.text("en"))
            unknown_severity = unknown.choice("gravite", ("erreur", "avertissement"),
                                              required=False, default="erreur")
            unknown.done()
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
            performances=self.acts(table, "exercice" if faculty else "execution",
                                   with_amount=not faculty),
            extinctions=() if faculty else self.acts(table, "extinction", with_reason=True),
            violations=() if faculty else self.acts(table, "violation"),
            deadline=deadline,
            on_expiry=on_expiry,
            on_expiry_status=on_expiry_status,
            survives_termination=table.boolean("survit_resiliation"),
            survival_tests=read_tests(table, "survit_resiliation_si",
                                      self.vocabulary.get(trigger.event or "")),
            service_field=service_field,
            survives_withdrawal=table.boolean("survit_retrait"),
            duplicates=table.choice("doublon", ("diagnostic", "permis"), required=False,
                                    default="diagnostic"),
            unknown_reference=unknown_text,
            unknown_reference_severity=unknown_severity,
            key=table.path,
            on_exercise=on_exercise,
        )
        if norm.survival_tests and trigger.kind != "evenement":
            raise table.error("survit_resiliation_si", "exige un déclencheur événement",
                              "needs an event trigger")
        table.done()
        return norm

    def effect_spec(self, table: _Table, event: EventType) -> EffectSpec:
        spec = EffectSpec(
            action=EffectAction(table.choice("action", EFFECT_ACTIONS)),
            date_field=self.field(table, "date", event, ("date",), required=False),
            service_field=self.field(table, "service", event, required=False),
            parameters_field=self.field(table, "parametres", event, ("parametres",),
                                        required=False),
        )
        if (spec.action == "modifier_parametres") != (spec.parameters_field is not None):
            raise table.error("parametres", "« parametres » (un champ de nature parametres) "
                              "exactement avec l'action modifier_parametres", "'parametres' "
                              "(a field of kind parametres) exactly with action "
                              "modifier_parametres")
        if spec.action not in ("fin_entente", "modifier_parametres") \
                and spec.service_field is None:
            raise table.error("service", "un effet sur un service nomme le champ du service",
                              "an effect on a service names the service field")
        table.done()
        return spec


@attrs.define
class RuleFileDraft:
    path: str
    article: str


def read_vocabulary(source: TomlSource) -> Vocabulary:
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
            choices: tuple[str | int, ...] = ()
            if allowed is not None and field_name in allowed.data:
                values = allowed._get(field_name, (list,), ("une liste de textes",
                                                            "a list of strings"), True)
                texts = kind == "texte" and all(isinstance(v, str) and v.strip()
                                                for v in values)
                ints = kind == "entier" and all(
                    isinstance(v, int) and not isinstance(v, bool)
                    and 1 <= v <= MAX_FIELD_INTEGER for v in values)
                if not values or not (texts or ints):
                    raise allowed.error(field_name, "une liste non vide de textes (champ "
                                        "texte) ou d'entiers (champ entier)", "a non-empty "
                                        "list of strings (texte field) or integers (entier "
                                        "field)")
                choices = tuple(values)
            fields[field_name] = FieldSpec(field_name, kind, field_name in optional,
                                           choices)
    if allowed is not None:
        allowed.done()
    for opt in optional:
        if opt not in fields:
            raise spec.error("optionnels", f"champ {opt!r} non déclaré",
                             f"field {opt!r} not declared")
    parties = spec._get("par", (list,), ("une liste", "a list"), False, list(PARTIES))
    if not parties or any(p not in PARTIES for p in parties):
        among = ", ".join(PARTIES)
        raise spec.error("par", f"liste parmi {among}", f"list among {among}")
    articles = spec._get("articles", (list,), ("une liste", "a list"), False, [])
    event_type = EventType(name, spec.localized("libelle") or Text("", ""), fields,
                           tuple(str(a) for a in articles), tuple(parties),
                           spec.localized("description", required=False))
    spec.done()
    return event_type
