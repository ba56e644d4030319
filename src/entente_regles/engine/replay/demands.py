"""The replay's demands: an act of a ``[[demeure]]`` rule puts the debtor of an owed
instance in default (the C.c.Q. mechanism the rule names)."""

from __future__ import annotations

from collections.abc import Set
from datetime import timedelta

from entente_regles.core.event import Event
from entente_regles.engine.compiled import DemandSpec
from entente_regles.engine.replay.instances import Lifecycle
from entente_regles.engine.replay.records import DemandRecord, Instance

ONE_DAY = timedelta(days=1)


class Demands(Lifecycle):
    """Demands applied to owed instances."""

    def demand(self, spec: DemandSpec, event: Event, acted_norms: Set[str]) -> None:
        """Put the debtor of an owed instance in default (C.c.Q. mechanism of the rule)."""
        rule_id = str(event.data.get(spec.rule_field, ""))
        key = event.data.get(spec.key_field) if spec.key_field is not None else None
        norm = self.c.norm_by_id.get(rule_id)
        on = event.date
        if norm is not None and norm.kind == "continue":
            if norm.id not in acted_norms:  # a breach by the wrong party, or after the end
                self._no_demand(spec, event, "reference_inconnue",
                                "aucune obligation ouverte ne correspond à cet événement "
                                "(clé, règle ou partie)",
                                "no live obligation matches this event (key, rule or party)")
            return
        if norm is None or norm.kind != "obligation":
            self._no_demand(spec, event, "reference_inconnue",
                            f"{rule_id!r} n'est pas une obligation de l'entente : sans effet",
                            f"{rule_id!r} is not an obligation of the agreement: no effect")
            return
        owed = [i for i in self.instances if i.norm is norm and i.triggered_on <= on
                and not i.closed_by(on) and (key is None or i.key == str(key))]
        if not owed:
            self._no_demand(spec, event, "reference_inconnue",
                            f"aucune instance due de {rule_id} pour la clé {key!r} le {on} : "
                            "sans effet", f"no owed instance of {rule_id} for key {key!r} on "
                            f"{on}: no effect")
            return
        role = "creancier" if spec.by == "creancier" else "debiteur"
        role_en = "creditor" if spec.by == "creancier" else "debtor"
        allowed = [i for i in owed if _may_act(i, event.by, spec.by)]
        if not allowed:
            who = owed[0].creditor if spec.by == "creancier" else owed[0].debtor
            self._no_demand(spec, event, "partie_non_habilitee",
                            f"{event.by} n'est pas {role} de {rule_id} ({key or '-'}) "
                            f"({role} : {who or 'parties'}) : sans effet",
                            f"{event.by} is not the {role_en} of {rule_id} ({key or '-'}) "
                            f"({who or 'both parties'}): no effect")
            return
        if key is None and len(allowed) > 1:
            keys = ", ".join(str(i.key) for i in allowed)
            self._no_demand(spec, event, "reference_inconnue",
                            f"plusieurs instances dues de {rule_id} ({keys}) : la clé est "
                            "requise ; sans effet", f"several owed instances of {rule_id} "
                            f"({keys}): the key is required; no effect")
            return
        for inst in allowed:
            self._apply_demand(spec, event, inst)

    def _no_demand(self, spec: DemandSpec, event: Event, code: str, fr: str, en: str) -> None:
        self.diag(code, spec.article, event.date, fr, en, event=event, rule=spec.id)

    def _apply_demand(self, spec: DemandSpec, event: Event, inst: Instance) -> None:
        on = event.date
        computation = None
        if spec.delay_field is not None:
            computation = self.cal.explain_after(event.received_on,
                                                 int(event.data[spec.delay_field]))
            fixed = computation.deadline
        else:
            fixed = on - ONE_DAY  # in default from the act's own date
        current = inst.deadline_on(on)
        if inst.norm.window_only and inst.deadline is not None and on <= inst.deadline:
            current = inst.deadline
        if inst.late_on(on):
            assert current is not None
            inst.demands += (DemandRecord(spec, event, on, None, max(fixed, current) + ONE_DAY,
                                          computation, late_since=current + ONE_DAY),)
            return
        term_kept = None
        if spec.delay_field is not None and current is not None and current >= fixed:
            term_kept, fixed = current, current
        inst.demands += (DemandRecord(spec, event, on, fixed, fixed + ONE_DAY, computation,
                                      term_kept=term_kept),)

def _may_act(inst: Instance, party: str | None, role: str) -> bool:
    """May ``party`` make a demand on ``inst`` (as its creditor) or record its own breach
    (as its debtor)? An instance owed by or to both parties accepts either."""
    who = inst.creditor if role == "creancier" else inst.debtor
    return who is None or who == party

