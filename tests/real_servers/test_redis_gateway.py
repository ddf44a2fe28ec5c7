"""The Redis backend against a real nginx ``limit_req`` without burst: four processes on one key.

nginx refuses any request closer than ``period / limit`` to the previous one it accepted,
so this is the strictest test of pacing across processes: each process sleeps until its
slot on its own timer, after a Redis round trip, and the spacing must survive that jitter
(``RedisBackend.interval``). The budget is 20 per 2 s (nginx ``rate=10r/s``), 100 requests
in all. The promise: no error, at most 2 % of the requests answered 429, and the budget
used (the rate of accepted arrivals at the upstream, over 10 per second; about 96 % when
nothing is refused, a 429 slows the key for a while).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from helpers import run_workers
from real_server_support import in_ci, require

from revclient.testing import Sandbox
from revclient.testing._gateways import nginx_gateway
from revclient.testing._redis import redis_server

try:
    import redis  # noqa: F401
except ImportError:
    if in_ci():
        raise
    pytest.skip("redis-py is missing: pip install 'revclient[redis]'", allow_module_level=True)

LIMIT, PERIOD = 20, 2.0
WORKERS, TOTAL = 4, 100


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    require("redis-server")
    with redis_server() as server:
        yield server.url


def test_four_processes_pace_one_key_behind_nginx_without_burst(redis_url: str) -> None:
    require("nginx")
    # The upstream serves from its own thread and never answers 429 itself.
    with (
        Sandbox(rate_limit=None).run_in_thread() as sb,
        nginx_gateway(sb.url, rate_per_s=LIMIT / PERIOD) as gw,
    ):
        reports = run_workers(
            WORKERS,
            {
                "redis": redis_url,
                "prefix": "t" + uuid.uuid4().hex[:10],
                "api": "rev23",
                "url": gw.url,
                "key": sb.rev23_api_key,
                "tenant": sb.rev23_tenant,
                "limit": LIMIT,
                "period": PERIOD,
                "requests": TOTAL // WORKERS,
                "concurrency": 8,
            },
        )
        arrivals = sorted(sb.stats.keys["rev23"].arrivals)
        # Every 429 nginx answered (its log) or the clients saw (their limiters' pauses).
        refused = max(gw.count_429(), sum(r["throttled"] for r in reports))
    assert [r["errors"] for r in reports] == [[]] * WORKERS
    assert sum(r["ok"] for r in reports) == TOTAL
    assert len(arrivals) == TOTAL  # only accepted requests reach the upstream
    assert refused <= 0.02 * TOTAL, f"{refused} of {TOTAL} requests answered 429"
    used = (len(arrivals) - 1) / ((arrivals[-1] - arrivals[0]) * LIMIT / PERIOD)
    assert used >= 0.80, f"{used:.3f} of the budget used"
