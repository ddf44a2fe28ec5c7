"""Servers for the benchmarks, each in its own process so the client's CPU is measured alone.

``python benchmarks/_servers.py sandbox [--limit N --period S --latency S --records N]``
or ``python benchmarks/_servers.py raw`` prints one JSON line (url and credentials) and
serves until its stdin closes. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import web

#: A realistic customer (about 1 KB on the wire, as REV23 studios' records are).
CUSTOMER = {
    "id": 1,
    "firstName": "Ada",
    "lastName": "Lovelace",
    "middleName": "Augusta",
    "nickname": "Ada",
    "email": "ada.lovelace@example.com",
    "phoneNumber": "+1-555-0100",
    "birthdate": "1815-12-10",
    "gender": "female",
    "street": "12 St James's Square",
    "city": "London",
    "state": "Greater London",
    "postalCode": "SW1Y 4JH",
    "country": "United Kingdom",
    "occupation": "Mathematician",
    "notes": "Prefers morning sessions; long-time member since the studio opened. " * 6,
    "createdAt": "2024-01-01T09:30:00Z",
    "membershipLevel": "gold",
    "referralSource": "friend",
}
#: A 100-record list page, as ``GET /api/v2/customers?pageSize=100`` answers.
PAGE = {"data": [dict(CUSTOMER, id=i) for i in range(1, 101)], "totalCount": 10_000}


async def _raw() -> None:
    body = json.dumps(CUSTOMER).encode()
    page = json.dumps(PAGE).encode()

    async def handler(request: web.Request) -> web.Response:
        found = page if request.path == "/api/v2/customers" else body
        return web.Response(body=found, content_type="application/json")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(json.dumps({"url": f"http://127.0.0.1:{port}"}), flush=True)
    await _until_stdin_closes()
    await runner.cleanup()


async def _sandbox(args: argparse.Namespace) -> None:
    from revclient.testing import Sandbox

    rate = (args.limit, args.period) if args.limit else None
    kwargs: dict[str, Any] = {
        "rate_limit": rate,
        "latency": args.latency,
        "records": args.records,
        "limiter": args.limiter,
        # The benchmarks' windows are sub-second: a whole-second Retry-After would skew them.
        "retry_after": "fractional",
    }
    if args.max_page_size:
        kwargs["max_page_size"] = args.max_page_size
    async with Sandbox(**kwargs) as sb:
        print(
            json.dumps(
                {
                    "url": sb.url,
                    "rev23_api_key": sb.rev23_api_key,
                    "rev23_tenant": sb.rev23_tenant,
                    "revio_api_key": sb.revio_api_key,
                    "revio_host": sb.revio_host,
                }
            ),
            flush=True,
        )
        await _until_stdin_closes()
        if args.report:
            stats = sb.stats
            out = {
                label: {
                    "accepted": len(k.arrivals),
                    "rate_limited": k.rate_limited,
                    "max_in_window": sb.max_in_window(label, args.period) if args.period else 0,
                    "first": min(k.arrivals, default=0.0),
                    "last": max(k.arrivals, default=0.0),
                }
                for label, k in stats.keys.items()
            }
            print(json.dumps(out), flush=True)


async def _until_stdin_closes() -> None:
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)


@contextmanager
def serve(kind: str, *args: str) -> Iterator[dict[str, Any]]:
    """Start a server process; yields its JSON line, plus ``report()`` for the sandbox."""
    proc = subprocess.Popen(
        [sys.executable, __file__, kind, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    info: dict[str, Any] = json.loads(proc.stdout.readline())
    reports: list[dict[str, Any]] = []

    def report() -> dict[str, Any]:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        line = proc.stdout.readline()
        reports.append(json.loads(line) if line else {})
        return reports[-1]

    info["report"] = report
    try:
        yield info
    finally:
        if not proc.stdin.closed:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def rev23_client(info: dict[str, Any], rate_limit: Any) -> Any:
    """An ``AsyncRev23`` on a sandbox started by :func:`serve`."""
    import revclient

    return revclient.AsyncRev23(
        info["rev23_api_key"], info["rev23_tenant"], base_url=info["url"], rate_limit=rate_limit
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["raw", "sandbox"])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--period", type=float, default=0.0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--records", type=int, default=250)
    parser.add_argument("--max-page-size", type=int, default=0)
    parser.add_argument("--limiter", default="window_log", help="the sandbox's limiter family")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    asyncio.run(_raw() if args.kind == "raw" else _sandbox(args))


if __name__ == "__main__":
    main()
