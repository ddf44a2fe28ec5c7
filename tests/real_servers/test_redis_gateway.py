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

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
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

WORKER = Path(__file__).parent.parent / "redis_worker.py"
LIMIT, PERIOD = 20, 2.0
WORKERS, TOTAL = 4, 100


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    require("redis-server")
    with redis_server() as server:
        yield server.url


def _run_workers(n: int, cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """Start ``n`` worker processes, release them together, return their reports."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), json.dumps(cfg)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    try:
        for p in procs:  # every worker has imported everything and built its client
            assert p.stdout is not None
            assert p.stdout.readline().strip() == "ready"
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        reports = []
        for p in procs:
            out, _ = p.communicate(timeout=120)
            assert p.returncode == 0, out
            reports.append(json.loads(out.strip().splitlines()[-1]))
        return reports
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def test_four_processes_pace_one_key_behind_nginx_without_burst(redis_url: str) -> None:
    require("nginx")
    # The upstream serves from its own thread and never answers 429 itself.
    with (
        Sandbox(rate_limit=None).run_in_thread() as sb,
        nginx_gateway(sb.url, rate_per_s=LIMIT / PERIOD) as gw,
    ):
        reports = _run_workers(
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
