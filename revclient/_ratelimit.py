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

Several windows
---------------
A key may have several windows (``[RateLimit(500, 60), RateLimit(150_000, 86_400)]``): a
request starts only when each has a token. The shortest window sets the pace (the pacer
above runs on it); the longer ones only count, each a ``_Window`` of its own: pacing a day's
quota would spread it over the day when a pull needs it in an hour, and day quotas are
counters on every gateway we know. A window keeps its returning tokens in at most about
1,024 entries (tokens returning within ``period / 1024`` of each other come back together,
at the later time), so a window of 150,000 a day costs no memory per request.

Lanes
-----
Each waiter is in one of two lanes, ``interactive`` (the default) and ``bulk`` (pulls).
Queued interactive waiters are served before queued bulk ones, first come first served
within a lane, and a bulk request never takes the last ``RateLimit.kept`` (``reserve x
limit``) tokens of any window. So while a pull saturates the key, an interactive call waits
for the pacer's next slot only (one interval), never behind the pull's queue, and a pull
alone still gets ``1 - reserve`` of the budget. A bulk waiter needs everything an
interactive one needs and more, so when the head of the queue cannot be served nobody
behind it can: the one-timer rule below stays.

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
Waiters queue first come first served in their lane. Only the head of the queue (the
first interactive waiter, else the first bulk one) has a timer, armed for
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
from ._advertised import Advertised, Budget, WindowBudget, obeyed
from ._config import Priority, RateLimit, Rates, windows

__all__ = ["TokenBucket"]

#: A window keeps its returning tokens in at most about this many entries.
_ENTRIES = 1024
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
    """``limit`` tokens, each usable again ``period + margin`` after its request finished.

    Tokens returning within ``period / 1024`` of each other come back together, at the
    later time (a little late, never early): a window of 150,000 a day keeps at most about
    a thousand entries, never one per request.
    """

    __slots__ = ("cooldown", "free", "grain", "held", "kept", "returning")

    def __init__(self, rate: RateLimit) -> None:
        self.cooldown = self.grain = 0.0
        self.kept = 0
        self.free = rate.limit
        self.held = 0
        # [return time, tokens] of used tokens, in order of return.
        self.returning: deque[list[float]] = deque()
        self.adopt(rate, rate)

    def adopt(self, rate: RateLimit, old: RateLimit) -> None:
        """Use ``rate`` from now on; what was sent counts against it (``free`` may go
        below 0 until tokens return)."""
        self.cooldown = rate.period + rate.effective_margin
        self.grain = rate.period / _ENTRIES
        self.kept = rate.kept
        self.free += rate.limit - old.limit

    def drain(self, now: float) -> None:
        returning = self.returning
        while returning and returning[0][0] <= now:
            self.free += int(returning.popleft()[1])

    def next_time(self, now: float, need: int) -> float | None:
        """When ``need`` tokens are free; ``None`` until a request in flight finishes."""
        self.drain(now)
        free = self.free
        if free >= need:
            return now
        for at, count in self.returning:
            free += int(count)
            if free >= need:
                return at
        return None

    def take(self) -> None:
        self.free -= 1
        self.held += 1

    def release(self, now: float) -> None:
        self.held -= 1
        at = now + self.cooldown
        returning = self.returning
        if returning and returning[-1][0] >= at - self.grain:
            last = returning[-1]
            last[0] = max(last[0], at)
            last[1] += 1
        else:
            returning.append([at, 1])

    def give_back(self) -> None:
        self.held -= 1
        self.free += 1

    def idle(self, now: float) -> bool:
        self.drain(now)
        return self.held == 0 and not self.returning


class _Waiter:
    __slots__ = ("bulk", "cancelled", "future", "granted_at", "loop")

    def __init__(self, loop: asyncio.AbstractEventLoop, bulk: bool) -> None:
        self.loop = loop
        self.bulk = bulk
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

    ``rate`` is one window or several (the shortest first, as
    :func:`revclient._config.check_rate_limit` gives them). ``clock`` must be monotonic and
    share its epoch with the event loops' ``time()`` (``time.monotonic``, the asyncio
    default); tests pass a virtual clock.
    """

    def __init__(self, rate: Rates, *, clock: Callable[[], float] = time.monotonic) -> None:
        #: The budget in force: the configured one, or a tighter one the server advertised.
        self.rate = rate
        #: The budget the clients configured.
        self.configured = rate
        #: What the server last advertised, if anything.
        self.advertised: Advertised | None = None
        self._clock = clock
        self._lock = threading.Lock()
        rates = windows(rate)
        self._pacer = _Pacer(rates[0])
        self._windows = [_Window(r) for r in _counted(rate)]
        self._paused_until = -math.inf
        # One queue per lane: interactive [0], bulk [1]; and how many of each still wait.
        self._queues: tuple[deque[_Waiter], deque[_Waiter]] = (deque(), deque())
        self._live = [0, 0]
        self._timer: _Timer | None = None
        _fork.track(self)

    def _after_fork(self) -> None:
        # In a forked child (see revclient._fork): the parent's waiters and timer live on
        # event loops that do not run here, and its requests in flight are never released
        # here; they count as finished now, so their tokens come back after the cooldown.
        self._lock = threading.Lock()
        for queue in self._queues:
            queue.clear()
        self._live = [0, 0]
        self._timer = None
        now = self._clock()
        for window in self._windows:
            while window.held:
                window.release(now)

    # -- public API ---------------------------------------------------------------

    @property
    def waiting(self) -> int:
        """How many requests are queued for a token (both lanes)."""
        return self._live[0] + self._live[1]

    def idle(self) -> bool:
        """True when forgetting this bucket loses nothing: no waiter, no token in flight or
        on its way back, no pause, nothing learned from 429s."""
        with self._lock:
            now = self._clock()
            return (
                not self.waiting
                and now >= self._paused_until
                and self._pacer.idle(now)
                and all(window.idle(now) for window in self._windows)
            )

    async def acquire(self, priority: Priority = "interactive") -> float:
        """Wait for a token: interactive calls first, first come first served within a lane;
        a bulk call never takes a window's reserve. Cancellation gives the place back.

        Returns the grant time (the lease :meth:`pause` uses to tell old 429s from news).
        """
        bulk = priority == "bulk"
        loop = asyncio.get_running_loop()
        with self._lock:
            now = self._clock()
            # Only the waiters of its own lane or a higher one are ahead of a call.
            if not (self._live[0] or (bulk and self._live[1])) and self._take(now, bulk):
                return now
            waiter = _Waiter(loop, bulk)
            self._queues[bulk].append(waiter)
            self._live[bulk] += 1
            self._schedule(now)
        try:
            await waiter.future
        except asyncio.CancelledError:
            with self._lock:
                if waiter.granted_at is not None:
                    self._give_back()
                else:
                    waiter.cancelled = True
                    self._live[bulk] -= 1
                self._schedule(self._clock())
            raise
        assert waiter.granted_at is not None
        return waiter.granted_at

    async def release(self, lease: object = None) -> None:
        """The request started under ``lease`` is over: its window tokens start returning."""
        if not self._windows:
            return
        with self._lock:
            now = self._clock()
            for window in self._windows:
                window.release(now)
            if self.waiting:
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
            window = self._pacing_window()
            if delay is not None:
                until = now + max(0.0, delay)
            elif bursting and window is not None:
                # The burst filled the server's window: wait for our oldest token.
                window.drain(now)
                until = window.returning[0][0] if window.returning else now + window.cooldown
            if until > self._paused_until:
                self._paused_until = until
            if self.waiting:
                self._schedule(now)

    def reconfigure(self, rate: Rates) -> None:
        """Adopt ``rate`` (its key's clients were all closed and a new one asked for it),
        keeping what was sent: the schedule, and the tokens in flight or on their way back,
        which count against a window of the same period as they did before."""
        with self._lock:
            self.configured = rate
            self._apply(rate)

    async def advertise(self, advertised: Advertised) -> None:
        """What the server said about the key's budget (``revclient._advertised``): with
        nothing remaining, hold the key until the server's reset; a limit tighter than the
        configured window of the same period is obeyed (a looser one never is)."""
        with self._lock:
            self.advertised = advertised
            now = self._clock()
            if advertised.remaining == 0 and advertised.reset:
                self._paused_until = max(self._paused_until, now + advertised.reset)
            target = obeyed(self.configured, advertised)
            if target != self.rate:
                self._apply(target)
            elif self.waiting:
                self._schedule(now)

    async def snapshot(self) -> Budget:
        """What ``client.budget()`` shows."""
        with self._lock:
            now = self._clock()
            shown = []
            for rate, window in zip(_counted(self.rate), self._windows, strict=True):
                window.drain(now)
                shown.append(WindowBudget(rate, max(0, window.free)))
            return Budget(
                rate=self.rate,
                configured=self.configured,
                free=min((w.free for w in shown), default=None),
                in_flight=self._windows[0].held if self._windows else None,
                queued=self.waiting,
                queued_bulk=self._live[1],
                paused_for=max(0.0, self._paused_until - now),
                next_start_in=max(0.0, self._pacer.next_time(now) - now),
                advertised=self.advertised,
                windows=tuple(shown),
            )

    def _pacing_window(self) -> _Window | None:
        """The shortest window, when it counts tokens (``refill="window"``)."""
        return self._windows[0] if windows(self.rate)[0].refill == "window" else None

    def _apply(self, rate: Rates) -> None:
        # With the lock held: use ``rate`` from now on, keeping what was sent.
        old = {r.period: (r, w) for r, w in zip(_counted(self.rate), self._windows, strict=True)}
        self.rate = rate
        rates = windows(rate)
        tat = self._pacer.tat
        self._pacer = _Pacer(rates[0])
        self._pacer.tat = tat
        kept = []
        for new in _counted(rate):
            found = old.get(new.period)
            if found is None:
                kept.append(_Window(new))
            else:
                found[1].adopt(new, found[0])
                kept.append(found[1])
        self._windows = kept
        if self.waiting:
            self._schedule(self._clock())

    # -- internals (all called with the lock held) --------------------------------

    def _take(self, now: float, bulk: bool) -> bool:
        if now < self._paused_until:
            return False
        for window in self._windows:
            window.drain(now)
            if window.free <= (window.kept if bulk else 0):
                return False
        if not self._pacer.take(now):
            return False
        for window in self._windows:
            window.take()
        return True

    def _give_back(self) -> None:
        self._pacer.give_back(self._clock())
        for window in self._windows:
            window.give_back()

    def _next_time(self, now: float, bulk: bool) -> float | None:
        """When a waiter of that lane could be served; ``None`` until a request finishes."""
        at = max(self._paused_until, self._pacer.next_time(now))
        for window in self._windows:
            free_at = window.next_time(now, window.kept + 1 if bulk else 1)
            if free_at is None:
                return None
            at = max(at, free_at)
        return at

    def _head(self) -> _Waiter | None:
        """The next waiter to serve: the first interactive one, else the first bulk one."""
        for queue in self._queues:
            while queue and queue[0].cancelled:
                queue.popleft()
            if queue:
                return queue[0]
        return None

    def _schedule(self, now: float) -> None:
        """Grant what can be granted now, then keep one timer for the next grant."""
        # A bulk waiter needs all an interactive one needs and more (the reserve): when the
        # head cannot be served, nobody behind it can.
        head = self._head()
        while head is not None and self._take(now, head.bulk):
            self._queues[head.bulk].popleft()
            self._live[head.bulk] -= 1
            head.granted_at = now
            _wake(head)
            head = self._head()
        at = self._next_time(now, head.bulk) if head is not None else None
        timer = self._timer
        if timer is not None:
            if at is not None and head is not None and timer.at <= at and timer.loop is head.loop:
                return  # it fires in time (early is harmless: it schedules again)
            self._timer = None
            timer.cancel()
        if at is not None and head is not None:
            # The timer lives on the head waiter's loop: that loop is running for sure.
            self._timer = _Timer(head.loop, at)
            self._timer.start(self._fire)

    def _fire(self, timer: _Timer) -> None:
        with self._lock:
            if timer is not self._timer:
                return  # replaced or cancelled from another thread
            self._timer = None
            self._schedule(self._clock())


def _counted(rate: Rates) -> list[RateLimit]:
    """The windows that count tokens (all but a ``refill="continuous"`` pacing one)."""
    return [r for r in windows(rate) if r.refill == "window"]


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _wake(waiter: _Waiter) -> None:
    if _running_loop() is waiter.loop:
        _resolve(waiter.future)
    else:
        waiter.loop.call_soon_threadsafe(_resolve, waiter.future)
