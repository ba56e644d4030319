"""What a suspension did to an instance, as known on a date (decision 69): since when it is
suspended, how many days its deadline stood still, and the lines of its explanation.

Reads only the spells begun on or before the date asked, and their ends on or before it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from entente_regles.core.values import Lang
from entente_regles.engine.replay import InstanceRecord
from entente_regles.words.explanations import plural, say


def suspended_since(inst: InstanceRecord, on: date) -> date | None:
    """The first day of the suspension in course on ``on`` (None: not suspended then)."""
    if not inst.suspensions:
        return None
    spell = inst.suspended_on(on)
    return None if spell is None else spell.start


def days_suspended(inst: InstanceRecord, on: date) -> int | None:
    """The days its deadline stood still, by suspensions ended on or before ``on`` and the
    one in course (its days so far); None when never suspended by ``on``."""
    if not inst.suspensions:  # most instances: read for every record, at every date
        return None
    spells = [s for s in inst.suspensions if s.start <= on]
    if not spells:
        return None
    return sum(((s.end if s.end is not None and s.end <= on else on) - s.start).days
               for s in spells)


def suspension_reason(inst: InstanceRecord, on: date, lang: Lang) -> str:
    """The status line's reason for a suspended instance."""
    start = suspended_since(inst, on)
    return "" if start is None else say("suspended_since", lang, start=start)


def suspension_lines(inst: InstanceRecord, on: date, lang: Lang) -> list[str]:
    """Each suspension known on ``on``: when, by which act, the days left then; and its
    resumption (when, how, the days suspended and the moved deadline)."""
    lines = []
    for spell in inst.suspensions:
        if spell.start > on:
            continue
        event = spell.event.describe(lang)
        if spell.base is not None:
            left = (spell.base - spell.start).days  # as « days before the deadline » said
            lines.append(say("suspended", lang, start=spell.start, label=spell.label(lang),
                             article=spell.article, event=event, base=spell.base,
                             days=left, plural=plural(left), verb="ent" if left > 1 else "t"))
        else:
            lines.append(say("suspended_undated", lang, start=spell.start,
                             label=spell.label(lang), article=spell.article, event=event))
        if spell.end is None or spell.end > on:
            continue
        how = say("resumed_by_lapse", lang) if spell.resumed_by is None else say(
            "resumed_by_act", lang, event=spell.resumed_by.describe(lang),
            article=spell.resume_article)
        days = (spell.end - spell.start).days
        first = inst.suspensions[0]
        if spell.moved is not None and spell.working_days and spell.counted is not None:
            lines.append("  " + say("resumed_working", lang, end=spell.end, how=how,
                                    days=days, plural=plural(days), moved=spell.moved,
                                    counted=spell.counted, base=first.base,
                                    counted_plural=plural(spell.counted)))
        elif spell.moved is not None and spell.computation is not None:
            lines.append("  " + say("resumed", lang, end=spell.end, how=how, days=days,
                                    plural=plural(days), moved=spell.moved,
                                    computation=spell.computation.describe(lang)))
        else:
            lines.append("  " + say("resumed_undated", lang, end=spell.end, how=how,
                                    days=days, plural=plural(days)))
    return lines


def agenda_deadlines(inst: InstanceRecord, known: date
                     ) -> Iterator[tuple[str, date, tuple[str, ...]]]:
    """The agenda's deadline of an instance suspended by ``known``: none while the
    suspension lasts; once resumed, the deadline as moved (told apart by the day it was
    resumed)."""
    if inst.suspended_on(known) is not None:
        return
    deadline = inst.deadline_on(known)
    if deadline is None:
        return
    ended = [s.end for s in inst.suspensions if s.end is not None and s.end <= known]
    yield "echeance", deadline, ("reprise", max(ended).isoformat()) if ended else ()


__all__ = ["agenda_deadlines", "days_suspended", "suspended_since", "suspension_lines",
           "suspension_reason"]
