"""Several windows per key and priority lanes: on a virtual clock, through the client
against the sandbox, and (in test_redis.py) the same on a real Redis."""

from __future__ import annotations

import asyncio
import itertools
import tracemalloc

import pytest
from _virtualtime import VirtualTimeLoop, run_virtual
from helpers import rev23
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revclient
from revclient import RateLimit
from revclient._ratelimit import TokenBucket
from revclient.testing import Sandbox

# -- invariants on a virtual clock ---------------------------------------------------------

_requests = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=3.0),  # arrival time
        st.floats(min_value=0, max_value=0.3),  # how long the request holds its tokens
        st.one_of(st.none(), st.floats(min_value=0, max_value=1.0)),  # cancel after waiting
        st.booleans(),  # bulk
    ),
    min_size=1,
    max_size=50,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    requests=_requests,
    limit=st.integers(min_value=2, max_value=6),
    period=st.sampled_from([0.1, 0.25]),
    longer=st.one_of(st.none(), st.tuples(st.integers(2, 4), st.integers(0, 2))),
    reserve=st.sampled_from([0.0, 0.2, 0.5]),
    burst_share=st.floats(min_value=0, max_value=1),
)
def test_windows_and_lanes_invariants(
    requests: list[tuple[float, float, float | None, bool]],
    limit: int,
    period: float,
    longer: tuple[int, int] | None,
    reserve: float,
    burst_share: float,
) -> None:
    short = RateLimit(limit, period, burst=max(1, round(burst_share * limit)), reserve=reserve)
    rates = [short]
    if longer is not None:  # a longer window, tighter than the short one over its period
        factor, spare = longer
        rates.append(RateLimit(limit * factor - spare, period * factor * 2, reserve=reserve))
    order = itertools.count()  # the order of the acquire() calls
    asked: dict[int, tuple[int, float]] = {}
    granted: dict[int, float] = {}
    cancelled: set[int] = set()

    async def one(bucket: TokenBucket, loop: VirtualTimeLoop, i: int) -> None:
        arrival, hold, cancel_after, bulk = requests[i]
        await asyncio.sleep(arrival)
        asked[i] = (next(order), loop.time())
        lease: list[float] = []

        async def acquire() -> None:
            lease.append(await bucket.acquire("bulk" if bulk else "interactive"))
            granted[i] = lease[0]  # the grant time

        try:
            await asyncio.wait_for(acquire(), 1e9 if cancel_after is None else cancel_after)
        except TimeoutError:
            cancelled.add(i)
            return
        await asyncio.sleep(hold)
        await bucket.release(lease[0])

    async def main() -> bool:
        loop = asyncio.get_running_loop()
        assert isinstance(loop, VirtualTimeLoop)
        bucket = TokenBucket(revclient._config.check_rate_limit(rates) or short, clock=loop.time)
        await asyncio.gather(*(one(bucket, loop, i) for i in range(len(requests))))
        await asyncio.sleep(20 * period * (longer[0] if longer else 1))
        return bucket.idle()

    assert run_virtual(main())  # every token back once everything is over
    assert set(granted) | cancelled == set(range(len(requests)))
    assert not set(granted) & cancelled
    times = sorted(granted.values())
    for rate in rates:
        # At most `limit` starts in any window of `period` seconds, in every window.
        for i, start in enumerate(times):
            inside = sum(1 for t in times[i:] if t < start + rate.period - 1e-9)
            assert inside <= rate.limit, (rate, times)
    for i, at in granted.items():
        if not requests[i][3]:
            continue
        # A bulk start never takes a window's reserve: with it, no more than
        # limit - kept starts in the window that ends at it (of the starts at the same
        # instant, only the bulk ones surely came before it).
        together = sum(1 for k, t in granted.items() if t == at and requests[k][3])
        for rate in rates:
            inside = sum(1 for t in times if at - rate.period + 1e-9 < t < at) + together
            assert inside <= rate.limit - rate.kept, (rate, at, times)
        # No interactive call was waiting when a bulk call was served.
        for j, other in granted.items():
            if not requests[j][3]:
                assert not (asked[j][1] < at < other), (i, j)
    # FIFO within each lane.
    for bulk in (False, True):
        lane = sorted((i for i in granted if requests[i][3] == bulk), key=asked.__getitem__)
        assert [granted[i] for i in lane] == sorted(granted[i] for i in lane)


def test_a_day_window_keeps_no_entry_per_request() -> None:
    # 20,000 requests against [200 a second, 150,000 a day]: the day window's memory stays
    # that of about a thousand entries (before: one per request, about 2 MB).
    rates = revclient._config.check_rate_limit(
        [RateLimit(200, 1.0, burst=200), RateLimit(150_000, 86_400)]
    )
    assert isinstance(rates, tuple)

    async def main() -> tuple[int, int]:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(rates, clock=loop.time)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(20_000):
            await bucket.release(await bucket.acquire())
        grown = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        budget = await bucket.snapshot()
        return grown, budget.windows[1].free

    grown, day_free = run_virtual(main())
    assert day_free == 150_000 - 20_000
    assert grown < 300_000, grown


def test_the_day_window_stops_the_key_until_its_tokens_return() -> None:
    # 30 a second and 100 a day (scaled: a "day" of 20 s): 100 go at the short window's
    # pace, the 101st waits until the first token of the day returns.
    rates = revclient._config.check_rate_limit([RateLimit(30, 1.0), RateLimit(100, 20.0)])
    assert isinstance(rates, tuple)

    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(rates, clock=loop.time)
        start = loop.time()
        out = []
        for _ in range(101):
            await bucket.release(await bucket.acquire())
            out.append(loop.time() - start)
        return out

    times = run_virtual(main())
    assert times[99] == pytest.approx(99 * rates[0].interval, abs=0.01)
    assert times[100] >= 20.0  # the day's first token came back, not before


def test_bulk_waits_behind_interactive_and_never_takes_the_reserve() -> None:
    # 10 per second, 0.3 kept: a queue of 30 bulk calls, and an interactive call every
    # 0.5 s. Each interactive call starts within one pacing interval; bulk calls never
    # hold more than 7 tokens of a window.
    rate = RateLimit(10, 1.0, reserve=0.3)

    async def main() -> tuple[list[float], list[float]]:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(rate, clock=loop.time)
        bulk_starts: list[float] = []
        waits: list[float] = []

        async def bulk() -> None:
            await bucket.release(await bucket.acquire("bulk"))
            bulk_starts.append(loop.time())

        async def interactive() -> None:
            for _ in range(6):
                await asyncio.sleep(0.5)
                before = loop.time()
                await bucket.release(await bucket.acquire())
                waits.append(loop.time() - before)

        await asyncio.gather(*(bulk() for _ in range(30)), interactive())
        return bulk_starts, waits

    bulk_starts, waits = run_virtual(main())
    assert len(waits) == 6 and max(waits) <= rate.interval + 1e-9
    for i, start in enumerate(bulk_starts):
        inside = [t for t in bulk_starts[: i + 1] if t > start - 1.0]
        assert len(inside) <= 7


def test_bulk_alone_gets_the_budget_less_the_reserve() -> None:
    rate = RateLimit(20, 1.0, reserve=0.25)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(rate, clock=loop.time)
        start = loop.time()
        done = 0

        async def worker() -> None:
            nonlocal done
            while loop.time() - start < 10.0:
                await bucket.release(await bucket.acquire("bulk"))
                done += 1

        await asyncio.gather(*(worker() for _ in range(8)))
        return done

    done = run_virtual(main())
    # 15 of 20 per window of 1 s (plus its margin), for 10 s.
    assert 0.97 * 15 * 10 / 1.0015 <= done <= 15 * 10 + 15


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate_limit", "message"),
    [
        ([RateLimit(10, 1), RateLimit(20, 1)], "same period"),
        ([RateLimit(10, 1), RateLimit(100, 60, burst=5)], "shortest window"),
        ([RateLimit(10, 1), RateLimit(100, 60, refill="continuous")], "shortest window"),
        ([], "list of them"),
        ("200/60", "list of them"),
        ([RateLimit(10, 1), (100, 60)], "list of them"),
    ],
)
def test_bad_windows_are_refused(rate_limit: object, message: str) -> None:
    with pytest.raises(revclient.ConfigurationError, match=message):
        revclient.AsyncRev23(api_key="ca_" + "k" * 30, tenant="t", rate_limit=rate_limit)  # type: ignore[arg-type]


@pytest.mark.parametrize("reserve", [-0.1, 1.0, 0.95, True])
def test_bad_reserves_are_refused(reserve: object) -> None:
    with pytest.raises(revclient.ConfigurationError, match="reserve"):
        RateLimit(10, 1.0, reserve=reserve)  # type: ignore[arg-type]


async def test_bad_priorities_are_refused(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as client:
        with pytest.raises(revclient.ConfigurationError, match="priority"):
            await client.customers.get(1, priority="low")  # type: ignore[arg-type]
        with pytest.raises(revclient.ConfigurationError, match="priority"):
            client.with_options(priority="urgent")  # type: ignore[arg-type]
        with pytest.raises(revclient.ConfigurationError, match="priority"):
            client.customers.list(priority="later")  # type: ignore[arg-type]


# -- through the client ------------------------------------------------------------------------


async def test_a_pull_in_the_bulk_lane_leaves_room_for_interactive_calls() -> None:
    # A paginator in the bulk lane saturates the key (20 a second, a quarter kept); calls
    # made meanwhile with the client's default priority wait at most about one interval.
    rate = RateLimit(20, 1.0, reserve=0.25)
    async with Sandbox(records=40) as sandbox, rev23(sandbox, rate_limit=rate) as client:
        bulk = client.with_options(priority="bulk")
        waits: list[float] = []

        async def pull() -> int:
            return len([c async for c in bulk.customers.list(page_size=1)])

        async def interactive() -> None:
            for _ in range(5):
                await asyncio.sleep(0.3)
                answer = await client.with_raw_response.customers.get(1)
                waits.append(answer.rate_limit_wait)

        pulled, _ = await asyncio.gather(pull(), interactive())
        budget = await client.budget()
    assert pulled == 40
    assert max(waits) < 0.5, waits
    assert budget.windows[0].rate == rate and budget.queued_bulk == 0


async def test_budget_shows_every_window_and_the_bulk_queue(sandbox: Sandbox) -> None:
    rates = [RateLimit(50, 86_400.0), RateLimit(5, 1.0)]
    async with rev23(sandbox, rate_limit=rates) as client:
        assert client.rate_limit == (rates[1], rates[0])  # the shortest first
        for _ in range(3):
            await client.customers.get(1, priority="bulk")
        queued = [asyncio.ensure_future(client.customers.get(1, priority="bulk")) for _ in range(4)]
        await asyncio.sleep(0)
        budget = await client.budget()
        await asyncio.gather(*queued)
    assert [w.rate for w in budget.windows] == [rates[1], rates[0]]
    assert budget.windows[1].free == 50 - 3 - budget.in_flight - (4 - budget.queued)
    assert budget.queued_bulk == budget.queued >= 1


async def test_a_client_with_the_servers_two_windows_never_meets_its_quota() -> None:
    # The sandbox answers like Azure API Management: a rate limit (20 per 0.2 s) and a
    # quota (45 per 1.5 s, renewed from the first call; 403 + Retry-After beyond it). With
    # both windows configured, 100 calls all pass without a single 429 or 403.
    rates = [RateLimit(20, 0.2), RateLimit(45, 1.5)]
    async with Sandbox(rate_limit=(20, 0.2), quota=(45, 1.5)) as sb:
        async with rev23(sb, rate_limit=rates) as client:
            found = await asyncio.gather(*(client.customers.get(1) for _ in range(100)))
        stats = sb.stats.keys["rev23"]
    assert len(found) == 100
    assert stats.quota_exceeded == 0 and stats.rate_limited == 0
