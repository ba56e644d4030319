"""Reading a norm (``[[obligation]]``, ``[[obligation_continue]]``, ``[[faculte]]``) and its
trigger into a :class:`Norm`."""

from __future__ import annotations

from typing import Literal

import attrs

from entente_regles.core.values import EITHER_PARTY, Status, Text
from entente_regles.rules.norms import MAX_MONTHS, Norm, Trigger
from entente_regles.rules.norms import MONTHS as _MONTHS
from entente_regles.rules.reader import RuleReader, read_tests
from entente_regles.rules.toml_tables import TomlTable
from entente_regles.rules.vocabulary import EACH_PARTY, OTHER_PARTY

# Who owes an obligation or is owed it, besides a party: either party, the event's author,
# the other party than the author (or than the debtor, for an obligation of each party).
ROLES = (EITHER_PARTY, "auteur", OTHER_PARTY)
# Who owes an obligation or holds a faculty: also each party (one instance per party).
HOLDERS = (EITHER_PARTY, EACH_PARTY, "auteur", OTHER_PARTY)


class NormReader(RuleReader):
    """Norms and their triggers."""

    def trigger(self, table: TomlTable) -> Trigger:
        if "evenement" in table.data:
            event = self.event_type(table, "evenement")
            key_field = self.field(table, "cle", event, required=False)
            party = self.party(table, "par", required=False)
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

    def _held_against(self, holder: str) -> str:
        """A faculty's creditor: the other party between two parties, else « parties »."""
        if holder == OTHER_PARTY:
            return "auteur"
        if not self.vocabulary.two_parties or holder == EITHER_PARTY:
            return EITHER_PARTY
        if holder in ("auteur", EACH_PARTY):
            return OTHER_PARTY
        return self.vocabulary.other_party(holder)

    def _each_party(self, table: TomlTable, trigger: Trigger, key: str, creditor: str
                    ) -> Trigger:
        """An obligation or faculty of each party: one instance per party, whatever the
        trigger (an event, a period, the entry into force) but another norm's expiry."""
        if trigger.kind == "consequence":
            raise table.error(key, f"« {EACH_PARTY} » (une instance par partie) exige un "
                              "déclencheur evenement, periode ou entree_en_vigueur ; une "
                              "conséquence suit le débiteur de l'obligation échue",
                              f"'{EACH_PARTY}' (one instance per party) needs an evenement, "
                              "periode or entree_en_vigueur trigger; a consequence follows the "
                              "debtor of the expired obligation")
        if creditor == "auteur" and trigger.kind != "evenement":
            raise table.error("creancier", "« auteur » exige un déclencheur evenement",
                              "'auteur' needs an evenement trigger")
        return attrs.evolve(trigger, per_party=True)

    def norm(self, table: TomlTable, kind: Literal["obligation", "continue", "faculte"]) -> Norm:
        faculty = kind == "faculte"
        trigger_table = table.table("declencheur")
        assert trigger_table is not None
        trigger = self.trigger(trigger_table)
        if faculty:
            debtor = str(self.party(table, "titulaire", *HOLDERS))
            creditor = self._held_against(debtor)
        else:
            debtor = str(self.party(table, "debiteur", *HOLDERS))
            creditor = str(self.party(table, "creancier", *ROLES))
        if debtor == EACH_PARTY:
            trigger = self._each_party(table, trigger, "titulaire" if faculty else "debiteur",
                                       creditor)
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
            unknown_text = unknown.texts("gravite")
            unknown_severity = unknown.choice("gravite", ("erreur", "avertissement"),
                                              required=False, default="erreur")
            unknown.done()
        service_field = None
        if trigger.event is not None:
            service_field = self.field(table, "service", self.vocabulary.types[trigger.event],
                                       required=False)
        norm = Norm(
            id=table.text("id"),
            article=self.article(table),
            file=self.draft.path,
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
