"""Several windows per key: what a day-long window costs, and how much of the budget a key
with two windows uses.

- *Memory of a day window*: 150,000 requests through ``[RateLimit(500, 60),
  RateLimit(150_000, 86_400)]`` on a virtual clock (the requests never leave a day), the
  bucket's memory growth against the baseline of one timestamp per request (what a window
  that keeps each request's return time holds), measured in the same run. The same on a
  real Redis for 20,000 requests: ``MEMORY USAGE`` of the window's keys against a sorted
  set of one member per request.
- *Accuracy*: ``[RateLimit(50, 1), RateLimit(300, 10)]`` with 20 workers for a virtual
  minute: the most starts in any window of each period (<= its limit) and the requests
  served against the ideal (the tighter window's 30 per second).
"""

from __future__ import annotations

import asyncio
import collections
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

from _table import Row, render

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from _virtualtime import run_virtual

from revclient import RateLimit
from revclient._config import check_rate_limit
from revclient._ratelimit import TokenBucket

DAY = [RateLimit(500, 60.0), RateLimit(150_000, 86_400.0)]


def _memory() -> tuple[int, int]:
    """(bytes the bucket grew by, bytes of one timestamp per request) for 150,000 requests."""
    rates = check_rate_limit(DAY)
    assert isinstance(rates, tuple)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(rates, clock=loop.time)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(150_000):
            await bucket.release(await bucket.acquire())
        grown = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        return grown

    grown = run_virtual(main())
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    baseline = collections.deque(float(i) for i in range(150_000))
    size = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del baseline
    return grown, size


async def _redis_memory(url: str) -> tuple[int, int]:
    from revclient.backends.redis import RedisBackend

    async with RedisBackend(url, prefix="bench") as backend:
        limiter = backend.limiter("k", RateLimit(20_000, 86_400.0, burst=20_000))
        for _ in range(20_000):
            await limiter.release(await limiter.acquire())
        r = backend.client()
        used = 0
        for what in ("win", "ret"):
            used += await r.memory_usage(backend.key("k", f"{what}:86400000000")) or 0
        now = time.time()
        await r.zadd("bench:baseline", {f"{i:x}:{i}": now + i for i in range(20_000)})
        baseline = await r.memory_usage("bench:baseline") or 0
    return used, baseline


def _accuracy() -> tuple[dict[float, int], int]:
    rates = check_rate_limit([RateLimit(50, 1.0), RateLimit(300, 10.0)])
    assert isinstance(rates, tuple)

    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        bucket = TokenBucket(rates, clock=loop.time)
        start = loop.time()
        starts: list[float] = []

        async def worker() -> None:
            while loop.time() - start < 60.0:
                lease = await bucket.acquire()
                starts.append(loop.time())
                await asyncio.sleep(0.02)  # the request
                await bucket.release(lease)

        await asyncio.gather(*(worker() for _ in range(20)))
        return [t for t in starts if t - start < 60.0]

    starts = sorted(run_virtual(main()))
    most = {
        r.period: max(sum(1 for t in starts[i:] if t < s + r.period) for i, s in enumerate(starts))
        for r in rates
    }
    return most, len(starts)


def run() -> list[Row]:
    grown, baseline = _memory()
    rows = [
        Row(
            "day window (150,000 / 86,400 s) memory after 150,000 requests",
            f"{grown / 1024:.0f} KiB",
            f"one timestamp per request: {baseline / 1024:.0f} KiB",
            grown / baseline,
            "<= 0.10",
            grown / baseline <= 0.10,
        )
    ]
    if shutil.which("redis-server"):
        from revclient.testing._redis import redis_server

        with redis_server() as server:
            used, zset = asyncio.run(_redis_memory(server.url))
        rows.append(
            Row(
                "Redis: day window (20,000 / 86,400 s) after 20,000 requests",
                f"{used:,} bytes",
                f"one member per request: {zset:,} bytes",
                used / zset,
                "<= 0.10",
                used / zset <= 0.10,
            )
        )
    else:
        rows.append(Row("Redis day window", "skipped: redis-server not installed"))
    most, served = _accuracy()
    for period, limit in ((1.0, 50), (10.0, 300)):
        rows.append(
            Row(
                f"[50/1 s, 300/10 s]: most starts in any {period:g} s window",
                str(most[period]),
                f"limit {limit}",
                most[period] / limit,
                "<= 1.00",
                most[period] <= limit,
            )
        )
    ideal = 60 * 30
    rows.append(
        Row(
            "[50/1 s, 300/10 s]: requests served in a virtual minute",
            str(served),
            f"ideal {ideal}",
            served / ideal,
            ">= 0.95",
            served / ideal >= 0.95,
        )
    )
    return rows


if __name__ == "__main__":
    print(render(run()))
