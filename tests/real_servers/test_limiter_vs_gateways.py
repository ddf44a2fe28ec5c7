"""revclient's default limiter against the rate limiters real APIs run (nginx, HAProxy).

Each gateway limits 20 requests per second per ``X-Api-Key`` in its own way; revclient is
configured with that budget and nothing else, and is offered five times the limit at once.
The promise: no error reaches the caller, at most 2 % of the requests are answered 429,
and at least 90 % of the budget is used (the rate of accepted arrivals at the upstream
between the first and the last, over ``limit / period``).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from real_server_support import require

import revclient
from revclient.sync import Rev23
from revclient.testing import Sandbox
from revclient.testing._gateways import Gateway, haproxy_gateway, nginx_gateway

LIMIT, PERIOD = 20, 1.0
TOTAL = 5 * LIMIT
PATH = "/api/v2/customers/1"

GATEWAYS: dict[str, Callable[[str], contextlib.AbstractContextManager[Gateway]]] = {
    "nginx limit_req (no burst)": lambda up: nginx_gateway(up, rate_per_s=LIMIT / PERIOD),
    "nginx limit_req burst=20": lambda up: nginx_gateway(
        up, rate_per_s=LIMIT / PERIOD, burst=LIMIT
    ),
    "HAProxy http_req_rate over the period": lambda up: haproxy_gateway(
        up, limit=LIMIT, window_s=PERIOD
    ),
    "HAProxy http_req_rate over half the period": lambda up: haproxy_gateway(
        up, limit=LIMIT // 2, window_s=PERIOD / 2
    ),
}


@contextlib.contextmanager
def _gateway(name: str) -> Iterator[tuple[Sandbox, Gateway]]:
    require("haproxy" if name.startswith("HAProxy") else "nginx")
    # The upstream serves from its own thread so that its work never delays the client.
    with Sandbox(rate_limit=None).run_in_thread() as sb, GATEWAYS[name](sb.url) as gw:
        yield sb, gw


def _budget_used(sb: Sandbox) -> float:
    arrivals = sorted(sb.stats.keys["rev23"].arrivals)
    if len(arrivals) < 2:
        return 0.0
    return (len(arrivals) - 1) / ((arrivals[-1] - arrivals[0]) * LIMIT / PERIOD)


def _check(sb: Sandbox, gw: Gateway, results: list[Any]) -> None:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == [], errors[:3]
    assert len(sb.stats.keys["rev23"].arrivals) == TOTAL
    assert gw.count_429() <= 0.02 * TOTAL, gw.count_429()
    assert _budget_used(sb) >= 0.90, _budget_used(sb)


@pytest.mark.parametrize("name", list(GATEWAYS))
async def test_default_settings_hold_against_real_limiters(name: str) -> None:
    with _gateway(name) as (sb, gw):
        async with revclient.AsyncRev23(
            sb.rev23_api_key,
            sb.rev23_tenant,
            base_url=gw.url,
            rate_limit=revclient.RateLimit(LIMIT, PERIOD),
        ) as rev:
            results = await asyncio.gather(
                *(rev.request("GET", PATH) for _ in range(TOTAL)), return_exceptions=True
            )
        _check(sb, gw, results)


def test_sync_facade_from_eight_threads_against_nginx_without_burst() -> None:
    with _gateway("nginx limit_req (no burst)") as (sb, gw):
        local = threading.local()
        clients: list[Rev23] = []
        lock = threading.Lock()

        def one(_: int) -> Any:
            # One blocking client per thread, as a thread pool of Flask views would have.
            if not hasattr(local, "rev"):
                local.rev = Rev23(
                    sb.rev23_api_key,
                    sb.rev23_tenant,
                    base_url=gw.url,
                    rate_limit=revclient.RateLimit(LIMIT, PERIOD),
                )
                with lock:
                    clients.append(local.rev)
            try:
                return local.rev.request("GET", PATH)
            except revclient.RevError as exc:
                return exc

        try:
            with ThreadPoolExecutor(8) as pool:
                results = list(pool.map(one, range(TOTAL)))
        finally:
            for client in clients:
                client.close()
        assert len(clients) == 8
        _check(sb, gw, results)
