"""An evaluation shipped between processes comes back whole: the records packed as the tuple
of their fields (portfolio/shipping.py) equal the originals field by field, and an object
referred to twice (an event, an instance) is one object again after the trip."""

from __future__ import annotations

from pathlib import Path

import attrs

import entente_regles as er
from entente_regles.portfolio import shipping

AGREEMENT, LOG = (Path(p) for p in er.bundled_example())


def test_records_come_back_field_by_field() -> None:
    agreement = er.Agreement.from_toml(AGREEMENT)
    evaluation = agreement.evaluate(LOG)
    assert set(shipping._FIELD_VALUES) == set(shipping._HOT)  # every hot class packed so
    _, replayed = shipping.unpack(shipping.pack(agreement, evaluation.replayed), None)
    before, after = evaluation.replayed.result, replayed.result
    assert len(after.instances) == len(before.instances) > 0
    for old, new in zip(before.instances, after.instances, strict=True):
        assert type(new) is type(old)
        assert attrs.astuple(new, recurse=False) == attrs.astuple(old, recurse=False)
    assert after.diagnostics == before.diagnostics
    assert after.diagnostics and all(  # frozen records: made again by calling the class
        attrs.astuple(new, recurse=False) == attrs.astuple(old, recurse=False)
        for old, new in zip(before.diagnostics, after.diagnostics, strict=True))
    # an event an instance was triggered by is the log's own event, as before the trip
    events = {id(e) for e in replayed.events}
    triggered = [i.trigger_event for i in after.instances if i.trigger_event is not None]
    assert triggered and all(id(e) in events for e in triggered)
    # an instance held twice (the replay's list and the query index) is one object
    assert {id(i) for i in replayed.ordered} <= {id(i) for i in after.instances}
