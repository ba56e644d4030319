"""Reading the tables of a rule file other than its norms and examples: powers, effects,
controls, demands, permissions, parameters, cross-references, what is not encoded, and the
precedence declaration."""

from __future__ import annotations

from entente_regles.core.values import EITHER_PARTY, Text
from entente_regles.rules.metadata import (
    CrossReference,
    Parameter,
    Permission,
    Precedence,
    Unencoded,
)
from entente_regles.rules.norm_reader import NormReader
from entente_regles.rules.norms import DAYS as _DAYS
from entente_regles.rules.norms import MAX_DAYS, Control, DemandSpec, Effect, Notice, Power
from entente_regles.rules.reader import read_tests
from entente_regles.rules.toml_tables import TomlTable
from entente_regles.rules.vocabulary import EACH_PARTY


class ProvisionReader(NormReader):
    """Norms (inherited) and every other table of a rule file but its examples."""

    def holder(self, t: TomlTable) -> str:
        """Who holds a power or a permission: a party, or « parties » (any of them); for a
        power or a permission « chaque_partie » (each party holds it) means the same: any
        of them may act."""
        holder = str(self.party(t, "titulaire", EITHER_PARTY, EACH_PARTY))
        return EITHER_PARTY if holder == EACH_PARTY else holder

    def power(self, t: TomlTable) -> Power:
        act = t.table("acte")
        assert act is not None
        event = self.event_type(act, "evenement")
        tests = read_tests(act, "si", event)
        act.done()
        notice_table = t.table("preavis", required=False)
        notice = None
        if notice_table is not None:
            before = self.field(notice_table, "avant", event, ("date",), required=False)
            days = notice_table.bounded("jours", 0, MAX_DAYS, _DAYS)
            assert days is not None
            notice = Notice(days, before)
            notice_table.done()
        effect_table = t.table("effet")
        assert effect_table is not None
        p = Power(t.text("id"), self.article(t), self.draft.path,
                  t.localized("libelle") or Text("", ""),
                  self.holder(t), event.name, tests,
                  self.effect_spec(effect_table, event), notice, t.path,
                  self.condition(t, event.name))
        t.done()
        return p

    def effect(self, t: TomlTable) -> Effect:
        event = self.event_type(t, "evenement")
        effect_table = t.table("effet")
        assert effect_table is not None
        e = Effect(t.text("id"), self.article(t), self.draft.path, event.name,
                   read_tests(t, "si", event), self.effect_spec(effect_table, event),
                   t.localized("libelle", required=False), t.path,
                   t.text("exige_controle", required=False))
        t.done()
        return e

    def control(self, t: TomlTable) -> Control:
        event = self.event_type(t, "evenement")
        present = t.boolean("present")
        field = self.field(t, "champ", event, () if present else ("parties",))
        contains = t.get("contient", (list,), ("une liste", "a list"), not present, [])
        if present and (contains or field is None or not event.fields[field].optional):
            raise t.error("present", "present = true vise un champ facultatif, sans contient",
                          "present = true names an optional field, without contient")
        c = Control(t.text("id"), self.article(t), self.draft.path, event.name,
                    field or "", tuple(contains), t.text("code"),
                    t.localized("message") or Text("", ""), t.path, present,
                    t.choice("gravite", ("erreur", "avertissement", "info"), required=False,
                             default="erreur"))
        t.done()
        return c

    def demand(self, t: TomlTable) -> DemandSpec:
        event = self.event_type(t, "evenement")
        d = DemandSpec(t.text("id"), self.article(t), self.draft.path,
                       t.localized("libelle") or Text("", ""), t.text("source"), event.name,
                       self.field(t, "obligation", event, ("texte",)) or "",
                       self.field(t, "cle", event, required=False),
                       t.choice("par", ("creancier", "debiteur")),
                       self.field(t, "delai", event, ("entier",), required=False), t.path)
        t.done()
        return d

    def permission(self, t: TomlTable) -> Permission:
        p = Permission(t.text("id"), self.article(t), self.holder(t),
                       t.localized("libelle") or Text("", ""), t.text("pourquoi_aucune_obligation"))
        t.done()
        return p

    def parameter(self, t: TomlTable) -> Parameter:
        value = t.get("valeur", (int, str, bool), ("un entier, texte ou booléen",
                                                   "an integer, string or boolean"), True)
        p = Parameter(t.text("nom"), value, t.boolean("annexe_peut_preciser"), t.text("source"),
                      self.article(t), self.draft.path, t.boolean("avenant_peut_modifier"),
                      t.path)
        t.done()
        return p

    def cross_reference(self, t: TomlTable) -> CrossReference:
        rules = t.get("regles", (list,), ("une liste d'identifiants", "a list of ids"), True)
        if not rules or not all(isinstance(r, str) for r in rules):
            raise t.error("regles", "une liste non vide d'identifiants de règles",
                          "a non-empty list of rule ids")
        c = CrossReference(self.article(t), tuple(rules), t.text("explication"), self.draft.path)
        t.done()
        return c

    def unencoded(self, t: TomlTable) -> Unencoded:
        u = Unencoded(self.article(t), t.text("texte"), t.text("raison"))
        t.done()
        return u

    def precedence(self, root: TomlTable) -> Precedence | None:
        """The file's ``[preseance]`` (art. 2), if any."""
        prec = root.table("preseance", required=False)
        if prec is None:
            return None
        found = Precedence(self.article(prec), prec.text("code"),
                           prec.localized("message") or Text("", ""))
        prec.done()
        return found
