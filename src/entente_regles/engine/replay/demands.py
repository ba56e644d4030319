"""The replay's demands: an act of a ``[[demeure]]`` rule puts the debtor of an owed
instance in default (the C.c.Q. mechanism the rule names). A demand changes only the
instances it applies to (their ``demands``)."""

from __future__ import annotations

from collections.abc import Set
from datetime import timedelta

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.event import Event
from entente_regles.core.values import Text
from entente_regles.engine.compiled import DemandSpec
from entente_regles.engine.replay.diagnostics import Diagnostics
from entente_regles.engine.replay.instances import Instances
from entente_regles.engine.replay.records import DemandRecord, Instance
from entente_regles.engine.replay.state import InUse
from entente_regles.words.replay import both, text

ONE_DAY = timedelta(days=1)


class Demands:
    """Demands applied to owed instances."""

    def __init__(self, in_use: InUse, calendar: LegalCalendar, instances: Instances,
                 diagnostics: Diagnostics) -> None:
        self._in_use = in_use
        self._calendar = calendar
        self._instances = instances
        self._diagnostics = diagnostics

    def demand(self, spec: DemandSpec, event: Event, acted_norms: Set[str]) -> None:
        """Put the debtor of an owed instance in default (C.c.Q. mechanism of the rule)."""
        rule_id = str(event.data.get(spec.rule_field, ""))
        key = event.data.get(spec.key_field) if spec.key_field is not None else None
        norm = self._in_use.compiled.norm_by_id.get(rule_id)
        on = event.date
        if norm is not None and norm.kind == "continue":
            if norm.id not in acted_norms:  # a breach by the wrong party, or after the end
                self._no_demand(spec, event, "reference_inconnue", both("no_live_obligation"))
            return
        if norm is None or norm.kind != "obligation":
            self._no_demand(spec, event, "reference_inconnue",
                            both("not_an_obligation", rule=rule_id))
            return
        owed = [i for i in self._instances.all if i.norm is norm and i.triggered_on <= on
                and not i.closed_by(on) and (key is None or i.key == str(key))]
        if not owed:
            self._no_demand(spec, event, "reference_inconnue",
                            both("nothing_owed", rule=rule_id, key=key, on=on))
            return
        allowed = [i for i in owed if _may_act(i, event.by, spec.by)]
        if not allowed:
            by_creditor = spec.by == "creancier"
            who = owed[0].creditor if by_creditor else owed[0].debtor
            self._no_demand(spec, event, "partie_non_habilitee", both(
                "not_the_party", by=event.by, rule=rule_id, key=key or "-",
                role=text("creditor" if by_creditor else "debtor"),
                who=Text(who, who) if who else text("either_party")))
            return
        if key is None and len(allowed) > 1:
            keys = ", ".join(str(i.key) for i in allowed)
            self._no_demand(spec, event, "reference_inconnue",
                            both("key_required", rule=rule_id, keys=keys))
            return
        for inst in allowed:
            self._apply(spec, event, inst)

    def _no_demand(self, spec: DemandSpec, event: Event, code: str,
                   message: tuple[str, str]) -> None:
        self._diagnostics.report(code, spec.article, event.date, message, event=event,
                                 rule=spec.id)

    def _apply(self, spec: DemandSpec, event: Event, inst: Instance) -> None:
        on = event.date
        computation = None
        if spec.delay_field is not None:
            computation = self._calendar.explain_after(event.received_on,
                                                       int(event.data[spec.delay_field]))
            fixed = computation.deadline
        else:
            fixed = on - ONE_DAY  # in default from the act's own date
        party = self._in_default(spec, event, inst)
        current = inst.deadline_on(on)
        if inst.norm.window_only and inst.deadline is not None and on <= inst.deadline:
            current = inst.deadline
        if inst.late_on(on):
            assert current is not None
            inst.demands += (DemandRecord(spec, event, on, None, max(fixed, current) + ONE_DAY,
                                          computation, late_since=current + ONE_DAY,
                                          in_default=party),)
            return
        term_kept = None
        if spec.delay_field is not None and current is not None and current >= fixed:
            term_kept, fixed = current, current
        inst.demands += (DemandRecord(spec, event, on, fixed, fixed + ONE_DAY, computation,
                                      term_kept=term_kept, in_default=party),)

    def _in_default(self, spec: DemandSpec, event: Event, inst: Instance) -> str | None:
        """Who the act puts in default on an instance both parties owe: a demand is made by
        a creditor to its debtor (C.c.Q. 1594–1595), so the party that demanded is not in
        default — the other one is (two parties; with more, the act names no single debtor
        and « parties » stays); a recorded breach puts its author in default (1597)."""
        if inst.debtor is not None or event.by is None:
            return None  # one debtor: it is the one in default; or the act says no one
        if spec.by == "debiteur":
            return event.by
        return self._in_use.compiled.other_party.get(event.by)


def _may_act(inst: Instance, party: str | None, role: str) -> bool:
    """May ``party`` make a demand on ``inst`` (as its creditor) or record its own breach
    (as its debtor)? An instance owed by or to any of the parties accepts any of them."""
    who = inst.creditor if role == "creancier" else inst.debtor
    return who is None or who == party
