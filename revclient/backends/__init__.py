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

        Returns a lease: whatever :meth:`release` needs to find this grant again.
        """
        ...

    async def release(self, lease: object) -> None:
        """The request started under ``lease`` (from :meth:`acquire`) is over."""
        ...

    async def pause(self, delay: float | None) -> None:
        """The server answered 429: hold every request on the key for ``delay`` seconds."""
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
    :class:`~revclient._auth.TokenCache` per key, alive while any client uses the key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._limiters: weakref.WeakValueDictionary[str, TokenBucket] = (
            weakref.WeakValueDictionary()
        )
        self._tokens: weakref.WeakValueDictionary[str, TokenCache] = weakref.WeakValueDictionary()

    def limiter(self, key_id: str, rate: RateLimit) -> TokenBucket:
        """The key's bucket; a second client asking for a different budget is an error."""
        with self._lock:
            bucket = self._limiters.get(key_id)
            if bucket is None:
                bucket = self._limiters[key_id] = TokenBucket(rate)
            elif bucket.rate != rate:
                raise ConfigurationError(
                    f"this API key is already used in this process with {bucket.rate!r}; "
                    f"every client on one key must use the same rate_limit (got {rate!r})"
                )
            return bucket

    def token_store(self, key_id: str) -> TokenCache:
        """The key's token cache."""
        with self._lock:
            cache = self._tokens.get(key_id)
            if cache is None:
                cache = self._tokens[key_id] = TokenCache()
            return cache

    async def aclose(self) -> None:
        """Nothing to close: the state lives as long as the clients that use it."""

    def __repr__(self) -> str:
        return f"MemoryBackend(keys={len(self._limiters)})"


_DEFAULT = MemoryBackend()


def default_backend() -> MemoryBackend:
    """The process-wide in-memory backend every client uses unless given another."""
    return _DEFAULT
