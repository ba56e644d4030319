"""Reading a norm (``[[obligation]]``, ``[[obligation_continue]]``, ``[[faculte]]``) and its
trigger into a :class:`Norm`."""

from __future__ import annotations

from typing import Literal

import attrs

from entente_regles.core.values import EITHER_PARTY, Status, Text
from entente_regles.rules.money import BASES, SINCE, AmountSpec, InterestSpec, decimal_value
from entente_regles.rules.norms import (
    CONDITION_STATES,
    MAX_DAYS,
    MAX_MONTHS,
    STATE_TRIGGERS,
    Condition,
    Hold,
    Norm,
    Release,
    StateTest,
    Trigger,
)
from entente_regles.rules.norms import DAYS as _DAYS
from entente_regles.rules.norms import MONTHS as _MONTHS
from entente_regles.rules.reader import RuleReader, read_tests
from entente_regles.rules.toml_tables import TomlTable
from entente_regles.rules.vocabulary import EACH_PARTY, OTHER_PARTY, EventType

# Who owes an obligation or is owed it, besides a party: either party, the event's author,
# the other party than the author (or than the debtor, for an obligation of each party).
ROLES = (EITHER_PARTY, "auteur", OTHER_PARTY)
# Who owes an obligation or holds a faculty: also each party (one instance per party).
HOLDERS = (EITHER_PARTY, EACH_PARTY, "auteur", OTHER_PARTY)
# A norm arising when the agreement's term renews (decision 76).
RENEWAL = "renouvellement_terme"


class NormReader(RuleReader):
    """Norms and their triggers."""

    def trigger(self, table: TomlTable) -> Trigger:
        if "evenement" in table.data:
            event = self.event_type(table, "evenement")
            key_field = self.field(table, "cle", event, required=False)
            party = self.party(table, "par", required=False)
            computed = None
            if isinstance(table.data.get("montant"), dict):
                computed = self._computed_amount(table, event)
                amount = None
            else:
                amount = self.field(table, "montant", event, ("montant",), required=False)
            trig = Trigger("evenement", event=event.name, key_field=key_field,
                           tests=read_tests(table, "si", event), party=party, amount_field=amount,
                           excluded=read_tests(table, "sauf", event), amount=computed)
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
            when = table.choice("quand", STATE_TRIGGERS)
            trig = Trigger("consequence", source_norm=table.text("consequence_de"),
                           when="echeance" if when == "en_retard" else when)
        elif "fin_entente" in table.data:
            if table.boolean("fin_entente") is not True:
                raise table.error("fin_entente", "true attendu", "expected true")
            trig = Trigger("fin_entente")
        elif RENEWAL in table.data:
            trig = self._renewal_trigger(table)
        elif "entree_en_vigueur" in table.data:
            if table.boolean("entree_en_vigueur") is not True:
                raise table.error("entree_en_vigueur", "true attendu", "expected true")
            trig = Trigger("entree_en_vigueur", per_party=table.boolean("pour_chaque_partie"))
        else:
            raise table.error(None, "déclencheur : evenement, periode, consequence_de, "
                              "entree_en_vigueur, fin_entente ou renouvellement_terme attendu",
                              "trigger: expected evenement, periode, consequence_de, "
                              "entree_en_vigueur, fin_entente or renouvellement_terme")
        table.done()
        return trig

    def _renewal_trigger(self, table: TomlTable) -> Trigger:
        """``renouvellement_terme = true``: an instance on the first day of each renewed term
        (decision 76); the rule book must declare a term (``[terme]``)."""
        if table.boolean(RENEWAL) is not True:
            raise table.error(RENEWAL, "true attendu", "expected true")
        if self.vocabulary.term is None:
            raise table.error(RENEWAL, "un terme ([terme]) dans le livre de règles : sans "
                              "terme, rien ne se renouvelle", "a term ([terme]) in the rule "
                              "book: without a term, nothing renews")
        return Trigger("renouvellement_terme")

    def _rate(self, table: TomlTable, key: str) -> str:
        """A rate: « @paramètre » (checked where it is declared) or a decimal, as text."""
        value = table.get(key, (str, int), ("un nombre décimal (texte, p. ex. \"12.5\") ou "
                                            "« @paramètre »", "a decimal number (text, e.g. "
                                            "\"12.5\") or '@parameter'"), True)
        text_value = str(value)
        found = decimal_value(value)
        if not text_value.startswith("@") and (found is None or found < 0):
            raise table.error(key, f"un nombre décimal positif (chiffres, au plus 13 avant le "
                              f"point et 10 après, sans exposant) ou « @paramètre » attendu, "
                              f"reçu {value!r}", f"a non-negative decimal number (digits, at "
                              f"most 13 before the point and 10 after, no exponent) or "
                              f"'@parameter' expected, got {value!r}")
        return text_value

    def _computed_amount(self, trigger: TomlTable, event: EventType) -> AmountSpec:
        """``montant = { pourcentage, de }``, ``{ taux_jour, jours | du, au }`` or
        ``{ prorata, du, au, depuis }`` (decision 67)."""
        table = trigger.table("montant")
        assert table is not None
        kinds = [k for k in ("pourcentage", "taux_jour", "prorata") if k in table.data]
        if len(kinds) != 1:
            raise table.error(None, "exactement un de pourcentage, taux_jour ou prorata",
                              "exactly one of pourcentage, taux_jour or prorata")
        kind = kinds[0]
        if kind == "pourcentage":
            spec = AmountSpec("pourcentage", rate=self._rate(table, "pourcentage"),
                              base=self.field(table, "de", event, ("montant",)))
        elif kind == "taux_jour":
            rate = self._rate(table, "taux_jour")
            if "jours" in table.data:
                spec = AmountSpec("taux_jour", rate=rate,
                                  days=self.field(table, "jours", event, ("entier",)))
            else:
                spec = AmountSpec("taux_jour", rate=rate,
                                  start=self.field(table, "du", event, ("date",)),
                                  end=self.field(table, "au", event, ("date",)))
        else:
            since = table.text("depuis", required=False, default="date")
            if since != "date":
                since = self.field(table, "depuis", event, ("date",))
            spec = AmountSpec("prorata", base=self.field(table, "prorata", event, ("montant",)),
                              start=self.field(table, "du", event, ("date",)),
                              end=self.field(table, "au", event, ("date",)), since=since)
        table.done()
        return spec

    def _interest(self, table: TomlTable, trigger: Trigger) -> InterestSpec | None:
        """``interet = { taux_annuel, base, depuis }`` on an obligation that tracks an amount
        (decision 68)."""
        found = table.table("interet", required=False)
        if found is None:
            return None
        if not trigger.tracks_amount:
            raise found.error(None, "l'intérêt exige un montant suivi (declencheur.montant)",
                              "interest needs a tracked amount (declencheur.montant)")
        spec = InterestSpec(self._rate(found, "taux_annuel"),
                            found.choice("base", BASES, required=False, default="exact/365"),
                            found.choice("depuis", SINCE, required=False,
                                         default="lendemain_echeance"))
        found.done()
        return spec

    def condition(self, table: TomlTable, key_event: str | None = None) -> Condition | None:
        """``disponible_si``: one test, or ``tous``/``un_des`` = [tests]; ``cle`` (a power's):
        the field of its act naming the key that ``meme_cle`` tests look for."""
        found = table.table("disponible_si", required=False)
        if found is None:
            return None
        key_field = None
        if key_event is not None:
            key_field = self.field(found, "cle", self.vocabulary.types[key_event],
                                   required=False)
        if "tous" in found.data and "un_des" in found.data:
            raise found.error(None, "« tous » ou « un_des », pas les deux",
                              "'tous' or 'un_des', not both")
        any_of = "un_des" in found.data
        if any_of or "tous" in found.data:
            tests = tuple(self._state_test(t) for t in found.tables("un_des" if any_of
                                                                     else "tous"))
            if not tests:
                raise found.error("un_des" if any_of else "tous", "au moins un test attendu",
                                  "at least one test expected")
        else:
            tests = (self._state_test(found),)
        if key_field is None and any(t.same_key for t in tests) and key_event is not None:
            raise found.error("cle", "« meme_cle » exige, pour un pouvoir, le champ de son "
                              "acte qui nomme la clé (cle = …)", "'meme_cle' needs, for a "
                              "power, the field of its act naming the key (cle = …)")
        found.done()
        return Condition(tests, any_of, key_field)

    def _condition_end(self, table: TomlTable, kind: str) -> Text | None:
        """``si_condition_cesse = { statut = "eteinte", motif }``: an obligation discharged
        when its ``disponible_si`` stops holding while it is still due (decision 73)."""
        found = table.table("si_condition_cesse", required=False)
        if found is None:
            return None
        if kind != "obligation" or "disponible_si" not in table.data:
            raise table.error("si_condition_cesse", "une [[obligation]] avec disponible_si "
                              "attendue", "expected an [[obligation]] with disponible_si")
        found.choice("statut", (Status.DISCHARGED.value,))
        reason = found.localized("motif")
        found.done()
        return reason

    def hold(self, table: TomlTable) -> Hold | None:
        """``retenue``: the act that holds back a disputed part of the balance, and the acts
        that lift it (decision 71)."""
        found = table.table("retenue", required=False)
        if found is None:
            return None
        event = self.event_type(found, "evenement")
        key_field = self.field(found, "cle", event)
        amount = self.field(found, "montant", event, ("montant",))
        ref = self.field(found, "reference", event)
        assert key_field is not None and amount is not None and ref is not None

        def release(sub: TomlTable) -> Release:
            lifting = self.event_type(sub, "evenement")
            ref_field = self.field(sub, "reference", lifting)
            assert ref_field is not None
            payable = self.field(sub, "montant_exigible", lifting, ("montant",),
                                 required=False)
            rest = sub.choice("reste", ("exigible", "annule"), required=False,
                              default="exigible")
            sub.done()
            return Release(lifting.name, ref_field, payable,
                           "annule" if rest == "annule" else "exigible")

        releases = tuple(found.each("levee", release))
        if not releases:
            raise found.error("levee", "au moins une levée attendue",
                              "at least one release (levee) expected")
        days = found.bounded("jours_apres_levee", 0, MAX_DAYS, _DAYS, required=False)
        found.done()
        return Hold(event.name, key_field, amount, ref, releases, 0 if days is None else days)

    def _state_test(self, table: TomlTable) -> StateTest:
        """One test of a condition: ``norme`` + ``etat``, or ``entente``."""
        if "entente" in table.data:
            state = table.choice("entente", ("en_vigueur", "terminee"))
            norm = None
        else:
            norm = table.text("norme")
            state = table.choice("etat", CONDITION_STATES)
        if "au_moins_jours" in table.data and "plus_de_jours" in table.data:
            raise table.error(None, "« au_moins_jours » ou « plus_de_jours », pas les deux",
                              "'au_moins_jours' or 'plus_de_jours', not both")
        more_than = "plus_de_jours" in table.data
        days = table.bounded("plus_de_jours" if more_than else "au_moins_jours",
                             0 if more_than else 1, MAX_DAYS, _DAYS, required=False)
        working = table.choice("jours", ("calendaires", "ouvrables"), required=False,
                               default="calendaires") == "ouvrables"
        if days is None and (more_than or "jours" in table.data):
            raise table.error("jours", "« jours » accompagne au_moins_jours ou plus_de_jours",
                              "'jours' goes with au_moins_jours or plus_de_jours")
        same_key = table.boolean("meme_cle")
        debtor = table.choice("debiteur", ("auteur", OTHER_PARTY), required=False)
        if norm is None and (same_key or debtor is not None):
            raise table.error(None, "meme_cle et debiteur visent l'instance d'une norme",
                              "meme_cle and debiteur concern a norm's instance")
        table.done()
        return StateTest(state, norm, same_key, debtor, days, more_than, working)

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
        if trigger.kind in ("fin_entente", RENEWAL):
            return attrs.evolve(trigger, per_party=True)
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
        # a faculty's window: required, but where a condition closes it (decision 60)
        deadline = self.deadline(table.table(
            "fenetre" if faculty else "delai",
            required=faculty and "disponible_si" not in table.data))
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
            # a norm arising at the end outlives it by nature (decision 61)
            survives_termination=table.boolean("survit_resiliation")
            or trigger.kind == "fin_entente",
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
            condition=self.condition(table),
            interest=None if faculty else self._interest(table, trigger),
            hold=None if faculty else self.hold(table),
            on_condition_end=self._condition_end(table, kind),
        )
        if norm.hold is not None and trigger.amount_field is None:
            raise table.error("retenue", "une retenue exige un déclencheur avec montant",
                              "a hold needs a trigger with an amount (montant)")
        if any(act.advance for act in norm.performances) and trigger.kind != "periode":
            raise table.error("execution", "« avance » exige un déclencheur periode",
                              "'avance' needs a periode trigger")
        if norm.survival_tests and trigger.kind != "evenement":
            raise table.error("survit_resiliation_si", "exige un déclencheur événement",
                              "needs an event trigger")
        table.done()
        return norm
