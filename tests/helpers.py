"""Helpers for tests: clients pointed at a sandbox with scaled-down budgets."""

from __future__ import annotations

import json
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import revclient
from revclient.testing import Sandbox

# 20 requests per 0.2 s behaves like 200 per minute, 300 times faster.
LIMIT, PERIOD = 20, 0.2

#: Records per collection of the pull tests' sandbox: six pages of 25 and a short one.
PULL_RECORDS = 130


def rev23(sb: Sandbox, **kw: Any) -> revclient.AsyncRev23:
    """A REV23 client on the sandbox, limited like the sandbox unless told otherwise."""
    kw.setdefault("rate_limit", revclient.RateLimit(LIMIT, PERIOD))
    return revclient.AsyncRev23(
        api_key=sb.rev23_api_key, tenant=sb.rev23_tenant, base_url=sb.url, **kw
    )


def revio(sb: Sandbox, **kw: Any) -> revclient.AsyncRevio:
    """A Rev.io PSA client on the sandbox, limited like the sandbox unless told otherwise."""
    kw.setdefault("rate_limit", revclient.RateLimit(LIMIT, PERIOD))
    return revclient.AsyncRevio(api_key=sb.revio_api_key, host=sb.revio_host, base_url=sb.url, **kw)


async def pull_customers(sb: Sandbox, sink: Any, **kw: Any) -> revclient.PullResult:
    """``revclient.pull`` of every REV23 customer of the sandbox into ``sink``."""
    async with rev23(sb, rate_limit=None) as rev:
        return await revclient.pull(rev.customers.list(), sink, **kw)


async def pull_revio(sb: Sandbox, resource: str, sink: Any) -> revclient.PullResult:
    """``revclient.pull`` of every record of a Rev.io PSA ``resource`` into ``sink``."""
    async with revio(sb, rate_limit=None) as psa:
        return await revclient.pull(getattr(psa, resource).list(), sink)


WORKER = Path(__file__).parent / "redis_worker.py"


def run_workers(n: int, cfg: dict[str, Any], timeout: float = 120) -> list[dict[str, Any]]:
    """Start ``n`` ``redis_worker.py`` processes, release them together, return their
    reports."""
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
            out, _ = p.communicate(timeout=timeout)
            assert p.returncode == 0, out
            reports.append(json.loads(out.strip().splitlines()[-1]))
        return reports
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def answer(body: Any) -> revclient.APIResponse[Any]:
    """A 200 answer carrying ``body`` as JSON, as fake transports hand it to their ``cast``."""
    return revclient.APIResponse(
        status=200,
        headers={"Content-Type": "application/json"},
        method="GET",
        url="http://127.0.0.1/fake",
        attempts=1,
        elapsed=0.0,
        rate_limit_wait=0.0,
        content=b"" if body is None else json.dumps(body).encode(),
        cast=revclient.APIResponse.json,
    )


def sentry_event(exc: BaseException) -> str:
    """The JSON of the event sentry-sdk (frame locals on, as by default) makes of ``exc``,
    recorded by a transport that sends nothing."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    events: list[object] = []

    class Recorder(Transport):
        def capture_envelope(self, envelope: Any) -> None:
            events.extend(i.payload.json for i in envelope.items if i.type == "event")

    client = sentry_sdk.Client(
        dsn="http://public@127.0.0.1:9/1",
        transport=Recorder,
        default_integrations=False,
        auto_enabling_integrations=False,
        include_local_variables=True,
        max_value_length=100_000,  # no truncation hiding a secret
    )
    with sentry_sdk.new_scope() as scope:
        scope.set_client(client)
        scope.capture_exception(exc)
    client.flush(5)
    assert len(events) == 1
    return json.dumps(events)


def rendered_locals(exc: BaseException) -> str:
    """``exc`` rendered with every frame's local variables (``capture_locals=True``)."""
    return "".join(
        traceback.TracebackException(
            type(exc), exc, exc.__traceback__, capture_locals=True
        ).format()
    )
