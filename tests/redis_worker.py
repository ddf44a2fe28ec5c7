"""A worker process for tests/test_redis.py: one client on a shared Redis backend.

``python tests/redis_worker.py CONFIG_JSON`` builds the client, prints ``ready``, waits for
a line on stdin (so every worker starts at once, after its imports), sends ``requests``
requests with ``concurrency`` tasks, and prints one JSON line: ``ok``, ``errors`` (error
class names), ``exchanges`` (key exchanges this process ran), ``throttled`` (429 answers
this process saw: its limiter's ``pause`` calls).
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import revclient
from revclient.backends.redis import RedisBackend, RedisLimiter


async def main(cfg: dict[str, Any]) -> dict[str, Any]:
    backend = RedisBackend(
        cfg["redis"], prefix=cfg["prefix"], margin=cfg.get("margin"), jitter=cfg.get("jitter")
    )
    rate = None
    if cfg.get("limit"):
        rate = revclient.RateLimit(cfg["limit"], cfg["period"], burst=cfg.get("burst", 1))
    client: revclient.AsyncRev23 | revclient.AsyncRevio
    if cfg["api"] == "rev23":
        client = revclient.AsyncRev23(
            cfg["key"], cfg["tenant"], base_url=cfg["url"], rate_limit=rate, backend=backend
        )
        path = "/api/v2/customers/1"
    else:
        client = revclient.AsyncRevio(
            cfg["key"], cfg["host"], base_url=cfg["url"], rate_limit=rate, backend=backend
        )
        path = "/billing/api/v1/contacts/1"
    errors: list[str] = []
    ok = 0
    todo = iter(range(cfg["requests"]))

    async def work() -> None:
        nonlocal ok
        for _ in todo:
            try:
                await client.request("GET", path)
                ok += 1
            except revclient.RevError as exc:
                errors.append(type(exc).__name__)

    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    try:
        await asyncio.gather(*(work() for _ in range(cfg["concurrency"])))
    finally:
        exchanges = getattr(client, "exchanges", 0)
        limiter = client._ctx.limiter
        throttled = limiter.throttled_total if isinstance(limiter, RedisLimiter) else 0
        await client.aclose()
        await backend.aclose()
    return {"ok": ok, "errors": errors, "exchanges": exchanges, "throttled": throttled}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))), flush=True)
