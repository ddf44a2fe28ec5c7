"""The test bed itself: real nginx and HAProxy rate limiters in front of the sandbox.

Raw aiohttp requests (no revclient limiter) against a sandbox without a limit of its own,
so every 429 comes from the gateway. The checks pin down the behaviour the client has to
live with: nginx ``limit_req`` spaces requests evenly unless given a burst, HAProxy's
``http_req_rate`` counts per window and counts the requests it denies too, and each
``X-Api-Key`` has its own budget. Waits before "accepted again" checks are generous.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from real_server_support import require

from revclient.testing import Sandbox
from revclient.testing._gateways import (
    Gateway,
    GatewayUnavailable,
    _nginx_rate,
    find_binary,
    haproxy_gateway,
    nginx_gateway,
)

PATH = "/api/v2/customers/1"


@pytest.fixture
async def upstream() -> AsyncIterator[Sandbox]:
    """A sandbox that never answers 429 itself."""
    async with Sandbox(rate_limit=None) as sb:
        yield sb


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def fetch(
    http: aiohttp.ClientSession, gw: Gateway, sb: Sandbox, n: int, key: str | None = None
) -> list[int]:
    """Statuses of ``n`` requests sent at once through ``gw`` with ``key`` (the default
    REV23 key unless given)."""
    headers = {"X-Api-Key": key or sb.rev23_api_key, "X-Tenant-Name": sb.rev23_tenant}

    async def one() -> int:
        async with http.get(gw.url + PATH, headers=headers) as resp:
            await resp.read()
            return resp.status

    return list(await asyncio.gather(*(one() for _ in range(n))))


async def count_429(gw: Gateway, expected: int) -> int:
    """The gateway's 429 count once it reaches ``expected``, or whatever it is after 5 s
    (nginx writes its access log line just after sending the answer)."""
    for _ in range(250):
        if (n := gw.count_429()) == expected:
            break
        await asyncio.sleep(0.02)
    return n


async def test_nginx_without_burst_spaces_requests_per_key(
    upstream: Sandbox, http: aiohttp.ClientSession
) -> None:
    require("nginx")
    other = upstream.add_key("rev23")
    with nginx_gateway(upstream.url, rate_per_s=10) as gw:
        assert gw.url.startswith("http://127.0.0.1:")
        # 10r/s without burst admits one request per 100 ms: of two sent together, one.
        assert sorted(await fetch(http, gw, upstream, 2)) == [200, 429]
        assert await fetch(http, gw, upstream, 1, key=other) == [200]  # its own budget
        await asyncio.sleep(0.5)
        assert await fetch(http, gw, upstream, 1) == [200]
        assert await count_429(gw, 1) == 1
        # Only what the gateway let through reached the sandbox.
        assert upstream.stats.keys["rev23"].requests == 2
    assert gw.process.poll() is not None


async def test_nginx_burst_nodelay_takes_a_burst_at_once(
    upstream: Sandbox, http: aiohttp.ClientSession
) -> None:
    require("nginx")
    with nginx_gateway(upstream.url, rate_per_s=10, burst=20) as gw:
        assert await fetch(http, gw, upstream, 20) == [200] * 20
        # burst=20 admits 21 at once (one at the rate plus 20 in excess), then one per
        # 100 ms: of 10 more sent right away, at least the 21st passes and some do not.
        more = await fetch(http, gw, upstream, 10)
        assert 200 in more
        assert 429 in more
        assert await count_429(gw, more.count(429)) == more.count(429)


async def test_haproxy_denies_over_the_rate_per_key(
    upstream: Sandbox, http: aiohttp.ClientSession
) -> None:
    require("haproxy")
    other = upstream.add_key("rev23")
    with haproxy_gateway(upstream.url, limit=20, window_s=2.0) as gw:
        # A new key's first period starts at its first request, so a burst fits one period.
        assert sorted(await fetch(http, gw, upstream, 21)) == [200] * 20 + [429]
        assert await fetch(http, gw, upstream, 20, key=other) == [200] * 20
        assert await count_429(gw, 1) == 1
    assert gw.process.poll() is not None


async def test_haproxy_counts_denied_requests_in_the_rate(
    upstream: Sandbox, http: aiohttp.ClientSession
) -> None:
    require("haproxy")
    with haproxy_gateway(upstream.url, limit=5, window_s=1.0) as gw:
        assert sorted(await fetch(http, gw, upstream, 30)) == [200] * 5 + [429] * 25
        # 1.2 s later the estimate is this request plus 80 % of the previous period's 30:
        # still denied. Were the 25 denied requests not counted, it would be 1 + 80 % of 5.
        await asyncio.sleep(1.2)
        assert await fetch(http, gw, upstream, 1) == [429]
        # Two periods after the burst it is forgotten.
        await asyncio.sleep(1.3)
        assert await fetch(http, gw, upstream, 1) == [200]
        assert await count_429(gw, 26) == 26


def test_missing_binary_and_rates_are_clear_errors() -> None:
    with pytest.raises(GatewayUnavailable, match="apt-get install"):
        find_binary("no-such-gateway-server")
    assert _nginx_rate(10) == "10r/s"
    assert _nginx_rate(0.5) == "30r/m"
    assert _nginx_rate("600r/m") == "600r/m"
    with pytest.raises(ValueError, match="whole requests"):
        _nginx_rate(0.001)  # 0.06 per minute
