"""Reading rule-file tables into the rule book's values: each key read, typed and ticked off,
through the validation layer's :class:`TomlTable`.

:class:`RuleReader` holds what every table needs (the vocabulary, the file being read, event
types and fields, parties, tests, acts, deadlines, effects); ``norm_reader`` reads norms and
their triggers, ``provision_reader`` the other tables of a rule file (powers, effects,
controls, …), ``example_reader`` the worked examples, ``vocabulary_reader`` the vocabulary
file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import attrs

from entente_regles.rules.norms import DAYS as _DAYS
from entente_regles.rules.norms import (
    EFFECT_ACTIONS,
    MAX_DAYS,
    VOCABULARY_FILE,
    Act,
    Deadline,
    EffectAction,
    EffectSpec,
    Tests,
)
from entente_regles.rules.toml_tables import TomlTable
from entente_regles.rules.vocabulary import OTHER_PARTY, EventType, Vocabulary

T = TypeVar("T")


def read_tests(table: TomlTable, key: str, event: EventType | None) -> Tests:
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


@attrs.define
class RuleFileDraft:
    """The file being read: its name and its ``article`` (the default of its tables')."""

    path: str
    article: str


class RuleReader:
    """Reads the tables of one rule file against the rule book's vocabulary."""

    def __init__(self, vocabulary: Vocabulary, draft: RuleFileDraft) -> None:
        self.vocabulary = vocabulary
        self.draft = draft

    def many(self, root: TomlTable, key: str, build: Callable[[TomlTable], T]
             ) -> tuple[T, ...]:
        """``build`` on each table of the array ``key``; one that fails is recorded."""
        return tuple(root.each(key, build))

    def article(self, table: TomlTable) -> str:
        """The table's ``article``, by default the file's."""
        return str(table.text("article", False, self.draft.article))

    def party(self, table: TomlTable, key: str, *roles: str, required: bool = True
              ) -> str | None:
        """``key``: one of the rule book's parties, or one of ``roles`` (« parties »,
        « chaque_partie », « auteur », « autre »…); « autre » only in a rule book of exactly
        two parties."""
        value = table.choice(key, (*self.vocabulary.party_ids, *roles), required=required)
        if value == OTHER_PARTY and not self.vocabulary.two_parties:
            ids = self.vocabulary.party_ids
            raise table.error(key, f"« {OTHER_PARTY} » (l'autre partie) ne désigne une partie "
                              f"qu'entre deux parties ; cette entente en déclare {len(ids)} "
                              f"({', '.join(ids)}) : nommer la partie, ou écrire « parties » "
                              f"(l'une quelconque)", f"'{OTHER_PARTY}' (the other party) names "
                              f"a party only between two parties; this agreement declares "
                              f"{len(ids)} ({', '.join(ids)}): name the party, or write "
                              f"'parties' (any of them)", "autre_partie_ambigue")
        return None if value is None else str(value)

    def event_type(self, table: TomlTable, key: str) -> EventType:
        name = table.text(key)
        spec = self.vocabulary.get(name)
        if spec is None:
            raise table.error(key, f"type d'événement inconnu {name!r} (voir {VOCABULARY_FILE})",
                              f"unknown event type {name!r} (see {VOCABULARY_FILE})",
                              "evenement_inconnu")
        return spec

    def field(self, table: TomlTable, key: str, event: EventType, kinds: tuple[str, ...] = (),
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

    def acts(self, table: TomlTable, key: str, with_amount: bool = False,
             with_reason: bool = False) -> tuple[Act, ...]:
        """The acts of ``key``; one that fails is recorded and the others still read."""

        def act(sub: TomlTable) -> Act:
            event = self.event_type(sub, "evenement")
            key_field = self.field(sub, "cle", event, required=False) or "par"
            amount = self.field(sub, "montant", event, ("montant",), required=False) \
                if with_amount else None
            by = sub.choice("par", ("debiteur", "parties"), required=False, default="debiteur")
            reason = sub.localized("motif") if with_reason else None
            advance = sub.boolean("avance") if with_amount else False
            built = Act(event.name, key_field, by, amount, read_tests(sub, "si", event), reason,
                        advance)
            sub.done()
            return built

        return tuple(table.each(key, act))

    def deadline(self, table: TomlTable | None) -> Deadline | None:
        if table is None:
            return None
        if "jours" in table.data:
            days = table.bounded("jours", 0, MAX_DAYS, _DAYS)
            since = table.text("depuis", required=False, default="date")
            deadline = Deadline("jours", days=days, since=since)
        elif "norme" in table.data:
            standard = self.vocabulary.standards[
                table.choice("norme", tuple(self.vocabulary.standards))]
            deadline = Deadline("norme", standard=standard.id, wording=standard.wording)
        elif table.boolean("fin_periode"):
            deadline = Deadline("fin_periode")
        elif table.boolean("veille_effet"):
            deadline = Deadline("veille_effet")
        else:
            raise table.error(None, "délai : jours, norme, fin_periode ou veille_effet attendu",
                              "deadline: expected jours, norme, fin_periode or veille_effet")
        table.done()
        return deadline

    def effect_spec(self, table: TomlTable, event: EventType) -> EffectSpec:
        action = EffectAction(table.choice("action", EFFECT_ACTIONS))
        if action in (EffectAction.SUSPEND, EffectAction.RESUME):
            return suspension_spec(self, table, event, action)
        spec = EffectSpec(
            action=action,
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


def suspension_spec(reader: RuleReader, table: TomlTable, event: EventType,
                    action: EffectAction) -> EffectSpec:
    """``suspendre`` / ``reprendre``: ``norme`` (the obligation, checked with the other
    references), ``cle`` (the act's field naming the instance's key; absent: every open
    instance of that obligation), ``debiteur`` (``auteur``: the act's author's own;
    ``autre``: the other party's) and, for ``suspendre``,
    ``reprise = "condition"`` (it ends by itself once the power's condition stops holding)
    and ``jours = "ouvrables"`` (the deadline moved by the working days suspended).
    Always dated by the act (decision 69): no ``date``, no ``service``."""
    norm = str(table.text("norme"))
    key_field = reader.field(table, "cle", event, required=False)
    debtor = table.choice("debiteur", ("auteur", OTHER_PARTY), required=False)
    if debtor == OTHER_PARTY and not reader.vocabulary.two_parties:
        raise table.error("debiteur", f"« {OTHER_PARTY} » ne désigne une partie qu'entre deux "
                          "parties", f"'{OTHER_PARTY}' names a party only between two parties")
    resume = days = None
    if action is EffectAction.SUSPEND:
        resume = table.choice("reprise", ("condition", "acte"), required=False, default="acte")
        days = table.choice("jours", ("calendaires", "ouvrables"), required=False,
                            default="calendaires")
    table.done()
    return EffectSpec(action=action, norm=norm, key_field=key_field, debtor=debtor,
                      resume_on_lapse=resume == "condition", working_days=days == "ouvrables")
