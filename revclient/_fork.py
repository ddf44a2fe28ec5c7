"""What a forked child must not inherit from revclient's objects.

``fork()`` copies the process but only the thread that called it. revclient's event-loop
thread (the sync facade's portal), the locks other threads held at that instant, the
requests they had queued for a key's budget or in flight, an exchange under way and the
pooled connections (whose sockets the parent still uses) do not belong to the child. A
gunicorn ``--preload`` worker, a Celery prefork worker or a ``multiprocessing`` fork pool
that reuses a client made in the parent would otherwise block forever on one of them.

Objects holding such state register with :func:`track`; right after a fork, in the child
and before it runs anything else, each one's ``_after_fork()`` resets it. This costs
nothing per request. What a key spent and learned before the fork stays: the child starts
from the parent's budget history, not from a full bucket.
"""

from __future__ import annotations

import os
import weakref
from typing import Any, Protocol

__all__ = ["ForkAware", "keep", "track"]


class ForkAware(Protocol):
    """An object with per-process state to reset in a forked child."""

    def _after_fork(self) -> None:
        """Runs in the child, right after ``fork()``, while it has a single thread."""
        ...


_tracked: weakref.WeakSet[Any] = weakref.WeakSet()
# Objects a child inherited but must neither use nor close (an aiohttp session whose
# sockets the parent still uses: closing a TLS one would send close_notify on the parent's
# stream). Held here so their finalizers never warn about them being unclosed.
_inherited: list[object] = []


def track(obj: ForkAware) -> None:
    """Reset ``obj`` in every forked child (see the module docstring)."""
    _tracked.add(obj)


def keep(obj: object) -> None:
    """Keep an inherited object alive, unused, for the child's lifetime."""
    _inherited.append(obj)


def _after_fork_in_child() -> None:
    for obj in list(_tracked):
        obj._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
