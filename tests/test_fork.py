"""Clients made before ``fork()`` work in the child (issue 13, item 12).

gunicorn ``--preload``, Celery prefork and ``multiprocessing`` fork pools build clients in
the parent and use them in forked children. Each case runs in a subprocess (never forking
the test process, which has threads), with a watchdog in every child: a hang shows as a
child killed by SIGALRM, not as a stuck test run.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from asyncio.subprocess import PIPE
from collections.abc import Iterator
from typing import Any

import pytest

from revclient.testing import Sandbox

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

# Shared by every script: the sandbox's credentials, and a fork with a watchdog that
# reports the child's lines and how it ended.
_PRELUDE = r"""
import asyncio, json, os, signal, sys, threading, time, warnings
warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork() with threads running
import revclient
from revclient.sync import Rev23, Revio
cfg = json.loads(sys.argv[1])
URL = cfg["url"]

def rev23(**kw):
    return Rev23(cfg["rev23_api_key"], cfg["rev23_tenant"], base_url=URL, **kw)

def revio(**kw):
    return Revio(cfg["revio_api_key"], cfg["revio_host"], base_url=URL, **kw)

def in_child(body):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        signal.alarm(20)  # the watchdog: a hang ends as SIGALRM
        try:
            out = body()
        except BaseException as exc:
            out = f"error {type(exc).__name__}: {exc}"
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return json.loads(data)
"""


def _cfg(sb: Sandbox) -> str:
    return json.dumps(
        {
            "url": sb.url,
            "rev23_api_key": sb.rev23_api_key,
            "rev23_tenant": sb.rev23_tenant,
            "revio_api_key": sb.revio_api_key,
            "revio_host": sb.revio_host,
        }
    )


async def _run(script: str, *args: str) -> Any:
    """Run ``_PRELUDE + script``; it prints one JSON line last."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _PRELUDE + script, *args, stdout=PIPE, stderr=PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    assert proc.returncode == 0, err.decode()
    return json.loads(out.decode().splitlines()[-1])


async def test_a_sync_client_with_requests_queued_at_the_fork_works_in_the_child(
    sandbox: Sandbox,
) -> None:
    # Eight threads queue behind a 5-per-second budget when the parent forks: the child
    # inherits a bucket full of waiters from a loop thread it does not have, and a lock
    # that thread may hold.
    script = r"""
rev = rev23(rate_limit=revclient.RateLimit(5, 1.0))
rev.customers.get(1)
done = []
threads = [threading.Thread(target=lambda i=i: done.append(rev.customers.get(i + 2).id))
           for i in range(8)]
for t in threads:
    t.start()
time.sleep(0.1)
assert rev._async._limiter.waiting > 0, "nothing was queued at the fork"

def child():
    fresh = rev23(rate_limit=revclient.RateLimit(5, 1.0))
    return [rev.customers.get(20).id, fresh.customers.get(21).id,
            [c.id for c in rev.customers.list(page_size=100)][:3]]

got = in_child(child)
for t in threads:
    t.join(30)
print(json.dumps({"child": got, "parent": sorted(done), "after": rev.customers.get(30).id}))
"""
    report = await _run(script, _cfg(sandbox))
    assert report["child"] == [20, 21, [1, 2, 3]]
    assert report["parent"] == list(range(2, 10))  # the parent's queue is untouched
    assert report["after"] == 30


async def test_a_key_exchange_in_flight_at_the_fork_does_not_block_the_child(
    sandbox: Sandbox,
) -> None:
    # The parent's first call is exchanging its key (slowed to 0.5 s) when it forks: the
    # child's client must not wait for an exchange that will never finish there.
    sandbox.inject("timeout", path="/api/v1/auth", delay=0.5)
    script = r"""
psa = revio()
parent = threading.Thread(target=lambda: psa.customers.get(1))
parent.start()
time.sleep(0.2)
got = in_child(lambda: [psa.customers.get(2).customer_id, psa.exchanges])
parent.join(30)
print(json.dumps({"child": got, "parent_exchanges": psa.exchanges}))
"""
    report = await _run(script, _cfg(sandbox))
    assert report["child"] == [2, 2]  # the parent's unfinished exchange and the child's own
    assert report["parent_exchanges"] == 1


async def test_a_multiprocessing_fork_pool_uses_the_parents_client(sandbox: Sandbox) -> None:
    script = r"""
import multiprocessing
rev = rev23()
rev.customers.get(1)

def fetch(i):
    signal.alarm(20)
    return [os.getpid(), rev.customers.get(i).id]

with multiprocessing.get_context("fork").Pool(3) as pool:
    got = pool.map_async(fetch, range(1, 13)).get(60)
print(json.dumps({"ids": [i for _, i in got], "workers": len({p for p, _ in got}),
                  "after": rev.customers.get(13).id}))
"""
    report = await _run(script, _cfg(sandbox))
    assert report["ids"] == list(range(1, 13))
    assert report["workers"] >= 1
    assert report["after"] == 13


async def test_an_async_client_made_before_the_fork_works_in_the_child(sandbox: Sandbox) -> None:
    script = r"""
rev = revclient.AsyncRev23(cfg["rev23_api_key"], cfg["rev23_tenant"], base_url=URL)

async def get(i):
    return (await rev.customers.get(i)).id

first = asyncio.run(get(1))  # its session is bound to a loop that is gone after this
got = in_child(lambda: asyncio.run(get(2)))
print(json.dumps({"first": first, "child": got}))
"""
    report = await _run(script, _cfg(sandbox))
    assert report == {"first": 1, "child": 2}


async def test_a_users_own_session_fails_at_once_in_the_child(sandbox: Sandbox) -> None:
    # Its connections are the parent's and revclient cannot renew it: a clear error.
    script = r"""
import aiohttp

async def main():
    async with aiohttp.ClientSession() as session:
        rev = revclient.AsyncRev23(cfg["rev23_api_key"], cfg["rev23_tenant"], base_url=URL,
                                   session=session)
        await rev.customers.get(1)

        def child():
            async def call():
                return (await rev.customers.get(2)).id
            return asyncio.run(call())

        return in_child(child)

print(json.dumps(asyncio.run(main())))
"""
    report = await _run(script, _cfg(sandbox))
    assert report.startswith("error ConfigurationError: "), report
    assert "os.fork()" in report


@pytest.fixture
def redis_url() -> Iterator[str]:
    if shutil.which("redis-server") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("redis-server is required in CI", pytrace=False)
        pytest.skip("redis-server is not installed")
    from revclient.testing._redis import redis_server

    with redis_server() as server:
        yield server.url


async def test_a_redis_backed_client_made_before_the_fork_works_in_the_child(
    sandbox: Sandbox, redis_url: str
) -> None:
    script = r"""
from revclient.backends.redis import RedisBackend
backend = RedisBackend(sys.argv[2], prefix="fork")
psa = revio(backend=backend)
first = psa.customers.get(1).customer_id
got = in_child(lambda: [psa.customers.get(2).customer_id, psa.customers.get(3).customer_id])
print(json.dumps({"first": first, "child": got, "after": psa.customers.get(4).customer_id}))
"""
    report = await _run(script, _cfg(sandbox), redis_url)
    assert report == {"first": 1, "child": [2, 3], "after": 4}
    label = sandbox.key_label(sandbox.revio_api_key)
    assert sandbox.stats.keys[label].exchanges == 1  # the child used the JWT in Redis


async def test_a_lock_held_by_another_thread_at_the_fork_does_not_block_the_child(
    sandbox: Sandbox,
) -> None:
    # The race cannot be timed from outside: a thread holds the lock that client
    # construction takes (as the sync facade's loop thread may) while the parent forks.
    script = r"""
import revclient._client as impl
held, release = threading.Event(), threading.Event()

def hold():
    with impl._BUDGET_USERS._lock:
        held.set()
        release.wait()

threading.Thread(target=hold, daemon=True).start()
held.wait()
got = in_child(lambda: rev23().customers.get(3).id)
release.set()
print(json.dumps({"child": got}))
"""
    report = await _run(script, _cfg(sandbox))
    assert report == {"child": 3}
