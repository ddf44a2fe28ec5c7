"""Serving a :class:`~revclient.testing.Sandbox` from a daemon thread (``run_in_thread``)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["ThreadedSandbox"]


class ThreadedSandbox:
    """Context manager running a :class:`Sandbox` on its own loop in a daemon thread."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            try:
                loop.run_until_complete(self._sandbox.start())
            except BaseException as exc:
                self._error = exc
                return
            finally:
                ready.set()
            loop.run_forever()
            loop.run_until_complete(self._sandbox.stop())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()

    def __enter__(self) -> Sandbox:
        if self._thread is not None:
            raise RuntimeError("already running")
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="revclient-sandbox", daemon=True
        )
        self._thread.start()
        ready.wait()
        if self._error is not None:
            self._thread.join()
            self._thread = None
            raise self._error
        return self._sandbox

    def __exit__(self, *exc_info: object) -> None:
        thread, loop = self._thread, self._loop
        self._thread = None
        if thread is None or loop is None:
            return
        with contextlib.suppress(RuntimeError):  # loop already closed
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
