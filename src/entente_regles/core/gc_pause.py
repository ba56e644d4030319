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
