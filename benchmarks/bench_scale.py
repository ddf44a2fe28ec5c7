"""Scale: memory and CPU of 10,000 requests waiting on one key; 1,000 keys in one manager."""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc

from _servers import serve
from _table import Row, render

import revclient

WAITERS = 10_000
KEYS = 1_000


async def _waiters(url: str) -> tuple[float, float, float]:
    async with revclient.AsyncRev23(
        "ca_0123456789abcdefghij",
        "studio",
        base_url=url,
        rate_limit=revclient.RateLimit(1, 3600.0),
    ) as rev:
        await rev.request("GET", "/api/v2/customers/1")  # the only token is spent now
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        tasks = [
            asyncio.create_task(rev.request("GET", "/api/v2/customers/1")) for _ in range(WAITERS)
        ]
        await asyncio.sleep(0.1)
        per_waiter = (tracemalloc.get_traced_memory()[0] - before) / WAITERS
        tracemalloc.stop()
        cpu0, wall0 = time.process_time(), time.monotonic()
        await asyncio.sleep(2.0)  # everyone waits: nothing should run
        cpu = (time.process_time() - cpu0) / (time.monotonic() - wall0)
        started = time.perf_counter()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        cancel = time.perf_counter() - started
    return per_waiter, cpu, cancel


async def _keys(url: str) -> tuple[float, float]:
    async with revclient.SessionManager() as manager:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        clients = [manager.rev23(f"ca_{i:020d}", "studio", base_url=url) for i in range(KEYS)]
        await asyncio.gather(*(c.request("GET", "/api/v2/customers/1") for c in clients))
        elapsed = time.perf_counter() - started
        per_key = (tracemalloc.get_traced_memory()[0] - before) / KEYS
        tracemalloc.stop()
    return per_key, elapsed


def run() -> list[Row]:
    with serve("raw") as server:
        per_waiter, cpu, cancel = asyncio.run(_waiters(server["url"]))
        per_key, elapsed = asyncio.run(_keys(server["url"]))
    return [
        Row(f"memory per waiting request ({WAITERS:,} on one key)", f"{per_waiter / 1024:.2f} KiB"),
        Row(
            f"CPU while {WAITERS:,} requests wait",
            f"{cpu * 100:.2f} % of a core",
            "",
            None,
            "~0 (no per-tick wake-ups)",
            cpu < 0.01,
        ),
        Row(f"cancel {WAITERS:,} waiting requests", f"{cancel * 1e3:.0f} ms"),
        Row(f"{KEYS:,} keys in one SessionManager: memory per key", f"{per_key / 1024:.1f} KiB"),
        Row(f"{KEYS:,} keys: create + one request each", f"{elapsed * 1e3:.0f} ms"),
    ]


if __name__ == "__main__":
    print(render(run()))
