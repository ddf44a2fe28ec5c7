"""Cross-key isolation: a request on key B while key A has 10,000 waiters queued."""

from __future__ import annotations

import asyncio
import statistics
import time

from _servers import serve
from _table import Row, render

import revclient

WAITERS = 10_000


async def _latency(rev: revclient.AsyncRev23, n: int = 50) -> float:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await rev.request("GET", "/api/v2/customers/1")
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


async def _main(url: str) -> tuple[float, float]:
    async with revclient.SessionManager() as manager:
        a = manager.rev23(
            "ca_AAAAAAAAAAAAAAAAAAAA",
            "studio",
            base_url=url,
            rate_limit=revclient.RateLimit(10, 60.0),
        )
        b = manager.rev23(
            "ca_BBBBBBBBBBBBBBBBBBBB",
            "studio",
            base_url=url,
            rate_limit=revclient.RateLimit(10_000, 60.0),
        )
        quiet = await _latency(b)
        queued = [
            asyncio.create_task(a.request("GET", "/api/v2/customers/1")) for _ in range(WAITERS)
        ]
        await asyncio.sleep(0.2)
        busy = await _latency(b)
        for task in queued:
            task.cancel()
        await asyncio.gather(*queued, return_exceptions=True)
    return quiet, busy


def run() -> list[Row]:
    with serve("raw") as server:
        quiet, busy = asyncio.run(_main(server["url"]))
    extra = busy - quiet
    return [
        Row(
            f"key B request latency with {WAITERS:,} waiters on key A",
            f"{busy * 1e3:.2f} ms",
            f"idle {quiet * 1e3:.2f} ms",
            busy / quiet,
            "< 5 ms extra",
            extra < 0.005,
        )
    ]


if __name__ == "__main__":
    print(render(run()))
