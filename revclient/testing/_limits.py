"""Server-side rate-limiter families for the :class:`~revclient.testing.Sandbox`.

Each family is a small class holding one key's state, with one method,
``admit(now) -> float | None``: ``None`` means the arrival at ``now`` is accepted and counted,
otherwise the request is refused (its state is left as if it never came: rejected requests
never count) and the value is the earliest time at which a retry could succeed if nothing else
is accepted meanwhile. Times are seconds on one monotonic clock; ``limit`` and ``period`` come
from ``Sandbox(rate_limit=(limit, period))`` and ``rate = limit / period`` per second.

``"window_log"`` (:class:`WindowLog`, the sandbox default): a sliding log of accepted arrivals;
at most ``limit`` accepted in any window of ``period`` seconds (what
:meth:`Sandbox.max_in_window <revclient.testing.Sandbox.max_in_window>` measures). The
``limits`` library calls it the *moving window* (``MovingWindowRateLimiter``). Retry at: the
oldest logged arrival + ``period``.

``"fixed_window"`` (:class:`FixedWindow`): a counter per window aligned to ``origin + k *
period`` (the sandbox's creation time), reset at each boundary; at most ``limit`` accepted per
window, so up to ``2 * limit`` can pass in a short span across a boundary. Used by many API
gateways (Kong's rate-limiting plugin by default, hourly quotas that announce a reset time,
the ``limits`` library's fixed window). Retry at: the next boundary.

``"sliding_counter"`` (:class:`SlidingCounter`): fixed windows again, but the previous window is
assumed to have been uniformly spread and is weighted by the part of it still inside a
``period`` ending now::

    estimate = current + previous * (1 - elapsed_in_current / period)

and a request is refused when ``estimate + 1 > limit``. This is the estimate of the ``limits``
library's sliding window counter (``SlidingWindowCounterRateLimiter``, which floors the
estimate before comparing and is therefore slightly more lenient), Cloudflare's rate limiting
and HAProxy's ``sc_http_req_rate`` (a ``freq_ctr``, which counts every tracked request,
denied ones included); Azure API Management's ``rate-limit`` policies are documented as sliding
windows too. Here only accepted requests count. Retry at (window ``k`` starting at ``s``,
``c`` accepted in it, ``q`` in window ``k - 1``): if ``c <= limit - 1``, the time the previous
window's weight has decayed enough, ``s + period * (1 - (limit - 1 - c) / q)``; otherwise once
window ``k`` is itself the previous window and weighs little enough,
``s + period + period * (1 - (limit - 1) / c)``.

``"leaky_bucket"`` (:class:`LeakyBucket`): nginx's ``limit_req`` with ``nodelay``, in requests
rather than nginx's milli-requests. The state is ``excess`` and ``last``; the first request of
a key sets ``excess = 0``; each later one computes
``excess' = max(0, excess - rate * (now - last) + 1)`` and is refused when ``excess' > burst``
(state untouched), else stores ``excess'`` and ``last = now``. ``burst`` defaults to nginx's
0, which refuses any request closer than ``period / limit`` to the previous accepted one; a
burst of ``b`` lets ``1 + b`` simultaneous requests through. Retry at:
``last + (excess + 1 - burst) / rate``.

``"token_bucket"`` (:class:`TokenBucket`): AWS API Gateway's throttling (``rate`` and ``burst``),
and many SDK-side limiters. A bucket of capacity ``burst`` (default ``limit``) starts full and
refills ``rate`` tokens per second; an accepted request takes one token and a request finding
less than one is refused (taking nothing). Retry at: when the bucket holds one token,
``now + (1 - tokens) / rate``.

Arrivals may reach ``admit`` slightly out of order (the sandbox stamps a request when it
arrives but admits it after authentication, which may await a body): the window log inserts
in order; the window families count a late arrival in the newest window seen; the buckets
treat it as elapsed time 0, as nginx does. Comparisons of float estimates allow ``1e-9`` of a
request for rounding, so that a retry at exactly the returned time succeeds.
"""

from __future__ import annotations

import bisect
import math
from typing import Final, Protocol

__all__ = [
    "LIMITERS",
    "FixedWindow",
    "LeakyBucket",
    "RateLimiter",
    "SlidingCounter",
    "TokenBucket",
    "WindowLog",
    "check_limiter",
    "make_limiter",
]

#: The limiter families accepted by ``Sandbox(limiter=...)``.
LIMITERS: Final = ("window_log", "fixed_window", "sliding_counter", "leaky_bucket", "token_bucket")
_BUCKETS: Final = ("leaky_bucket", "token_bucket")

# Tolerance, in requests, on float estimates (rounding only: far below one request).
_EPS: Final = 1e-9


class RateLimiter(Protocol):
    """One key's rate-limiter state (any of the families of this module)."""

    def admit(self, now: float) -> float | None:
        """Accept and count the arrival at ``now`` (``None``) or return when to retry."""
        ...


class WindowLog:
    """At most ``limit`` accepted arrivals in any ``period`` (a sliding log)."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.window: list[float] = []  # sorted accepted arrivals still inside the window

    def admit(self, now: float) -> float | None:
        """Accept ``now`` unless ``limit`` accepted arrivals lie in ``(now - period, now]``."""
        window = self.window
        # Sorted insert: a request may be admitted after a later arrival. Later arrivals are
        # counted too, which keeps the guarantee.
        drop = bisect.bisect_right(window, now - self.period)
        if drop:
            del window[:drop]
        if len(window) >= self.limit:
            oldest = window[0]
            free_at = oldest + self.period
            # The first float at which the test above drops ``oldest`` (rounding may put
            # ``oldest + period`` an ulp early).
            while free_at - self.period < oldest:
                free_at = math.nextafter(free_at, math.inf)
            return free_at
        bisect.insort(window, now)
        return None


class _Windows:
    """Counters of the current and previous fixed windows ``[origin + k*period, ...)``."""

    def __init__(self, limit: int, period: float, origin: float = 0.0) -> None:
        self.limit = limit
        self.period = period
        self.origin = origin
        self.index = 0  # the newest window seen
        self.current = 0  # accepted in window ``index``
        self.previous = 0  # accepted in window ``index - 1``

    def start(self, index: int) -> float:
        """When window ``index`` starts (the one expression used for every boundary)."""
        return self.origin + index * self.period

    def _roll(self, now: float) -> int:
        k = math.floor((now - self.origin) / self.period)
        # Snap to the boundaries as start() computes them, whatever the division rounded to.
        if self.start(k + 1) <= now:
            k += 1
        elif self.start(k) > now:
            k -= 1
        if k > self.index:
            self.previous = self.current if k == self.index + 1 else 0
            self.current = 0
            self.index = k
        return self.index  # a late arrival counts in the newest window


class FixedWindow(_Windows):
    """At most ``limit`` accepted per window aligned to ``origin + k * period``."""

    def admit(self, now: float) -> float | None:
        """Accept ``now`` unless its window already holds ``limit`` accepted arrivals."""
        k = self._roll(now)
        if self.current >= self.limit:
            return self.start(k + 1)
        self.current += 1
        return None


class SlidingCounter(_Windows):
    """The two-window estimate ``current + previous * (1 - elapsed / period)`` stays <= limit."""

    def estimate(self, now: float) -> float:
        """The weighted count at ``now`` (rolls the windows forward; counts nothing)."""
        k = self._roll(now)
        elapsed = min(max(now - self.start(k), 0.0), self.period)
        return self.current + self.previous * (1.0 - elapsed / self.period)

    def admit(self, now: float) -> float | None:
        """Accept ``now`` unless ``estimate + 1 > limit``."""
        if self.estimate(now) + 1.0 <= self.limit + _EPS:
            self.current += 1
            return None
        k, limit, period = self.index, self.limit, self.period
        room = limit - 1 - self.current  # what the previous window may still weigh
        if room >= 0 and self.previous > 0:
            at = self.start(k) + period * (1.0 - room / self.previous)
        else:  # the current window alone is over: wait until it is the previous one
            at = self.start(k + 1) + period * (1.0 - (limit - 1) / self.current)
        return max(at, now)


class LeakyBucket:
    """nginx ``limit_req`` with ``nodelay``: ``excess`` drains at ``rate``; at most ``burst``."""

    def __init__(self, limit: int, period: float, burst: int = 0) -> None:
        self.rate = limit / period
        self.burst = burst
        self.excess = 0.0
        self.last: float | None = None

    def admit(self, now: float) -> float | None:
        """Accept ``now`` unless ``max(0, excess - rate * elapsed + 1) > burst``."""
        if self.last is None:  # nginx: a new node starts with excess 0
            self.last = now
            return None
        elapsed = max(now - self.last, 0.0)
        excess = max(self.excess - self.rate * elapsed + 1.0, 0.0)
        if excess > self.burst + _EPS:
            return max(now, self.last + (self.excess + 1.0 - self.burst) / self.rate)
        self.excess = excess
        if elapsed > 0:
            self.last = now
        return None


class TokenBucket:
    """A bucket of ``burst`` tokens (default ``limit``), full at first, refilled at ``rate``."""

    def __init__(self, limit: int, period: float, burst: int | None = None) -> None:
        self.rate = limit / period
        self.capacity = limit if burst is None else burst
        self.tokens = float(self.capacity)
        self.last: float | None = None

    def admit(self, now: float) -> float | None:
        """Accept ``now`` (taking a token) unless the bucket holds less than one token."""
        if self.last is None:
            self.last = now
        elif now > self.last:
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
            self.last = now
        if self.tokens < 1.0 - _EPS:
            return max(now, self.last + (1.0 - self.tokens) / self.rate)
        self.tokens = max(self.tokens - 1.0, 0.0)
        return None


def check_limiter(name: str, burst: int | None = None) -> None:
    """Raise ``ValueError`` (``TypeError`` for a non-int burst) unless the pair is valid."""
    if name not in LIMITERS:
        raise ValueError(f"unknown limiter {name!r}; expected one of: {', '.join(LIMITERS)}")
    if burst is None:
        return
    if isinstance(burst, bool) or not isinstance(burst, int):
        raise TypeError("burst must be an int or None")
    if name not in _BUCKETS:
        raise ValueError(f"burst applies to 'leaky_bucket' and 'token_bucket' only, not {name!r}")
    if burst < 0:
        raise ValueError("burst must be >= 0")
    if name == "token_bucket" and burst < 1:
        raise ValueError("a token bucket's burst (its capacity) must be >= 1")


def make_limiter(
    name: str, limit: int, period: float, *, burst: int | None = None, origin: float = 0.0
) -> RateLimiter:
    """A fresh limiter of family ``name`` for ``limit`` per ``period`` seconds.

    ``burst`` is for the buckets only; ``origin`` aligns the fixed windows of
    ``"fixed_window"`` and ``"sliding_counter"``.
    """
    check_limiter(name, burst)
    if limit < 1 or period <= 0:
        raise ValueError("need limit >= 1 and period > 0")
    if name == "window_log":
        return WindowLog(limit, period)
    if name == "fixed_window":
        return FixedWindow(limit, period, origin)
    if name == "sliding_counter":
        return SlidingCounter(limit, period, origin)
    if name == "leaky_bucket":
        return LeakyBucket(limit, period, 0 if burst is None else burst)
    return TokenBucket(limit, period, burst)
