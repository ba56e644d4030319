"""Replay an event log through a backend, with simulated time, into dated records.

The package is built in layers, each module importing only those listed before it:
``records`` (what is recorded), ``items`` (the agenda), ``state`` (the replay's state and
plumbing), ``instances`` (the instance lifecycle), ``periods`` (entry into force and
periods), ``demands`` (putting a debtor in default), ``effects`` (powers and effects) and
``loop`` (the walk over events and the agenda; :class:`Replay`, :func:`replay`).
"""

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
           TerminationNotice,
)

__all__ = ["Context", "DemandRecord", "EffectRecord", "Instance", "InstanceRecord", "Payment",
           "Replay", "ReplayResult", "ServiceState", "TerminationNotice", "period_bounds",
           "replay"]
