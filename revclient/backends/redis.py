"""Redis state backend: one request budget and one JWT per API key across processes and hosts.

Install the extra (``pip install 'revclient[redis]'``) and pass the backend to every client
or ``SessionManager`` that shares a key::

    backend = RedisBackend("redis://redis.internal:6379/0")
    async with revclient.AsyncRev23(api_key=..., tenant=..., backend=backend) as rev:
        ...
    await backend.aclose()

Rate limiting
-------------
The algorithm of the in-memory :class:`~revclient._ratelimit.TokenBucket` (its docstring
says why requests are paced), with the state in Redis so that every process and host on
a key shares it. Per API key, under one hash tag (``<prefix>:{<key_id>}:...``, one Redis
Cluster slot, as a script may only touch one slot):

``rl``
    window mode only: the reservations, a sorted set (member -> reserved start, or the
    request's completion time once it is released);
``tat``
    the pacer's theoretical arrival time (GCRA);
``pace``
    what the key learned from 429s, a hash: ``b`` the burst (only once the server refused
    one: 1), ``s`` the interval right after the last slowdown, ``c`` when the pace last
    changed;
``pause``
    when a ``Retry-After`` pause ends.

Times are microseconds of the Redis server's clock (``TIME``): client clocks are never
compared. ``acquire()`` is one Lua script (one round trip) that reserves the earliest start
``at`` that is now or later, after any pause, and allowed by the pacer with the key's
current burst and interval (``at >= tat - (burst - 1) * interval``, then ``tat = max(tat,
at) + interval``); in window mode also not before the last reservation (first come, first
served across processes) and ``period + margin`` after the entry ``limit`` places back
*finished*, so that no window holds more than ``limit`` starts. While that entry's request
has not finished (it waits for its start, or is in flight), when the server saw it is
unknown: an event loop that lags (a CPU hog, hundreds of tasks) sends late, and a slot
spaced from its reserved start would crowd the server's window. Then nothing is reserved
and the caller asks again when the entry can be back at the earliest (one more round
trip; with requests shorter than the period, rare but for bursts). The caller then sleeps
until its slot on a local timer; nobody polls Redis. As every reservation is made atomically on one
clock, consecutive slots are at least one interval apart whichever process holds them, at
most ``burst`` back to back, and a timer that fires late delays its own start only, not
the schedule. ``release()`` (a second, short round trip after the answer arrived, never
before the request) moves the entry to the request's completion time and marks it
finished, so its token returns ``period + margin`` after the request finished, as in
memory.
``refill="continuous"`` is the pacer alone: a token bucket of capacity ``burst``. A
cancelled waiter gives back its reservation and, if nobody reserved after it, its slot.

Several windows and lanes
-------------------------
The shortest window keeps the reservation set above (one entry per request in the window:
at most ``limit``, and only while the limit is at most 4,096). The longer windows, and a
shortest one beyond that, are *counted*: per window a hash of buckets (tokens by the time
they return, rounded up to ``period / 1024``, and their total) and a sorted set of the
buckets' return times, under ``win:<period>`` and ``ret:<period>``. A reservation counts
in the bucket of its start plus the cooldown, and ``release()`` moves it to its completion
plus the cooldown (a request that never finishes is counted from its start: the margin,
0.2 % of the period, covers requests shorter than that, three minutes for a day). The
acquire script admits a request only when every window has room, else it reserves nothing
and the caller asks again when enough tokens are back. A window of 150,000 a day is at most
about a thousand buckets, never one entry per request.

A bulk call (``priority="bulk"``) may not take the last ``kept`` tokens of any window (the
reservation rule uses ``limit - kept``) and reserves no further ahead than one interval: a
slot later than that is not reserved, and the call asks again when it would be within
reach. So bulk reservations never queue an interactive call that comes later behind them:
it takes the next slot, at most about two intervals away. This process's bulk calls take
turns (one asks Redis at a time, FIFO within the lane), so a pull of many workers costs
one Redis call per slot, not one per worker.

The lease (:class:`RedisLease`) carries the reservation's member, when it was granted
(reserved) and its start, on the Redis clock. ``pause(delay, lease)`` is one script that
applies the in-memory rules atomically for the whole fleet. A 429 is news only if its
request was granted after the pace last changed (``c``): a request reserved before a
change was spaced at the old pace, even if it starts after the change. News while
bursting stores ``b = 1``; news while paced stores a slower interval (``1 / 0.8`` times
the current one, at most the period) from which every reservation derives the current
interval, climbing back by 20 % of the configured rate per period since ``c``. So every
process on the key learns the lesson at once, and pays for it once: the 429s of the other
requests sent at the old pace, from whichever process, are old news. Always, nothing
starts before one interval from the 429 (``tat >= now + interval``). A ``Retry-After``
pauses the key until it has passed; without one, a bursting window-mode key pauses until
its oldest token returns, a paced key only waits the interval. Slots already handed out
keep their place (the limiter counted them), except that waiters of the process that saw
the 429, asleep until a slot before the pause or that interval ends, reserve again.

Margins
-------
Two allowances cover what the Redis clock cannot see.

*The window margin.* A slot follows only finished requests, whose token returns
``period + margin`` after the answer arrived, later than the server saw the request
whatever the event loop's lag; the ``margin`` covers the clocks the server and Redis keep
(and a release that failed, which counts from the start). The default is
``max(rate.effective_margin, 0.02 s + 0.2 % of the period)``: 140 ms per minute (0.23 %
of the budget), 21 ms for a 0.5 s test window. With 40 workers on one loop and a task
blocking it 100 ms at a time, a strict window server answered 0 of 120 requests with 429
(3 before slots waited for finished requests; 23 with ``burst=limit``).

*The pacing jitter.* Each process sleeps until its slot after a Redis round trip, on its
own timer, so a start lands after its slot by a varying delay (the reply's trip, the
timer's rounding to the millisecond, the scheduler, a garbage collection), and two
consecutive starts from different processes can be closer than their slots by the
difference. Measured on a 2-core machine, redis-server on loopback, 4 processes of 8
waiters on one key: starts 1.0 ms after their slots (median), 2 to 4 ms (99th
percentile), consecutive starts up to 1.2 to 2.6 ms closer than their slots (1st
percentile), 4.2 ms at worst. Against nginx ``limit_req`` without burst (10 requests per
second, 100 requests from 4 processes), the client's own allowance alone
(``rate.interval``, 102 ms) drew 30 429s in 900 requests (3.3 %). So the backend spaces
paced starts by ``rate.interval`` plus ``jitter``, by default 1 ms plus 1 % of ``period /
limit`` (104 ms there: one 429 in 1,800 requests; 2 or 3 ms did no better, the rest is
scheduling outliers; with both cores saturated by other work, 1 to 3 %). At 200 per
minute that is 4 ms of 308 (97.4 % of the budget instead of 98.7 %). Raise ``jitter`` when
Redis is across a network: by the spread of its round trips.

Expiry
------
Every key gets a ``PEXPIRE`` when written: an idle key's reservations vanish ``period +
margin`` after its newest one, the TAT when it has passed (a full bucket), a pause when
it ends, a slowdown once it has recovered (plus ``period + margin``), a JWT when it
expires (or after ``token_ttl`` when it has no ``exp``), an exchange lock after
``lock_timeout``. The lesson that the server refuses bursts is kept ``lesson_ttl`` (24 h
by default) after the last reservation that used it: whether a server accepts bursts is
a property of the API, not of the moment, so a key idle overnight does not pay for it
again with a refused burst every morning, and a changed server or ``burst`` setting is
still tried again within a day.

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
import collections
import contextlib
import dataclasses
import itertools
import json
import logging
import math
import os
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn
from urllib.parse import urlsplit

try:
    import redis.asyncio as aioredis
    from redis.asyncio.cluster import RedisCluster
    from redis.asyncio.retry import Retry
    from redis.asyncio.sentinel import Sentinel
    from redis.backoff import ExponentialBackoff
    from redis.commands.core import AsyncScript
    from redis.exceptions import (
        AskError,
        AuthenticationWrongNumberOfArgsError,
        RedisError,
        ResponseError,
    )
    from redis.exceptions import AuthenticationError as RedisAuthenticationError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "revclient.backends.redis needs redis-py: pip install 'revclient[redis]'"
    ) from exc


from .. import _fork
from .._advertised import Advertised, Budget, WindowBudget, obeyed
from .._auth import Token, TokenCache, make_token
from .._config import Priority, RateLimit, Rates, default_jitter, windows
from .._secret import Redacted, scrub
from ..errors import BackendError, ConfigurationError
from . import _redis_scripts as lua

__all__ = ["RedisBackend", "RedisLease", "RedisLimiter", "RedisTokenStore"]

log = logging.getLogger("revclient")

_US = 1_000_000
# Past this limit the shortest window is counted in buckets too (module docstring).
_EXACT_LIMIT = 4096
# Reservation names: unique per process without a syscall per request.
_PROCESS = os.urandom(6).hex()
_SERIAL = itertools.count()


_SCHEMES = ("redis", "rediss", "unix", "redis+cluster", "rediss+cluster", "redis+sentinel")


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigurationError(f"a Sentinel must be given as host:port, got {text!r}")
    return host.strip("[]"), int(port)


def _where(url: str) -> str:
    """``url`` without credentials, query or path details: safe for messages."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    if parts.scheme == "redis+sentinel":
        hosts = parts.netloc.rpartition("@")[2]
        return f"redis+sentinel://{hosts}/{parts.path.strip('/')}"
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

    def __init__(self, client: aioredis.Redis, *others: Any, owned: bool = True) -> None:
        self.client = client
        self.others = others  # more clients to close with it (a Sentinel's own)
        self.owned = owned  # not a client the user passed in: that one is theirs to close
        self.scripts: dict[str, AsyncScript] = {}

    async def aclose(self) -> None:
        """Close every connection this loop's clients opened."""
        if self.owned:
            for client in (self.client, *self.others):
                await client.aclose()

    def script(self, name: str) -> AsyncScript:
        found = self.scripts.get(name)
        if found is None:
            # EVALSHA, falling back to EVAL once if the server lost its script cache.
            found = self.scripts[name] = self.client.register_script(getattr(lua, name))
        return found


def _failure(exc: BaseException) -> str:
    # redis-py's AuthenticationError is a ConnectionError: test it first.
    if isinstance(exc, (RedisAuthenticationError, AuthenticationWrongNumberOfArgsError)) or (
        isinstance(exc, ResponseError) and str(exc).startswith(("WRONGPASS", "NOAUTH"))
    ):
        return "authentication failed (check the password or user in the URL)"
    if isinstance(exc, AskError) or (
        isinstance(exc, ResponseError) and str(exc).startswith(("MOVED", "ASK "))
    ):
        return "is a Redis Cluster (use a redis+cluster:// URL)"
    if isinstance(exc, (RedisConnectionError, RedisTimeoutError, OSError)):
        return "unreachable"
    return "failed"


def _without_password(text: str, url: str) -> str:
    # redis-py does not echo credentials, but never risk it.
    password = urlsplit(url).password if "@" in url else None
    return text.replace(password, "***") if password else text


class RedisBackend:
    """Per-key limiter and token cache shared through Redis (see the module docstring).

    ``url`` is a redis-py URL (``redis://``, ``rediss://`` or ``unix://``); ``prefix``
    namespaces every key (``<prefix>:{<key_id>}:...``, one hash slot per API key).
    ``margin`` (seconds) overrides the limiter's window margin, ``jitter`` (seconds) the
    extra spacing between paced starts across processes (added to ``rate.interval``),
    ``lesson_ttl`` is how long a key remembers that the server refuses bursts after it
    last used that lesson, ``lock_timeout`` bounds how long a crashed exchanger can hold
    others up, ``token_ttl`` is how long a JWT without an ``exp`` claim stays cached,
    ``socket_timeout`` bounds each Redis call, ``max_connections`` is the most connections
    per event loop (more concurrent calls wait for one, they never fail for it).

    ``url`` may also be ``redis+cluster://host:port`` (a Redis Cluster; every API key's
    data lives in one slot) or ``redis+sentinel://host:port[,host:port]/service`` (the
    primary Sentinel names, followed through failovers). Or pass ``client=``, a ready
    redis-py asyncio client (``Redis``, ``RedisCluster``): it is used as is (the URL and the
    connection options are then unused), on the event loop of the clients that use it, and
    never closed by the backend.
    """

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        *,
        prefix: str = "revclient",
        margin: float | None = None,
        jitter: float | None = None,
        lesson_ttl: float = 86_400.0,
        lock_timeout: float = 30.0,
        token_ttl: float = 86_400.0,
        socket_timeout: float = 5.0,
        max_connections: int = 64,
        client: Any = None,
    ) -> None:
        if client is not None and not callable(getattr(client, "register_script", None)):
            raise ConfigurationError(
                "client must be a redis-py asyncio client (redis.asyncio.Redis or "
                f"RedisCluster), got {type(client).__name__}"
            )
        self._client = client
        if not isinstance(url, str) or urlsplit(url).scheme not in _SCHEMES:
            raise ConfigurationError(
                "url must be a redis://, rediss://, unix://, redis+cluster://, rediss+cluster:// "
                "or redis+sentinel://host:port/service URL, e.g. redis://localhost:6379/0"
            )
        if not isinstance(prefix, str) or not prefix or any(c in prefix for c in "{} \r\n"):
            raise ConfigurationError("prefix must be a non-empty string without braces or spaces")
        for name, value in (
            ("lesson_ttl", lesson_ttl),
            ("lock_timeout", lock_timeout),
            ("token_ttl", token_ttl),
            ("socket_timeout", socket_timeout),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigurationError(f"{name} must be a positive number, got {value!r}")
        not_int = isinstance(max_connections, bool) or not isinstance(max_connections, int)
        if not_int or max_connections < 1:
            raise ConfigurationError(
                f"max_connections must be a positive integer, got {max_connections!r}"
            )
        self.max_connections = max_connections
        for name, extra in (("margin", margin), ("jitter", jitter)):
            if extra is not None and (
                isinstance(extra, bool) or not isinstance(extra, (int, float)) or extra < 0
            ):
                raise ConfigurationError(f"{name} must be a number >= 0, got {extra!r}")
        self._url = url
        self.where = _where(url) if client is None else f"a {type(client).__name__} client"
        self.prefix = prefix
        self.margin = margin
        self.jitter = jitter
        self.lesson_ttl = float(lesson_ttl)
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
        _fork.track(self)

    def _after_fork(self) -> None:
        # In a forked child (see revclient._fork): the parent's connections are its own
        # (never used nor closed here: redis-py would say QUIT on them); the child connects
        # afresh on first use.
        self._lock = threading.Lock()
        _fork.keep(list(self._conns.values()))
        self._conns = weakref.WeakKeyDictionary()

    # -- StateBackend -------------------------------------------------------------

    def limiter(self, key_id: str, rate: Rates) -> RedisLimiter:
        """The key's limiter (one object per key in this process, sharing its pauses)."""
        with self._lock:
            found = self._limiters.get(key_id)
            if found is None:
                found = self._limiters[key_id] = RedisLimiter(self, key_id, rate)
            elif found.configured != rate:
                found.reconfigure(rate)  # what was sent stays in Redis and counts
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
            await conn.aclose()

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
                    conn = self._conns[loop] = (
                        _Conn(*self._connect())
                        if self._client is None
                        else _Conn(self._client, owned=False)
                    )
        return conn

    def _connect(self) -> tuple[Any, ...]:
        """A redis-py asyncio client for the URL's kind of deployment (and, for Sentinel,
        the clients of the Sentinels, to close with it)."""
        parts = urlsplit(self._url)
        common: dict[str, Any] = {
            "socket_timeout": self._socket_timeout,
            "socket_connect_timeout": self._socket_timeout,
            # A blip (failover, restart) is retried briefly; an outage surfaces within
            # about a second instead of redis-py's default backoff.
            "retry": Retry(ExponentialBackoff(cap=0.25, base=0.05), 2),
            "retry_on_error": [RedisConnectionError, RedisTimeoutError],
        }
        if parts.scheme.endswith("+cluster"):
            # Every key of one API key shares a hash tag, so each script runs on one node.
            # Its node pools refuse rather than wait: make them large enough not to.
            url = self._url.replace("+cluster", "", 1)
            return (RedisCluster.from_url(url, max_connections=2**14, **common),)
        if parts.scheme == "redis+sentinel":
            # redis+sentinel://[:password@]host:port[,host:port...]/service
            hosts = [_host_port(h) for h in parts.netloc.rpartition("@")[2].split(",")]
            sentinel = Sentinel(hosts, **common)
            primary = sentinel.master_for(
                parts.path.strip("/"), password=parts.password, username=parts.username
            )
            return (primary, *sentinel.sentinels)
        # A blocking pool: past max_connections a call waits for a free connection
        # (redis-py's default pool refuses past 100), so only the rate budget limits
        # concurrency. Each wait is bounded by the calls ahead of it, and each of those by
        # socket_timeout.
        pool = aioredis.BlockingConnectionPool.from_url(
            self._url, max_connections=self.max_connections, timeout=None, **common
        )
        return (aioredis.Redis.from_pool(pool),)

    def client(self) -> aioredis.Redis:
        """The redis-py client of the running event loop (for tests and tools)."""
        return self._conn().client

    def fail(self, exc: BaseException) -> NoReturn:
        """Raise ``exc`` as a :class:`BackendError` naming the server, never its password."""
        scrub(exc)  # redis-py's frames held the connection's settings, password included
        # The password is never a local variable here: this frame is in the traceback.
        detail = _without_password(str(exc) or type(exc).__name__, self._url)
        raise BackendError(f"Redis backend at {self.where} {_failure(exc)}: {detail}") from None

    async def run(self, name: str, keys: list[str], args: list[Any] | Redacted[list[Any]]) -> Any:
        """Run script ``name`` in one round trip; Redis errors become BackendError.

        ``args`` holding a JWT come wrapped in :class:`~revclient._secret.Redacted`, so no
        frame of a failed call shows it.
        """
        try:
            return await self._conn().script(name)(
                keys=keys, args=args.value if isinstance(args, Redacted) else args
            )
        except (RedisError, OSError) as exc:
            self.fail(exc)

    def cooldown(self, rate: RateLimit) -> float:
        """How long after its start (or its release) a request's token stays in use."""
        margin = self.margin
        if margin is None:
            margin = max(rate.effective_margin, 0.02 + 0.002 * rate.period)
        return rate.period + margin

    def interval(self, rate: RateLimit) -> float:
        """The spacing between paced starts on one key: ``rate.interval`` plus the
        cross-process jitter allowance (``jitter``, or by default 1 ms plus 1 % of
        ``period / limit``; see the module docstring)."""
        jitter = self.jitter
        if jitter is None:
            jitter = default_jitter(rate)
        return rate.interval + jitter


@dataclasses.dataclass(frozen=True, slots=True)
class RedisLease:
    """What :meth:`RedisLimiter.acquire` returns: one reservation, on the Redis clock.

    ``granted_at`` is when the slot was reserved (the pace it was spaced by was the key's
    pace then: a 429 for it is news only if the pace has not changed since), ``start_at``
    the reserved start, both in microseconds of the Redis server's clock; ``member`` names
    the reservation in window mode (``None`` in continuous mode: nothing to release).
    """

    member: str | None
    granted_at: int
    start_at: int


class RedisLimiter:
    """One key's budget in Redis; follows :class:`revclient.backends.Limiter`."""

    def __init__(self, backend: RedisBackend, key_id: str, rate: Rates) -> None:
        self._backend = backend
        self._key_id = key_id
        self._keys = [
            backend.key(key_id, "rl"),
            backend.key(key_id, "pause"),
            backend.key(key_id, "tat"),
            backend.key(key_id, "pace"),
        ]
        self.reconfigure(rate)
        # Set by this process's 429s (Redis clock, us): a waiter of this process asleep
        # across one, until a start before this, reserves again behind it.
        self._hold_until = 0
        self._holds = 0
        self._waiting = [0, 0]  # this process's requests waiting for a slot, per lane
        # This process's bulk calls take turns to reserve (FIFO within the lane).
        self._lock = threading.Lock()
        self._bulk: collections.deque[asyncio.Future[None]] = collections.deque()
        #: 429s reported by this process (for stats and benchmarks).
        self.throttled_total = 0

    def reconfigure(self, rate: Rates) -> None:
        """Use ``rate`` from now on; the reservations in Redis stay and count."""
        #: The budget the clients configured.
        self.configured = rate
        #: What the server last advertised, if anything.
        self.advertised: Advertised | None = None
        self._apply(rate)

    async def advertise(self, advertised: Advertised) -> None:
        """As :meth:`revclient._ratelimit.TokenBucket.advertise`, for every process: a
        hold until the server's reset goes to Redis."""
        self.advertised = advertised
        if advertised.remaining == 0 and advertised.reset:
            await self._backend.run("HOLD", self._keys[1:2], [round(advertised.reset * _US)])
        target = obeyed(self.configured, advertised)
        if target != self.rate:
            self._apply(target)

    async def snapshot(self) -> Budget:
        """What ``client.budget()`` shows; one round trip."""
        entries, unfinished, pause_us, tat_us, *used = await self._backend.run(
            "BUDGET", [*self._keys[:3], *self._counted_keys], [self._cooldown_us]
        )
        shown = [
            WindowBudget(r, max(0, r.limit - int(n)))
            for r, n in zip(self._counted, used, strict=True)
        ]
        if self._exact is not None:
            shown.insert(0, WindowBudget(self._exact, max(0, self._exact.limit - int(entries))))
        return Budget(
            rate=self.rate,
            configured=self.configured,
            free=min((w.free for w in shown), default=None),
            in_flight=int(unfinished) if self._exact is not None else None,
            queued=sum(self._waiting),
            queued_bulk=self._waiting[1],
            paused_for=int(pause_us) / _US,
            next_start_in=int(tat_us) / _US,
            advertised=self.advertised,
            windows=tuple(shown),
        )

    def _apply(self, rate: Rates) -> None:
        backend = self._backend
        self.rate = rate
        rates = windows(rate)
        pacing = rates[0]
        # The shortest window keeps one entry per request (the exact rule of the module
        # docstring) unless that would be too many; the others are counted in buckets.
        self._exact = pacing if pacing.refill == "window" and pacing.limit <= _EXACT_LIMIT else None
        self._counted = [r for r in rates if r.refill == "window" and r is not self._exact]
        self._counted_keys = [
            backend.key(self._key_id, f"{what}:{round(r.period * _US)}")
            for r in self._counted
            for what in ("win", "ret")
        ]
        self._cooldown_us = round(backend.cooldown(pacing) * _US)
        #: The spacing between paced starts, in seconds (``RedisBackend.interval``).
        self.interval = backend.interval(pacing)
        self._args = [
            pacing.limit,
            self._cooldown_us,
            round(self.interval * _US),
            pacing.burst,
            round(pacing.period * _US),
            max(1, round(backend.lesson_ttl * 1000)),
        ]
        # Per counted window: when its tokens return after a request, and its bucket size.
        self._returns = [len(self._counted)]
        for r in self._counted:
            self._returns += [
                round(backend.cooldown(r) * _US),
                max(1, round(r.period * _US / 1024)),
            ]
        self._lanes = [self._lane_args(bulk) for bulk in (False, True)]
        self._acquire = "ACQUIRE_PACED" if self._exact is None else "ACQUIRE_WINDOW"

    def _lane_args(self, bulk: bool) -> list[Any]:
        """ACQUIRE's arguments after the member and the drop, for one lane."""
        args: list[Any] = [
            self._exact.kept if bulk and self._exact is not None else 0,
            round(self.interval * _US) if bulk else "",  # how far ahead bulk reserves
            len(self._counted),
        ]
        for r, i in zip(self._counted, range(1, len(self._returns), 2), strict=True):
            args += [r.limit, r.kept if bulk else 0, *self._returns[i : i + 2]]
        return args

    async def acquire(self, priority: Priority = "interactive") -> RedisLease:
        """Reserve a start time in one round trip, then sleep until it (no polling).

        Interactive calls reserve at once; this process's bulk calls take turns, and
        reserve no further ahead than one interval, so a later interactive call is not
        queued behind them (module docstring). Returns the reservation (the lease
        :meth:`release` and :meth:`pause` take); cancellation gives the reservation back
        (best effort).
        """
        bulk = priority == "bulk"
        self._waiting[bulk] += 1
        try:
            if not bulk:
                return await self._reserve(False)
            await self._turn()
            try:
                return await self._reserve(True)
            finally:
                self._pass_turn()
        finally:
            self._waiting[bulk] -= 1

    async def _turn(self) -> None:
        """Wait until this call is the first of this process's bulk calls."""
        future = asyncio.get_running_loop().create_future()
        with self._lock:
            self._bulk.append(future)
            if self._bulk[0] is future:
                return
        try:
            await future
        except asyncio.CancelledError:
            with self._lock:
                if future.done() and not future.cancelled():
                    self._bulk.appendleft(future)  # it had the turn: pass it on
                    self._pass_turn_locked()
                else:
                    self._bulk.remove(future)
            raise

    def _pass_turn(self) -> None:
        with self._lock:
            self._pass_turn_locked()

    def _pass_turn_locked(self) -> None:
        self._bulk.popleft()
        if self._bulk:
            nxt = self._bulk[0]
            nxt.get_loop().call_soon_threadsafe(_resolve, nxt)

    async def _reserve(self, bulk: bool) -> RedisLease:
        drop = ""
        while True:
            member = f"{_PROCESS}:{next(_SERIAL)}" if self._exact is not None else ""
            undo: tuple[str, str, str] | None = None
            holds = self._holds
            try:
                delay_us, now_us, tat, before = await self._backend.run(
                    self._acquire,
                    [*self._keys, *self._counted_keys],
                    [*self._args, member, drop, *self._lanes[bulk]],
                )
                if delay_us < 0:
                    # No slot yet: the request it would follow has not finished, a counted
                    # window is full, or a bulk slot would be too far ahead (module
                    # docstring). Ask again when it can be; the drop is done.
                    drop = ""
                    await asyncio.sleep(-delay_us / _US)
                    continue
                undo = (_text(tat), _text(before), str(int(now_us) + int(delay_us)))
                if delay_us > 0:
                    await asyncio.sleep(delay_us / _US)
            except asyncio.CancelledError:
                await self._give_back(member, undo)
                if drop:
                    await self._give_back(drop, None)
                raise
            lease = RedisLease(member or None, int(now_us), int(now_us) + int(delay_us))
            if holds == self._holds or lease.start_at >= self._hold_until:
                break
            # A 429 of this process held the key while this waiter slept, and its slot
            # falls before the hold ends: it queues again behind it (freeing the old slot).
            # (Once per 429: a Redis clock that jumped back cannot keep it queueing.)
            drop = member
            if self._counted:
                await self._give_back("", (tat, before, str(lease.start_at)))
        return lease

    async def release(self, lease: object) -> None:
        """The request is over: its tokens return ``period + margin`` from now."""
        if not isinstance(lease, RedisLease) or (lease.member is None and not self._counted):
            return  # only a pacer: nothing is held
        try:
            await self._backend.run(
                "RELEASE",
                [self._keys[0], *self._counted_keys],
                [lease.member or "", self._cooldown_us, lease.start_at, *self._returns],
            )
        except BackendError as exc:
            # The answer has arrived: losing it would be worse than a token counted from
            # the request's start. The next acquire() reports the outage.
            log.warning("revclient: could not release a rate-limit token: %s", exc)

    async def pause(self, delay: float | None, lease: object = None) -> None:
        """The server answered 429 (``delay``: its Retry-After, or ``None``) to the request
        started under ``lease``: every process on the key learns from it and holds back
        (module docstring), in one round trip.
        """
        arg = "" if delay is None else str(max(0, round(delay * _US)))
        granted = str(lease.granted_at) if isinstance(lease, RedisLease) else ""
        window = "0" if self._exact is None else "1"
        self.throttled_total += 1
        hold = await self._backend.run("PAUSE", self._keys, [*self._args, arg, granted, window])
        self._hold_until = max(self._hold_until, int(hold))
        self._holds += 1

    async def _give_back(self, member: str, undo: tuple[str, str, str] | None) -> None:
        tat, before, start = undo if undo is not None else ("", "", "")

        async def give_back() -> None:
            # If Redis is unreachable the reservation simply expires.
            with contextlib.suppress(BackendError):
                await self._backend.run(
                    "UNDO",
                    [self._keys[0], self._keys[2], *self._counted_keys],
                    [member, tat, before, start, *self._returns],
                )

        # Shielded: a second cancellation must not leave the slot taken.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(give_back())

    def __repr__(self) -> str:
        return f"RedisLimiter({self.rate!r}, backend={self._backend.where!r})"


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _text(value: bytes | str | int) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


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
        await self._backend.run("INVALIDATE_TOKEN", self._keys[:1], Redacted([failed.value]))

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
            status, stale = _fetched(await backend.run("FETCH_TOKEN", self._keys, args))
            if status == "token" and stale is not None:
                return stale
            if status == "lock":
                return await self._exchange(exchange, owner)
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
            await self._store(token, owner)  # releases the lock
        except BaseException:
            # Whatever failed after the lock was taken (the exchange, an odd token, Redis),
            # let the next process try now rather than after lock_timeout.
            with contextlib.suppress(BackendError, asyncio.CancelledError):
                await asyncio.shield(self._backend.run("UNLOCK", self._keys[1:], [owner]))
            raise
        return token

    async def _store(self, token: Token, owner: str) -> None:
        ttl = self._backend.token_ttl
        if token.expires_at is not None and math.isfinite(token.expires_at):
            # Never longer than the token lives, never past what Redis can hold.
            ttl = min(token.expires_at - time.time(), 10 * 365 * 86400.0)
        await self._backend.run(
            "STORE_TOKEN",
            self._keys,
            Redacted([_encode(token), max(1, round(ttl * 1000)), owner]),
        )

    def __repr__(self) -> str:
        return f"RedisTokenStore(backend={self._backend.where!r})"


def _encode(token: Token) -> str:
    payload: dict[str, Any] = {"v": token.value}
    for name, value in (("e", token.expires_at), ("r", token.refresh_at)):
        if value is not None and math.isfinite(value):
            payload[name] = value
    return json.dumps(payload, separators=(",", ":"))


def _fetched(reply: list[Any]) -> tuple[str, Token | None]:
    # FETCH_TOKEN's status and token: decoded at once, so no frame holds the raw JWT.
    status, raw = reply
    return (status.decode() if isinstance(status, bytes) else str(status)), (
        _decode(raw) if raw else None
    )


def _decode(raw: bytes | str) -> Token:
    data = json.loads(raw)
    value = data["v"]
    expires_at = data.get("e")
    refresh_at = data.get("r")
    if expires_at is None and refresh_at is None:
        # Re-derive the plan from the JWT's own claims when the writer had none.
        return make_token(value)
    return Token(value, expires_at=expires_at, refresh_at=refresh_at)
