"""Where per-key state lives: the rate limiter and the token cache.

:class:`MemoryBackend` (the default) keeps one limiter and one token cache per API key
for the whole process, shared by every client, every ``SessionManager`` and the sync
facade. ``revclient.backends.redis.RedisBackend`` shares them across processes and hosts.
A backend only has to hand out objects that follow :class:`Limiter` and
:class:`TokenStore`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from .. import _fork
from .._auth import Token, TokenCache
from .._config import Priority, Rates
from .._ratelimit import TokenBucket

__all__ = ["Limiter", "MemoryBackend", "StateBackend", "TokenStore", "default_backend"]


@runtime_checkable
class Limiter(Protocol):
    """One key's request budget."""

    rate: Rates

    async def acquire(self, priority: Priority = "interactive") -> object:
        """Wait for permission to start one request: interactive calls before bulk ones,
        FIFO within a lane, cancellation-safe; a bulk call never takes a window's reserve.

        Returns a lease: whatever :meth:`release` and :meth:`pause` need to find this grant
        again.
        """
        ...

    async def release(self, lease: object) -> None:
        """The request started under ``lease`` (from :meth:`acquire`) is over."""
        ...

    async def pause(self, delay: float | None, lease: object = None) -> None:
        """The server answered 429 (``delay``: its Retry-After in seconds, or ``None``) to
        the request started under ``lease``: slow the key down and hold every request on it
        for ``delay`` seconds."""
        ...


@runtime_checkable
class TokenStore(Protocol):
    """One key's cached JWT (Rev.io PSA)."""

    async def get(self, exchange: Callable[[], Awaitable[Token]]) -> Token:
        """The cached token, or the result of one exchange shared by all callers."""
        ...

    async def invalidate(self, failed: Token) -> None:
        """Drop ``failed`` only if it is still the cached token."""
        ...


@runtime_checkable
class StateBackend(Protocol):
    """Hands out the per-key limiter and token store."""

    def limiter(self, key_id: str, rate: Rates) -> Limiter:
        """The limiter of the key ``key_id`` (a hash, never the key itself), keeping
        ``rate``: one window or several, the shortest first."""
        ...

    def token_store(self, key_id: str) -> TokenStore:
        """The token store of the key ``key_id``."""
        ...

    async def aclose(self) -> None:
        """Release connections held by the backend."""
        ...


class MemoryBackend:
    """Per-process state: one :class:`~revclient._ratelimit.TokenBucket` and one
    :class:`~revclient._auth.TokenCache` per key.

    The state outlives the clients that use it (a client per Flask view or per script step
    still shares one budget and one JWT), and one key never has two buckets or two caches
    at once. Two maps make that so: a weak one that finds the key's object while anything
    (a client, a derived client, a request) still holds it, and a strong one that keeps it
    while it has something to remember (a request waiting or in flight, a token still
    returning, a pause, a lesson from a 429; for a cache, a usable JWT or an exchange under
    way). Past ``sweep_threshold`` keys the strong map lets go of what has nothing to
    remember; an object a client still holds stays the key's object.
    """

    #: Past this many remembered keys, those with nothing to remember are let go.
    sweep_threshold = 1024

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._limiters: weakref.WeakValueDictionary[str, TokenBucket] = (
            weakref.WeakValueDictionary()
        )
        self._tokens: weakref.WeakValueDictionary[str, TokenCache] = weakref.WeakValueDictionary()
        self._kept_limiters: dict[str, TokenBucket] = {}
        self._kept_tokens: dict[str, TokenCache] = {}
        self._next_sweep = self.sweep_threshold
        _fork.track(self)

    def _after_fork(self) -> None:
        # Another thread of the parent may have held the lock at the fork (revclient._fork).
        self._lock = threading.Lock()

    def limiter(self, key_id: str, rate: Rates) -> TokenBucket:
        """The key's bucket. Asked for a different budget, it adopts it and keeps what was
        sent (the clients refuse that while another open client uses the old budget)."""
        with self._lock:
            self._maybe_sweep()
            bucket = self._limiters.get(key_id)
            if bucket is not None and bucket.configured != rate:
                bucket.reconfigure(rate)
            if bucket is None:
                bucket = self._limiters[key_id] = TokenBucket(rate)
            self._kept_limiters[key_id] = bucket
            return bucket

    def token_store(self, key_id: str) -> TokenCache:
        """The key's token cache."""
        with self._lock:
            self._maybe_sweep()
            cache = self._tokens.get(key_id)
            if cache is None:
                cache = self._tokens[key_id] = TokenCache()
            self._kept_tokens[key_id] = cache
            return cache

    def _maybe_sweep(self) -> None:
        if len(self._kept_limiters) + len(self._kept_tokens) < self._next_sweep:
            return
        for key_id in [k for k, b in self._kept_limiters.items() if b.idle()]:
            del self._kept_limiters[key_id]
        for key_id in [k for k, c in self._kept_tokens.items() if not c.usable()]:
            del self._kept_tokens[key_id]
        # Sweep again only after as many new keys again: amortised O(1) per lookup.
        self._next_sweep = max(
            self.sweep_threshold, 2 * (len(self._kept_limiters) + len(self._kept_tokens))
        )

    async def aclose(self) -> None:
        """Nothing to close: the state is plain memory."""

    def __repr__(self) -> str:
        return f"MemoryBackend(keys={len(self._limiters)})"


_DEFAULT = MemoryBackend()


def default_backend() -> MemoryBackend:
    """The process-wide in-memory backend every client uses unless given another."""
    return _DEFAULT
