"""The replay's powers and effects: a power exercised (by its holder, with the notice the rule
requires), and what an effect changes: the agreement's end, a service withdrawn or added,
a note in a service's history."""

from __future__ import annotations

from datetime import date, timedelta

from entente_regles.core.event import Event
from entente_regles.core.values import EITHER_PARTY, Text
from entente_regles.engine.compiled import Control, EffectAction, EffectSpec, Power
from entente_regles.engine.replay.items import EndAgreement, EndService, StartService
from entente_regles.engine.replay.periods import Periods
from entente_regles.engine.replay.records import EffectRecord, ServiceState, TerminationNotice

ONE_DAY = timedelta(days=1)


class Effects(Periods):
    """Powers exercised and effects applied."""

    def exercise(self, power: Power, event: Event) -> bool:
        if power.holder != EITHER_PARTY and event.by != power.holder:
            self.diag("pouvoir_non_detenu", power.article, event.date,
                      f"{event.by} ne détient pas le pouvoir « {power.label.fr} » "
                      f"(titulaire : {power.holder}) : acte sans effet",
                      f"{event.by} does not hold the power '{power.label.en}' "
                      f"(holder: {power.holder}): the act has no effect",
                      severity="erreur", event=event, rule=power.id)
            return False
        try:
            effect_on = self._effect_date(power, event)
        except OverflowError:  # BeyondCalendar, or Python's own date overflow
            self.diag("effet_hors_calendrier", power.article, event.date,
                      f"« {power.label.fr} » prendrait effet au-delà du calendrier (après le "
                      f"{date.max}) : sans effet avant", f"'{power.label.en}' would take effect "
                      f"beyond the calendar (after {date.max}): no effect before",
                      event=event, rule=power.id)
            return True
        self.effect_of = (event, effect_on)
        self.apply_effect(power.effect, event, power.article, effect_on, power.label)
        return True

    def _effect_date(self, power: Power, event: Event) -> date:
        """When an exercise of ``power`` takes effect, with the notice the rule requires
        (a non-conforming notice is corrected by law and reported)."""
        effect_on = self.field_date(power.effect, event)
        notice = power.notice
        if notice is not None:
            days = self.c.param(notice.days, event.received_on)
            received = event.received_on
            if notice.before_field is not None:
                proposed = event.data[notice.before_field]
                latest = self.cal.before(proposed, days)
                if received > latest:
                    effect_on = received + timedelta(days=days)
                    while self.cal.before(effect_on, days) < received:
                        effect_on += ONE_DAY
                    self.diag("preavis_tardif", power.article, event.date,
                              f"avis reçu le {received}, après le {latest} (au moins {days} jours "
                              f"avant le {proposed}) : prise d'effet reportée au {effect_on}",
                              f"notice received on {received}, after {latest} (at least {days} "
                              f"days before {proposed}): takes effect on {effect_on} instead",
                              event=event, rule=power.id)
                else:
                    effect_on = proposed
            else:
                earliest = received + timedelta(days=days + 1)
                proposed = effect_on if power.effect.date_field in event.data else earliest
                if proposed < earliest:
                    self.diag("preavis_insuffisant", power.article, event.date,
                              f"date d'effet demandée {proposed} avant le délai minimum de "
                              f"{days} jours suivant la réception ({received}) : prend effet "
                              f"le {earliest}",
                              f"requested effective date {proposed} is before the {days}-day "
                              f"minimum after receipt ({received}): takes effect on {earliest}",
                              event=event, rule=power.id)
                effect_on = max(proposed, earliest)
        return effect_on

    def field_date(self, spec: EffectSpec, event: Event) -> date:
        if spec.date_field is not None and spec.date_field in event.data:
            value = event.data[spec.date_field]
            assert isinstance(value, date)
            return value
        return event.date

    def apply_effect(self, spec: EffectSpec, event: Event, article: str, on: date,
                     label: Text | None = None) -> None:
        """Apply an effect dated ``on``. A date agreed before the event (retroactive) takes
        effect on that date, at once: what was done by the event's date stays done, what was
        still owed then and depended on the changed state is discharged from the agreed date
        (see the end handlers)."""
        if spec.action is EffectAction.AMEND:
            return  # dated parameters, read from the log before the walk (amendments.py)
        retroactive = on < event.date
        if retroactive:
            self.diag("effet_retroactif", article, event.date,
                      f"date d'effet convenue {on} antérieure à l'événement : l'effet est "
                      f"rétroactif au {on} ; ce qui était accompli le {event.date} demeure",
                      f"agreed effective date {on} is before the event: the effect is "
                      f"retroactive to {on}; what was done by {event.date} stands",
                      severity="info", event=event)
        service = None if spec.service_field is None else str(event.data[spec.service_field])
        if spec.action is EffectAction.END_AGREEMENT:
            self.decide_end(EffectRecord(on, spec.action, article, event, service, label),
                            retroactive)
            return
        assert service is not None
        self.effects.append(EffectRecord(on, spec.action, article, event, service, label))
        match spec.action:
            case EffectAction.END_SERVICE if retroactive:
                self.end_service(on, service, event, article)
            case EffectAction.END_SERVICE:
                self.schedule(on, EndService(service, event, article))
            case EffectAction.START_SERVICE if retroactive:
                self.start_service(on, service, event)
            case EffectAction.START_SERVICE:
                self.schedule(on, StartService(service, event))
            case EffectAction.SERVICE_NOTE:
                state = self.services.get(service)
                if state is not None:
                    note = label or Text(event.type, event.type)
                    state.history.append((on, Text(f"{note.fr} (art. {article})",
                                                   f"{note.en} (art. {article})")))

    def decide_end(self, effect: EffectRecord, retroactive: bool) -> None:
        """``effect`` ends the agreement on its date (the first day without it), unless an
        end already fixed comes first."""
        on, event, article = effect.on, effect.event, effect.article
        if self.end is not None and self.end <= on:
            self.terminations.append(TerminationNotice(event, article, self.end))
            self.diag("resiliation_deja_prevue", article, event.date,
                      f"la fin de l'entente est déjà fixée au {self.end}",
                      f"the agreement already ends on {self.end}", severity="info",
                      event=event)
            return
        self.effects.append(effect)
        self.end, self.end_event = on, event
        self.terminations.append(TerminationNotice(event, article, on))
        if retroactive:
            self.end_agreement(on, event, article)
        else:
            self.schedule(on, EndAgreement(event, article))

    def control(self, control: Control, event: Event) -> None:
        missing = control.missing(event)
        if missing:
            self.diag(control.code, control.article, event.date,
                      f"{control.message.fr} (manque : {', '.join(missing)})",
                      f"{control.message.en} (missing: {', '.join(missing)})",
                      severity=control.severity, event=event, rule=control.id)

    def end_agreement(self, on: date, event: Event, article: str) -> None:
        if self.end != on:
            return  # superseded by an earlier end
        reason = Text(f"fin de l'entente le {on} (art. {article})",
                      f"agreement ended on {on} (art. {article})")
        settled = max(on, event.date)  # a retroactive end leaves what was done by then
        for inst in self.instances:
            if not inst.survives:
                self.end_for_the_future(inst, on, reason, settled)
        for state in self.services.values():
            state.end_at(on)
        self.close_periods(on)

    def end_service(self, on: date, service: str, event: Event, article: str) -> None:
        # A service this replay never saw start is not invented here: it would then appear
        # to have been in force since entry into force, before the withdrawal was known.
        state = self.services.get(service)
        if state is not None and not state.end_at(on):
            return
        if state is not None:
            state.history.append((on, Text(f"retrait du service (art. {article})",
                                       f"service withdrawn (art. {article})")))
        reason = Text(f"retrait du service {service} le {on} (art. {article})",
                      f"service {service} withdrawn on {on} (art. {article})")
        settled = max(on, event.date)  # a retroactive withdrawal leaves what was done by then
        for inst in self.instances:
            if inst.service == service and not inst.norm.survives_withdrawal:
                self.end_for_the_future(inst, on, reason, settled)

    def start_service(self, on: date, service: str, event: Event) -> None:
        if not self.in_force(on):
            return
        state = self.services.setdefault(service, ServiceState(service, []))
        state.start_at(on)
        state.history.append((on, Text("ajout du service", "service added")))

