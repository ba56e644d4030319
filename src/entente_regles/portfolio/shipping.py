"""An agreement's evaluation sent across a process boundary, as bytes.

What crosses is the agreement (its attributes) and the replay state of its evaluation
(``Evaluation.replayed``: the replay, its instances, diagnostics and query index; no lock,
no closure): the receiving side rebuilds the evaluation around it with
``Agreement.resume``, without replaying. Two things need help to pickle:

- read-only mappings (``types.MappingProxyType``, in events and records) are not picklable:
  this module's picklers copy them into a fresh proxy (a private dispatch table: nothing
  changes for other pickling in the process);
- the rule book is not sent: every agreement of a portfolio shares one, which the
  receiving side already holds; the agreement is made again there from its other
  attributes and that rule book (nothing else in the replay state refers to the rule book).

Measured on a loaded machine for a log of 3,000 events that takes 0.44 s to evaluate
(0.8 MB packed): packing 0.09 s, unpacking and resuming 0.08 s (most of it attrs' own
``__setstate__``, a Python call per object). A persistent id for the rule book doubled the
packing (a Python call per object pickled); events rebuilt by their constructor save a
quarter both ways. The records held by the thousand packed as the tuple of their fields and
filled by their ``__init__`` then took packing from 25 to 15 µs per heavy event and
unpacking with resuming from 21 to 11 (``benchmarks/bench_reading.py``).
"""

from __future__ import annotations

import copyreg
import io
import operator
import pickle
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from entente_regles.agreement import Agreement
from entente_regles.calendar.legal import DeadlineComputation
from entente_regles.core.event import Diagnostic, Event
from entente_regles.core.values import Text
from entente_regles.engine.replay.records import DemandRecord, Instance
from entente_regles.query.resumable import ResumableReplay
from entente_regles.rules.rulebook import RuleBook


def _proxy(data: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(data)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return (_proxy, (dict(proxy),))


def _event(type_: str, on: date, by: str | None, received: date | None,
           data: dict[str, Any], source: str | None, recorded: date | None) -> Event:
    return Event(type_, on, by, received, data, source, recorded=recorded)


def _reduce_event(event: Event) -> tuple[Any, ...]:
    """An event as its constructor's arguments: one call to rebuild it, its data frozen
    by the constructor (a quarter faster both ways than attrs' state and a proxy apart)."""
    return (_event, (event.type, event.date, event.by, event.received, dict(event.data),
                     event.source, event.recorded))


def _init(obj: object, values: tuple[Any, ...]) -> None:
    type(obj).__init__(obj, *values)


def _field_values(cls: type, frozen: bool) -> Any:
    """A reducer for the attrs class ``cls`` from the tuple of its fields' values, filled in
    by the class's own ``__init__``: one call, where attrs' ``__setstate__`` sets each field
    by a Python call (the bulk of the time to unpack). A ``frozen`` class is made by calling
    it (its objects cannot refer back to themselves); any other is first made by
    ``cls.__new__`` and memoized, then filled, so that references back to it stay one
    object, as with attrs' own state. Only for a class whose ``__init__`` takes every
    field, positionally and as it is kept (no converter, no ``__attrs_post_init__``):
    None for any other, which keeps attrs' state."""
    fields = attrs.fields(cls)
    if not all(f.init and f.converter is None and not f.kw_only for f in fields) \
            or hasattr(cls, "__attrs_post_init__") or len(fields) < 2:
        return None
    values = operator.attrgetter(*(f.name for f in fields))
    if frozen:
        def reduce_frozen(obj: Any) -> tuple[Any, ...]:
            return (cls, values(obj))

        return reduce_frozen

    def reduce(obj: Any) -> tuple[Any, ...]:
        return (_NEWOBJ, (cls,), values(obj), None, None, _init)

    return reduce


_NEWOBJ = copyreg.__newobj__  # type: ignore[attr-defined]
# The records an evaluation holds by the thousand (the others keep attrs' own state)
_HOT = {Instance: False, DemandRecord: False, DeadlineComputation: True, Diagnostic: True,
        Text: True}  # the class, and whether it is frozen (attrs.frozen)
_FIELD_VALUES: dict[type, Any] = {cls: reduce for cls, frozen in _HOT.items()
                                  if (reduce := _field_values(cls, frozen)) is not None}
_DISPATCH: dict[type, Any] = {**copyreg.dispatch_table, MappingProxyType: _reduce_proxy,
                              Event: _reduce_event, **_FIELD_VALUES}


def pack(agreement: Agreement, replayed: ResumableReplay) -> bytes:
    """``agreement`` (its attributes but its rule book) and its replay state, as bytes."""
    return _dumps((_attributes(agreement), replayed))


def unpack(data: bytes, rules: RuleBook | None) -> tuple[Agreement, ResumableReplay]:
    """What :func:`pack` packed, the agreement made again with the rule book ``rules``."""
    attributes, replayed = pickle.loads(data)
    if not isinstance(attributes, dict) or not isinstance(replayed, ResumableReplay):
        raise pickle.UnpicklingError("not a packed evaluation")
    return Agreement(**attributes, rules=rules), replayed


def pack_agreement(agreement: Agreement) -> bytes:
    """``agreement`` alone (its attributes but its rule book), as bytes: what a worker that
    keeps the evaluation (``portfolio.resident``) sends of it."""
    return _dumps(_attributes(agreement))


def _dumps(obj: object) -> bytes:
    """``obj`` pickled with this module's dispatch table."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(obj)
    return buffer.getvalue()


def unpack_agreement(data: bytes, rules: RuleBook | None) -> Agreement:
    """What :func:`pack_agreement` packed, made again with the rule book ``rules``."""
    attributes = pickle.loads(data)
    if not isinstance(attributes, dict):
        raise pickle.UnpicklingError("not a packed agreement")
    return Agreement(**attributes, rules=rules)


def _attributes(agreement: Agreement) -> dict[str, Any]:
    return {field.name: getattr(agreement, field.name)
            for field in attrs.fields(Agreement) if field.name != "rules"}


__all__ = ["pack", "pack_agreement", "unpack", "unpack_agreement"]
