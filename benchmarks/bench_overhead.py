"""Client CPU per request: revclient's full pipeline over raw aiohttp + json.loads.

Both clients call the same minimal aiohttp server running in another process; the client
process's CPU time (``time.process_time``) per request is compared, at concurrency 1 and
50. revclient runs with the limiter on (a huge limit) and auth headers on, and goes
through the generated ``customers.get`` (model structuring included) when it exists.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from typing import Any

import aiohttp
from _servers import serve
from _table import Row, render

import revclient

N = 4000
ROUNDS = int(__import__("os").environ.get("ROUNDS", "5"))


async def _raw(url: str, conc: int) -> float:
    headers = {"X-Api-Key": "ca_0123456789abcdefgh", "X-Tenant-Name": "studio"}
    async with aiohttp.ClientSession() as session:

        async def one() -> Any:
            async with session.get(url + "/api/v2/customers/1", headers=headers) as resp:
                return json.loads(await resp.read())

        await asyncio.gather(*(one() for _ in range(conc)))
        started = time.process_time()
        for _ in range(N // conc):
            await asyncio.gather(*(one() for _ in range(conc)))
        return (time.process_time() - started) / N


async def _revclient(url: str, conc: int) -> float:
    async with revclient.AsyncRev23(
        "ca_0123456789abcdefgh",
        "studio",
        base_url=url,
        rate_limit=revclient.RateLimit(10**9, 60.0),
    ) as rev:
        customers = getattr(rev, "customers", None)
        if customers is not None and hasattr(customers, "get"):

            async def one() -> Any:
                return await customers.get(1)
        else:

            async def one() -> Any:
                return await rev.request("GET", "/api/v2/customers/1")

        await asyncio.gather(*(one() for _ in range(conc)))
        started = time.process_time()
        for _ in range(N // conc):
            await asyncio.gather(*(one() for _ in range(conc)))
        return (time.process_time() - started) / N


def run() -> list[Row]:
    """Median of interleaved rounds, so machine noise hits both sides alike."""
    rows = []
    with serve("raw") as server:
        url = server["url"]
        for conc in (1, 50):
            raw, ours = [], []
            for _ in range(ROUNDS):
                raw.append(asyncio.run(_raw(url, conc)))
                ours.append(asyncio.run(_revclient(url, conc)))
            r, o = statistics.median(raw), statistics.median(ours)
            rows.append(
                Row(
                    f"CPU per request, customers.get, concurrency {conc}",
                    f"{o * 1e6:.0f} µs",
                    f"raw aiohttp {r * 1e6:.0f} µs",
                    o / r,
                    "<= 1.30",
                    o / r <= 1.3,
                )
            )
    return rows


if __name__ == "__main__":
    print(render(run()))
