"""Sequential latency of ``revclient.sync`` over the async client on the same server.

The sandbox runs in another process on 127.0.0.1 with its rate limit off; the clients'
limiters are off too. Each round makes N sequential calls through ``AsyncRev23`` (on
``asyncio.run``) and then through ``revclient.sync.Rev23`` (one portal hop per call);
rounds are interleaved so machine noise hits both sides alike; each side's figure is
the median over rounds of the per-call median latency (robust to scheduler hiccups).
``customers.get`` is used when the generated resources exist, else ``request()``.
A second row puts the bare portal round trip (no I/O) next to the
machine's floor, two threads handing a lock back and forth: the facade cannot beat
two thread wake-ups per call. Run: ``python benchmarks/bench_sync.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _servers import serve
from _table import Row, render

import revclient
import revclient.sync
from revclient import _portal

N = 600
HOPS = 5000
WARMUP = 100
ROUNDS = 7
PATH = "/api/v2/customers/1"


def _async_call(rev: revclient.AsyncRev23) -> Callable[[], Awaitable[Any]]:
    customers = getattr(rev, "customers", None)
    if customers is not None and hasattr(customers, "get"):
        return lambda: customers.get(1)  # type: ignore[no-any-return]
    return lambda: rev.request("GET", PATH)


def _sync_call(rev: revclient.sync.Rev23) -> Callable[[], Any]:
    customers = getattr(rev, "customers", None)
    if customers is not None and hasattr(customers, "get"):
        return lambda: customers.get(1)
    return lambda: rev.request("GET", PATH)


async def _async_round(info: dict[str, Any]) -> float:
    async with revclient.AsyncRev23(
        info["rev23_api_key"], info["rev23_tenant"], base_url=info["url"], rate_limit=None
    ) as rev:
        one = _async_call(rev)
        for _ in range(WARMUP):
            await one()
        samples = []
        clock = time.perf_counter
        for _ in range(N):
            started = clock()
            await one()
            samples.append(clock() - started)
        return statistics.median(samples)


def _sync_round(info: dict[str, Any]) -> float:
    with revclient.sync.Rev23(
        info["rev23_api_key"], info["rev23_tenant"], base_url=info["url"], rate_limit=None
    ) as rev:
        one = _sync_call(rev)
        for _ in range(WARMUP):
            one()
        samples = []
        clock = time.perf_counter
        for _ in range(N):
            started = clock()
            one()
            samples.append(clock() - started)
        return statistics.median(samples)


async def _noop() -> None:
    pass


def _portal_hop() -> float:
    """One portal round trip with no I/O: the facade's whole overhead."""
    portal = _portal.get_portal()
    for _ in range(WARMUP):
        portal.call(_noop)
    started = time.perf_counter()
    for _ in range(HOPS):
        portal.call(_noop)
    return (time.perf_counter() - started) / HOPS


def _thread_ping_pong() -> float:
    """The machine's floor: two threads handing a lock back and forth (one round trip)."""
    ping, pong = threading.Lock(), threading.Lock()
    ping.acquire()
    pong.acquire()
    total = WARMUP + HOPS

    def other() -> None:
        for _ in range(total):
            ping.acquire()
            pong.release()

    thread = threading.Thread(target=other, daemon=True)
    thread.start()
    for _ in range(WARMUP):
        ping.release()
        pong.acquire()
    started = time.perf_counter()
    for _ in range(HOPS):
        ping.release()
        pong.acquire()
    elapsed = time.perf_counter() - started
    thread.join()
    return elapsed / HOPS


def run() -> list[Row]:
    """Median of interleaved rounds: sync per-call latency against async."""
    with serve("sandbox") as server:
        asyncs, syncs = [], []
        for _ in range(ROUNDS):
            asyncs.append(asyncio.run(_async_round(server)))
            syncs.append(_sync_round(server))
    a, s = statistics.median(asyncs), statistics.median(syncs)
    added = (s - a) * 1e6
    hop = statistics.median(_portal_hop() for _ in range(ROUNDS))
    floor = statistics.median(_thread_ping_pong() for _ in range(ROUNDS))
    return [
        Row(
            "sync facade latency, sequential customers.get",
            f"{s * 1e6:.0f} µs (+{added:.0f} µs)",
            f"async {a * 1e6:.0f} µs",
            s / a,
            "<= 1.25, +<= 100 µs",
            s / a <= 1.25 and added <= 100,
        ),
        Row(
            "sync portal round trip, no I/O",
            f"{hop * 1e6:.0f} µs",
            f"thread ping-pong {floor * 1e6:.0f} µs",
            hop / floor,
        ),
    ]


if __name__ == "__main__":
    rows = run()
    print(render(rows))
