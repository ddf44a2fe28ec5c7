"""Redis state backend: one request budget and one JWT per API key across processes and hosts.

Install the extra (``pip install 'revclient[redis]'``) and pass the backend to every client
or ``SessionManager`` that shares a key::

    backend = RedisBackend("redis://redis.internal:6379/0")
    async with revclient.AsyncRev23(api_key=..., tenant=..., backend=backend) as rev:
        ...
    await backend.aclose()

Rate limiting
-------------
Each key has a sorted set of reservations in Redis. ``acquire()`` is one Lua script (one
round trip) that reads the Redis server's clock (``TIME``; client clocks are never
compared), drops entries whose token has returned, and reserves the earliest start that
keeps at most ``limit`` starts in any window: now when fewer than ``limit`` tokens are in
use, else ``period + margin`` after the entry ``limit`` places back, and never before an
earlier reservation (first come, first served across processes). The caller then sleeps
until its slot on a local timer; nobody polls Redis. ``release()`` (a second, short round
trip after the answer arrived, never before the request) moves the entry to the request's
completion time, so a token returns ``period + margin`` after its request finished, as in
the in-memory bucket. A cancelled waiter removes its reservation. A 429 stores a
``pause_until`` that every process's next reservation honours; waiters of this process
that were already asleep re-reserve after it (waiters asleep in other processes keep the
slot they were given, which the limiter itself counted). ``refill="continuous"`` uses
GCRA (one key holding the theoretical arrival time), also one round trip.

Reservations made while the entry they follow is still in flight cannot know when that
request reached the server, so the backend's ``margin`` must cover the time from a grant
to the server's arrival (event-loop wake-up plus sending). The default is
``max(rate.effective_margin, 0.02 s + 0.2 % of the period)``: 140 ms per minute (0.23 % of
the budget), 21 ms for a 0.5 s test window. Raise it when requests need a new TLS
connection far away.

Every key gets a ``PEXPIRE`` when written: an idle key's limiter state vanishes
``period + margin`` after its last request, a pause when it ends, a JWT when it expires
(or after ``token_ttl`` when it has no ``exp``), an exchange lock after ``lock_timeout``.

Token cache
-----------
One JWT per key for all processes, stored under ``<prefix>:{<key_id>}:jwt`` (``key_id``
is a hash: the API key itself never reaches Redis). Each process also keeps it in memory
(so a request costs no Redis round trip for its token) and goes to Redis when its copy is
missing or due for refresh: the fetch script returns the cached token or takes the
exchange lock (``SET NX PX lock_timeout``) in one round trip. The lock holder exchanges
and stores the token; the others re-check with backoff (10 ms doubling to 250 ms; an
exchange takes a round trip to the API, so this costs a handful of Redis calls, no busy
loop) and use the new token. A holder that crashed is replaced when its lock times out.
On 401 the failed token is deleted only if it is still the cached one (compare and
delete in Lua), so many processes failing with one expired token cause one exchange.

When Redis is unreachable
-------------------------
``acquire()``, ``pause()`` and the token store raise
:class:`~revclient.errors.BackendError` (``Redis backend at redis://host:port
unreachable: ...``; credentials in the URL are never shown) after redis-py's short
reconnect attempts: a request is never sent without a reservation, so an outage can
never push the key over its budget. ``release()`` runs after the answer arrived; if it
fails the answer is still returned (the reservation then expires from its start time)
and a warning is logged. The in-memory backend stays the default and needs no Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn
from urllib.parse import urlsplit

try:
    import redis.asyncio as aioredis
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.commands.core import AsyncScript
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import RedisError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "revclient.backends.redis needs redis-py: pip install 'revclient[redis]'"
    ) from exc

from .._auth import Token, TokenCache, make_token
from .._config import RateLimit
from ..errors import BackendError, ConfigurationError
from . import _redis_scripts as lua

__all__ = ["RedisBackend", "RedisLimiter", "RedisTokenStore"]

log = logging.getLogger("revclient")

_US = 1_000_000
# Reservation names: unique per process without a syscall per request.
_PROCESS = os.urandom(6).hex()
_SERIAL = itertools.count()


def _where(url: str) -> str:
    """``url`` without credentials, query or path details: safe for messages."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = parts.hostname or "localhost"
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port or 6379
    except ValueError:
        port = 6379
    return f"{parts.scheme}://{host}:{port}"


class _Conn:
    """One event loop's redis-py client and its registered scripts."""

    def __init__(self, client: aioredis.Redis) -> None:
        self.client = client
        self.scripts: dict[str, AsyncScript] = {}

    def script(self, name: str) -> AsyncScript:
        found = self.scripts.get(name)
        if found is None:
            # EVALSHA, falling back to EVAL once if the server lost its script cache.
            found = self.scripts[name] = self.client.register_script(getattr(lua, name))
        return found


class RedisBackend:
    """Per-key limiter and token cache shared through Redis (see the module docstring).

    ``url`` is a redis-py URL (``redis://``, ``rediss://`` or ``unix://``); ``prefix``
    namespaces every key (``<prefix>:{<key_id>}:...``, one hash slot per API key).
    ``margin`` (seconds) overrides the limiter's safety margin, ``lock_timeout`` bounds
    how long a crashed exchanger can hold others up, ``token_ttl`` is how long a JWT
    without an ``exp`` claim stays cached, ``socket_timeout`` bounds each Redis call.
    """

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        prefix: str = "revclient",
        margin: float | None = None,
        lock_timeout: float = 30.0,
        token_ttl: float = 86_400.0,
        socket_timeout: float = 5.0,
    ) -> None:
        if not isinstance(url, str) or urlsplit(url).scheme not in ("redis", "rediss", "unix"):
            raise ConfigurationError(
                "url must be a redis://, rediss:// or unix:// URL, e.g. redis://localhost:6379/0"
            )
        if not isinstance(prefix, str) or not prefix or any(c in prefix for c in "{} \r\n"):
            raise ConfigurationError("prefix must be a non-empty string without braces or spaces")
        for name, value in (
            ("lock_timeout", lock_timeout),
            ("token_ttl", token_ttl),
            ("socket_timeout", socket_timeout),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigurationError(f"{name} must be a positive number, got {value!r}")
        if margin is not None and (
            isinstance(margin, bool) or not isinstance(margin, (int, float)) or margin < 0
        ):
            raise ConfigurationError(f"margin must be a number >= 0, got {margin!r}")
        self._url = url
        self.where = _where(url)
        self.prefix = prefix
        self.margin = margin
        self.lock_timeout = float(lock_timeout)
        self.token_ttl = float(token_ttl)
        self._socket_timeout = float(socket_timeout)
        self._lock = threading.Lock()
        # redis-py's asyncio connections belong to one event loop: one client per loop
        # (the sync facade's portal thread runs its own loop).
        self._conns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Conn] = (
            weakref.WeakKeyDictionary()
        )
        self._limiters: weakref.WeakValueDictionary[str, RedisLimiter] = (
            weakref.WeakValueDictionary()
        )
        self._tokens: weakref.WeakValueDictionary[str, RedisTokenStore] = (
            weakref.WeakValueDictionary()
        )

    # -- StateBackend -------------------------------------------------------------

    def limiter(self, key_id: str, rate: RateLimit) -> RedisLimiter:
        """The key's limiter (one object per key in this process, sharing its pauses)."""
        with self._lock:
            found = self._limiters.get(key_id)
            if found is None:
                found = self._limiters[key_id] = RedisLimiter(self, key_id, rate)
            elif found.rate != rate:
                raise ConfigurationError(
                    f"this API key is already used in this process with {found.rate!r}; "
                    f"every client on one key must use the same rate_limit (got {rate!r})"
                )
            return found

    def token_store(self, key_id: str) -> RedisTokenStore:
        """The key's token store."""
        with self._lock:
            found = self._tokens.get(key_id)
            if found is None:
                found = self._tokens[key_id] = RedisTokenStore(self, key_id)
            return found

    async def aclose(self) -> None:
        """Close this event loop's Redis connections (others close with their loops)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            conn = self._conns.pop(loop, None)
        if conn is not None:
            await conn.client.aclose()

    async def __aenter__(self) -> RedisBackend:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"RedisBackend({self.where!r}, prefix={self.prefix!r})"

    # -- internals ----------------------------------------------------------------

    def key(self, key_id: str, what: str) -> str:
        """The Redis key holding ``what`` for ``key_id``; the braces keep a key's data in
        one Redis Cluster slot, as a script may only touch one slot."""
        return f"{self.prefix}:{{{key_id}}}:{what}"

    def _conn(self) -> _Conn:
        loop = asyncio.get_running_loop()
        conn = self._conns.get(loop)
        if conn is None:
            with self._lock:
                conn = self._conns.get(loop)
                if conn is None:
                    client = aioredis.Redis.from_url(
                        self._url,
                        socket_timeout=self._socket_timeout,
                        socket_connect_timeout=self._socket_timeout,
                        # A blip (failover, restart) is retried briefly; an outage surfaces
                        # within about a second instead of redis-py's default backoff.
                        retry=Retry(ExponentialBackoff(cap=0.25, base=0.05), 2),
                        retry_on_error=[RedisConnectionError, RedisTimeoutError],
                    )
                    conn = self._conns[loop] = _Conn(client)
        return conn

    def client(self) -> aioredis.Redis:
        """The redis-py client of the running event loop (for tests and tools)."""
        return self._conn().client

    def fail(self, exc: BaseException) -> NoReturn:
        """Raise ``exc`` as a :class:`BackendError` naming the server, never its password."""
        if isinstance(exc, (RedisConnectionError, RedisTimeoutError, OSError)):
            what = "unreachable"
        else:
            what = "failed"
        detail = str(exc) or type(exc).__name__
        if self._url and "@" in self._url:
            # redis-py does not echo credentials, but never risk it.
            userinfo = urlsplit(self._url).password
            if userinfo:
                detail = detail.replace(userinfo, "***")
        raise BackendError(f"Redis backend at {self.where} {what}: {detail}") from None

    async def run(self, name: str, keys: list[str], args: list[Any]) -> Any:
        """Run script ``name`` in one round trip; Redis errors become BackendError."""
        try:
            return await self._conn().script(name)(keys=keys, args=args)
        except (RedisError, OSError) as exc:
            self.fail(exc)

    def cooldown(self, rate: RateLimit) -> float:
        """How long after its start (or its release) a request's token stays in use."""
        margin = self.margin
        if margin is None:
            margin = max(rate.effective_margin, 0.02 + 0.002 * rate.period)
        return rate.period + margin


class RedisLimiter:
    """One key's budget in Redis; follows :class:`revclient.backends.Limiter`."""

    def __init__(self, backend: RedisBackend, key_id: str, rate: RateLimit) -> None:
        self.rate = rate
        self._backend = backend
        self._continuous = rate.refill == "continuous"
        self._limit = rate.limit
        self._cooldown_us = round(backend.cooldown(rate) * _US)
        self._interval_us = round(rate.period / rate.limit * _US)
        state = "tat" if self._continuous else "rl"
        self._keys = [backend.key(key_id, state), backend.key(key_id, "pause")]
        # Bumped by every local 429 pause: waiters asleep across one re-reserve.
        self._pauses = 0
        #: Requests granted by this process (for stats and benchmarks).
        self.granted_total = 0

    async def acquire(self) -> str | None:
        """Reserve a start time in one round trip, then sleep until it (FIFO, no polling).

        Returns the reservation's name (the lease :meth:`release` moves); cancellation
        removes the reservation (best effort).
        """
        drop = ""
        while True:
            member = f"{_PROCESS}:{next(_SERIAL)}"
            pauses = self._pauses
            try:
                if self._continuous:
                    delay_us, undo = await self._backend.run(
                        "ACQUIRE_CONTINUOUS",
                        self._keys,
                        [self._limit, self._interval_us],
                    )
                    member = undo.decode() if isinstance(undo, bytes) else str(undo)
                else:
                    delay_us = await self._backend.run(
                        "ACQUIRE_WINDOW",
                        self._keys,
                        [self._limit, self._cooldown_us, member, drop],
                    )
                if delay_us > 0:
                    await asyncio.sleep(delay_us / _US)
            except asyncio.CancelledError:
                await self._give_back(member)
                if drop:
                    await self._give_back(drop)
                raise
            if pauses == self._pauses or self._continuous:
                break
            # A 429 paused the key while this waiter slept: its slot may fall in the
            # pause, so it queues again behind the pause (and frees the old slot).
            drop = member
        self.granted_total += 1
        return None if self._continuous else member

    async def release(self, lease: object) -> None:
        """The request is over: its token returns ``period + margin`` from now."""
        if not isinstance(lease, str):
            return  # continuous mode: nothing is held
        try:
            await self._backend.run("RELEASE_WINDOW", self._keys[:1], [lease, self._cooldown_us])
        except BackendError as exc:
            # The answer has arrived: losing it would be worse than a token counted from
            # the request's start. The next acquire() reports the outage.
            log.warning("revclient: could not release a rate-limit token: %s", exc)

    async def pause(self, delay: float | None) -> None:
        """The server answered 429: every process holds this key for ``delay`` seconds.

        ``None`` (no ``Retry-After``) pauses until the oldest token in use returns.
        """
        arg = "" if delay is None else str(max(0, round(delay * _US)))
        self._pauses += 1
        if self._continuous:
            await self._backend.run(
                "PAUSE_CONTINUOUS", self._keys, [arg, self._limit, self._interval_us]
            )
        else:
            await self._backend.run("PAUSE_WINDOW", self._keys, [arg, self._cooldown_us])

    async def _give_back(self, member: str) -> None:
        async def undo() -> None:
            try:
                if self._continuous:
                    await self._backend.run(
                        "UNDO_CONTINUOUS", self._keys[:1], [member, self._interval_us]
                    )
                else:
                    await self._backend.client().zrem(self._keys[0], member)
            except (BackendError, RedisError, OSError):
                pass  # the reservation then simply expires

        # Shielded: a second cancellation must not leave the slot taken.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(undo())

    def __repr__(self) -> str:
        return f"RedisLimiter({self.rate!r}, backend={self._backend.where!r})"


class RedisTokenStore:
    """One key's JWT shared through Redis; follows :class:`revclient.backends.TokenStore`.

    A process-local :class:`~revclient._auth.TokenCache` in front keeps the token between
    requests and makes the Redis fetch single-flight inside the process; the Redis lock
    makes the exchange single-flight across processes.
    """

    def __init__(self, backend: RedisBackend, key_id: str) -> None:
        self._backend = backend
        self._keys = [backend.key(key_id, "jwt"), backend.key(key_id, "jwt:lock")]
        self._local = TokenCache()
        #: Key exchanges this process ran (the others were done by other processes).
        self.exchanges = 0

    @property
    def token(self) -> Token | None:
        """This process's copy of the token, if any."""
        return self._local.token

    async def get(self, exchange: Callable[[], Awaitable[Token]]) -> Token:
        """The shared token, or the result of one exchange across every process."""
        return await self._local.get(lambda: self._fetch(exchange))

    async def invalidate(self, failed: Token) -> None:
        """Drop ``failed`` here and in Redis, only where it is still the cached token."""
        await self._local.invalidate(failed)
        await self._backend.run("INVALIDATE_TOKEN", self._keys[:1], [failed.value])

    async def _fetch(self, exchange: Callable[[], Awaitable[Token]]) -> Token:
        backend = self._backend
        owner = f"{_PROCESS}:{next(_SERIAL)}"
        lock_ms = round(backend.lock_timeout * 1000)
        loop = asyncio.get_running_loop()
        # Longer than one lock lifetime: a crashed holder's lock expires and we take over.
        deadline = loop.time() + 2 * backend.lock_timeout + 5.0
        pause = 0.01
        while True:
            args = [time.time(), owner, lock_ms]
            status, raw = await backend.run("FETCH_TOKEN", self._keys, args)
            status = status.decode() if isinstance(status, bytes) else str(status)
            if status == "token":
                return _decode(raw)
            if status == "lock":
                return await self._exchange(exchange, owner)
            stale = _decode(raw) if raw else None
            if stale is not None and (stale.expires_at or 0.0) > time.time():
                # Another process is refreshing ahead of exp: the current token still works.
                return stale
            if loop.time() >= deadline:
                raise BackendError(
                    f"Redis backend at {backend.where}: gave up waiting for another process's "
                    "key exchange"
                )
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.25)

    async def _exchange(self, exchange: Callable[[], Awaitable[Token]], owner: str) -> Token:
        self.exchanges += 1
        try:
            token = await exchange()
        except BaseException:
            # Let the next process try now rather than after lock_timeout.
            with contextlib.suppress(BackendError, asyncio.CancelledError):
                await asyncio.shield(self._backend.run("UNLOCK", self._keys[1:], [owner]))
            raise
        ttl = self._backend.token_ttl
        if token.expires_at is not None:
            ttl = token.expires_at - time.time()
        payload: dict[str, Any] = {"v": token.value}
        if token.expires_at is not None:
            payload["e"] = token.expires_at
        if token.refresh_at is not None:
            payload["r"] = token.refresh_at
        await self._backend.run(
            "STORE_TOKEN",
            self._keys,
            [json.dumps(payload, separators=(",", ":")), max(1, round(ttl * 1000)), owner],
        )
        return token

    def __repr__(self) -> str:
        return f"RedisTokenStore(backend={self._backend.where!r})"


def _decode(raw: bytes | str) -> Token:
    data = json.loads(raw)
    value = data["v"]
    expires_at = data.get("e")
    refresh_at = data.get("r")
    if expires_at is None and refresh_at is None:
        # Re-derive the plan from the JWT's own claims when the writer had none.
        return make_token(value)
    return Token(value, expires_at=expires_at, refresh_at=refresh_at)
