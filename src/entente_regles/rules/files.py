"""One rule file read into a :class:`~entente_regles.rules.norms.RuleFile`: every table of the
file through ``reader``, every problem collected on its ``TomlSource``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from entente_regles.core.values import EITHER_PARTY, PARTIES, OptionStatus, Status, Text
from entente_regles.rules.metadata import (
    CrossReference,
    Example,
    Expectation,
    Parameter,
    Permission,
    Precedence,
    Unencoded,
)
from entente_regles.rules.norms import DAYS as _DAYS
from entente_regles.rules.norms import (
    MAX_DAYS,
    Control,
    DemandSpec,
    Effect,
    Notice,
    Power,
    RuleFile,
)
from entente_regles.rules.reader import (
    RuleFileDraft,
    RuleReader,
    T,
    _Table,
    read_tests,
)
from entente_regles.rules.toml_tables import TomlSource


def _many(root: _Table, key: str, build: Callable[[_Table], T]) -> tuple[T, ...]:
    return tuple(root.each(key, build))


def parse_rule_file(loader: RuleReader, source: TomlSource) -> RuleFile:
    name = source.name
    root = source.root()
    draft = RuleFileDraft(name, root.text("article"))

    def power(t: _Table) -> Power:
        act = t.table("acte")
        assert act is not None
        event = loader.event_type(act, "evenement")
        tests = read_tests(act, "si", event)
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
                  t.choice("titulaire", (*PARTIES, EITHER_PARTY)), event.name, tests,
                  loader.effect_spec(effect_table, event), notice, t.path)
        t.done()
        return p

    def effect(t: _Table) -> Effect:
        event = loader.event_type(t, "evenement")
        effect_table = t.table("effet")
        assert effect_table is not None
        e = Effect(t.text("id"), t.text("article", False, draft.article), name, event.name,
                   read_tests(t, "si", event), loader.effect_spec(effect_table, event),
                   t.localized("libelle", required=False), t.path,
                   t.text("exige_controle", required=False))
        t.done()
        return e

    def control(t: _Table) -> Control:
        event = loader.event_type(t, "evenement")
        present = t.boolean("present")
        field = loader.field(t, "champ", event, () if present else ("parties",))
        contains = t._get("contient", (list,), ("une liste", "a list"), not present, [])
        if present and (contains or field is None or not event.fields[field].optional):
            raise t.error("present", "present = true vise un champ facultatif, sans contient",
                          "present = true names an optional field, without contient")
        c = Control(t.text("id"), t.text("article", False, draft.article), name, event.name,
                    field or "", tuple(contains), t.text("code"),
                    t.localized("message") or Text("", ""), t.path, present,
                    t.choice("gravite", ("erreur", "avertissement", "info"), required=False,
                             default="erreur"))
        t.done()
        return c

    def demand(t: _Table) -> DemandSpec:
        event = loader.event_type(t, "evenement")
        d = DemandSpec(t.text("id"), t.text("article", False, draft.article), name,
                       t.localized("libelle") or Text("", ""), t.text("source"), event.name,
                       loader.field(t, "obligation", event, ("texte",)) or "",
                       loader.field(t, "cle", event, required=False),
                       t.choice("par", ("creancier", "debiteur")),
                       loader.field(t, "delai", event, ("entier",), required=False), t.path)
        t.done()
        return d

    def permission(t: _Table) -> Permission:
        p = Permission(t.text("id"), t.text("article", False, draft.article),
                       t.choice("titulaire", (*PARTIES, EITHER_PARTY)),
                       t.localized("libelle") or Text("", ""), t.text("pourquoi_aucune_obligation"))
        t.done()
        return p

    def parameter(t: _Table) -> Parameter:
        value = t._get("valeur", (int, str, bool), ("un entier, texte ou booléen",
                                                    "an integer, string or boolean"), True)
        p = Parameter(t.text("nom"), value, t.boolean("annexe_peut_preciser"), t.text("source"),
                      t.text("article", False, draft.article), name,
                      t.boolean("avenant_peut_modifier"), t.path)
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
                debtor=e.choice("debiteur", (*PARTIES, EITHER_PARTY), required=False),
                policy_late=e.get("retard_politique", (bool,), ("un booléen", "a boolean"),
                                  False),
                absent=e.boolean("absente"),
                known_on=e.get("connu_le", (date,), ("une date", "a date"), False))
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
        pending = []
        for v in t.tables("resiliation_en_cours"):
            pending.append((v._get("au", (date,), ("une date", "a date"), True),
                            v._get("dernier_jour", (date,), ("une date", "a date"), False)))
            v.done()
        agreement = t._get("entente", (dict,), ("une table", "a table"), False, {})
        events = t._get("evenements", (list,), ("une liste d'événements", "a list of events"),
                        False, [])
        ex = Example(t.text("nom"), name, index, agreement, tuple(events), tuple(expected),
                     tuple(diagnostics), tuple(in_force), tuple(pending))
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
        + _many(root, "obligation_continue", lambda t: loader.norm(t, draft, "continue"))
        + _many(root, "faculte", lambda t: loader.norm(t, draft, "faculte")),
        powers=_many(root, "pouvoir", power),
        effects=_many(root, "effet", effect),
        controls=_many(root, "controle", control),
        demands=_many(root, "demeure", demand),
        permissions=_many(root, "permission", permission),
        parameters=_many(root, "parametre", parameter),
        unencoded=_many(root, "non_encode", unencoded),
        cross_references=_many(root, "renvoi", cross_reference),
        examples=_many(root, "exemple", lambda t: example(int(t.path[len("exemple["):-1]), t)),
    )
    root.done()
    return rule_file


_STATUS_CODES = tuple(status.value for status in Status) + tuple(
    status.value for status in OptionStatus)
