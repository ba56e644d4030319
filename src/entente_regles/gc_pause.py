"""Cyclic garbage collection paused during a bulk build.

A replay allocates a few objects per event and keeps nearly all of them (instances, payments,
diagnostics): the cyclic collector then walks an ever larger heap for nothing, about a
quarter of a replay's time at 10,000 events, more as the log grows. Reference counting still
frees everything that is not a cycle; the collector runs again as soon as the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (if it was running; restored after, even on
    an error). Nested or concurrent uses are safe: only the outermost one that paused it
    starts it again."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
            _collect_what_was_built()


def _collect_what_was_built() -> None:
    """The collection the block made due, one generation deeper. A bulk build leaves more
    than a young generation's worth of new objects: the next allocation would walk them all,
    move them to the middle generation, and a later collection there would walk them again.
    Collecting the two younger generations now walks them once and moves what survives
    (what the build keeps) to the oldest generation, as it would have reached anyway."""
    if gc.get_count()[0] > gc.get_threshold()[0]:
        gc.collect(1)
