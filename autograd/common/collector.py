"""Opt-in speed: `pause_gc()` keeps Python's cyclic garbage collector off inside a block."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["pause_gc"]


@contextmanager
def pause_gc() -> Iterator[None]:
    """Opt-in: switch off Python's cyclic garbage collector inside the block.

    backproplab's graphs hold no reference cycles (a node refers only to its parents), so they are
    freed as soon as nobody holds them; the collector still walks them while they are alive.
    Inside `with autograd.pause_gc():` it does not run. The collector's previous state is restored
    on leaving the block, also when an exception is raised; nothing changes unless you ask for it.
    The setting is process-wide: other threads see the collector paused too, and your own
    reference cycles made inside the block are reclaimed once it runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
