"""Explanations: why an instance has its status on a date, in words.

Every sentence comes from the message table (``words.explanations``); this module only chooses which
ones apply, from the replay's records."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from datetime import date

from entente_regles.core.textsafe import visible
from entente_regles.core.values import (
    BREACHED,
    DISCHARGED,
    DUE,
    EITHER_PARTY,
    EXERCISED,
    EXPIRED,
    LATE,
    SUSPENDED,
    Lang,
    OptionStatus,
    Status,
)
from entente_regles.engine.replay import InstanceRecord
from entente_regles.engine.replay.held import held_on
from entente_regles.query.interest import money_lines
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.query.status import in_default_at
from entente_regles.query.suspended import suspension_lines, suspension_reason
from entente_regles.words.explanations import plural, say


def party_label(party: str | None) -> str:
    """A party as data holds it: its id, ``parties`` when an instance is owed by or to both
    (what people read is ``Presentation.party``: the party's short label)."""
    return party if party is not None else EITHER_PARTY


def explain(inst: InstanceRecord, on: date, status: Status, lang: Lang = "fr",
            shown: Presentation = PLAIN) -> str:
    """Why ``inst`` (an obligation) has ``status`` on ``on``: title, parties, origin,
    deadline and how it was computed, demands, payments, performance or end, source. User
    text (keys, event fields) is made visible, so the text is safe to print. ``shown``:
    the agreement's currency, locales and party labels."""
    norm = inst.norm
    lines = [_title(inst, lang),
             say("parties", lang, debtor=shown.party(inst.debtor, lang),
                 creditor=shown.party(inst.creditor, lang)),
             say("status", lang, on=on, status=status.label(lang),
                 reason=_status_reason(inst, on, status, lang, shown))]
    lines += _origin(inst, lang, "arose_from", "arose")
    lines += _deadline_lines(inst, lang)
    if norm.window_only and inst.deadline is not None and on > inst.deadline \
            and norm.on_expiry is not None:
        lines.append(say("time_ran_out", lang, deadline=inst.deadline,
                         consequence=norm.on_expiry(lang)))
    lines += _demand_lines(inst, on, lang)
    lines += suspension_lines(inst, on, lang)  # decision 69
    wording = norm.deadline.wording if norm.deadline is not None else None
    if inst.standard is not None and wording is not None:  # the rule book's wording
        lines.append(say("standard", lang, wording=wording(lang)))
        if inst.policy_deadline is not None:
            late = status is DUE and on > inst.policy_deadline
            lines.append(say("policy", lang, deadline=inst.policy_deadline)
                         + (say("policy_passed", lang) if late else ""))
    lines += _amount_lines(inst, on, lang, shown)
    lines += _closing_lines(inst, on, lang)
    lines.append(say("source", lang, file=norm.file))
    return "\n".join(visible(line) for line in lines)


def _deadline_lines(inst: InstanceRecord, lang: Lang) -> list[str]:
    lines = []
    if inst.computation is not None:
        lines.append(say("deadline_how", lang, deadline=inst.deadline,
                         how=inst.computation.describe(lang)))
    elif inst.deadline is not None:
        lines.append(say("deadline", lang, deadline=inst.deadline)
                     + (f" — {inst.deadline_note(lang)}" if inst.deadline_note else ""))
    elif inst.deadline_note is not None:  # no date: e.g. beyond the calendar
        lines.append(say("deadline_note", lang, note=inst.deadline_note(lang)))
    if inst.deadline_note is not None and inst.computation is not None:
        lines.append("  " + inst.deadline_note(lang))
    if inst.amendment is not None:
        lines.append(say("amended", lang, amendment=inst.amendment.describe(lang)))
        ident = amendment_ident(inst.amendment.event.data)
        if ident:
            lines.append(say("amended_ident", lang, ident=ident))
    return lines


def amendment_ident(data: Mapping[str, object]) -> str:
    """How an amendment event names itself: its text fields (``name=value``, in name order),
    e.g. the amendment's number; the rule book's event type says which fields are text, so
    no field name is assumed here. Empty when the event carries no text field."""
    return ", ".join(f"{name}={value}" for name, value in sorted(data.items())
                     if isinstance(value, str) and value.strip())


def _amount_lines(inst: InstanceRecord, on: date, lang: Lang,
                  shown: Presentation) -> list[str]:
    if inst.amount is None:
        return []
    total = inst.paid_by(on)
    lines = [say("amount", lang, amount=shown.amount(inst.amount, lang),
                 paid=shown.amount(total, lang),
                 balance=shown.amount(inst.amount - total, lang))]
    credits = {id(h.release_event) for h in inst.holds if h.release_event is not None}
    for p in inst.payments[:bisect_right(inst.payments, on, key=lambda p: p.on)]:
        lines.append(say("credit" if id(p.event) in credits else "payment", lang, on=p.on,
                         amount=shown.amount(p.amount, lang), event=p.event.describe(lang)))
    return lines + hold_lines(inst, on, lang, shown) + money_lines(inst, on, lang, shown)


def hold_lines(inst: InstanceRecord, on: date, lang: Lang, shown: Presentation) -> list[str]:
    """The parts of the balance held back by a dispute, and their releases (decision 71)."""
    lines = []
    held = held_on(inst, on)
    if held:
        lines.append(say("held_note", lang, amount=shown.amount(held, lang)))
    for hold in inst.holds:
        if hold.opened_on > on:
            continue
        lines.append(say("held", lang, on=hold.opened_on, amount=shown.amount(hold.amount, lang),
                         event=hold.event.describe(lang)))
        if hold.released_on is not None and hold.released_on <= on \
                and hold.release_event is not None:
            lines.append(say("released", lang, on=hold.released_on,
                             payable=shown.amount(hold.payable, lang), due=hold.due,
                             credit=shown.amount(hold.amount - hold.payable, lang),
                             event=hold.release_event.describe(lang)))
    return lines


def _closing_lines(inst: InstanceRecord, on: date, lang: Lang) -> list[str]:
    """Performance, end, breach, the end it outlived, survival."""
    lines = []
    if inst.performed_on is not None and inst.performed_on <= on and inst.performed_by:
        lines.append(say("performed", lang, on=inst.performed_on,
                         event=inst.performed_by.describe(lang)))
        if inst.performed_on < inst.triggered_on:  # an act done in advance (decision 72)
            lines.append(say("performed_in_advance", lang, on=inst.triggered_on))
    if inst.ended_on is not None and inst.ended_on <= on and inst.end_reason is not None:
        lines.append(say("discharged", lang, on=inst.ended_on, reason=inst.end_reason(lang)))
    if inst.breached_on is not None and inst.breached_on <= on and inst.breach_event:
        lines.append(say("breached", lang, on=inst.breached_on,
                         event=inst.breach_event.describe(lang)))
    if inst.outlived is not None and inst.outlived[0] <= on:
        ended, reason = inst.outlived
        lines.append(say("outlived", lang, reason=reason(lang), ended=ended))
    if inst.survives:
        lines.append(say("survives", lang))
    return lines


def _title(inst: InstanceRecord, lang: Lang) -> str:
    norm = inst.norm
    key = "" if inst.key is None else say("key", lang, key=inst.key)
    return f"Art. {norm.article} — {norm.label(lang)} ({norm.id}){key}"


def _origin(inst: InstanceRecord, lang: Lang, by_event: str, by_origin: str) -> list[str]:
    """How it arose (or opened): its trigger event, or its origin (period, expiry…)."""
    if inst.trigger_event is not None and inst.origin is None:
        return [say(by_event, lang, on=inst.triggered_on,
                    event=inst.trigger_event.describe(lang))]
    if inst.origin is not None:
        return [say(by_origin, lang, on=inst.triggered_on, origin=inst.origin(lang))]
    return []


def _demand_lines(inst: InstanceRecord, on: date, lang: Lang) -> list[str]:
    """What each demand (or recorded breach) known by ``on`` did to the instance."""
    lines = []
    for record in inst.demands:
        if record.known_on > on:
            continue
        spec, event = record.spec, record.event
        lines.append(say("demand", lang, label=spec.label(lang), article=spec.article,
                         source=spec.source, event=event.describe(lang)))
        if record.computation is not None:
            lines.append(say("demand_received", lang, received=event.received_on,
                             deadline=record.computation.deadline,
                             how=record.computation.describe(lang)))
            if event.received is None:
                lines.append(say("receipt_presumed", lang))
        if record.late_since is not None:
            lines.append(say("already_late", lang, since=record.late_since,
                             default=record.in_default_on))
        elif record.term_kept is not None:
            lines.append(say("term_kept", lang, term=record.term_kept,
                             default=record.in_default_on))
        else:
            lines.append(say("in_default", lang, default=record.in_default_on))
    return lines


def explain_option(inst: InstanceRecord, on: date, status: OptionStatus, lang: Lang = "fr",
                   shown: Presentation = PLAIN) -> str:
    """Why a faculty has ``status`` on ``on``: its window, its exercise or expiry. User text
    is made visible, as in :func:`explain`."""
    norm = inst.norm
    lines = [_title(inst, lang),
             say("faculty_of", lang, holder=shown.party(inst.debtor, lang)),
             say("status", lang, on=on, status=status.label(lang), reason="")]
    lines += _origin(inst, lang, "opened_by", "opened")
    closes = inst.closes_on(on)  # an end closes the window early (decision 39)
    if closes is not None:
        lines.append(say("window", lang, deadline=closes)
                     + (f" — {inst.deadline_note(lang)}"
                        if inst.deadline_note and closes == inst.deadline else ""))
    elif inst.deadline_note is not None:  # no date: e.g. beyond the calendar
        lines.append(say("window_note", lang, note=inst.deadline_note(lang)))
    if inst.condition is not None:
        lines.append(say("available_while", lang, condition=inst.condition(lang)))
    if status is EXERCISED and inst.performed_by is not None:
        lines.append(say("exercised", lang, on=inst.performed_on,
                         event=inst.performed_by.describe(lang)))
        if norm.on_exercise is not None:
            lines.append(say("effect", lang, effect=norm.on_exercise(lang)))
    elif status is EXPIRED:
        reason = inst.end_reason if inst.ended_on is not None and inst.ended_on <= on \
            else norm.on_expiry
        said = None if reason is None else reason(lang)
        if (closes is None or on <= closes) and not inst.available_on(on) \
                and inst.condition is not None:
            said = say("condition_fails", lang, condition=inst.condition(lang))
        lines.append(say("expired", lang, reason="" if said is None
                         else say("expired_reason", lang, reason=said)))
    lines.append(say("source", lang, file=norm.file))
    return "\n".join(visible(line) for line in lines)


def _status_reason(inst: InstanceRecord, on: date, status: Status, lang: Lang,
                   shown: Presentation) -> str:
    deadline = inst.deadline_on(on)
    if status is LATE and deadline is not None:
        days = (on - deadline).days
        return say("late_by", lang, deadline=deadline, days=days, plural=plural(days),
                   debtor=shown.party(in_default_at(inst, on), lang))
    if status is DUE and deadline is not None and on > deadline and inst.holds:
        return say("held_not_late", lang, deadline=deadline)  # decision 71
    if status is DUE and deadline is not None:
        days = (deadline - on).days
        return say("days_left", lang, days=days, plural=plural(days))
    if status is BREACHED:
        return say("at_fault", lang, debtor=shown.party(in_default_at(inst, on), lang))
    if status is DISCHARGED:
        return say("no_fault", lang)
    if status is SUSPENDED:
        return suspension_reason(inst, on, lang)
    return ""



def no_instance(rule: str, key: str | None, on: date, lang: Lang = "fr") -> str:
    """What ``explain`` answers when no instance of ``rule`` with ``key`` exists on ``on``
    (the words asked for made visible: they echo the command line)."""
    if key is None:
        return visible(say("no_instance_any", lang, rule=rule, on=on))
    return visible(say("no_instance", lang, rule=rule, key=key, on=on))


def termination_pending(article: str, by: str | None, received: date, last_day: date,
                        lang: Lang = "fr", shown: Presentation = PLAIN) -> str:
    """One line: a pending termination, its article, notice and last day in force."""
    return say("termination_pending", lang, article=article,
               by=by if by is None else shown.party(by, lang), received=received,
               last_day=last_day)


__all__ = ["amendment_ident", "explain", "explain_option", "no_instance", "party_label",
           "termination_pending"]
