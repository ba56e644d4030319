"""The agenda as an iCalendar file (RFC 5545), written with the ``icalendar`` library.

One all-day VEVENT per agenda item, plus one per instance late on the date asked:

- ``UID``: a digest of the client and the item's identity (kind, rule, key, and the date
  that defines the item), so re-importing an updated file updates events instead of
  duplicating them; an overdue item keeps one UID while it stays late (it moves from day to
  day);
- ``SUMMARY`` in the chosen language: the item, its amount or balance for money, its status
  in words; ``DESCRIPTION`` the item's explanation (with its article; the log is named by its
  file name, never by a path of the machine); ``CATEGORIES`` the item's kind and status in
  words; ``X-ENTENTE-REGLES-KIND`` the kind's code (``retard`` for an overdue item);
- ``SEQUENCE`` the number of acts that changed the item (payments, performance, demands,
  breach, end; for an overdue item, also each day it moved), ``LAST-MODIFIED`` the latest
  date that changed it (decision 51): derived from the data, never from the clock;
- a ``VALARM`` (display) a number of **working days** before, counted with the agreement's
  legal calendar, never before the item was known (decision 50);
- ``ATTENDEE`` / ``ORGANIZER`` from the responsables the agreement file names;
- ``DTSTAMP`` is the date asked (else the window's first day) at 00:00 UTC, never the clock:
  the same input gives a byte-identical file.

Given the previous file (``--precedent``), every event of it that no longer applies is sent
again as ``STATUS:CANCELLED`` with its ``SEQUENCE`` incremented (RFC 5546), and an event
whose content changed gets a ``SEQUENCE`` above the previous one (decision 51).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
from icalendar import Alarm, Calendar, Component, Event, vCalAddress, vText

from entente_regles.calendar.legal import LegalCalendar
from entente_regles.core.errors import ErrorLocation, InputError
from entente_regles.core.textsafe import visible
from entente_regles.core.values import EITHER_PARTY, Lang
from entente_regles.query.agenda import Agenda, AgendaItem
from entente_regles.query.obligations import Obligation, Option
from entente_regles.rules.agreement_file import Responsable
from entente_regles.words.agenda import ICS
from entente_regles.words.agenda import KINDS as KIND_WORDS
from entente_regles.words.reports import MESSAGES, WORDS

if TYPE_CHECKING:
    from entente_regles.engine.replay.records import InstanceRecord
    from entente_regles.query.evaluation import Evaluation
    from entente_regles.query.snapshot import Snapshot

PRODID = "-//entente-regles//agenda//FR"
DEFAULT_ALARM_DAYS = 5
UID_DOMAIN = "@entente-regles"
LATE_KIND = "retard"  # the kind code of an instance late on the date asked
KIND_PROPERTY = "X-ENTENTE-REGLES-KIND"
_INSTANCE_KINDS = frozenset({"echeance", "echeance_politique", "fin_faculte"})
# The properties whose change is an update of the event (SEQUENCE goes up).
_CONTENT = ("DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "CATEGORIES", "STATUS", "ATTENDEE",
            "ORGANIZER")


def uid(item: AgendaItem, client: str) -> str:
    """The item's UID for ``client``: stable across runs and across agenda windows."""
    return _uid(client, item.ident)


def _uid(client: str, ident: Iterable[str]) -> str:
    digest = hashlib.sha256("\x1f".join((client, *ident)).encode("utf-8")).hexdigest()
    return f"{digest[:32]}{UID_DOMAIN}"


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


def alarm_day(calendar: LegalCalendar, day: date, count: int, known_from: date) -> date | None:
    """The day of the reminder for an item on ``day``: ``count`` working days before, but
    never before ``known_from``, the day the item became known (decision 50); None when the
    item became known only after its own day (no reminder then)."""
    if known_from > day:
        return None
    return max(working_days_before(calendar, day, count), known_from)


# --------------------------------------------------------------------------- the previous file


@attrs.frozen
class PreviousEvent:
    """One event of the previous file: its ``SEQUENCE``, whether it was cancelled, its day,
    its kind code, and the event itself (to be sent again, cancelled)."""

    uid: str
    sequence: int
    cancelled: bool
    on: date | None
    kind: str | None
    event: Component = attrs.field(eq=False, repr=False)


def read_previous(data: bytes, file: str) -> dict[str, PreviousEvent]:
    """The events of a previous .ics file written by this program (``--precedent``), by UID;
    events whose UID is not one of ours are left alone. A file that is not an iCalendar
    calendar, an event without a UID or with an unreadable ``SEQUENCE`` or ``DTSTART`` raises
    :class:`InputError` naming ``file`` and what was expected."""
    where = ErrorLocation(file)
    try:
        parsed = Calendar.from_ical(data)
    except (ValueError, UnicodeDecodeError, IndexError, KeyError) as exc:
        reason = visible(str(exc))[:200]
        raise InputError(where, ICS.say("previous_unreadable", "fr", reason=reason),
                         ICS.say("previous_unreadable", "en", reason=reason)) from None
    if not isinstance(parsed, Calendar) or parsed.name != "VCALENDAR":
        found = visible(str(getattr(parsed, "name", type(parsed).__name__)))
        raise InputError(where, ICS.say("previous_not_calendar", "fr", found=found),
                         ICS.say("previous_not_calendar", "en", found=found))
    events: dict[str, PreviousEvent] = {}
    for index, event in enumerate(parsed.walk("VEVENT"), start=1):
        if "UID" not in event:
            raise InputError(where, ICS.say("previous_no_uid", "fr", index=index),
                             ICS.say("previous_no_uid", "en", index=index))
        key = str(event["UID"])
        if not key.endswith(UID_DOMAIN):
            continue  # not one of ours: never cancelled here
        events[key] = _previous_event(event, key, where)
    return events


def _previous_event(event: Component, key: str, where: ErrorLocation) -> PreviousEvent:
    def bad(name: str, reason: str) -> InputError:
        shown = visible(key)
        return InputError(where, ICS.say("previous_bad_value", "fr", uid=shown, name=name,
                                         reason=reason),
                          ICS.say("previous_bad_value", "en", uid=shown, name=name,
                                  reason=reason))
    try:
        sequence = int(str(event.get("SEQUENCE", 0)))
    except ValueError:
        raise bad("SEQUENCE", "un entier / an integer") from None
    if sequence < 0:
        raise bad("SEQUENCE", "un entier ≥ 0 / an integer ≥ 0")
    on: date | None = None
    if "DTSTART" in event:
        try:
            value = event.decoded("DTSTART")
        except (ValueError, TypeError):
            raise bad("DTSTART", "une date / a date") from None
        if isinstance(value, datetime):
            on = value.date()
        elif isinstance(value, date):
            on = value
    kind = event.get(KIND_PROPERTY)
    return PreviousEvent(key, sequence, str(event.get("STATUS", "")).upper() == "CANCELLED",
                         on, None if kind is None else str(kind), event)


# --------------------------------------------------------------------------- what changed


@attrs.frozen
class Revision:
    """How often an item changed (``sequence``) and when it last did (``modified``), and the
    day it became known (``known_from``: no reminder before it)."""

    sequence: int
    modified: date
    known_from: date


def instance_revision(record: InstanceRecord, bound: date) -> Revision:
    """The revision of an instance as known on ``bound``: one change per act dated on or
    before ``bound`` that changed it after it arose (payment, performance, demand, breach,
    end); modified on the latest recording date among them (or its birth's)."""
    trigger = record.trigger_event
    born = record.triggered_on if trigger is None else max(record.triggered_on,
                                                           trigger.recorded_on)
    changes: list[date] = []
    for payment in record.payments:
        if payment.on <= bound:
            changes.append(payment.event.recorded_on)
    if record.performed_by is not None and record.performed_by.date <= bound:
        changes.append(record.performed_by.recorded_on)
    elif record.performed_on is not None and record.performed_on <= bound:
        changes.append(record.performed_on)
    for demand in record.demands:
        if demand.event.date <= bound:
            changes.append(max(demand.known_on, demand.event.recorded_on))
    if record.breach_event is not None and record.breach_event.date <= bound:
        changes.append(record.breach_event.recorded_on)
    elif record.breached_on is not None and record.breached_on <= bound:
        changes.append(record.breached_on)
    if record.ended_on is not None and record.ended_on <= bound:
        changes.append(record.ended_on)
    return Revision(len(changes), max([born, *changes]), born)


def _born(item: AgendaItem) -> date:
    """The birth of an instance's item: the last part of its identity (an ISO date)."""
    try:
        return date.fromisoformat(item.ident[-1])
    except (ValueError, IndexError):
        return date.min


class _Records:
    """The instances of an evaluation by identity (rule, key, birth), looked up once."""

    def __init__(self, snapshot: Snapshot | None) -> None:
        self._found: dict[tuple[str, str, str], InstanceRecord] = {}
        if snapshot is None:
            return
        found: Sequence[Obligation | Option] = [*snapshot.obligations, *snapshot.options]
        for view in found:
            born = view.triggered_on if isinstance(view, Obligation) else view.opens_on
            self._found[(view.rule, view.key or "", born.isoformat())] = _record(view)

    def get(self, rule: str, key: str | None, born: str) -> InstanceRecord | None:
        return self._found.get((rule, key or "", born))


def _record(view: Obligation | Option) -> InstanceRecord:
    """The replay's record behind a view (the one place this module reads it)."""
    return view.replay_record


# --------------------------------------------------------------------------- the file


@attrs.frozen
class IcsQuestion:
    """What the .ics needs beyond the agenda: the ``evaluation`` it comes from, the date
    asked (``asked``: instances late on it appear on it), the agenda's knowledge date
    (``as_of``; None: the whole log) and ``known_on`` (events recorded by then), the
    previous file's events (``previous``: see :func:`read_previous`) and the responsables
    named by party (``responsables``)."""

    evaluation: Evaluation | None = None
    asked: date | None = None
    as_of: date | None = None
    known_on: date | None = None
    previous: Mapping[str, PreviousEvent] = attrs.field(factory=dict)
    responsables: Mapping[str, Responsable] = attrs.field(factory=dict)
    in_force_from: date | None = None


def agenda_to_ics(agenda: Agenda, client: str, calendar: LegalCalendar, lang: Lang = "fr",
                  alarm_days: int = DEFAULT_ALARM_DAYS,
                  question: IcsQuestion | None = None) -> bytes:
    """The iCalendar file of ``agenda`` (bytes, CRLF line ends as RFC 5545 requires);
    ``question``: the overdue items, revisions, previous file and responsables (without it,
    the agenda's items alone, each at SEQUENCE 0)."""
    if alarm_days < 0:
        raise ValueError(f"rappel : {alarm_days} jours < 0 / alarm: {alarm_days} days < 0")
    ask = question if question is not None else IcsQuestion()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    title = agenda.presentation.title(lang) or WORDS.say("title", lang)
    cal.add("x-wr-calname", visible(MESSAGES.say("calendar_name", lang, client=client,
                                                 title=title)))
    drawn = ask.asked if ask.asked is not None else agenda.start
    stamp = datetime(drawn.year, drawn.month, drawn.day, tzinfo=UTC)
    writer = _Writer(agenda, client, calendar, lang, alarm_days, ask, stamp)
    written: set[str] = set()
    for event in writer.events():
        written.add(str(event["UID"]))
        cal.add_component(event)
    for old in ask.previous.values():
        if old.uid not in written and _no_longer_applies(old, agenda):
            cal.add_component(_cancelled(old, stamp))
    data: bytes = cal.to_ical()
    return data


def _no_longer_applies(old: PreviousEvent, agenda: Agenda) -> bool:
    """An event of the previous file, absent from the new one, is cancelled when the new
    window covers its day (an item dated outside it is only out of view), or when it was an
    overdue item (it is no longer late) (decision 51)."""
    if old.kind == LATE_KIND:
        return True
    return old.on is not None and agenda.start <= old.on <= agenda.end


def _cancelled(old: PreviousEvent, stamp: datetime) -> Event:
    """``old`` sent again as cancelled: same UID, day and summary, SEQUENCE + 1 (an event
    cancelled already keeps its SEQUENCE: sending it again changes nothing)."""
    event = Event()
    for name in ("UID", "DTSTART", "DTEND"):
        if name in old.event:
            event[name] = old.event[name]
    # the old file's words, made visible again: it may have been edited by hand
    if "SUMMARY" in old.event:
        event.add("summary", visible(str(old.event["SUMMARY"])))
    categories = old.event.get("CATEGORIES")
    if categories is not None:
        kept = categories if isinstance(categories, list) else [categories]
        event.add("categories", [visible(str(c)) for cat in kept for c in cat.cats])
    if old.kind is not None:
        event.add(KIND_PROPERTY, visible(old.kind))
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", old.sequence if old.cancelled else old.sequence + 1)
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    return event


def _signature(event: Component) -> tuple[tuple[str, object], ...]:
    """What users see of an event (its day, words, status, people), to tell an update: the
    values themselves, compared without writing the event (folding lines is the costly
    part of writing)."""
    return tuple((name, _plain(event[name])) for name in _CONTENT if name in event)


def _plain(value: object) -> object:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    cats = getattr(value, "cats", None)
    if cats is not None:
        return tuple(str(c) for c in cats)
    day = getattr(value, "dt", None)
    if day is not None:
        return day
    params = getattr(value, "params", None)
    return (str(value), tuple(sorted((str(k), str(v)) for k, v in params.items()))
            if params else ())


class _Writer:
    """The VEVENTs of one file, in the agenda's order, the overdue items first on their day."""

    def __init__(self, agenda: Agenda, client: str, calendar: LegalCalendar, lang: Lang,
                 alarm_days: int, ask: IcsQuestion, stamp: datetime) -> None:
        self.agenda, self.client, self.calendar, self.lang = agenda, client, calendar, lang
        self.alarm_days, self.ask, self.stamp = alarm_days, ask, stamp
        self.bound = ask.as_of if ask.as_of is not None else date.max
        evaluation = ask.evaluation
        self.late: list[Obligation] = []
        records_snapshot = None
        if evaluation is not None:
            if ask.asked is not None and agenda.start <= ask.asked <= agenda.end:
                self.late = list(evaluation.at(ask.asked, lang, known_on=ask.known_on).late)
            horizon = max(agenda.end, ask.asked or agenda.end)
            records_snapshot = evaluation.at(horizon, lang, known_on=ask.known_on)
        self.records = _Records(records_snapshot)
        self.effects: Callable[[date], Sequence[Any]] = (
            evaluation.scheduled_effects if evaluation is not None else lambda on: ())

    def events(self) -> Iterable[Event]:
        late = sorted(self.late, key=lambda o: (o.rule, o.key or "", o.triggered_on))
        done = False
        for item in self.agenda:
            if not done and self.ask.asked is not None and item.on >= self.ask.asked:
                yield from (self._late_event(o) for o in late)
                done = True
            yield self._item_event(item)
        if not done:
            yield from (self._late_event(o) for o in late)

    # ----------------------------------------------------------------- agenda items

    def _item_event(self, item: AgendaItem) -> Event:
        lang = self.lang
        revision = self._revision(item)
        money = self._money(item)
        status = None if item.status is None else item.status.label(lang)
        if money is not None:
            summary = ICS.say("summary_amount", lang, client=self.client,
                              title=item.title(lang), amount=money,
                              status=status or ICS.say("none", lang))
        elif status is not None:
            summary = ICS.say("summary_status", lang, client=self.client,
                              title=item.title(lang), status=status)
        else:
            summary = ICS.say("summary", lang, client=self.client, title=item.title(lang))
        categories = [item.kind_label(lang)] + ([status] if status is not None else [])
        event = self._event(uid(item, self.client), item.on, summary, item.explain(lang),
                            categories, item.kind, revision, item.party)
        if self.alarm_days:
            self._alarm(event, item.on, revision.known_from, item.title(lang))
        return event

    def _instance(self, item: AgendaItem) -> InstanceRecord | None:
        if item.kind not in _INSTANCE_KINDS or len(item.ident) < 4:
            return None
        return self.records.get(item.rule, item.key, item.ident[-1])

    def _revision(self, item: AgendaItem) -> Revision:
        record = self._instance(item)
        if record is not None:
            return instance_revision(record, self.bound)
        if item.kind in _INSTANCE_KINDS:  # without its record: known from its birth
            born = _born(item)
            return Revision(0, min(born, item.on), born)
        if item.kind == "prise_effet":
            return self._effect_revision(item)
        # computed from the rules alone: known since the agreement took effect
        origin = self.ask.in_force_from or self.agenda.start
        return Revision(0, min(origin, item.on), date.min)

    def _effect_revision(self, item: AgendaItem) -> Revision:
        """An effect's record: the act that announced it, known from its recording date."""
        before = item.on - timedelta(days=1) if item.on > date.min else item.on
        for record in self.effects(before):
            event = record.event
            if record.on == item.on and record.article == item.article and (
                    record.service or None) == (item.key or None):
                known = max(event.date, event.recorded_on)
                return Revision(0, known, known)
        return Revision(0, item.on, item.on)  # announced on the day it takes effect

    def _money(self, item: AgendaItem) -> str | None:
        """The amount of a money item (its balance once partly paid), in words."""
        record = self._instance(item)
        if record is None or record.amount is None:
            return None
        shown = self.agenda.presentation
        seen = min(item.on, self.bound)
        paid = record.paid_by(seen) if record.payments else Decimal(0)
        if paid:
            return ICS.say("balance", self.lang,
                           amount=shown.amount(record.amount - paid, self.lang))
        return shown.amount(record.amount, self.lang)

    # ----------------------------------------------------------------- overdue items

    def _late_event(self, late: Obligation) -> Event:
        lang, on = self.lang, late.on
        record = _record(late)
        revision = instance_revision(record, on)
        days = None if late.deadline is None else (on - late.deadline).days
        if days is None or days <= 0:
            days_said = ICS.say("late_no_days", lang)
            count = ICS.say("none", lang)
        else:
            days_said = ICS.say("late_days_one" if days == 1 else "late_days_many", lang,
                                days=days)
            count = ICS.say("late_count_one" if days == 1 else "late_count_many", lang,
                            days=days)
        balance = (None if late.balance is None
                   else self.agenda.presentation.amount(late.balance, lang))
        key = f" ({visible(late.key)})" if late.key else ""
        label = record.norm.label(lang)
        summary = (ICS.say("late_summary_amount", lang, client=self.client, late=days_said,
                           label=label, key=key, balance=balance) if balance is not None
                   else ICS.say("late_summary", lang, client=self.client, late=days_said,
                                label=label, key=key))
        description = ICS.say("late_description", lang, on=on, late_days=count,
                              deadline=late.deadline or ICS.say("none", lang),
                              balance=balance or ICS.say("no_amount", lang),
                              explanation=late.explain(lang))
        # one UID while it stays late; it moves each day: one more change per day late
        moved = Revision(revision.sequence + max(days or 0, 0), on, on)
        ident = (LATE_KIND, late.rule, late.key or "", late.triggered_on.isoformat())
        event = self._event(_uid(self.client, ident), on, summary, description,
                            [ICS.say("late", lang), KIND_WORDS.say("echeance", lang)],
                            LATE_KIND, moved,
                            EITHER_PARTY if record.debtor is None else record.debtor)
        if self.alarm_days:
            self._alarm(event, on, on, summary)
        return event

    # ----------------------------------------------------------------- shared

    def _event(self, key: str, on: date, summary: str, description: str,
               categories: list[str], kind: str, revision: Revision, party: str) -> Event:
        event = Event()
        event.add("uid", key)
        event.add("dtstamp", self.stamp)
        event.add("dtstart", on)
        event.add("dtend", on + timedelta(days=1))
        event.add("summary", visible(summary))
        # RFC 5545 forbids control characters in text: the explanation's own line breaks
        # stay (escaped by the library as \n), every other control or invisible character
        # becomes a visible escape.
        event.add("description", visible(description, keep_newlines=True))
        event.add("categories", list(dict.fromkeys(visible(c) for c in categories)))
        event.add("transp", "TRANSPARENT")
        event.add(KIND_PROPERTY, kind)
        self._people(event, party)
        # a projected item (an instance not yet arisen) is as drawn up on the date asked
        modified = min(revision.modified, self.stamp.date())
        event.add("last-modified", datetime(modified.year, modified.month, modified.day,
                                            tzinfo=UTC))
        event.add("sequence", self._sequence(event, key, revision.sequence))
        return event

    def _sequence(self, event: Event, key: str, computed: int) -> int:
        """The computed SEQUENCE, raised above the previous file's when the event changed
        or had been cancelled, never below it (decision 51)."""
        old = self.ask.previous.get(key)
        if old is None:
            return computed
        if old.cancelled or _signature(old.event) != _signature(event):
            return max(computed, old.sequence + 1)
        return max(computed, old.sequence)

    def _people(self, event: Event, party: str) -> None:
        """ORGANIZER: the first responsable named; ATTENDEE: the responsable of the item's
        party (every one named when the item concerns either party)."""
        named = self.ask.responsables
        if not named:
            return
        event.add("organizer", _address(next(iter(named.values())), None))
        chosen = list(named.values()) if party == EITHER_PARTY else (
            [named[party]] if party in named else [])
        for person in chosen:
            event.add("attendee", _address(person, "REQ-PARTICIPANT"))

    def _alarm(self, event: Event, on: date, known_from: date, title: str) -> None:
        day = alarm_day(self.calendar, on, self.alarm_days, known_from)
        if day is None:
            return
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", visible(title))
        alarm.add("trigger", -(on - day))
        event.add_component(alarm)


def _address(person: Responsable, role: str | None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(visible(person.name))
    if role is not None:
        address.params["role"] = vText(role)
    return address


__all__ = ["DEFAULT_ALARM_DAYS", "KIND_PROPERTY", "LATE_KIND", "PRODID", "IcsQuestion",
           "PreviousEvent", "Revision", "agenda_to_ics", "alarm_day", "instance_revision",
           "read_previous", "uid", "working_days_before"]
