"""An asyncio event loop whose clock jumps to the next timer instead of sleeping.

Used to drive the rate limiter through long schedules in milliseconds of real time. It
only works for code that does no real I/O (the limiter alone), which is all it is used for.
"""

from __future__ import annotations

import asyncio
import selectors
from typing import Any


class _JumpingSelector:
    def __init__(self, loop: VirtualTimeLoop, inner: selectors.BaseSelector) -> None:
        self._loop = loop
        self._inner = inner

    def select(self, timeout: float | None = None) -> list[Any]:
        events = self._inner.select(0)
        if not events and timeout is not None and timeout > 0:
            self._loop.now += timeout
        return events

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """``time()`` is virtual; waiting for a timer advances it instantly."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 1000.0
        self._selector = _JumpingSelector(self, self._selector)  # type: ignore[has-type]

    def time(self) -> float:
        return self.now


def run_virtual(coro: Any) -> Any:
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()
