"""The per-key rate limiter: window invariant, FIFO, cancellation, isolation, 429 pauses."""

from __future__ import annotations

import asyncio
import time

import pytest
from _virtualtime import VirtualTimeLoop, run_virtual
from helpers import LIMIT, PERIOD, rev23, revio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revclient
from revclient._ratelimit import TokenBucket
from revclient.testing import Sandbox

# -- property test on a virtual clock --------------------------------------------------

_requests = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=3.0),  # arrival time
        st.floats(min_value=0, max_value=0.3),  # how long the request holds its token
        st.one_of(st.none(), st.floats(min_value=0, max_value=1.0)),  # cancel after waiting
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    requests=_requests,
    limit=st.integers(min_value=1, max_value=6),
    period=st.sampled_from([0.1, 0.25, 1.0]),
    continuous=st.booleans(),
)
def test_window_invariant_and_fifo_on_a_virtual_clock(
    requests: list[tuple[float, float, float | None]],
    limit: int,
    period: float,
    continuous: bool,
) -> None:
    rate = revclient.RateLimit(limit, period, refill="continuous" if continuous else "window")
    grants: list[tuple[float, int]] = []  # (time, order of acquire() call)
    calls: list[int] = []
    cancelled: list[int] = []

    async def one(bucket: TokenBucket, loop: VirtualTimeLoop, i: int) -> None:
        arrival, hold, cancel_after = requests[i]
        await asyncio.sleep(arrival)
        calls.append(i)
        seq = len(calls) - 1

        async def acquire() -> None:
            await bucket.acquire()
            grants.append((loop.time(), seq))  # noted in the task that was granted

        try:
            # Both branches go through wait_for's inner task, so call order is queue order.
            await asyncio.wait_for(acquire(), 1e9 if cancel_after is None else cancel_after)
        except TimeoutError:
            cancelled.append(seq)
            return
        await asyncio.sleep(hold)
        await bucket.release(None)

    async def main() -> TokenBucket:
        loop = asyncio.get_running_loop()
        assert isinstance(loop, VirtualTimeLoop)
        bucket = TokenBucket(rate, clock=loop.time)
        await asyncio.gather(*(one(bucket, loop, i) for i in range(len(requests))))
        return bucket

    bucket = run_virtual(main())

    # Nothing lost: every request not cancelled was served, no cancelled one was.
    served = {seq for _, seq in grants}
    assert served.isdisjoint(cancelled)
    assert len(served) + len(cancelled) == len(requests)
    # FIFO: served in the order they asked.
    order = [seq for _, seq in grants]
    assert order == sorted(order)
    times = sorted(t for t, _ in grants)
    if continuous:
        # Token-bucket invariant: n starts within d seconds need n <= limit + d * rate.
        rate_per_s = limit / period
        for i, first in enumerate(times):
            for j in range(i, len(times)):
                assert j - i + 1 <= limit + (times[j] - first) * rate_per_s + 1e-6
    else:
        # Window invariant: at most `limit` starts in any window of `period` seconds.
        for i, start in enumerate(times):
            inside = sum(1 for t in times[i:] if t < start + period - 1e-9)
            assert inside <= limit, (inside, limit, times)
    # Every token is back once everything is over.
    assert bucket.waiting == 0
    if not continuous:
        assert bucket._held == 0
        assert bucket._free + len(bucket._returning) == limit


def test_no_timer_per_tick() -> None:
    """10,000 waiters cost one timer on the loop, not one per waiter or per tick."""

    async def main() -> tuple[int, int]:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(revclient.RateLimit(10, 1.0), clock=loop.time)
        for _ in range(10):
            await bucket.acquire()
        tasks = [asyncio.create_task(bucket.acquire()) for _ in range(10_000)]
        await asyncio.sleep(0)
        timers = len(loop._scheduled)  # type: ignore[attr-defined]
        waiting = bucket.waiting
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return timers, waiting

    timers, waiting = run_virtual(main())
    assert waiting == 10_000
    assert timers <= 1


def test_cancelled_waiter_gives_its_place_back() -> None:
    async def main() -> list[tuple[str, float]]:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(revclient.RateLimit(1, 1.0, margin=0.01), clock=loop.time)
        order: list[tuple[str, float]] = []
        await bucket.acquire()
        await bucket.release(None)  # the token returns at t + 1 s

        async def waiter(name: str) -> None:
            await bucket.acquire()
            order.append((name, loop.time() - start))
            await bucket.release(None)

        start = loop.time()
        a = asyncio.create_task(waiter("a"))
        b = asyncio.create_task(waiter("b"))
        await asyncio.sleep(0.5)
        a.cancel()
        await asyncio.gather(a, b, return_exceptions=True)
        return order

    order = run_virtual(main())
    # b inherits a's place: served when the token returns (1 s + margin), not a period later.
    assert order == [("b", pytest.approx(1.01))]


def test_pause_holds_every_waiter() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(revclient.RateLimit(5, 1.0), clock=loop.time)
        start = loop.time()
        await bucket.pause(2.5)
        await bucket.acquire()
        return loop.time() - start

    assert run_virtual(main()) == pytest.approx(2.5)


# -- against the sandbox's strict sliding window, over real HTTP -------------------------


async def test_burst_of_ten_times_the_limit_keeps_the_window(sandbox: Sandbox) -> None:
    total = LIMIT * 10
    async with rev23(sandbox) as rev:
        started = time.monotonic()
        await asyncio.gather(*(rev.request("GET", "/api/v2/customers/1") for _ in range(total)))
        elapsed = time.monotonic() - started
    stats = sandbox.stats.keys["rev23"]
    assert stats.rate_limited == 0
    assert len(stats.arrivals) == total
    assert sandbox.max_in_window("rev23", PERIOD) <= LIMIT
    # The budget is used: 10 windows' worth needs 9 periods after the first burst.
    ideal = (total / LIMIT - 1) * PERIOD
    assert elapsed <= ideal * 1.25 + 0.1, (elapsed, ideal)


async def test_continuous_refill_spaces_requests(sandbox: Sandbox) -> None:
    # A classic bucket with a full burst on top of a full refill would break a strict
    # window; started half empty (after the burst) it must still never see a 429 thanks
    # to the 429 path absorbing the rare excess.
    rate = revclient.RateLimit(LIMIT, PERIOD, refill="continuous")
    async with rev23(sandbox, rate_limit=rate) as rev:
        await asyncio.gather(*(rev.request("GET", "/api/v2/customers/1") for _ in range(60)))
    assert len(sandbox.stats.keys["rev23"].arrivals) == 60


async def test_second_key_is_not_slowed_by_the_first(sandbox: Sandbox) -> None:
    other = sandbox.add_key("rev23")
    async with rev23(sandbox) as a:
        busy = [asyncio.create_task(a.request("GET", "/api/v2/customers/1")) for _ in range(200)]
        await asyncio.sleep(0.05)  # key A's queue is long now
        async with revclient.AsyncRev23(
            api_key=other,
            tenant=sandbox.rev23_tenant,
            base_url=sandbox.url,
            rate_limit=revclient.RateLimit(LIMIT, PERIOD),
        ) as b:
            started = time.monotonic()
            await b.request("GET", "/api/v2/customers/2")
            waited = time.monotonic() - started
        assert waited < PERIOD / 2, waited  # key A needs ~1.8 s to drain
        for task in busy:
            task.cancel()
        await asyncio.gather(*busy, return_exceptions=True)


async def test_cancelled_requests_free_their_slots(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as rev:
        limiter = rev._ctx.limiter
        assert isinstance(limiter, TokenBucket)
        queued = [
            asyncio.create_task(rev.request("GET", "/api/v2/customers/1")) for _ in range(500)
        ]
        await asyncio.sleep(0.01)
        for task in queued:
            task.cancel()
        await asyncio.gather(*queued, return_exceptions=True)
        assert limiter.waiting == 0
        # The cancelled requests did not leave tokens behind: after one period a full
        # burst goes straight through.
        await asyncio.sleep(PERIOD + 0.05)
        started = time.monotonic()
        await asyncio.gather(*(rev.request("GET", "/api/v2/customers/1") for _ in range(LIMIT)))
        assert time.monotonic() - started < PERIOD
    assert sandbox.stats.keys["rev23"].rate_limited == 0


async def test_clients_on_one_key_share_one_budget(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as a, rev23(sandbox) as b, revclient.SessionManager() as manager:
        c = manager.rev23(
            sandbox.rev23_api_key,
            sandbox.rev23_tenant,
            base_url=sandbox.url,
            rate_limit=revclient.RateLimit(LIMIT, PERIOD),
        )
        assert a._ctx.limiter is b._ctx.limiter is c._ctx.limiter
        calls = [x.request("GET", "/api/v2/customers/1") for x in (a, b, c) for _ in range(30)]
        await asyncio.gather(*calls)
    assert sandbox.stats.keys["rev23"].rate_limited == 0
    assert sandbox.max_in_window("rev23", PERIOD) <= LIMIT


async def test_conflicting_budgets_on_one_key_are_refused(sandbox: Sandbox) -> None:
    async with rev23(sandbox):
        with pytest.raises(revclient.ConfigurationError, match="same rate_limit"):
            rev23(sandbox, rate_limit=revclient.RateLimit(5, 1.0))


async def test_429_without_header_pauses_and_recovers() -> None:
    # The server counts a smaller budget than the client believes: the 429 path absorbs it.
    async with Sandbox(rate_limit=(10, PERIOD), retry_after="none") as sb:
        async with rev23(sb, rate_limit=revclient.RateLimit(LIMIT, PERIOD)) as rev:
            results = await asyncio.gather(
                *(rev.request("GET", "/api/v2/customers/1") for _ in range(40))
            )
        assert len(results) == 40
        assert sb.stats.keys["rev23"].rate_limited > 0
        assert sb.max_in_window("rev23", PERIOD) <= 10


async def test_revio_exchange_counts_against_the_key(sandbox: Sandbox) -> None:
    async with revio(sandbox) as psa:
        await asyncio.gather(
            *(psa.request("GET", "/billing/api/v1/contacts/1") for _ in range(3 * LIMIT))
        )
    stats = sandbox.stats.keys["revio"]
    assert stats.rate_limited == 0
    assert stats.exchanges == 1
    assert sandbox.max_in_window("revio", PERIOD) <= LIMIT
