"""Client CPU per request: revclient's full pipeline over raw aiohttp + json.loads.

Both clients call the same minimal aiohttp server running in another process; the client
process's CPU time (``time.process_time``) per request is compared, at concurrency 1, 50
and 500 (both sides with revclient's pool limit of 256 connections), for ``request()``
(the decoded JSON body), for the generated ``customers.get`` (structured into a model; a
realistic customer of about 1 KB) and for a typed 100-record list page
(``customers.list(page_size=100)``, the first page, against raw aiohttp + ``json.loads``
of the same page). revclient runs with the limiter on (a huge limit) and its auth headers;
one more row runs ``customers.get`` with ``rate_limit=None``, so the table shows the
limiter's share.
Rounds are interleaved (raw, request, get, raw, ...) so machine noise hits every side
alike; the table gives the median ratio and the spread of the per-round ratios. On a
shared VM that spread is wide, so the last rows also time revclient's own code alone, over
a stub session that answers at once: a change of a microsecond shows there.

``ROUNDS`` (default 5) and ``N`` (requests per round, default 4000) may be set in the
environment.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from _servers import serve
from _table import Row, render

import revclient

N = int(os.environ.get("N", "4000"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))
LIST_N = max(50, N // 10)  # 100-record pages per round
KEY, TENANT = "ca_0123456789abcdefgh", "studio"
TARGET = 1.10
LIST_TARGET = 1.5
_LABELS = {
    "request": "request()",
    "get": "customers.get (typed)",
    "get_unlimited": "customers.get (typed), rate_limit=None",
    "list": "customers.list first page (100 typed records)",
}


async def _measure(one: Callable[[], Awaitable[Any]], conc: int, n: int = N) -> float:
    await asyncio.gather(*(one() for _ in range(conc)))  # warm the pool
    rounds = max(1, n // conc)
    started = time.process_time()
    for _ in range(rounds):
        await asyncio.gather(*(one() for _ in range(conc)))
    return (time.process_time() - started) / (rounds * conc)


async def _raw(url: str, conc: int, kind: str = "get") -> float:
    headers = {"X-Api-Key": KEY, "X-Tenant-Name": TENANT}
    path = "/api/v2/customers?page=1&pageSize=100" if kind == "list" else "/api/v2/customers/1"
    # The connection limit of revclient's pool, so that concurrency 500 queues alike.
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> Any:
            async with session.get(url + path, headers=headers) as resp:
                return json.loads(await resp.read())

        return await _measure(one, conc, LIST_N if kind == "list" else N)


def _rate(kind: str) -> revclient.RateLimit | None:
    """A huge limit (the limiter on); none for get_unlimited, to show what the limiter costs."""
    return None if kind == "get_unlimited" else revclient.RateLimit(10**9, 60.0)


async def _revclient(url: str, conc: int, kind: str) -> float:
    async with revclient.AsyncRev23(KEY, TENANT, base_url=url, rate_limit=_rate(kind)) as rev:
        if kind in ("get", "get_unlimited"):

            async def one() -> Any:
                return await rev.customers.get(1)
        elif kind == "list":

            async def one() -> Any:
                return await rev.customers.list(page_size=100)
        else:

            async def one() -> Any:
                return await rev.request("GET", "/api/v2/customers/1")

        return await _measure(one, conc, LIST_N if kind == "list" else N)


class _StubResponse:
    """An answer already in memory: what revclient does around aiohttp, without aiohttp."""

    status = 200

    def __init__(self) -> None:
        self.body = json.dumps({"id": 1, "firstName": "Ada", "city": "London"}).encode()
        self.headers = {"Content-Type": "application/json"}
        self.content_length = len(self.body)

    async def read(self) -> bytes:
        return self.body

    async def __aenter__(self) -> _StubResponse:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class _StubSession:
    def __init__(self) -> None:
        self.response = _StubResponse()

    def request(self, *args: Any, **kwargs: Any) -> _StubResponse:
        return self.response


async def _own(conc: int, kind: str) -> float:
    """revclient's own CPU per request: the pipeline over a session that answers at once
    (best of 7 rounds: without I/O the noise is the machine's, not the code's)."""
    rev = revclient.AsyncRev23(KEY, TENANT, base_url="http://127.0.0.1:9", rate_limit=_rate(kind))
    stub = _StubSession()
    rev._ctx.session = lambda: stub  # type: ignore[assignment,return-value]

    def one() -> Awaitable[Any]:
        if kind in ("get", "get_unlimited"):
            return rev.customers.get(1)
        return rev.request("GET", "/api/v2/customers/1")

    best = float("inf")
    for _ in range(7):
        best = min(best, await _measure(one, conc))
    return best


def run() -> list[Row]:
    """Median of interleaved rounds, with the spread of the per-round ratios."""
    rows = []
    with serve("raw") as server:
        url = server["url"]
        for conc in (1, 50, 500):
            raw: dict[str, list[float]] = {"get": [], "list": []}
            ours: dict[str, list[float]] = {
                "request": [],
                "get": [],
                "get_unlimited": [],
                "list": [],
            }
            for _ in range(ROUNDS):  # interleaved: raw, then each of ours, per round
                for kind in raw:
                    raw[kind].append(asyncio.run(_raw(url, conc, kind)))
                for kind, times in ours.items():
                    times.append(asyncio.run(_revclient(url, conc, kind)))
            for kind, times in ours.items():
                base = raw["list" if kind == "list" else "get"]
                r = statistics.median(base)
                ratios = sorted(o / b for o, b in zip(times, base, strict=True))
                ratio = statistics.median(times) / r
                target = LIST_TARGET if kind == "list" else TARGET
                rows.append(
                    Row(
                        f"CPU per request, {_LABELS[kind]}, concurrency {conc}",
                        f"{statistics.median(times) * 1e6:.0f} µs",
                        f"raw aiohttp {r * 1e6:.0f} µs",
                        ratio,
                        f"<= {target:.2f} (rounds {ratios[0]:.2f}-{ratios[-1]:.2f})",
                        ratio <= target,
                    )
                )
            for kind in ("request", "get", "get_unlimited"):
                own = asyncio.run(_own(conc, kind))
                rows.append(
                    Row(
                        f"revclient's own CPU per request, {_LABELS[kind]}, concurrency {conc} "
                        "(stub session, no I/O)",
                        f"{own * 1e6:.1f} µs",
                    )
                )
    return rows


if __name__ == "__main__":
    print(render(run()))
