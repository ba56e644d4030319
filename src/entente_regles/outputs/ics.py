"""The agenda as an iCalendar file (RFC 5545), written with the ``icalendar`` library.

One all-day VEVENT per agenda item:

- ``UID``: a digest of the client and the item's identity (kind, rule, key, and the date
  that defines the item), so re-importing an updated file updates events instead of
  duplicating them;
- ``SUMMARY`` in the chosen language, ``DESCRIPTION`` the item's explanation (with its
  article), ``CATEGORIES`` the item's kind and, for an instance, its status code;
- a ``VALARM`` (display) a number of **working days** before, counted with the agreement's
  legal calendar (Quebec holidays and the policy's closures);
- ``DTSTAMP`` is the window's first day at 00:00 UTC, never the clock: the same input gives
  a byte-identical file.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.textsafe import visible
from entente_regles.core.values import Lang
from entente_regles.query.agenda import Agenda, AgendaItem
from entente_regles.words.reports import MESSAGES, WORDS

PRODID = "-//entente-regles//agenda//FR"
DEFAULT_ALARM_DAYS = 5


def uid(item: AgendaItem, client: str) -> str:
    """The item's UID for ``client``: stable across runs and across agenda windows."""
    digest = hashlib.sha256("\x1f".join((client, *item.ident)).encode("utf-8")).hexdigest()
    return f"{digest[:32]}@entente-regles"


def working_days_before(calendar: LegalCalendar, day: date, count: int) -> date:
    """The date ``count`` working days before ``day`` (``day`` itself not counted)."""
    if count < 0:
        raise ValueError(f"jours ouvrables : {count} < 0 / working days: {count} < 0")
    current = day
    while count:
        current -= timedelta(days=1)
        if calendar.is_working_day(current):
            count -= 1
    return current


def agenda_to_ics(agenda: Agenda, client: str, calendar: LegalCalendar, lang: Lang = "fr",
                  alarm_days: int = DEFAULT_ALARM_DAYS) -> bytes:
    """The iCalendar file of ``agenda`` (bytes, CRLF line ends as RFC 5545 requires)."""
    if alarm_days < 0:
        raise ValueError(f"rappel : {alarm_days} jours < 0 / alarm: {alarm_days} days < 0")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    title = agenda.presentation.title(lang) or WORDS.say("title", lang)
    cal.add("x-wr-calname", visible(MESSAGES.say("calendar_name", lang, client=client,
                                                 title=title)))
    stamp = datetime(agenda.start.year, agenda.start.month, agenda.start.day, tzinfo=UTC)
    for item in agenda:
        event = Event()
        event.add("uid", uid(item, client))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        event.add("summary", visible(MESSAGES.say("event_summary", lang, client=client,
                                                  title=item.title(lang))))
        # RFC 5545 forbids control characters in text: the explanation's own line breaks
        # stay (escaped by the library as \n), every other control or invisible character
        # becomes a visible escape.
        event.add("description", visible(item.explain(lang), keep_newlines=True))
        categories = [item.kind] + ([item.status.value] if item.status is not None else [])
        event.add("categories", categories)
        event.add("transp", "TRANSPARENT")
        if alarm_days:
            before = working_days_before(calendar, item.on, alarm_days)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", visible(item.title(lang)))
            alarm.add("trigger", -(item.on - before))
            event.add_component(alarm)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


__all__ = ["DEFAULT_ALARM_DAYS", "PRODID", "agenda_to_ics", "uid", "working_days_before"]
