"""The Redis backend against a real redis-server on a free loopback port (no fakes).

Several processes share one key through Redis: the sandbox (strict window, in a thread
here) must see no 429 and never more than ``limit`` arrivals in a window, the budget must
be used, one exchange must serve every process, an outage must be a BackendError, and
idle keys must vanish. Time is scaled down: 20 requests per 0.5 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Literal

import pytest
from helpers import rendered_locals, run_workers, sentry_event

import revclient
from revclient._auth import Token
from revclient.errors import BackendError
from revclient.testing import Sandbox
from revclient.testing._redis import (
    RedisCluster,
    redis_cluster,
    redis_sentinel,
    redis_server,
)

_IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_MISSING = [b for b in ("redis-server", "redis-cli", "redis-sentinel") if not shutil.which(b)]
if _MISSING:
    if _IN_CI:
        pytest.fail(
            f"{', '.join(_MISSING)} required in CI (apt-get install redis-server redis-sentinel)",
            pytrace=False,
        )
    pytest.skip(f"not installed: {', '.join(_MISSING)}", allow_module_level=True)
try:
    from revclient.backends.redis import RedisBackend, RedisLease, RedisLimiter
except ImportError:
    if _IN_CI:
        raise
    pytest.skip("redis-py is missing: pip install 'revclient[redis]'", allow_module_level=True)

LIMIT, PERIOD = 20, 0.5
US = 1_000_000


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as server:
        yield server.url


@pytest.fixture
def prefix() -> str:
    return "t" + uuid.uuid4().hex[:10]


@pytest.fixture
async def backend(redis_url: str, prefix: str) -> AsyncIterator[RedisBackend]:
    async with RedisBackend(redis_url, prefix=prefix) as b:
        yield b


# -- several processes, one key ---------------------------------------------------------


def test_four_processes_share_one_budget(redis_url: str, prefix: str) -> None:
    per_worker = 30  # 120 requests: six windows' worth
    with Sandbox(rate_limit=(LIMIT, PERIOD)).run_in_thread() as sb:
        reports = run_workers(
            4,
            {
                "redis": redis_url,
                "prefix": prefix,
                "api": "rev23",
                "url": sb.url,
                "key": sb.rev23_api_key,
                "tenant": sb.rev23_tenant,
                "limit": LIMIT,
                "period": PERIOD,
                "requests": per_worker,
                "concurrency": 8,
            },
        )
        stats = sb.stats.keys["rev23"]
    assert [r["errors"] for r in reports] == [[]] * 4
    assert sum(r["ok"] for r in reports) == 4 * per_worker
    assert stats.rate_limited == 0
    assert sum(r["throttled"] for r in reports) == 0
    # The budget is used at the shared pace: period / limit plus the jitter allowances
    # (25 ms + 2.5 ms here: 91 %), whatever the start-up costs.
    arrivals = sorted(stats.arrivals)
    used = (len(arrivals) - 1) / ((arrivals[-1] - arrivals[0]) * LIMIT / PERIOD)
    assert used >= 0.80, f"{used:.3f} of the budget used"


@pytest.mark.parametrize("expired", [False, True], ids=["cold", "expired"])
def test_four_processes_share_one_exchange(redis_url: str, prefix: str, expired: bool) -> None:
    with Sandbox(rate_limit=None).run_in_thread() as sb:
        cfg = {
            "redis": redis_url,
            "prefix": prefix,
            "api": "revio",
            "url": sb.url,
            "key": sb.revio_api_key,
            "host": sb.revio_host,
            "requests": 20,
            "concurrency": 10,
        }
        before = 0
        if expired:
            run_workers(1, {**cfg, "requests": 1})  # a token is cached in Redis ...
            sb.expire_tokens()  # ... and the server no longer accepts it
            before = sb.stats.keys["revio"].exchanges
            assert before == 1
        reports = run_workers(4, cfg)
        stats = sb.stats.keys["revio"]
    assert [r["errors"] for r in reports] == [[]] * 4
    assert stats.exchanges - before == 1
    assert sum(r["exchanges"] for r in reports) == 1


# -- limiter semantics ------------------------------------------------------------------
#
# Two backends share nothing but Redis, like two processes. Start times are checked on the
# Redis clock (the reserved slots: exact, whatever the machine's load) plus one wall-clock
# invariant that load cannot break: nobody starts before its slot (redis-server runs on
# this host, so its clock is time.time()'s).


@contextlib.asynccontextmanager
async def _processes(redis_url: str, prefix: str) -> AsyncIterator[list[RedisBackend]]:
    async with (
        RedisBackend(redis_url, prefix=prefix) as a,
        RedisBackend(redis_url, prefix=prefix) as b,
    ):
        yield [a, b]


def _limiters(backends: list[RedisBackend], rate: revclient.RateLimit) -> list[RedisLimiter]:
    return [b.limiter("k", rate) for b in backends]


async def _starts(limiters: list[RedisLimiter], n: int) -> list[RedisLease]:
    """Offer ``n`` requests at once, in turn through ``limiters``; each holds its token for
    1 ms. Returns the leases by start."""
    leases: list[RedisLease] = []

    async def one(limiter: RedisLimiter) -> None:
        lease = await limiter.acquire()
        assert time.time() * US >= lease.start_at - 1000  # never before its slot
        leases.append(lease)
        await asyncio.sleep(0.001)
        await limiter.release(lease)

    await asyncio.gather(*(one(limiters[i % len(limiters)]) for i in range(n)))
    return sorted(leases, key=lambda lease: lease.start_at)


def _gaps(leases: list[RedisLease]) -> list[int]:
    return [b.start_at - a.start_at for a, b in itertools.pairwise(leases)]


def _immediate(leases: list[RedisLease]) -> int:
    return sum(1 for lease in leases if lease.start_at == lease.granted_at)


def _us(limiter: RedisLimiter) -> int:
    return round(limiter.interval * US)


async def test_paced_across_processes(redis_url: str, prefix: str) -> None:
    rate = revclient.RateLimit(LIMIT, PERIOD)
    async with _processes(redis_url, prefix) as backends:
        limiters = _limiters(backends, rate)
        # rate.interval (26.25 ms) plus the cross-process allowance: 1 ms + 1 % of 25 ms.
        assert limiters[0].interval == pytest.approx(rate.interval + 0.00125)
        interval = _us(limiters[0])
        started = time.monotonic()
        leases = await _starts(limiters, 12)
        elapsed = time.monotonic() - started
    assert _gaps(leases) == [interval] * 11  # one start per interval, none back to back
    assert _immediate(leases) == 1
    assert elapsed >= 11 * interval / US - 0.001


async def test_burst_then_paced_across_processes(redis_url: str, prefix: str) -> None:
    rate = revclient.RateLimit(LIMIT, PERIOD, burst=5)
    async with _processes(redis_url, prefix) as backends:
        limiters = _limiters(backends, rate)
        interval = _us(limiters[0])
        leases = await _starts(limiters, 9)
    assert _immediate(leases) == 5  # five back to back ...
    assert leases[5].start_at == leases[0].start_at + interval  # ... then one per interval
    assert _gaps(leases)[5:] == [interval] * 3
    # GCRA: n starts within d need n <= burst + d / interval.
    for i, first in enumerate(leases):
        for j in range(i, len(leases)):
            assert j - i + 1 <= 5 + (leases[j].start_at - first.start_at) / interval


@pytest.mark.parametrize("refill", ["window", "continuous"])
async def test_429_while_bursting_drops_every_process_to_pacing(
    redis_url: str, prefix: str, refill: Literal["window", "continuous"]
) -> None:
    rate = revclient.RateLimit(LIMIT, PERIOD, burst=LIMIT, refill=refill)
    async with _processes(redis_url, prefix) as backends:
        a, b = _limiters(backends, rate)
        interval = _us(a)
        burst = await _starts([a], 5)
        assert _immediate(burst) == 5
        await a.pause(0.05, burst[-1])  # 429, Retry-After: 0.05
        r = backends[0].client()
        pace = backends[0].key("k", "pace")
        assert await r.hget(pace, "b") == b"1"
        leases = await _starts([b, a], 4)  # b learned it too
        assert leases[0].start_at >= burst[-1].start_at + 50_000
        assert _gaps(leases) == [interval] * 3
        # An idle spell (the pace's state and the pause expire) does not bring bursts
        # back: the lesson lives a day after its last use.
        await asyncio.sleep(3 * interval / US)
        assert await r.exists(backends[0].key("k", "tat"), backends[0].key("k", "pause")) == 0
        leases = await _starts([b, a], 3)
        assert _immediate(leases) == 1
        assert _gaps(leases) == [interval] * 2
        assert 23 * 3600 * 1000 < await r.pttl(pace) <= 24 * 3600 * 1000


async def test_no_bursts_lesson_is_forgotten_after_lesson_ttl(redis_url: str, prefix: str) -> None:
    rate = revclient.RateLimit(LIMIT, PERIOD, burst=3, refill="continuous")
    async with RedisBackend(redis_url, prefix=prefix, lesson_ttl=0.3) as backend:
        limiter = backend.limiter("k", rate)
        lease = await limiter.acquire()
        await limiter.pause(None, lease)
        await asyncio.sleep(2 * limiter.interval)  # idle: the bucket is full again
        assert _immediate(await _starts([limiter], 3)) == 1
        await asyncio.sleep(0.4)
        assert await backend.client().exists(backend.key("k", "pace")) == 0
        assert _immediate(await _starts([limiter], 3)) == 3


async def test_429_while_paced_slows_every_process_then_recovers(
    redis_url: str, prefix: str
) -> None:
    rate = revclient.RateLimit(LIMIT, PERIOD)
    async with _processes(redis_url, prefix) as backends:
        a, b = _limiters(backends, rate)
        interval = _us(a)
        slow = math.ceil(interval / 0.8)
        [throttled] = await _starts([a], 1)
        await a.pause(None, throttled)  # 429 without Retry-After
        leases = await _starts([b, a], 5)
        # Nothing within one (slowed) interval of the 429, then a slower pace, climbing
        # back (20 % of the rate per period) from the moment of the slowdown.
        assert leases[0].start_at - throttled.start_at > slow
        gaps = _gaps(leases)
        assert all(interval < g <= slow for g in gaps), gaps
        assert gaps == sorted(gaps, reverse=True)
        await asyncio.sleep(PERIOD + 0.05)  # fully recovered after one period
        assert _gaps(await _starts([b, a], 3)) == [interval] * 2


async def test_only_news_slows_down(redis_url: str, prefix: str) -> None:
    rate = revclient.RateLimit(LIMIT, PERIOD)
    async with _processes(redis_url, prefix) as backends:
        a, b = _limiters(backends, rate)
        interval = _us(a)
        r = backends[0].client()
        pace = backends[0].key("k", "pace")
        leases = await _starts([a, b], 3)
        # All three answered 429, reported by both processes: one lesson, paid once.
        await a.pause(None, leases[0])
        await b.pause(None, leases[1])
        await a.pause(None, leases[2])
        once = float(await r.hget(pace, "s"))
        assert once == pytest.approx(interval / 0.8, abs=1)
        # A request granted after the slowdown was sent at the slower pace: its 429 is news.
        [late] = await _starts([b], 1)
        await b.pause(None, late)
        assert once < float(await r.hget(pace, "s")) <= once / 0.8


async def test_continuous_starts_with_burst_tokens(backend: RedisBackend) -> None:
    limiter = backend.limiter("c", revclient.RateLimit(10, 0.5, refill="continuous", burst=3))
    interval = _us(limiter)
    leases = await _starts([limiter], 6)
    assert _immediate(leases) == 3  # burst tokens, not limit
    assert [lease.start_at - leases[0].start_at for lease in leases[3:]] == [
        interval,
        2 * interval,
        3 * interval,
    ]
    assert {lease.member for lease in leases} == {None}  # nothing held in continuous mode


async def test_pause_is_seen_by_another_process(redis_url: str, prefix: str) -> None:
    rate = revclient.RateLimit(LIMIT, PERIOD)
    async with _processes(redis_url, prefix) as backends:
        a, b = _limiters(backends, rate)
        await a.pause(0.3)
        started = time.monotonic()
        await b.acquire()
        assert time.monotonic() - started >= 0.28


@pytest.mark.parametrize("refill", ["window", "continuous"])
async def test_local_waiters_asleep_during_a_pause_queue_again(
    backend: RedisBackend, refill: Literal["window", "continuous"]
) -> None:
    # Issue 13, item 10: in both modes, as the module docstring says.
    limiter = backend.limiter("k", revclient.RateLimit(1, 0.2, refill=refill))
    lease = await limiter.acquire()
    await limiter.release(lease)
    started = time.monotonic()
    waiter = asyncio.create_task(limiter.acquire())  # reserved ~0.2 s from now
    await asyncio.sleep(0.05)
    await limiter.pause(0.5, lease)  # ... but a 429 says: nothing for 0.5 s
    await waiter
    assert time.monotonic() - started >= 0.5
    assert await backend.client().zcard(backend.key("k", "rl")) <= 2


async def test_window_holds_across_backends(redis_url: str, prefix: str) -> None:
    rate = revclient.RateLimit(5, 0.2, burst=5)
    starts: list[float] = []
    async with _processes(redis_url, prefix) as backends:
        la, lb = _limiters(backends, rate)

        async def one(limiter: RedisLimiter) -> None:
            lease = await limiter.acquire()
            starts.append(time.monotonic())
            await asyncio.sleep(0.005)
            await limiter.release(lease)

        await asyncio.gather(*(one(la if i % 2 else lb) for i in range(20)))
    starts.sort()
    for i in range(len(starts) - 5):
        assert starts[i + 5] - starts[i] >= 0.2  # 20 starts: four full windows, not more


async def test_release_returns_the_token_after_completion(backend: RedisBackend) -> None:
    limiter = backend.limiter("k", revclient.RateLimit(1, 0.2))
    started = time.monotonic()
    lease = await limiter.acquire()
    await asyncio.sleep(0.15)  # a slow request
    await limiter.release(lease)
    await limiter.acquire()
    # period after the end, not after the start (0.15 + 0.2, not 0.2)
    assert time.monotonic() - started >= 0.34


async def test_cancelled_waiter_gives_its_slot_back(backend: RedisBackend) -> None:
    limiter = backend.limiter("k", revclient.RateLimit(2, 0.3))
    for _ in range(2):  # finished: a slot may follow them
        await limiter.release(await limiter.acquire())
    r = backend.client()
    key, tat = backend.key("k", "rl"), backend.key("k", "tat")
    before = await r.get(tat)
    waiter = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0.05)
    assert await r.zcard(key) == 3
    assert await r.get(tat) != before
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert await r.zcard(key) == 2
    assert await r.get(tat) == before  # its pacer slot too


async def test_a_key_takes_a_new_budget_only_when_no_open_client_uses_the_old(
    backend: RedisBackend,
) -> None:
    async with Sandbox(rate_limit=None) as sb:

        def client(limit: int) -> revclient.AsyncRev23:
            return revclient.AsyncRev23(
                sb.rev23_api_key,
                sb.rev23_tenant,
                base_url=sb.url,
                backend=backend,
                rate_limit=revclient.RateLimit(limit, 1.0),
            )

        async with client(5) as first:
            with pytest.raises(revclient.ConfigurationError, match="open client"):
                client(6)
            await first.customers.get(1)
        async with client(6) as second:  # the first is closed: the key adopts 6
            assert backend.limiter(second._key_id, revclient.RateLimit(6, 1.0)).rate.limit == 6
            await second.customers.get(2)
        # The reservation the first client made is still in Redis and counts.
        assert await backend.client().zcard(backend.key(second._key_id, "rl")) == 2


async def test_idle_keys_expire(backend: RedisBackend) -> None:
    rate = revclient.RateLimit(3, 0.2)
    limiter = backend.limiter("k", rate)
    for _ in range(3):
        lease = await limiter.acquire()
        await limiter.release(lease)
    await limiter.pause(0.1, lease)  # slows the key down: learned state, for a while
    r = backend.client()
    keys = sorted(k.decode() for k in await r.keys(backend.prefix + ":*"))
    assert keys == sorted(backend.key("k", what) for what in ("pause", "rl", "tat", "pace"))
    # What a slowdown taught the key lasts until it has recovered (one period here).
    bound = (rate.period + backend.cooldown(rate)) * 1000 + 20
    for key in keys:
        assert 0 < await r.pttl(key) <= bound
    await asyncio.sleep(bound / 1000 + 0.05)
    assert await r.keys(backend.prefix + ":*") == []


# -- token store ------------------------------------------------------------------------


async def test_token_lives_in_redis_until_exp_under_a_hashed_key(redis_url: str) -> None:
    prefix = "t" + uuid.uuid4().hex[:10]
    async with (
        Sandbox(rate_limit=None, token_ttl=30) as sb,
        RedisBackend(redis_url, prefix=prefix) as backend,
    ):
        async with revclient.AsyncRevio(
            sb.revio_api_key, sb.revio_host, base_url=sb.url, backend=backend
        ) as psa:
            await psa.contacts.get(1)
        r = backend.client()
        keys = [k.decode() for k in await r.keys(prefix + ":*")]
        assert any(k.endswith(":jwt") for k in keys)
        assert not any(k.endswith(":lock") for k in keys)  # released
        assert all(sb.revio_api_key not in k for k in keys)
        jwt_key = next(k for k in keys if k.endswith(":jwt"))
        assert 25_000 < await r.pttl(jwt_key) <= 30_000


async def test_invalidate_only_drops_the_token_that_failed(backend: RedisBackend) -> None:
    store = backend.token_store("k")
    calls = 0

    async def exchange() -> Token:
        nonlocal calls
        calls += 1
        return Token(f"jwt-{calls}")

    first = await store.get(exchange)
    # Another process already replaced it: its late 401 on the old token must not drop the new.
    other = RedisBackend(backend._url, prefix=backend.prefix)
    try:
        other_store = other.token_store("k")
        await other_store.invalidate(first)
        second = await other_store.get(exchange)
        await store.invalidate(first)
        assert await other_store.get(exchange) == second
        assert (await store.get(exchange)).value == second.value == "jwt-2"
    finally:
        await other.aclose()
    assert calls == 2


async def test_crashed_exchanger_blocks_others_only_until_its_lock_times_out(
    redis_url: str, prefix: str
) -> None:
    async with RedisBackend(redis_url, prefix=prefix, lock_timeout=0.3) as backend:
        # A process took the lock and died.
        await backend.client().set(backend.key("k", "jwt:lock"), "dead", px=300)
        calls = 0

        async def exchange() -> Token:
            nonlocal calls
            calls += 1
            return Token("jwt")

        started = time.monotonic()
        store = backend.token_store("k")
        tokens = await asyncio.gather(*(store.get(exchange) for _ in range(10)))
        assert {t.value for t in tokens} == {"jwt"}
        assert calls == 1
        assert 0.25 <= time.monotonic() - started < 5  # not the 5.6 s give-up deadline


async def test_failed_exchange_frees_the_lock_at_once(backend: RedisBackend) -> None:
    store = backend.token_store("k")

    async def broken() -> Token:
        raise revclient.TransportError("down")

    with pytest.raises(revclient.TransportError):
        await store.get(broken)
    assert await backend.client().exists(backend.key("k", "jwt:lock")) == 0


# -- failure modes and configuration ----------------------------------------------------


async def test_redis_stopped_mid_run_is_a_backend_error() -> None:
    password = "s3cret-" + uuid.uuid4().hex[:6]
    with redis_server("--requirepass", password) as server:
        port, proc = server.port, server.process
        url = f"redis://:{password}@127.0.0.1:{port}/0"
        async with (
            Sandbox(rate_limit=None) as sb,
            RedisBackend(url) as backend,
            revclient.AsyncRev23(
                sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url, backend=backend
            ) as rev,
        ):
            await rev.customers.get(1)
            proc.terminate()
            proc.wait(timeout=5)
            sent = sb.stats.keys["rev23"].requests
            with pytest.raises(BackendError) as info:
                await rev.customers.get(1)
            assert sb.stats.keys["rev23"].requests == sent  # nothing sent unmetered
    message = str(info.value)
    assert message.startswith(f"Redis backend at redis://127.0.0.1:{port} unreachable")
    assert password not in message and password not in repr(backend)
    assert isinstance(info.value, revclient.RevError)


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(revclient.ConfigurationError):
        RedisBackend("http://localhost:6379")
    with pytest.raises(revclient.ConfigurationError):
        RedisBackend("redis://localhost", prefix="a{b}")
    with pytest.raises(revclient.ConfigurationError):
        RedisBackend("redis://localhost", lock_timeout=0)
    with pytest.raises(revclient.ConfigurationError):
        RedisBackend("redis://localhost", jitter=-0.001)
    with pytest.raises(revclient.ConfigurationError):
        RedisBackend("redis://localhost", lesson_ttl=0)
    with pytest.raises(revclient.ConfigurationError):
        RedisBackend("redis://localhost", max_connections=0)
    assert "hunter2" not in repr(RedisBackend("redis://user:hunter2@localhost:6380/1"))


def test_memory_backend_needs_no_redis() -> None:
    code = "import sys, revclient; revclient.AsyncRev23; print('redis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("odd", [float("inf"), float("nan"), 1e300])
async def test_an_odd_token_never_leaves_the_exchange_lock_behind(
    redis_url: str, prefix: str, odd: float
) -> None:
    # Anything after the lock is taken (here: storing a token whose expiry is odd) must
    # not leave the lock to time out: another process gets the token, or the lock, at once.
    async with RedisBackend(redis_url, prefix=prefix, lock_timeout=30.0) as backend:

        async def exchange() -> Token:
            return Token("jwt-odd", expires_at=odd, refresh_at=odd)

        assert (await backend.token_store("k").get(exchange)).value == "jwt-odd"
        assert await backend.client().exists(backend.key("k", "jwt:lock")) == 0
        async with RedisBackend(redis_url, prefix=prefix, lock_timeout=30.0) as other:
            started = time.monotonic()
            token = await other.token_store("k").get(exchange)
            assert time.monotonic() - started < 15  # not the 30 s lock_timeout
            assert token.value == "jwt-odd"


class _Unshown:
    """Holds a test's secret so that its own frame shows nothing either."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<unshown>"


async def test_a_wrong_password_says_authentication_failed_and_is_never_shown() -> None:
    # Issue 13, items 3 and 13: redis-py's AuthenticationError is a ConnectionError, which
    # read as "unreachable"; and error reporters record every frame's locals.
    password, wrong = _Unshown("right-" + uuid.uuid4().hex), _Unshown("wrong-" + uuid.uuid4().hex)
    with redis_server("--requirepass", password.value) as server:
        async with (
            Sandbox(rate_limit=None) as sb,
            RedisBackend(f"redis://:{wrong.value}@127.0.0.1:{server.port}/0") as backend,
            revclient.AsyncRevio(
                sb.revio_api_key, sb.revio_host, base_url=sb.url, backend=backend
            ) as psa,
        ):
            with pytest.raises(BackendError) as info:
                await psa.customers.get(1)
            assert sb.stats.total_requests == 0  # nothing sent unmetered
    message = str(info.value)
    assert f"127.0.0.1:{server.port} authentication failed" in message, message
    for text in (message, sentry_event(info.value), rendered_locals(info.value)):
        assert wrong.value not in text and password.value not in text


async def test_concurrency_is_limited_by_the_budget_not_by_redis_connections(
    redis_url: str, prefix: str
) -> None:
    # Issue 13, item 3: 500 requests at once on one loop (redis-py's own pool refuses past
    # 100 connections) all succeed through a pool of 8 connections.
    async with (
        Sandbox(rate_limit=None) as sb,
        RedisBackend(redis_url, prefix=prefix, max_connections=8) as backend,
        revclient.AsyncRev23(
            sb.rev23_api_key,
            sb.rev23_tenant,
            base_url=sb.url,
            backend=backend,
            rate_limit=revclient.RateLimit(2000, 1.0),
        ) as rev,
    ):
        got = await asyncio.gather(*(rev.customers.get(1 + i % 200) for i in range(500)))
        assert len(got) == 500
        assert sb.stats.keys["rev23"].requests == 500


@pytest.mark.parametrize("burst", [1, LIMIT])
async def test_a_lagging_event_loop_never_crowds_the_servers_window(
    redis_url: str, prefix: str, burst: int
) -> None:
    # Issue 13, item 2: 40 workers on one loop and a task that blocks it 100 ms at a time.
    # A slot reserved in Redis but sent late must not let later slots, spaced from it,
    # crowd a strict server's window (before: 3 to 20 429s in 120 requests).
    rate = revclient.RateLimit(LIMIT, PERIOD, burst=burst)
    async with (
        Sandbox(rate_limit=(LIMIT, PERIOD)) as sb,
        RedisBackend(redis_url, prefix=prefix) as backend,
        revclient.AsyncRev23(
            sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url, backend=backend, rate_limit=rate
        ) as rev,
    ):
        done = asyncio.Event()

        async def hog() -> None:
            while not done.is_set():
                time.sleep(0.1)  # noqa: ASYNC251 - blocks the loop, as CPU-bound work would
                await asyncio.sleep(0.01)

        async def worker(i: int) -> None:
            for j in range(3):
                await rev.customers.get(1 + (3 * i + j) % 200)

        lag = asyncio.create_task(hog())
        await asyncio.gather(*(worker(i) for i in range(40)))
        done.set()
        await lag
        stats = sb.stats.keys["rev23"]
    assert stats.requests == 120
    assert stats.rate_limited == 0


async def test_a_server_saying_nothing_remains_holds_every_process(
    redis_url: str, prefix: str
) -> None:
    # Issue "budgets", item 3: the hold goes through Redis; it teaches no lesson.
    rate = revclient.RateLimit(LIMIT, PERIOD)
    async with _processes(redis_url, prefix) as backends:
        a, b = _limiters(backends, rate)
        await a.advertise(revclient.Advertised(limit=LIMIT, remaining=0, reset=0.3))
        held = await b.snapshot()
        assert 0 < held.paused_for <= 0.3
        started = time.monotonic()
        lease = await b.acquire()
        assert time.monotonic() - started >= 0.28
        await b.release(lease)
        after = await b.snapshot()
    assert after.rate == rate and after.free == LIMIT - 1 and after.in_flight == 0


async def test_budget_through_a_redis_backed_client(redis_url: str, prefix: str) -> None:
    rate = revclient.RateLimit(LIMIT, PERIOD)
    async with (
        Sandbox(rate_limit=None) as sb,
        RedisBackend(redis_url, prefix=prefix) as backend,
        revclient.AsyncRev23(
            sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url, backend=backend, rate_limit=rate
        ) as rev,
    ):
        await asyncio.gather(*(rev.customers.get(i) for i in range(1, 4)))
        budget = await rev.budget()
    assert budget.configured == rate and budget.free == LIMIT - 3
    assert budget.in_flight == 0 and budget.queued == 0


# -- beyond one node: Redis Cluster and Sentinel (issue "budgets", item 6) ---------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[RedisCluster]:
    with redis_cluster() as found:
        yield found


def _clients(sb: Sandbox, backend: RedisBackend, n: int) -> list[revclient.AsyncRev23]:
    return [
        revclient.AsyncRev23(
            sb.add_key("rev23"),
            sb.rev23_tenant,
            base_url=sb.url,
            backend=backend,
            rate_limit=revclient.RateLimit(LIMIT, PERIOD),
        )
        for _ in range(n)
    ]


async def test_a_redis_cluster_keeps_every_keys_budget(cluster: RedisCluster) -> None:
    # 12 keys spread over the cluster's slots; each key's data sits in one slot.
    async with (
        Sandbox(rate_limit=(LIMIT, PERIOD)) as sb,
        RedisBackend(cluster.url, prefix="cl") as backend,
    ):
        clients = _clients(sb, backend, 12)
        try:
            await asyncio.gather(*(c.customers.get(i) for c in clients for i in range(1, 4)))
            budgets = [await c.budget() for c in clients]
        finally:
            for c in clients:
                await c.aclose()
        statuses = sb.stats.statuses()
    assert statuses.count(200) == 36 and 429 not in statuses
    assert {b.free for b in budgets} == {LIMIT - 3}


async def test_a_plain_url_to_a_cluster_node_says_to_use_the_cluster_scheme(
    cluster: RedisCluster,
) -> None:
    plain = cluster.url.replace("redis+cluster://", "redis://")
    async with Sandbox(rate_limit=None) as sb, RedisBackend(plain, prefix="pl") as backend:
        clients = _clients(sb, backend, 12)
        try:
            results = await asyncio.gather(
                *(c.customers.get(1) for c in clients), return_exceptions=True
            )
        finally:
            for c in clients:
                await c.aclose()
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors  # most keys live on another node: MOVED
    assert all(isinstance(e, BackendError) and "redis+cluster://" in str(e) for e in errors)


@pytest.mark.parametrize("where", ["single node", "cluster"])
async def test_a_script_flush_reloads_the_scripts(
    redis_url: str, cluster: RedisCluster, where: str
) -> None:
    url, ports = (
        (redis_url, [int(redis_url.rsplit(":", 1)[1].split("/")[0])])
        if where == "single node"
        else (cluster.url, [node.port for node in cluster.nodes])
    )
    async with Sandbox(rate_limit=None) as sb, RedisBackend(url, prefix="fl") as backend:
        (client,) = _clients(sb, backend, 1)
        async with client:
            await client.customers.get(1)
            for port in ports:
                flush = ["redis-cli", "-p", str(port), "script", "flush"]
                await asyncio.to_thread(subprocess.run, flush, check=True)
            assert (await client.customers.get(2)).id == 2  # NOSCRIPT: loaded again


async def test_a_sentinel_failover_keeps_the_budget_and_the_jwt() -> None:
    with redis_sentinel() as sentinel:
        async with (
            Sandbox(rate_limit=None) as sb,
            RedisBackend(sentinel.url, prefix="se") as backend,
            revclient.AsyncRevio(
                sb.revio_api_key,
                sb.revio_host,
                base_url=sb.url,
                backend=backend,
                rate_limit=revclient.RateLimit(LIMIT, PERIOD),
            ) as psa,
        ):
            await asyncio.gather(*(psa.customers.get(i) for i in (1, 2, 3)))
            before = sentinel.primary_port()
            await asyncio.to_thread(sentinel.failover)
            assert sentinel.primary_port() != before
            got = await asyncio.gather(*(psa.customers.get(i) for i in (4, 5, 6)))
        label = sb.key_label(sb.revio_api_key)
        exchanges = sb.stats.keys[label].exchanges
    assert [c.customer_id for c in got] == [4, 5, 6]
    assert exchanges == 1  # the JWT in Redis was replicated to the new primary


async def test_a_ready_cluster_client_is_used_as_is_and_left_open(cluster: RedisCluster) -> None:
    from redis.asyncio.cluster import RedisCluster as PyRedisCluster

    mine = PyRedisCluster(host="127.0.0.1", port=cluster.nodes[0].port)
    async with Sandbox(rate_limit=None) as sb:
        async with RedisBackend(client=mine, prefix="own") as backend:
            assert "RedisCluster" in repr(backend)
            clients = _clients(sb, backend, 4)
            try:
                await asyncio.gather(*(c.customers.get(1) for c in clients))
            finally:
                for c in clients:
                    await c.aclose()
        assert await mine.ping()  # the backend left the user's client open
    await mine.aclose()
    with pytest.raises(revclient.ConfigurationError, match="client"):
        RedisBackend(client=object())


# -- several windows and priority lanes (issue "budgets", items 1 and 4) -----------------------


def _windows(*rates: revclient.RateLimit) -> tuple[revclient.RateLimit, ...]:
    found = revclient._config.check_rate_limit(list(rates))
    assert isinstance(found, tuple)
    return found


def _most_in_a_window(starts: list[int], period: float) -> int:
    span = round(period * US)
    return max(sum(1 for t in starts[i:] if t < s + span) for i, s in enumerate(starts))


async def test_several_windows_hold_across_processes(redis_url: str, prefix: str) -> None:
    # 10 per 0.2 s (bursts accepted) and 25 per 1 s, from two processes: every window of
    # both periods holds no more than its limit, on the Redis clock.
    rates = _windows(revclient.RateLimit(10, 0.2, burst=10), revclient.RateLimit(25, 1.0))
    async with _processes(redis_url, prefix) as backends:
        limiters = [b.limiter("k", rates) for b in backends]
        leases = await _starts(limiters, 40)
        budget = await limiters[0].snapshot()
        r = backends[0].client()
        buckets = await r.hlen(backends[0].key("k", "win:1000000"))
    starts = [lease.start_at for lease in leases]
    assert _most_in_a_window(starts, 0.2) <= 10
    assert _most_in_a_window(starts, 1.0) <= 25
    assert starts[25] - starts[0] >= US  # the 26th waited for the longer window
    assert [w.rate for w in budget.windows] == list(rates)
    assert buckets <= 1026  # buckets (and their total), never one field per request


async def test_a_waiter_requeued_by_a_429_gives_back_its_long_window_reservation(
    backend: RedisBackend,
) -> None:
    # Six waiters sleep until their paced slots; a 429 of this process then holds the key
    # past most of those slots, so they queue again behind it. Each re-queue frees the
    # reservation it held in the day-long counted window: afterwards that window has
    # counted exactly the requests that started, not the abandoned slots too.
    rates = _windows(revclient.RateLimit(LIMIT, PERIOD), revclient.RateLimit(1000, 86_400.0))
    limiter = backend.limiter("k", rates)
    first = await limiter.acquire()
    await limiter.release(first)

    async def one() -> RedisLease:
        lease = await limiter.acquire()
        await limiter.release(lease)
        return lease

    waiters = [asyncio.create_task(one()) for _ in range(6)]
    await asyncio.sleep(0.005)  # every waiter holds a slot and sleeps until it
    held_at = time.time() * US
    await limiter.pause(0.1, first)
    leases = await asyncio.gather(*waiters)
    # The re-queue happened: the slots were all due within 0.1 s, and none started
    # before the hold ended.
    assert min(lease.start_at for lease in leases) >= held_at + 0.1 * US - 5000
    day = (await limiter.snapshot()).windows[1]
    assert day.rate == rates[1] and day.free == 1000 - 1 - len(leases)


async def test_a_window_too_large_for_one_entry_per_request_is_counted(
    backend: RedisBackend,
) -> None:
    # 5,000 a day, bursts accepted: no reservation set of one entry per request, a few
    # buckets, and the budget still counts every request.
    limiter = backend.limiter("k", revclient.RateLimit(5000, 86_400.0, burst=5000))
    for _ in range(300):
        await limiter.release(await limiter.acquire())
    r = backend.client()
    assert not await r.exists(backend.key("k", "rl"))
    assert await r.hlen(backend.key("k", "win:86400000000")) <= 3
    assert (await limiter.snapshot()).free == 5000 - 300


async def test_bulk_calls_leave_the_reserve_and_let_interactive_calls_go_first(
    redis_url: str, prefix: str
) -> None:
    # 10 per 0.5 s, 3 kept: two processes each queue 12 bulk calls; an interactive call
    # every 0.2 s is reserved within two intervals, and no bulk start ever has more than
    # 7 starts (its own included) in the window that ends at it.
    rate = revclient.RateLimit(10, 0.5, reserve=0.3)
    bulk: list[RedisLease] = []
    interactive: list[RedisLease] = []
    async with _processes(redis_url, prefix) as backends:
        limiters = [b.limiter("k", rate) for b in backends]
        interval = _us(limiters[0])

        async def one(limiter: RedisLimiter, priority: Literal["interactive", "bulk"]) -> None:
            lease = await limiter.acquire(priority)
            (bulk if priority == "bulk" else interactive).append(lease)
            await asyncio.sleep(0.002)
            await limiter.release(lease)

        async def calls() -> None:
            for i in range(5):
                await asyncio.sleep(0.2)
                await one(limiters[i % 2], "interactive")

        await asyncio.gather(*(one(limiters[i % 2], "bulk") for i in range(24)), calls())
    assert len(bulk) == 24 and len(interactive) == 5
    assert max(lease.start_at - lease.granted_at for lease in interactive) <= 2 * interval + 1000
    starts = sorted(lease.start_at for lease in bulk + interactive)
    span = round(0.5 * US)
    for lease in bulk:
        assert sum(1 for t in starts if lease.start_at - span < t <= lease.start_at) <= 7


async def test_several_windows_and_lanes_on_a_redis_cluster(cluster: RedisCluster) -> None:
    # Each key's reservations, pacing and counted windows share one hash slot: scripts
    # touching all of them run on one node (no CROSSSLOT), for 6 keys over the cluster.
    rates = [revclient.RateLimit(LIMIT, PERIOD, reserve=0.25), revclient.RateLimit(30, 5.0)]
    async with (
        Sandbox(rate_limit=(LIMIT, PERIOD)) as sb,
        RedisBackend(cluster.url, prefix="cw") as backend,
    ):
        clients = [
            revclient.AsyncRev23(
                sb.add_key("rev23"),
                sb.rev23_tenant,
                base_url=sb.url,
                backend=backend,
                rate_limit=rates,
            )
            for _ in range(6)
        ]
        try:
            await asyncio.gather(
                *(
                    c.customers.get(i, priority="bulk" if i % 2 else "interactive")
                    for c in clients
                    for i in range(1, 5)
                )
            )
            budgets = [await c.budget() for c in clients]
        finally:
            for c in clients:
                await c.aclose()
        statuses = sb.stats.statuses()
    assert statuses.count(200) == 24 and 429 not in statuses
    assert {tuple(w.free for w in b.windows) for b in budgets} == {(LIMIT - 4, 30 - 4)}
