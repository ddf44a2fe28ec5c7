"""Where per-key state lives: the rate limiter and the token cache.

:class:`MemoryBackend` (the default) keeps one limiter and one token cache per API key
for the whole process, shared by every client, every ``SessionManager`` and the sync
facade. ``revclient.backends.redis.RedisBackend`` shares them across processes and hosts.
A backend only has to hand out objects that follow :class:`Limiter` and
:class:`TokenStore`.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from .. import _fork
from .._auth import Token, TokenCache
from .._config import RateLimit
from .._ratelimit import TokenBucket
from ..errors import ConfigurationError

__all__ = ["Limiter", "MemoryBackend", "StateBackend", "TokenStore", "default_backend"]


@runtime_checkable
class Limiter(Protocol):
    """One key's request budget."""

    rate: RateLimit

    async def acquire(self) -> object:
        """Wait for permission to start one request (FIFO, cancellation-safe).

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

    def limiter(self, key_id: str, rate: RateLimit) -> Limiter:
        """The limiter of the key ``key_id`` (a hash, never the key itself)."""
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
    still shares one budget and one JWT); a key's bucket is dropped only once it is idle
    (no request waiting or in flight, every token back, no pause) and no client holds it,
    and a token cache once it has no usable token.
    """

    #: Past this many keys, idle ones are swept on the next lookup.
    sweep_threshold = 1024

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._limiters: dict[str, TokenBucket] = {}
        self._tokens: dict[str, TokenCache] = {}
        self._next_sweep = self.sweep_threshold
        _fork.track(self)

    def _after_fork(self) -> None:
        # Another thread of the parent may have held the lock at the fork (revclient._fork).
        self._lock = threading.Lock()

    def limiter(self, key_id: str, rate: RateLimit) -> TokenBucket:
        """The key's bucket; a second client asking for a different budget is an error."""
        with self._lock:
            self._maybe_sweep()
            bucket = self._limiters.get(key_id)
            if bucket is not None and bucket.rate != rate:
                if not self._forgettable(key_id):
                    gc.collect()  # a dead client in a reference cycle may still hold it
                if not self._forgettable(key_id):
                    raise ConfigurationError(
                        f"this API key is already used in this process with {bucket.rate!r}; "
                        f"every client on one key must use the same rate_limit (got {rate!r})"
                    )
                bucket = None  # idle and unused: the new budget replaces it safely
            if bucket is None:
                bucket = self._limiters[key_id] = TokenBucket(rate)
            return bucket

    def token_store(self, key_id: str) -> TokenCache:
        """The key's token cache."""
        with self._lock:
            cache = self._tokens.get(key_id)
            if cache is None:
                cache = self._tokens[key_id] = TokenCache()
            return cache

    def _maybe_sweep(self) -> None:
        if len(self._limiters) + len(self._tokens) < self._next_sweep:
            return
        for key_id in [k for k in self._limiters if self._forgettable(k)]:
            del self._limiters[key_id]
        for key_id in [k for k, c in self._tokens.items() if not c.usable()]:
            del self._tokens[key_id]
        # Sweep again only after as many new keys again: amortised O(1) per lookup.
        self._next_sweep = max(self.sweep_threshold, 2 * (len(self._limiters) + len(self._tokens)))

    def _forgettable(self, key_id: str) -> bool:
        # Idle, and referenced by nothing but this registry (the registry's reference plus
        # getrefcount's own argument make 2 in CPython): no client can use it again.
        return self._limiters[key_id].idle() and sys.getrefcount(self._limiters[key_id]) <= 2

    async def aclose(self) -> None:
        """Nothing to close: the state is plain memory."""

    def __repr__(self) -> str:
        return f"MemoryBackend(keys={len(self._limiters)})"


_DEFAULT = MemoryBackend()


def default_backend() -> MemoryBackend:
    """The process-wide in-memory backend every client uses unless given another."""
    return _DEFAULT
