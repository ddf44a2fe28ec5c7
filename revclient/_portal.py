"""The process-wide event-loop thread behind :mod:`revclient.sync`.

One :class:`Portal` per process: ``anyio.run`` runs an asyncio loop in a daemon thread,
started on first use (the starting thread blocks on a future, no polling) and stopped by
an :mod:`atexit` hook that first closes every sync client's async client on that loop, so
no ``Unclosed client session`` warning and no hang at exit. Every sync client drives its
async twin through this one loop, so per-key limiters and token caches are the very
objects the async clients of the process use. Everything about that thread is here: the
call across it, cancel-on-interrupt, the exit hook and the fork handler.

Why not anyio's ``BlockingPortal``: its ``call`` costs two thread hand-offs per call (one
to spawn the task, one for its result; 185 us here against 40-50 us for :meth:`Portal.call`),
and revclient needs nothing else of it. :meth:`Portal.call` is a single hand-off, takes
keyword arguments, and turns a call from the loop's own thread (a certain deadlock) into a
clear :class:`~revclient.errors.ConfigurationError`.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import inspect
import os
import sys
import threading
import warnings
import weakref
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, Protocol, TypeVar, overload

import anyio

from .errors import ConfigurationError, TransportError

__all__ = [
    "Closeable",
    "Portal",
    "PortalStoppedError",
    "PortalThreadError",
    "close_soon",
    "get_portal",
    "register",
    "shutdown",
    "unregister",
    "weak_closer",
]

T = TypeVar("T")
P = ParamSpec("P")

#: How long the exit hook waits for clients to close and for the loop to stop.
_EXIT_TIMEOUT = 10.0


class PortalThreadError(ConfigurationError, RuntimeError):
    """A sync call made on the portal's own thread, where blocking would deadlock.

    Also a ``RuntimeError``, which is what anyio's portal raises there.
    """


class PortalStoppedError(TransportError, RuntimeError):
    """The portal has stopped (interpreter exit); a ``RuntimeError`` as in anyio."""


class Closeable(Protocol):
    """What the exit hook closes: an async client or an async ``SessionManager``."""

    async def aclose(self) -> None:
        """Close connections on the portal's loop."""
        ...


class _Call:
    """One call in flight: started on the loop, its outcome handed back through ``done``.

    A bare ``threading.Lock`` (acquired here, released on the loop) is the completion
    signal: cheaper than a ``concurrent.futures.Future``, and the outcome is set inside
    the task's last step, without waiting for a done-callback on the next loop pass.
    """

    __slots__ = ("args", "cancelled", "done", "error", "func", "kwargs", "result", "task")

    def __init__(
        self, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.done = threading.Lock()
        self.done.acquire()
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        # A strong reference: the loop only keeps weak references to tasks.
        self.task: asyncio.Task[None] | None = None

    def submit(self, loop: asyncio.AbstractEventLoop) -> None:
        """In the calling thread, for a coroutine function: make the coroutine and its task
        here and wake the loop, which runs the task's first step in the pass it wakes for.

        One loop pass and one callback fewer than :meth:`start` (about a third of a portal
        round trip); the task copies the caller's context either way (its OpenTelemetry
        span). Outside debug mode, scheduling is what ``call_soon_threadsafe`` does before
        it wakes the loop; debug mode's thread check refuses it, so the portal then starts
        the call on the loop instead.
        """
        coro = self.func(*self.args, **self.kwargs)
        run = self.run(coro)
        try:
            self.task = loop.create_task(run)
        except BaseException:
            run.close()  # the loop is closed: no "never awaited" warnings
            coro.close()
            raise
        loop.call_soon_threadsafe(_wake)

    def start(self) -> None:
        """Runs on the loop: call ``func``; await what it returns in a task, if anything."""
        try:
            result = self.func(*self.args, **self.kwargs)
            if asyncio.iscoroutine(result) or inspect.isawaitable(result):
                self.task = asyncio.get_running_loop().create_task(self.run(result))
                return
            self.result = result
        except BaseException as exc:  # handed to the calling thread, which re-raises it
            self.error = exc
        self.done.release()

    async def run(self, awaitable: Awaitable[Any]) -> None:
        try:
            self.result = await awaitable
        except asyncio.CancelledError:
            self.cancelled = True
        except BaseException as exc:  # handed to the calling thread, which re-raises it
            self.error = exc
        finally:
            self.done.release()

    def cancel(self) -> None:
        """Runs on the loop when the caller gave up (e.g. ``KeyboardInterrupt``)."""
        if self.task is not None:
            self.task.cancel()

    def outcome(self) -> Any:
        """In the calling thread, once ``done`` is released: the result or the error."""
        if self.error is not None:
            try:
                raise self.error
            finally:
                self.error = None  # no reference cycle through the traceback
        if self.cancelled:
            raise PortalStoppedError("the call was cancelled: revclient's sync event loop stopped")
        return self.result


class Portal:
    """The loop thread's side of :mod:`revclient.sync`: :meth:`call` runs a function there.

    Made inside the loop thread by :func:`get_portal`.
    """

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        #: ``threading.get_ident()`` of the loop's thread.
        self.thread_id = threading.get_ident()
        self._running = True
        self._stopped = asyncio.Event()
        #: Inherited through ``fork()``: the loop thread is not in this process, and calls
        #: go to this process's own portal (clients made before the fork keep working).
        self.forked = False

    async def stop(self) -> None:
        """Refuse new calls and end the loop (its unfinished tasks are cancelled)."""
        self._running = False
        self._stopped.set()

    async def sleep_until_stopped(self) -> None:
        """Run until :meth:`stop` (the loop thread's main task)."""
        await self._stopped.wait()

    def check_thread(self) -> None:
        """Raise ``ConfigurationError`` on the loop's own thread, where blocking deadlocks."""
        if threading.get_ident() == self.thread_id:
            raise PortalThreadError(
                "a revclient.sync client was called from revclient's own event-loop thread "
                "(inside async code the sync facade runs); blocking there would deadlock. "
                "Use the async client (revclient.AsyncRev23 / AsyncRevio) and await it instead"
            )
        if not self._running:
            raise PortalStoppedError(
                "revclient's sync event loop has stopped (the interpreter is exiting)"
            )
        if asyncio._get_running_loop() is not None:
            _warn_blocking_loop()

    @overload
    def call(
        self, func: Callable[P, Coroutine[Any, Any, T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...

    @overload
    def call(self, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    def call(self, func: Callable[P, Awaitable[T] | T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``func(*args, **kwargs)`` on the loop (awaiting it if it returns an
        awaitable); block for the result and raise its exception, the same object async
        code would see."""
        result: T = self.call_with_timeout(None, func, *args, **kwargs)
        return result

    def call_with_timeout(
        self, timeout: float | None, func: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> Any:
        """:meth:`call` that gives up (and cancels the task) after ``timeout`` seconds."""
        if self.forked:
            return get_portal().call_with_timeout(timeout, func, *args, **kwargs)
        self.check_thread()
        call = _Call(func, args, kwargs)
        flags = getattr(getattr(func, "__code__", None), "co_flags", 0)
        try:
            if flags & inspect.CO_COROUTINE and not self.loop.get_debug():
                call.submit(self.loop)
            else:
                self.loop.call_soon_threadsafe(call.start)
        except RuntimeError:  # the loop is closed
            raise PortalStoppedError("revclient's sync event loop has stopped") from None
        try:
            finished = call.done.acquire(True, -1 if timeout is None else timeout)
        except BaseException:
            # Interrupted (Ctrl+C): do not leave the request running on the loop.
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(call.cancel)
            raise
        if not finished:
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(call.cancel)
            raise TimeoutError(f"no answer from revclient's event loop within {timeout} s")
        return call.outcome()


def _wake() -> None:
    """Nothing: ``call_soon_threadsafe(_wake)`` wakes the loop for a task made elsewhere."""


_warned_blocking = False


def _warn_blocking_loop() -> None:
    # Once per process: the call works, but it stalls every task of the caller's loop.
    global _warned_blocking
    if _warned_blocking:
        return
    _warned_blocking = True
    warnings.warn(
        "a revclient.sync client was called from a thread whose event loop is running; the "
        "call blocks that loop until it returns. In async code use revclient.AsyncRev23 / "
        "revclient.AsyncRevio and await them instead",
        RuntimeWarning,
        stacklevel=_caller_level(),
    )


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside revclient: the user's line, however
    deep the call went (a resource method, ``request()``, a paginator)."""
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and os.path.abspath(frame.f_code.co_filename).startswith(
        package
    ):
        frame, level = frame.f_back, level + 1
    return level


class _Runtime:
    """The running portal and its thread."""

    def __init__(self, portal: Portal, thread: threading.Thread) -> None:
        self.portal = portal
        self.thread = thread
        self.closing: set[asyncio.Future[None]] = set()  # closes started by finalizers


# An RLock: a sync client's finalizer may run from garbage collection while this thread
# already holds the lock.
_lock = threading.RLock()
_runtime: _Runtime | None = None
_exiting = False
# Async clients and managers owned by live sync clients; closed at exit.
_open: set[Closeable] = set()
_hook_registered = False


def get_portal() -> Portal:
    """The process's portal, started on first use."""
    runtime = _runtime
    if runtime is not None:
        return runtime.portal
    with _lock:
        if _runtime is None:
            _start()
        assert _runtime is not None
        return _runtime.portal


def _start() -> None:
    global _runtime, _hook_registered
    if _exiting:
        raise PortalStoppedError(
            "revclient's sync event loop has stopped (the interpreter is exiting)"
        )
    ready: concurrent.futures.Future[Portal] = concurrent.futures.Future()

    async def serve() -> None:
        portal = Portal()
        ready.set_result(portal)
        await portal.sleep_until_stopped()

    def run() -> None:
        try:
            anyio.run(serve, backend="asyncio")
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)

    # A daemon thread: interpreter shutdown joins non-daemon threads *before* atexit
    # hooks run, so a non-daemon loop thread would hang at exit; the hook stops it.
    thread = threading.Thread(target=run, name="revclient-portal", daemon=True)
    thread.start()
    portal = ready.result()  # blocks on a lock until the loop runs: no busy-waiting
    _runtime = _Runtime(portal, thread)
    if not _hook_registered:
        atexit.register(shutdown)
        _hook_registered = True


def register(client: Closeable) -> None:
    """Track an async client (or manager) owned by a sync one, to close it at exit."""
    with _lock:
        _open.add(client)


def unregister(client: Closeable) -> bool:
    """Stop tracking ``client``; ``False`` when it was closed already."""
    with _lock:
        if client in _open:
            _open.discard(client)
            return True
        return False


def close_soon(client: Closeable) -> None:
    """Close ``client`` on the loop without waiting (a sync client was garbage collected).

    Safe from any thread, the loop's own included, and from a finalizer.
    """
    if not unregister(client):
        return
    runtime = _runtime
    if runtime is None:
        return

    def spawn() -> None:
        task = asyncio.ensure_future(client.aclose())
        runtime.closing.add(task)
        task.add_done_callback(_forget(runtime))

    with contextlib.suppress(RuntimeError):  # the loop has stopped
        runtime.portal.loop.call_soon_threadsafe(spawn)


def _forget(runtime: _Runtime) -> Callable[[asyncio.Future[None]], None]:
    def done(task: asyncio.Future[None]) -> None:
        runtime.closing.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: a failed close at GC time is not worth a warning

    return done


async def _close_all(clients: list[Closeable], runtime: _Runtime) -> None:
    # return_exceptions: a client that fails to close must not stop the others.
    await asyncio.gather(
        *(c.aclose() for c in clients), *list(runtime.closing), return_exceptions=True
    )


def shutdown() -> None:
    """Close every sync client's async client, then stop the loop (the ``atexit`` hook).

    Later sync calls raise ``TransportError``. Idempotent.
    """
    global _runtime, _exiting
    with _lock:
        runtime, _runtime = _runtime, None
        _exiting = True
        clients = list(_open)
        _open.clear()
    if runtime is None:
        return
    portal = runtime.portal
    if threading.get_ident() == portal.thread_id:
        return  # cannot block on our own loop; it dies with the process
    with contextlib.suppress(Exception):
        portal.call_with_timeout(_EXIT_TIMEOUT, _close_all, clients, runtime)
    with contextlib.suppress(Exception):
        portal.call_with_timeout(_EXIT_TIMEOUT, portal.stop)
    runtime.thread.join(_EXIT_TIMEOUT)


def _after_fork_in_child() -> None:
    # The loop thread does not exist in a forked child: start afresh there on first use.
    # The clients in ``_open`` stay (closed at the child's exit): their pools drop the
    # parent's connections themselves (revclient._fork).
    global _runtime, _lock
    _lock = threading.RLock()
    if _runtime is not None:
        _runtime.portal.forked = True
    _runtime = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def weak_closer(owner: object, client: Closeable) -> weakref.finalize[Any, Any]:
    """Close ``client`` soon after ``owner`` is garbage collected, unless detached first."""
    register(client)
    finalizer = weakref.finalize(owner, close_soon, client)
    finalizer.atexit = False  # the exit hook closes what is still open, loop still running
    return finalizer
