"""The in-memory per-key rate limiter.

Algorithm (``refill="window"``, the default)
--------------------------------------------
The key owns ``limit`` tokens. A request takes one before it is sent and hands it back
when its answer has been read (or it failed); the token becomes usable again ``period +
margin`` seconds after that. So every token is used at most once per ``period`` and, since
the server can only have seen a request before its answer arrived, no window of ``period``
seconds *as the server counts it* ever holds more than ``limit`` arrivals, whatever the
network jitter and whatever window type (fixed, sliding, bucket) the server uses. Holding
the token for the request's flight costs one round trip per token per period, well under
1 % of a 60 s budget, and it also bounds in-flight requests per key by ``limit``.

``refill="continuous"`` is a classic token bucket (capacity ``limit``, refilled at
``limit / period`` tokens per second) for servers known to count that way.

Waiting
-------
Waiters queue first come first served. Only the head of the queue has a timer, armed for
the moment the next token returns (or a 429 pause ends); when it fires every waiter that
can now be served is woken in order and the timer is re-armed for the next one. There is
no polling and there are no per-tick wake-ups: one timer per key. A cancelled waiter is
skipped (its place is given back); a waiter cancelled after it was granted returns its
unused token at once.

The limiter is shared by every client on the key in this process, including the sync
facade's event-loop thread, so its state sits behind a ``threading.Lock`` (held only for a
few arithmetic operations) and waiters on other event loops are woken thread-safely.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from ._config import RateLimit

__all__ = ["TokenBucket"]


class _Waiter:
    __slots__ = ("cancelled", "future", "granted", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop, future: asyncio.Future[None]) -> None:
        self.loop = loop
        self.future = future
        self.granted = False
        self.cancelled = False


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class TokenBucket:
    """One key's request budget (see the module docstring for the algorithm).

    ``clock`` must be monotonic and share its epoch with the event loops' ``time()``
    (``time.monotonic``, the asyncio default); tests pass a virtual clock.
    """

    def __init__(self, rate: RateLimit, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._limit = rate.limit
        self._cooldown = rate.period + rate.effective_margin
        self._continuous = rate.refill == "continuous"
        self._per_second = rate.limit / rate.period
        self._clock = clock
        self._lock = threading.Lock()
        # window mode: tokens ready now, tokens in flight, return times of used tokens
        self._free = rate.limit
        self._held = 0
        self._returning: deque[float] = deque()
        # continuous mode: fractional tokens at ``_stamp``
        self._tokens = float(rate.limit)
        self._stamp = clock()
        self._paused_until = -math.inf
        self._waiters: deque[_Waiter] = deque()
        self._live = 0  # waiters not cancelled
        self._timer: asyncio.TimerHandle | None = None
        self._timer_loop: asyncio.AbstractEventLoop | None = None
        self._timer_at = math.inf
        self._timer_gen = 0
        #: Requests granted so far (for stats and benchmarks).
        self.granted_total = 0

    # -- public API ---------------------------------------------------------------

    @property
    def waiting(self) -> int:
        """How many requests are queued for a token."""
        return self._live

    def idle(self) -> bool:
        """True when forgetting this bucket loses nothing: no waiter, no token in flight or
        on its way back, no pause."""
        with self._lock:
            now = self._clock()
            if self._live or now < self._paused_until:
                return False
            if self._continuous:
                self._refill(now)
                return self._tokens >= self._limit
            self._drain(now)
            return self._held == 0 and not self._returning

    async def acquire(self) -> None:
        """Wait for a token, first come first served. Cancellation gives the place back."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if not self._live and self._take(self._clock()):
                return
            waiter = _Waiter(loop, loop.create_future())
            self._waiters.append(waiter)
            self._live += 1
            if self._live == 1:
                self._arm(self._clock())
        try:
            await waiter.future
        except asyncio.CancelledError:
            with self._lock:
                if waiter.granted:
                    self._give_back()
                else:
                    waiter.cancelled = True
                    self._live -= 1
                now = self._clock()
                if self._timer_loop is loop:
                    # This loop may stop soon and it holds the key's timer: hand it on.
                    self._rearm(now)
                else:
                    self._arm(now)
            raise

    async def release(self, lease: object = None) -> None:
        """Return the token taken by :meth:`acquire`, once the request is over.

        Tokens of one bucket are interchangeable, so the lease is not needed here.
        """
        with self._lock:
            if self._continuous:
                return
            now = self._clock()
            self._held -= 1
            self._returning.append(now + self._cooldown)
            if self._live:
                self._arm(now)

    async def pause(self, delay: float | None) -> None:
        """The server answered 429: nobody on this key starts a request for ``delay`` seconds.

        ``None`` (no ``Retry-After``) pauses until the oldest used token returns, or one
        period when none is on its way back.
        """
        with self._lock:
            now = self._clock()
            self._drain(now)
            if delay is None:
                if self._continuous:
                    until = now + 1.0 / self._per_second  # one token's refill time
                elif self._returning:
                    until = self._returning[0]
                else:
                    until = now + self._cooldown
            else:
                until = now + max(0.0, delay)
            if until > self._paused_until:
                self._paused_until = until
            if self._continuous:
                # The server's bucket is empty: so is ours.
                self._tokens = min(self._tokens, 0.0)
            if self._live:
                self._rearm(now)

    # -- internals (all called with the lock held) --------------------------------

    def _take(self, now: float) -> bool:
        if now < self._paused_until:
            return False
        if self._continuous:
            self._refill(now)
            if self._tokens >= 1.0 - 1e-9:  # float slack, or the timer would re-fire
                self._tokens -= 1.0
                self.granted_total += 1
                return True
            return False
        self._drain(now)
        if self._free:
            self._free -= 1
            self._held += 1
            self.granted_total += 1
            return True
        return False

    def _drain(self, now: float) -> None:
        """Move tokens whose return time has come back to the free pool."""
        returning = self._returning
        while returning and returning[0] <= now:
            returning.popleft()
            self._free += 1

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens = min(
                float(self._limit), self._tokens + (now - self._stamp) * self._per_second
            )
            self._stamp = now

    def _give_back(self) -> None:
        self.granted_total -= 1
        if self._continuous:
            self._tokens += 1.0
        else:
            self._held -= 1
            self._free += 1

    def _next_time(self, now: float) -> float | None:
        """When the head waiter could be served; ``None`` until a token is released."""
        at = max(now, self._paused_until)
        if self._continuous:
            self._refill(now)
            missing = 1.0 - self._tokens
            return at if missing <= 0 else max(at, now + missing / self._per_second)
        if self._free:
            return at
        if self._returning:
            return max(at, self._returning[0])
        return None

    def _serve(self, now: float) -> None:
        """Grant tokens to waiters in order while tokens are available."""
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
            head.granted = True
            _wake(head)

    def _arm(self, now: float) -> None:
        """Serve what can be served now, then make sure a timer covers the next grant."""
        self._serve(now)
        if not self._live:
            return
        at = self._next_time(now)
        if at is None or at >= self._timer_at:
            return  # a release will call us again, or an earlier timer already covers it
        self._set_timer(at, now)

    def _rearm(self, now: float) -> None:
        self._timer_at = math.inf
        self._arm(now)

    def _set_timer(self, at: float, now: float) -> None:
        self._timer_gen += 1
        gen = self._timer_gen
        self._timer_at = at
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if self._timer is not None:
            # A stale timer on another loop is harmless: the generation check ignores it.
            if self._timer_loop is running:
                self._timer.cancel()
            self._timer = None
        # The timer lives on the head waiter's loop: that loop is running for sure.
        loop = next(w.loop for w in self._waiters if not w.cancelled)
        self._timer_loop = loop
        if running is loop:
            self._timer = loop.call_later(at - now, self._on_timer, gen)
        else:
            loop.call_soon_threadsafe(self._set_timer_there, gen, at)

    def _set_timer_there(self, gen: int, at: float) -> None:
        with self._lock:
            if gen != self._timer_gen:
                return
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(max(0.0, at - self._clock()), self._on_timer, gen)

    def _on_timer(self, gen: int) -> None:
        with self._lock:
            if gen != self._timer_gen:
                return
            self._timer = None
            self._timer_loop = None
            self._timer_at = math.inf
            self._arm(self._clock())


def _wake(waiter: _Waiter) -> None:
    loop = waiter.loop
    try:
        same = asyncio.get_running_loop() is loop
    except RuntimeError:
        same = False
    if same:
        _resolve(waiter.future)
    else:
        loop.call_soon_threadsafe(_resolve, waiter.future)
