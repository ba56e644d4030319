"""The agenda: every dated item of a window, in date order, derived from the compiled rules
and the replay's records.

Nothing here names an article or an event type: an item comes from the shape of a rule
(a deadline, a periodic trigger, a power's notice, an effect's date), never from its name.

Kinds (codes used in CSV, JSON and .ics; labels in French and English):

- ``echeance``: an instance's deadline, with the instance's status on that date;
- ``echeance_politique``: the indicative deadline an organisational policy attaches to a
  vague standard (never a contractual deadline);
- ``fin_faculte``: the last day of a faculty's window (a right, never owed);
- ``limite_preavis``: the latest day a notice may be received for a proposed effective date
  (the renewal dates, and any date the caller proposes);
- ``prise_effet``: the date an effect takes place (the agreement ends, a service is withdrawn,
  added or modified);
- ``fin_periode``: the last day of a periodic rule's period (e.g. a billing period);
- ``renouvellement``: the first day of a yearly period after the first (the tacit renewal),
  or of a term after the first (the agreement's ``[terme]``, as the replay counts it:
  ``TermPlan``), with the ``limite_preavis`` of its notice of non-renewal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, overload

import attrs

from entente_regles.calendar.legal import BeyondCalendar
from entente_regles.core.event import Event
from entente_regles.core.textsafe import visible
from entente_regles.core.values import EITHER_PARTY, Lang, OptionStatus, Status, Text
from entente_regles.engine.replay import EffectRecord, Instance, notice_limit, period_bounds
from entente_regles.engine.replay.terms import TermPlan
from entente_regles.query.presentation import PLAIN, Presentation
from entente_regles.query.status import option_status_at, status_at
from entente_regles.query.suspended import agenda_deadlines
from entente_regles.words.agenda import EFFECTS, MESSAGES
from entente_regles.words.agenda import KINDS as KIND_WORDS

if TYPE_CHECKING:
    import pandas

    from entente_regles.calendar.legal import LegalCalendar
    from entente_regles.engine.compiled import CompiledRules

ONE_DAY = timedelta(days=1)

KINDS: dict[str, Text] = {kind: KIND_WORDS.text(kind) for kind in KIND_WORDS}
_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}


@attrs.frozen
class AgendaItem:
    """One dated item of the agenda.

    ``party`` is the debtor of an instance, or the holder of a power or faculty, as an id
    (``parties``: either or both; what people read is ``Agenda.presentation.party``).
    ``status`` is the instance's status on ``on`` (an
    :class:`~entente_regles.model.OptionStatus` for a faculty; None for items that are not
    instances). ``ident`` identifies the item across runs (see
    :attr:`uid`).
    """

    on: date
    kind: str
    rule: str
    article: str
    party: str
    key: str | None
    label: Text
    status: Status | OptionStatus | None
    ident: tuple[str, ...]
    _explain: Callable[[Lang], str] = attrs.field(repr=False, eq=False)

    def kind_label(self, lang: Lang = "fr") -> str:
        """The kind in words (``échéance``, ``deadline``…)."""
        return KINDS[self.kind](lang)

    def title(self, lang: Lang = "fr") -> str:
        """A one-line summary: kind, label, key (user text made visible)."""
        key = f" ({visible(self.key)})" if self.key else ""
        return f"{self.kind_label(lang).capitalize()} — {self.label(lang)}{key}"

    def explain(self, lang: Lang = "fr") -> str:
        """Why this item is on the agenda: the instance's explanation on that date, or the
        computation of the date with its article."""
        return self._explain(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its explanation in both languages, worked out now (the function
        that works it out refers to the replay, which does not travel): the item received
        explains itself as this one does (a portfolio's resident workers, Dask)."""
        explained = (self._explain("fr"), self._explain("en"))
        return (_item_explained, (self.on, self.kind, self.rule, self.article, self.party,
                                  self.key, self.label, self.status, self.ident, explained))

    @property
    def uid(self) -> str:
        """A stable identifier: the same item gives the same uid on every run."""
        digest = hashlib.sha256("\x1f".join(self.ident).encode("utf-8")).hexdigest()
        return digest[:32]

    def to_record(self) -> dict[str, Any]:
        """Typed values (``date``, ``str``), exact: ready for ``pandas.DataFrame``."""
        return {
            "date": self.on, "type": self.kind, "regle": self.rule, "article": self.article,
            "partie": self.party, "cle": self.key, "libelle": self.label.fr,
            "libelle_en": self.label.en,
            "statut": None if self.status is None else self.status.value,
        }

    def to_dict(self, lang: Lang = "fr") -> dict[str, Any]:
        """JSON-ready: ISO dates, the explanation in ``lang``."""
        record = self.to_record()
        record["date"] = self.on.isoformat()
        record["explication"] = self.explain(lang)
        return record


def _explained_in(explained: tuple[str, str], lang: Lang) -> str:
    return explained[0] if lang == "fr" else explained[1]


def _item_explained(on: date, kind: str, rule: str, article: str, party: str, key: str | None,
                    label: Text, status: Status | OptionStatus | None, ident: tuple[str, ...],
                    explained: tuple[str, str]) -> AgendaItem:
    """An :class:`AgendaItem` unpickled, its explanations given."""
    return AgendaItem(on, kind, rule, article, party, key, label, status, ident,
                      partial(_explained_in, explained))


@attrs.frozen
class Agenda(Sequence[AgendaItem]):
    """The items of ``start``..``end`` (both included), in date order; ``presentation``:
    the agreement's currency, locales and party labels, as its outputs show them."""

    start: date
    end: date
    items: tuple[AgendaItem, ...]
    presentation: Presentation = attrs.field(default=PLAIN, repr=False, eq=False)

    @overload
    def __getitem__(self, index: int) -> AgendaItem: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[AgendaItem]: ...
    def __getitem__(self, index: int | slice) -> AgendaItem | Sequence[AgendaItem]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[AgendaItem]:
        return iter(self.items)

    def to_records(self) -> list[dict[str, Any]]:
        """One typed dict per item (``date`` values): ``pandas.DataFrame(agenda.to_records())``."""
        return [item.to_record() for item in self.items]

    def to_frame(self) -> pandas.DataFrame:
        """A ``pandas.DataFrame`` of :meth:`to_records` (pandas is an optional extra)."""
        from entente_regles.query.frames import frame
        return frame(self.to_records(), list(RECORD_COLUMNS))

    def to_dict(self, lang: Lang = "fr") -> dict[str, Any]:
        """JSON-ready: the window and every item with its explanation."""
        return {"du": self.start.isoformat(), "au": self.end.isoformat(),
                "elements": [item.to_dict(lang) for item in self.items]}


RECORD_COLUMNS = ("date", "type", "regle", "article", "partie", "cle", "libelle", "libelle_en",
                  "statut")


def _party(value: str | None) -> str:
    return EITHER_PARTY if value is None else value


def build_agenda(effects: Sequence[EffectRecord], ordered: Sequence[Instance],
                 compiled: CompiledRules,
                 calendar: LegalCalendar, in_force_from: date, start: date, end: date,
                 *, as_of: date | None = None, effective_dates: Iterable[date] = (),
                 explain_instance: Callable[[Instance, date, Lang], str],
                 presentation: Presentation = PLAIN, term: TermPlan | None = None,
                 renewed: Sequence[tuple[Event, int]] = ()) -> Agenda:
    """Every item of ``start``..``end``; ``effective_dates`` adds proposed effective dates
    for the notice deadlines (the renewal dates are always proposed); ``presentation``: the
    agreement's currency, locales and party labels (the explanations' parties); ``term``:
    the agreement's term as the replay counts it (its renewals and notice limits);
    ``renewed``: for a term renewed only by an act, the acts and the terms they opened.

    ``as_of``: the agenda as drawn up on that date. Only acts dated on or before it are
    known; an instance's status on a later item date is its status on ``as_of`` (what can
    be known then); instances of periodic rules are projected from the rules. ``None``: the
    whole log is known, and each status is the one on the item's date.
    """
    if end < start:
        raise ValueError(f"agenda: fin {end} avant début {start} / end {end} before start "
                         f"{start}")
    known = date.max if as_of is None else as_of
    if as_of is not None:  # the amendments signed by then, no later one
        compiled = attrs.evolve(compiled, amendments=tuple(
            a for a in compiled.amendments if a.event.date <= known))
    records = [r for r in effects if r.event.date <= known]
    ends = [r.on for r in records if r.action == "fin_entente"]
    if term is not None and term.by_option:  # renewed by the acts known (decision 74)
        opened = max((k for event, k in renewed if event.date <= known), default=0)
        with suppress(BeyondCalendar):
            ends.append(term.end_of(opened))
    elif term is not None and term.last is not None:
        with suppress(BeyondCalendar):  # beyond the calendar: never expires
            ends.append(term.end_of(term.last))  # the last term expires
    stop = min(ends) if ends else None
    withdrawn: dict[str, list[date]] = {}
    for r in records:
        if r.action == "fin_service" and r.service is not None:
            withdrawn.setdefault(r.service, []).append(r.on)
    items: list[AgendaItem] = []
    items += _deadlines(ordered, start, end, known, explain_instance, stop, withdrawn)
    renewals = _periods(stop, compiled, calendar, in_force_from, start, end, items)
    items += _effects(records, stop, compiled, start, end)
    if term is not None:
        items += _terms(term, stop, compiled, start, end, presentation)
    proposed = sorted(set(renewals) | set(effective_dates))
    items += _notices(stop, compiled, calendar, in_force_from, proposed, start, end,
                      presentation)
    items.sort(key=lambda i: (i.on, _KIND_ORDER[i.kind], i.rule, i.key or "", i.ident))
    return Agenda(start, end, tuple(items), presentation)


def _deadlines(ordered: Sequence[Instance], start: date, end: date, known: date,
               explain_instance: Callable[[Instance, date, Lang], str], stop: date | None,
               withdrawn: Mapping[str, Sequence[date]]) -> list[AgendaItem]:
    items = []
    for inst in ordered:
        if inst.triggered_on > end:
            break  # ordered by birth: nothing later is born in the window
        norm = inst.norm
        if inst.triggered_on > known and norm.trigger.kind != "periode":
            continue  # arises from an act (or a lapse) not known yet
        for kind, on, source in _dates_of(inst, known, stop, withdrawn):
            if not start <= on <= end:
                continue
            seen = max(inst.triggered_on, min(on, known))
            status: Status | OptionStatus | None = (
                option_status_at(inst, seen) if kind == "fin_faculte"
                else status_at(inst, seen))
            items.append(AgendaItem(
                on, kind, norm.id, norm.article, _party(inst.debtor), inst.key, norm.label,
                status, (kind, norm.id, inst.key or "", inst.triggered_on.isoformat(), *source),
                _bind(explain_instance, inst, seen)))
    return items


def _dates_of(inst: Instance, known: date, stop: date | None,
              withdrawn: Mapping[str, Sequence[date]]
              ) -> Iterator[tuple[str, date, tuple[str, ...]]]:
    """The dates the replay recorded for ``inst``, as known on ``known`` (kind, date, what
    identifies the date beyond the instance): a faculty's closing day; an obligation's
    deadline as known on its birth, and each deadline a demand known by then fixed (an
    ``echeance`` of the same instance, told apart by the demand's date): the dates
    ``deadline_on`` gives, no other; the policy's indicative date of a vague standard.

    A faculty's window closes on the eve of an end that ends it (decision 39): the replay
    records it once the end has taken effect (``closes_on``); an end known by ``known`` and
    still to come (``stop``, the first day without the agreement; ``withdrawn``, the days
    services are withdrawn) closes it on that eve too, so that no window is shown open after
    the agreement or its service has ended (decision 48)."""
    norm = inst.norm
    if norm.kind == "faculte":
        closes = inst.closes_on(known)
        if closes is not None:
            ends = [] if stop is None or inst.survives else [stop]
            if inst.service is not None and not norm.survives_withdrawal:
                ends += [on for on in withdrawn.get(inst.service, ()) if on > inst.triggered_on]
            for first in ends:
                if first <= closes:
                    closes = max(inst.triggered_on, first - ONE_DAY)
            yield "fin_faculte", closes, ()
    elif inst.suspensions and inst.suspensions[0].start <= known:
        yield from agenda_deadlines(inst, known)  # decision 69
    else:  # the deadline as known on its birth, then from each demand known by ``known``
        shown: set[date] = set()
        for on in (inst.triggered_on, *(d.known_on for d in inst.demands if d.known_on <= known)):
            deadline = inst.deadline_on(on)
            if deadline is None or deadline in shown:
                continue
            shown.add(deadline)
            yield "echeance", deadline, (() if deadline == inst.deadline
                                         else ("demeure", on.isoformat()))
    if inst.policy_deadline is not None:
        yield "echeance_politique", inst.policy_deadline, ()


def _bind(explain_instance: Callable[[Instance, date, Lang], str], inst: Instance,
          on: date) -> Callable[[Lang], str]:
    return lambda lang: explain_instance(inst, on, lang)


def _said(message: str, **values: object) -> Callable[[Lang], str]:
    """The agenda's ``message`` in a language, its values filled in, made visible."""
    return lambda lang: visible(MESSAGES.say(message, lang, **values), keep_newlines=True)


def _periods(stop: date | None, compiled: CompiledRules, calendar: LegalCalendar,
             origin: date, start: date, end: date, items: list[AgendaItem]) -> list[date]:
    """Period ends of every periodic rule and renewal dates of the yearly ones; returns every
    renewal date up to a year after ``end`` (proposed effective dates for notices).
    ``stop``: the first day without the agreement, when known."""
    renewals: list[date] = []
    horizon = end + timedelta(days=400) if (date.max - end).days > 400 else date.max
    for norm in compiled.norms:
        if norm.trigger.kind != "periode":
            continue
        k = 0
        while True:
            try:
                p_start, bound, label, _ = period_bounds(compiled, calendar, origin, norm, k)
            except BeyondCalendar:
                break  # the period would begin after 9999-12-31
            k += 1
            if p_start > horizon or (stop is not None and p_start >= stop):
                break
            p_end = date.max if bound is None else bound
            if stop is not None and p_end >= stop:
                p_end = stop - ONE_DAY
            art = norm.article
            if norm.trigger.period_year:
                if k == 1:
                    continue  # the first year begins with entry into force: not a renewal
                renewals.append(p_start)
                if start <= p_start <= end:
                    items.append(AgendaItem(
                        p_start, "renouvellement", norm.id, art, _party(None), label,
                        MESSAGES.text("new_year", year=label), None,
                        ("renouvellement", norm.id, label), _said(
                            "renewal", article=art, year=label, start=p_start, end=p_end,
                            rule=norm.id, label=norm.label)))
            elif start <= p_end <= end:
                items.append(AgendaItem(
                    p_end, "fin_periode", norm.id, art,
                    norm.debtor if norm.debtor in compiled.parties else EITHER_PARTY, label,
                    norm.label, None, ("fin_periode", norm.id, label), _said(
                        "period_ends_next_day" if norm.trigger.birth == "lendemain_fin"
                        else "period_ends", article=art, period=label, start=p_start,
                        end=p_end, rule=norm.id, label=norm.label)))
    return renewals


def _terms(plan: TermPlan, stop: date | None, compiled: CompiledRules, start: date,
           end: date, shown: Presentation) -> list[AgendaItem]:
    """Each renewal of the term in the window, and the last day to give notice of
    non-renewal for each term's end, up to the end known (``stop``): the replay's own
    ``TermPlan``, so that the agenda and the replay cannot disagree (decision 49)."""
    term = plan.term
    power = next((p for p in compiled.powers if p.id == term.notice_power), None)
    rule = term.notice_power or "terme"
    items: list[AgendaItem] = []
    try:
        k = plan.index_on(max(start, plan.start)) or 0
    except BeyondCalendar:
        return items  # the window begins after the last term the calendar can count
    while True:
        try:
            after = plan.end_of(k)
            limit = plan.notice_limit(k)
        except BeyondCalendar:
            break
        if plan.by_option and stop is not None and after == stop \
                and (plan.last is None or k < plan.last):
            items += _renewal_limit(plan, k, after, start, end)
        if (stop is not None and after >= stop) or (plan.last is not None and k >= plan.last):
            break  # the agreement ends at this term's end (or before): no renewal
        if after > end and (limit is None or limit > end):
            break  # beyond the window
        try:
            following = plan.end_of(k + 1) - ONE_DAY
        except BeyondCalendar:
            following = date.max
        if power is not None and limit is not None and start <= limit <= end \
                and limit >= plan.start:
            how = MESSAGES.text("notice_term_strict" if term.notice_strict else "notice_term",
                                days=term.notice_days, counted=plan.notice_days)
            items.append(AgendaItem(
                limit, "limite_preavis", power.id, power.article, power.holder, None,
                MESSAGES.text("notice_label", label=power.label, effective=after), None,
                ("limite_preavis", power.id, after.isoformat()), _said(
                    "notice", article=power.article, label=power.label, rule=power.id,
                    effective=after, latest=limit, how=how,
                    holder=shown.party_text(power.holder))))
        if start <= after <= end:
            unless = ("" if limit is None or power is None
                      else MESSAGES.text("term_unless", limit=limit))
            items.append(AgendaItem(
                after, "renouvellement", rule, term.article, EITHER_PARTY, None,
                MESSAGES.text("term_renewal", number=k + 2), None,
                ("renouvellement", "terme", str(k + 1)), _said(
                    "term_renewal_explain", article=term.article, previous=k + 1,
                    last_day=after - ONE_DAY, number=k + 2, start=after, end=following,
                    unless=unless)))
        k += 1
    return items


def _renewal_limit(plan: TermPlan, k: int, after: date, start: date, end: date
                   ) -> list[AgendaItem]:
    """A term renewed only by an act (decision 74): the last day to renew the k-th term,
    which otherwise expires (the agreement's last day is the day before ``after``)."""
    try:
        limit = plan.renewal_limit(k)
    except BeyondCalendar:
        return []
    if not start <= limit <= end:
        return []
    term = plan.term
    return [AgendaItem(
        limit, "limite_preavis", "terme", term.article, EITHER_PARTY, None,
        MESSAGES.text("renewal_limit_label", number=k + 2), None,
        ("limite_preavis", "terme", after.isoformat()), _said(
            "renewal_limit", article=term.article, number=k + 1, last_day=after - ONE_DAY,
            latest=limit, event=term.renewal_event or ""))]


def _effects(records: Sequence[EffectRecord], stop: date | None, compiled: CompiledRules,
             start: date, end: date) -> list[AgendaItem]:
    sources = [(p.id, p.article, p.event, p.label) for p in compiled.powers] + [
        (e.id, e.article, e.event, e.label) for e in compiled.effects]
    items = []
    for record in records:
        if not start <= record.on <= end:
            continue
        if record.action == "fin_entente" and record.on != stop:
            continue  # superseded by an earlier end
        if stop is not None and record.on > stop:
            continue  # the agreement has ended by then
        candidates = [(rid, lab) for rid, art, ev, lab in sources
                      if ev == record.event.type and art == record.article]
        rule, label = next((c for c in candidates if c[1] == record.label),
                           candidates[0] if candidates else (record.event.type, None))
        words = (EFFECTS.text(record.action) if record.action in EFFECTS
                 else Text(record.action, record.action))
        service = record.service
        title = MESSAGES.text("effect_title", effect=words, label=label) if label else words
        event = record.event
        items.append(AgendaItem(
            record.on, "prise_effet", rule, record.article, _party(event.by), service, title,
            None, ("prise_effet", rule, record.action, service or "", event.date.isoformat(),
                   event.type),
            _effect_explain(record.on, record.article, title, event)))
    return items


def _effect_explain(on: date, article: str, title: Text, event: Any) -> Callable[[Lang], str]:
    def explain(lang: Lang) -> str:
        return visible(MESSAGES.say("takes_effect", lang, article=article, title=title, on=on,
                                    event=event.describe(lang)), keep_newlines=True)
    return explain


def _notices(stop: date | None, compiled: CompiledRules, calendar: LegalCalendar,
             origin: date, proposed: Sequence[date], start: date,
             end: date, shown: Presentation) -> list[AgendaItem]:
    items = []
    for power in compiled.powers:
        if power.notice is None:
            continue
        for effect_on in proposed:
            if stop is not None and effect_on >= stop:
                continue  # the agreement ends first: nothing left to take effect
            # the replay's own test of a notice, with the delay as amended on receipt
            found = notice_limit(compiled, calendar, power, effect_on)
            if found is None:
                continue
            latest, days = found
            how = MESSAGES.text("notice_before" if power.notice.before_field is not None
                                else "notice_after", days=days)
            if not start <= latest <= end or latest < origin:
                continue
            label = MESSAGES.text("notice_label", label=power.label, effective=effect_on)
            items.append(AgendaItem(
                latest, "limite_preavis", power.id, power.article, power.holder, None, label,
                None, ("limite_preavis", power.id, effect_on.isoformat()), _said(
                    "notice", article=power.article, label=power.label, rule=power.id,
                    effective=effect_on, latest=latest, how=how,
                    holder=shown.party_text(power.holder))))
    return items


__all__ = ["KINDS", "RECORD_COLUMNS", "Agenda", "AgendaItem", "build_agenda"]
