"""The in-memory per-key rate limiter: two token supplies and one waiter queue.

Why pacing
----------
Servers count in different ways, and we do not know which one REV23 or Rev.io PSA runs.
nginx ``limit_req`` is a leaky bucket that, without ``burst`` (its default), refuses any
request closer than ``period / limit`` to the previous one; HAProxy, Azure API Management
and the ``limits`` library *estimate* a sliding window from two fixed ones and refuse a
burst at a window's start; exact windows and token buckets accept bursts. Evenly spaced
requests pass all of them. So a request starts only when both supplies below have a token:

``_Pacer`` (GCRA)
    Requests start no closer than ``rate.interval`` (``period / limit`` plus a jitter
    margin, so two requests sent one interval apart still arrive at least ``period /
    limit`` apart after loopback or LAN jitter). ``burst`` requests may start back to back
    after an idle spell (a token bucket of capacity ``burst``; 1 by default). The state is
    one number, the theoretical arrival time ``tat``: the next start may happen at
    ``tat - (burst - 1) * interval``. A timer that fires up to 1 ms late (selectors round
    timeouts up to the millisecond) does not push the schedule back, so the lateness does
    not pile up into a lost share of the budget; the jitter margin's fixed 1 ms covers it.

``_Window``
    ``refill="window"`` (the default) also keeps ``limit`` tokens; a request holds one
    while it is in flight and the token is usable again ``period + margin`` after the
    request *finished*. The server can only have seen a request before its answer arrived,
    so no window of ``period`` seconds as the server counts it ever holds more than
    ``limit`` arrivals, whatever the jitter. ``refill="continuous"`` has no window: a plain
    token bucket of capacity ``burst``.

Learning from 429s
------------------
A 429 is news only for requests granted after the key last changed its pace (the others
were sent under the old pace). Then: while bursting, the key stops bursting (the server
refuses bursts); while paced, the pace slows by a factor of ``1 / _DECREASE``
(multiplicative decrease) and climbs back linearly, by ``_RECOVERY`` of the configured rate
per period (additive increase), as TCP congestion control and AWS's adaptive retry mode do.
The recovery is derived from the time of the last decrease, not ticked. A ``Retry-After``
pauses every request on the key until it has passed; without one, a bursting window key
waits for its oldest token and a paced key for one (slower) interval. What the key learned
lives as long as the bucket: the :class:`~revclient.backends.MemoryBackend` keeps it for the
process.

Waiting
-------
Waiters queue first come first served. Only the head of the queue has a timer, armed for
the moment the supplies can next grant (or a pause ends), on the head waiter's own event
loop; when it fires every waiter that can now be served is woken in order and one timer
is armed for the next. No polling, no per-tick wake-ups. A cancelled waiter is skipped
(its place is given back); a waiter cancelled after it was granted returns its token.
The limiter is shared by every client on the key in this process, including the sync
facade's event-loop thread, so its state sits behind a ``threading.Lock`` (held for a few
arithmetic operations) and waiters and timers on other event loops are reached
thread-safely.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from . import _fork
from ._advertised import Advertised, Budget, obeyed
from ._config import RateLimit

__all__ = ["TokenBucket"]

#: A 429 while paced multiplies the rate by this.
_DECREASE = 0.8
#: Then the rate climbs back by this fraction of the configured rate per period.
_RECOVERY = 0.2
#: Float slack when comparing a start time with now (or a timer re-fires forever).
_EPSILON = 1e-9
#: How late a timer may fire without pushing the pace back: selectors round their
#: timeouts up to the next millisecond. The jitter margin's fixed 1 ms covers it.
_SLACK = 0.001


class _Pacer:
    """Spacing between starts (GCRA), with what the key learned from 429s."""

    __slots__ = ("base", "burst", "changed_at", "configured_burst", "period", "slow", "tat")

    def __init__(self, rate: RateLimit) -> None:
        self.base = rate.interval
        self.period = rate.period
        self.configured_burst = self.burst = rate.burst
        self.tat = -math.inf  # a full bucket: ``burst`` may start at once
        self.slow = self.base  # the interval right after the last decrease
        self.changed_at = -math.inf  # when the pace last changed

    def interval(self, now: float) -> float:
        """The current spacing: the base, or a slowed one climbing back to it."""
        if self.slow == self.base:
            return self.base
        rate = 1.0 / self.slow + _RECOVERY * (now - self.changed_at) / (self.period * self.base)
        return self.base if rate * self.base >= 1.0 else 1.0 / rate

    def next_time(self, now: float) -> float:
        return self.tat - (self.burst - 1) * self.interval(now)

    def take(self, now: float) -> bool:
        interval = self.interval(now)
        if now < self.tat - (self.burst - 1) * interval - _EPSILON:
            return False
        # Keep to the schedule when a timer fired a little late, rather than let the
        # lateness pile up; after an idle spell, start the schedule from now.
        self.tat = (self.tat if self.tat >= now - _SLACK else now) + interval
        return True

    def give_back(self, now: float) -> None:
        self.tat -= self.interval(now)

    def throttled(self, now: float, granted_at: float) -> None:
        """The server answered 429 to a request granted at ``granted_at``."""
        if granted_at > self.changed_at:
            if self.burst > 1:
                self.burst = 1
            else:
                self.slow = min(self.period, self.interval(now) / _DECREASE)
            self.changed_at = now
        # The server's bucket is empty: nothing starts before one interval from now.
        self.tat = max(self.tat, now + self.interval(now))

    def idle(self, now: float) -> bool:
        return (
            self.tat <= now
            and self.burst == self.configured_burst
            and self.interval(now) == self.base
        )


class _Window:
    """``limit`` tokens, each usable again ``period + margin`` after its request finished."""

    __slots__ = ("cooldown", "free", "held", "returning")

    def __init__(self, rate: RateLimit) -> None:
        self.cooldown = rate.period + rate.effective_margin
        self.free = rate.limit
        self.held = 0
        self.returning: deque[float] = deque()  # return times of used tokens, in order

    def drain(self, now: float) -> None:
        returning = self.returning
        while returning and returning[0] <= now:
            returning.popleft()
            self.free += 1

    def next_time(self, now: float) -> float | None:
        """When a token is free; ``None`` until a request in flight finishes."""
        self.drain(now)
        if self.free > 0:  # below 0 after a smaller limit was adopted (reconfigure)
            return now
        return self.returning[0] if self.returning else None

    def take(self) -> None:
        self.free -= 1
        self.held += 1

    def release(self, now: float) -> None:
        self.held -= 1
        self.returning.append(now + self.cooldown)

    def give_back(self) -> None:
        self.held -= 1
        self.free += 1

    def idle(self, now: float) -> bool:
        self.drain(now)
        return self.held == 0 and not self.returning


class _Waiter:
    __slots__ = ("cancelled", "future", "granted_at", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.future: asyncio.Future[None] = loop.create_future()
        self.granted_at: float | None = None
        self.cancelled = False


class _Timer:
    """The key's one timer, on one event loop; ``fire`` runs when it is due."""

    __slots__ = ("at", "handle", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop, at: float) -> None:
        self.loop = loop
        self.at = at
        self.handle: asyncio.TimerHandle | None = None

    def start(self, fire: Callable[[_Timer], None]) -> None:
        if _running_loop() is self.loop:
            self.handle = self.loop.call_at(self.at, fire, self)
        else:
            self.loop.call_soon_threadsafe(self._start_there, fire)

    def _start_there(self, fire: Callable[[_Timer], None]) -> None:
        self.handle = self.loop.call_at(self.at, fire, self)

    def cancel(self) -> None:
        # A handle on another loop is left to fire: ``fire`` ignores a timer that is no
        # longer the key's (TimerHandle.cancel is not thread-safe).
        if self.handle is not None and _running_loop() is self.loop:
            self.handle.cancel()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class TokenBucket:
    """One key's request budget (see the module docstring for the algorithm).

    ``clock`` must be monotonic and share its epoch with the event loops' ``time()``
    (``time.monotonic``, the asyncio default); tests pass a virtual clock.
    """

    def __init__(self, rate: RateLimit, *, clock: Callable[[], float] = time.monotonic) -> None:
        #: The budget in force: the configured one, or a tighter one the server advertised.
        self.rate = rate
        #: The budget the clients configured.
        self.configured = rate
        #: What the server last advertised, if anything.
        self.advertised: Advertised | None = None
        self._clock = clock
        self._lock = threading.Lock()
        self._pacer = _Pacer(rate)
        self._window = _Window(rate) if rate.refill == "window" else None
        self._paused_until = -math.inf
        self._waiters: deque[_Waiter] = deque()
        self._live = 0  # waiters not cancelled
        self._timer: _Timer | None = None
        _fork.track(self)

    def _after_fork(self) -> None:
        # In a forked child (see revclient._fork): the parent's waiters and timer live on
        # event loops that do not run here, and its requests in flight are never released
        # here; they count as finished now, so their tokens come back after the cooldown.
        self._lock = threading.Lock()
        self._waiters.clear()
        self._live = 0
        self._timer = None
        window = self._window
        if window is not None:
            now = self._clock()
            while window.held:
                window.release(now)

    # -- public API ---------------------------------------------------------------

    @property
    def waiting(self) -> int:
        """How many requests are queued for a token."""
        return self._live

    def idle(self) -> bool:
        """True when forgetting this bucket loses nothing: no waiter, no token in flight or
        on its way back, no pause, nothing learned from 429s."""
        with self._lock:
            now = self._clock()
            return (
                not self._live
                and now >= self._paused_until
                and self._pacer.idle(now)
                and (self._window is None or self._window.idle(now))
            )

    async def acquire(self) -> float:
        """Wait for a token, first come first served; cancellation gives the place back.

        Returns the grant time (the lease :meth:`pause` uses to tell old 429s from news).
        """
        loop = asyncio.get_running_loop()
        with self._lock:
            now = self._clock()
            if not self._live and self._take(now):
                return now
            waiter = _Waiter(loop)
            self._waiters.append(waiter)
            self._live += 1
            if self._live == 1:
                self._schedule(now)
        try:
            await waiter.future
        except asyncio.CancelledError:
            with self._lock:
                if waiter.granted_at is not None:
                    self._give_back()
                else:
                    waiter.cancelled = True
                    self._live -= 1
                self._schedule(self._clock())
            raise
        assert waiter.granted_at is not None
        return waiter.granted_at

    async def release(self, lease: object = None) -> None:
        """The request started under ``lease`` is over: its window token starts returning."""
        if self._window is None:
            return
        with self._lock:
            now = self._clock()
            self._window.release(now)
            if self._live:
                self._schedule(now)

    async def pause(self, delay: float | None, lease: object = None) -> None:
        """The server answered 429 (``delay``: its ``Retry-After``, or ``None``) to the
        request granted under ``lease``: learn from it and hold the key (module docstring).
        """
        with self._lock:
            now = self._clock()
            granted_at = lease if isinstance(lease, float) else now
            bursting = self._pacer.burst > 1
            self._pacer.throttled(now, granted_at)
            until = -math.inf
            if delay is not None:
                until = now + max(0.0, delay)
            elif bursting and self._window is not None:
                # The burst filled the server's window: wait for our oldest token.
                window = self._window
                window.drain(now)
                until = window.returning[0] if window.returning else now + window.cooldown
            if until > self._paused_until:
                self._paused_until = until
            if self._live:
                self._schedule(now)

    def reconfigure(self, rate: RateLimit) -> None:
        """Adopt ``rate`` (its key's clients were all closed and a new one asked for it),
        keeping what was sent: the schedule, and the tokens in flight or on their way back,
        which count against the new limit as they did against the old one."""
        with self._lock:
            self.configured = rate
            self._apply(rate)

    async def advertise(self, advertised: Advertised) -> None:
        """What the server said about the key's budget (``revclient._advertised``): with
        nothing remaining, hold the key until the server's reset; a limit tighter than the
        configured one over the same period is obeyed (a looser one never is)."""
        with self._lock:
            self.advertised = advertised
            now = self._clock()
            if advertised.remaining == 0 and advertised.reset:
                self._paused_until = max(self._paused_until, now + advertised.reset)
            target = obeyed(self.configured, advertised)
            if target != self.rate:
                self._apply(target)
            elif self._live:
                self._schedule(now)

    async def snapshot(self) -> Budget:
        """What ``client.budget()`` shows."""
        with self._lock:
            now = self._clock()
            window = self._window
            if window is not None:
                window.drain(now)
            return Budget(
                rate=self.rate,
                configured=self.configured,
                free=max(0, window.free) if window is not None else None,
                in_flight=window.held if window is not None else None,
                queued=self._live,
                paused_for=max(0.0, self._paused_until - now),
                next_start_in=max(0.0, self._pacer.next_time(now) - now),
                advertised=self.advertised,
            )

    def _apply(self, rate: RateLimit) -> None:
        # With the lock held: use ``rate`` from now on, keeping what was sent.
        old, self.rate = self.rate, rate
        tat = self._pacer.tat
        self._pacer = _Pacer(rate)
        self._pacer.tat = tat
        window = self._window
        if rate.refill != "window":
            self._window = None
        elif window is None:
            self._window = _Window(rate)
        else:
            window.cooldown = rate.period + rate.effective_margin
            window.free += rate.limit - old.limit  # may go below 0 until tokens return
        if self._live:
            self._schedule(self._clock())

    # -- internals (all called with the lock held) --------------------------------

    def _take(self, now: float) -> bool:
        if now < self._paused_until:
            return False
        window = self._window
        if window is not None:
            window.drain(now)
            if window.free <= 0:
                return False
        if not self._pacer.take(now):
            return False
        if window is not None:
            window.take()
        return True

    def _give_back(self) -> None:
        self._pacer.give_back(self._clock())
        if self._window is not None:
            self._window.give_back()

    def _next_time(self, now: float) -> float | None:
        """When the head waiter could be served; ``None`` until a request finishes."""
        at = max(self._paused_until, self._pacer.next_time(now))
        if self._window is not None:
            free_at = self._window.next_time(now)
            if free_at is None:
                return None
            at = max(at, free_at)
        return at

    def _schedule(self, now: float) -> None:
        """Grant what can be granted now, then keep one timer for the next grant."""
        waiters = self._waiters
        while waiters:
            head = waiters[0]
            if head.cancelled:
                waiters.popleft()
                continue
            if not self._take(now):
                break
            waiters.popleft()
            self._live -= 1
            head.granted_at = now
            _wake(head)
        at = self._next_time(now) if waiters else None
        timer = self._timer
        if timer is not None:
            if at is not None and timer.at <= at and timer.loop is waiters[0].loop:
                return  # it fires in time (early is harmless: it schedules again)
            self._timer = None
            timer.cancel()
        if at is not None:
            # The timer lives on the head waiter's loop: that loop is running for sure.
            self._timer = _Timer(waiters[0].loop, at)
            self._timer.start(self._fire)

    def _fire(self, timer: _Timer) -> None:
        with self._lock:
            if timer is not self._timer:
                return  # replaced or cancelled from another thread
            self._timer = None
            self._schedule(self._clock())


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _wake(waiter: _Waiter) -> None:
    if _running_loop() is waiter.loop:
        _resolve(waiter.future)
    else:
        waiter.loop.call_soon_threadsafe(_resolve, waiter.future)
