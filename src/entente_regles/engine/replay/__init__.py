"""Replay an event log through a backend, with simulated time, into dated records.

The replay is a few objects, each the one owner of its part of the state: the only code
that changes a field is its owner's (the others read it, or ask the owner through a
method). In import order:

- ``held``: a hold on part of an instance's balance (``HoldRecord``, decision 71) and the
  one function computing the part of a balance late on a date (``late_balance``);
- ``records``: what is recorded (``Instance``, ``ReplayResult``…). An instance's fields are
  changed by ``instances`` (birth, expiry), ``deadlines`` (its deadline, at birth), ``acts``
  (performed, paid, ended, breached, ended for the future) and ``demands`` (its demands);
- ``items``: ``Agenda`` owns the agenda and the one counter numbering facts and items
  (``next_seq``, ``schedule``: any step numbers and schedules through it);
- ``diagnostics``: ``Diagnostics`` owns the list of diagnostics and the messages they
  share (any step reports through ``report``, naming a message of ``words.replay``);
- ``state``: ``InUse``, the compiled rules in use (replaced by ``loop``'s ``Walk`` when a
  feed brings amendments) and the backend session (replaced by ``Replay`` at each step);
  ``party_of``;
- ``standing``: ``Standing``, what is in force (the agreement's end, the services); read by
  every step, changed by ``effects`` only;
- ``deadlines``: ``Deadlines`` sets a new instance's deadline; owns the delay and deadline
  caches (``Walk`` asks it to forget delays when parameters are amended);
- ``acts``: functions on one instance (performed, ended, breached, ended for the future);
- ``conditions``: ``Conditions`` answers whether a condition on state (``disponible_si``)
  holds on a date, reading the instances ``instances`` indexes for it and the ends known;
  it owns only that list of ends (appended by ``instances`` when an end takes effect);
- ``holds``: ``Holds`` owns the open holds by reference; holds and releases change an
  instance's ``holds`` (and record what a release makes no longer owed as a credit);
- ``lapses``: ``Lapses`` watches the obligations discharged when their condition stops
  holding (``si_condition_cesse``, decision 73) and the days the records change; it
  changes only the end of the instances it watches;
- ``instances``: ``Instances`` owns every instance, by seq and by key, and the open ones
  the backend holds; an instance arises (``create``), passes its deadline, and arises from
  another's state or the agreement's end here;
- ``periods``: ``Periods`` owns the periods done; entry into force and period ticks;
- ``advance``: ``Advance`` owns the acts kept for periods still to come (``avance``,
  decision 72); ``loop`` applies one through ``acts`` when its period's instance arises;
- ``demands``: ``Demands``, acts putting a debtor in default (no state of its own);
- ``effects``: ``Effects`` owns the effects and termination notices recorded; powers
  exercised, effects applied, the agreement's end and services' changes;
- ``suspension``: ``Suspensions`` applies ``suspendre`` / ``reprendre`` (called by
  ``effects``) and owns the suspensions waiting for their condition to lapse (checked by
  ``loop`` after each event and agenda item); it alone changes an instance's
  ``suspensions`` and their ends (decision 69);
- ``plans``: what a combination of matched rules does with an event (pure);
- ``unmatched``: what is said of an event no rule put to use (no state);
- ``loop``: ``Walk`` owns the horizon, the rules in use and the plans, and dispatches each
  event and agenda item; :class:`Replay` (resumable) and :func:`replay`.
"""

from entente_regles.engine.replay.effects import notice_limit
from entente_regles.engine.replay.loop import Replay, replay
from entente_regles.engine.replay.periods import period_bounds
from entente_regles.engine.replay.records import (
           Context,
           DemandRecord,
           EffectRecord,
           Instance,
           InstanceRecord,
           Payment,
           ReplayResult,
           ServiceState,
           Suspension,
           TerminationNotice,
)

__all__ = ["Context", "DemandRecord", "EffectRecord", "Instance", "InstanceRecord", "Payment",
           "Replay", "ReplayResult", "ServiceState", "Suspension", "TerminationNotice",
           "notice_limit", "period_bounds", "replay"]
