"""Credentials kept out of reprs, log lines and the local variables of frames.

Error reporters (sentry-sdk by default) record the local variables of every frame an
exception passed through, by ``repr()``, and walk mappings item by item. revclient keeps
the headers that carry a key or a JWT inside :class:`Redacted`, which is not a mapping and
shows nothing, and unwraps them only as an argument of the call that sends them. The
frames of third-party code (aiohttp, redis-py) that held them are cleared by :func:`scrub`
where revclient maps their exceptions into its own.
"""

from __future__ import annotations

import traceback
from typing import Generic, TypeVar, final

__all__ = ["Redacted", "scrub"]

T = TypeVar("T")


@final
class Redacted(Generic[T]):
    """A value that must never be shown; ``.value`` is the value itself."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<redacted>"


def scrub(exc: BaseException) -> None:
    """Clear the local variables of the finished frames ``exc`` and the exceptions it was
    raised from passed through (their code, file and line stay for the traceback)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        # Frames still running (the caller's) are skipped: clear_frames ignores them.
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__
