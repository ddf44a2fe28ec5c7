"""Hostile servers and hostile input (issue "every promise holds"): only typed errors,
bounded memory, bounded time.

Servers are small aiohttp apps on 127.0.0.1; memory is measured in a subprocess.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import os
import sys
import time
import uuid
import zlib
from asyncio.subprocess import PIPE
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web

import revclient
from revclient.backends import MemoryBackend
from revclient.testing import Sandbox

KEY, TENANT = "ca_0123456789abcdefghij", "studio"


class Hostile:
    """Answers each path with something a client must survive; records request bodies."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.exchanges = 0
        self.jwt = ""
        self.url = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.bodies.append(await request.read())
        path = request.path
        if path == "/deep":
            return web.Response(body=b"[" * 100_000 + b"]" * 100_000)
        if path == "/nan":
            return web.Response(body=b'{"id": NaN, "total": Infinity}')
        if path == "/odd":  # valid JSON that fast decoders refuse
            return web.Response(body=b'{"id": 1180591620717411303424, "note": "a\\ud800b"}')
        if path == "/api/v2/customers/7":  # a page of 1,000 objects, 2 levels deep
            return web.Response(body=b'{"id": 7, "tags": [' + b",".join([b"{}"] * 1000) + b"]}")
        if path == "/trickle":
            resp = web.StreamResponse()
            resp.content_length = 100
            await resp.prepare(request)
            for _ in range(100):
                await resp.write(b" ")
                await asyncio.sleep(0.1)
            return resp
        if path == "/429":  # refused, without a Retry-After
            return web.json_response({"message": "slow down"}, status=429)
        if path == "/api/v1/auth/api-key/exchange":
            self.exchanges += 1
            return web.json_response({"data": {"token": self.jwt}})
        return web.json_response({"data": {"contactId": 1}})


@pytest.fixture
async def hostile() -> AsyncIterator[Hostile]:
    server = Hostile()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    yield server
    await runner.cleanup()


def client(server: Hostile, **kw: Any) -> revclient.AsyncRev23:
    kw.setdefault("rate_limit", None)
    kw.setdefault("retry", revclient.RetryPolicy.none())
    return revclient.AsyncRev23(KEY, TENANT, base_url=server.url, **kw)


def jwt(claims: str) -> str:
    """A JWT whose payload is ``claims`` verbatim (it need not be valid JSON)."""

    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part(b'{}')}.{part(claims.encode())}.sig"


# -- 8: typed errors, never RecursionError / TypeError / OverflowError ----------------------


async def test_valid_json_decodes_the_same_with_or_without_a_fast_decoder(
    hostile: Hostile,
) -> None:
    # orjson (revclient[speed]) refuses integers beyond 64 bits and lone surrogate escapes;
    # the standard decoder has the last word, so the answer is the one json.loads gives,
    # whether or not orjson is installed. A body with many brackets that is not deep (it
    # goes the standard decoder's way, see /deep) decodes as well.
    async with client(hostile) as rev:
        odd = await rev.request("GET", "/odd")
        customer = await rev.customers.get(7)
    assert odd == {"id": 2**70, "note": "a\ud800b"}
    assert customer.id == 7 and customer.extra["tags"] == [{}] * 1000


@pytest.mark.parametrize("path", ["/deep", "/nan"])
async def test_hostile_json_is_a_decode_error(hostile: Hostile, path: str) -> None:
    async with client(hostile) as rev:
        with pytest.raises(revclient.ResponseDecodeError, match="not valid JSON"):
            await rev.request("GET", path)


@pytest.mark.parametrize(
    "claims",
    [
        '{"exp": ' + "9" * 400 + "}",
        '{"exp": Infinity}',
        '{"exp": NaN}',
        '{"exp": "soon"}',
        "[" * 2_000 + "]" * 2_000,  # past the recursion limit, under 8 KiB of header
    ],
    ids=["400 digits", "Infinity", "NaN", "a string", "nested"],
)
async def test_a_malformed_jwt_expiry_means_no_expiry_known(hostile: Hostile, claims: str) -> None:
    hostile.jwt = jwt(claims)
    key = "key-" + uuid.uuid4().hex  # a key of its own: the token cache is per key
    async with revclient.AsyncRevio(
        key, "acme.psarev.io", base_url=hostile.url, rate_limit=None
    ) as psa:
        for i in range(3):
            assert (await psa.contacts.get(i + 1)).contact_id == 1
    assert hostile.exchanges == 1  # kept until a 401, not exchanged per request


async def test_request_bodies_encode_what_users_pass(hostile: Hostile) -> None:
    body = {
        "amount": Decimal("19.990"),
        "when": dt.datetime(2026, 11, 23, 12, 30, tzinfo=dt.UTC),
        "day": dt.date(2026, 11, 23),
        "id": uuid.UUID(int=7),
        "text": "naïve",
    }
    async with client(hostile) as rev:
        await rev.request("POST", "/echo", json=body)
    assert json.loads(hostile.bodies[-1]) == {
        "amount": "19.990",
        "when": "2026-11-23T12:30:00+00:00",
        "day": "2026-11-23",
        "id": "00000000-0000-0000-0000-000000000007",
        "text": "naïve",
    }


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda rev: rev.request("POST", "/x", json={"tags": {"a", "b"}}), "set"),
        (lambda rev: rev.request("POST", "/x", json={"n": float("nan")}), "JSON"),
        (lambda rev: rev.request("POST", "/x", json={"o": object()}), "object"),
        (lambda rev: rev.customers.get("a\ud800b"), "surrogate"),
        (lambda rev: rev.request("GET", "/x", params={"q": "\udc00"}), "surrogate"),
        (lambda rev: rev.request("GET", "/x", params=[("a", 1)]), "mapping"),
        (lambda rev: rev.request("GET", "/x", extra_query=[("a", 1)]), "mapping"),
        (lambda rev: rev.request("GET", "/x", timeout=float("inf")), "timeout"),
    ],
    ids=["set", "NaN", "object", "surrogate id", "surrogate param", "list params",
         "list extra_query", "infinite timeout"],
)  # fmt: skip
async def test_bad_input_is_a_configuration_error_and_nothing_is_sent(
    hostile: Hostile, call: Any, match: str
) -> None:
    async with client(hostile) as rev:
        with pytest.raises(revclient.ConfigurationError, match=match):
            await call(rev)
    assert hostile.bodies == []


# -- 5: total_timeout bounds a request in flight ---------------------------------------------


async def test_total_timeout_bounds_a_trickling_answer_without_a_timeout(hostile: Hostile) -> None:
    policy = revclient.RetryPolicy(total_timeout=0.5)
    async with client(hostile, timeout=None, retry=policy) as rev:
        started = time.monotonic()
        with pytest.raises(revclient.RequestTimeoutError):
            await rev.request("GET", "/trickle")  # 10 s of one byte every 0.1 s
    assert time.monotonic() - started < 5  # bounded by total_timeout, not by the server


async def test_total_timeout_bounds_the_wait_after_a_429_without_retry_after(
    hostile: Hostile,
) -> None:
    # The 429 slows the key to one request per 30 s; the retry waits for the bucket only
    # until total_timeout (1 s), then raises the 429 it would have raised then.
    policy = revclient.RetryPolicy(total_timeout=1.0)
    async with client(hostile, rate_limit=revclient.RateLimit(1, 30.0), retry=policy) as rev:
        started = time.monotonic()
        with pytest.raises(revclient.RateLimitError):
            await rev.request("GET", "/429")
    assert time.monotonic() - started < 15  # not the 30 s the bucket would have waited
    assert len(hostile.bodies) == 1


# -- 7: bounded memory, decompressed size included --------------------------------------------

_CLIENT = r"""
import asyncio, sys
import revclient

def peak_mib():
    # VmHWM is this address space's own peak; ru_maxrss is not: Linux carries the
    # parent's peak across exec, so it would report the size of the test process.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024

async def main(url):
    async with revclient.AsyncRev23("ca_0123456789abcdefghij", "s", base_url=url,
                                    rate_limit=None) as rev:
        for path in ("/bomb", "/stream"):
            try:
                await rev.request("GET", path)
            except revclient.ResponseTooLargeError:
                print(path, "too large")
    print("peak MiB", peak_mib())

asyncio.run(main(sys.argv[1]))
"""


def _bomb(size: int) -> bytes:
    """gzip of ``size`` zero bytes, made in 1 MiB steps."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    return b"".join(z.compress(chunk) for _ in range(size >> 20)) + z.flush()


@pytest.mark.skipif(
    not os.path.exists("/proc/self/status"), reason="needs Linux /proc to read a process's peak"
)
async def test_bombs_and_endless_streams_stop_at_max_response_bytes() -> None:
    # The servers run here; the client runs alone in a subprocess, whose peak RSS is
    # the client's own.
    bomb = _bomb(512 << 20)

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.path == "/bomb":
            return web.Response(body=bomb, headers={"Content-Encoding": "gzip"})
        resp = web.StreamResponse()  # endless chunked stream, until the client hangs up
        await resp.prepare(request)
        try:
            while True:
                await resp.write(b"x" * 65536)
        except ConnectionError:
            return resp

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _CLIENT, url, stdout=PIPE, stderr=PIPE
        )
        out, err = await asyncio.wait_for(proc.communicate(), 120)
    finally:
        await runner.cleanup()
    assert proc.returncode == 0, err.decode()
    lines = out.decode().splitlines()
    assert lines[:2] == ["/bomb too large", "/stream too large"]
    peak = int(lines[2].split()[-1])
    # 512 MiB inflated and an endless stream, with the default 64 MiB bound: the client
    # (Python, aiohttp, revclient and one body under the bound) stays small: about 106
    # MiB here, where a second copy of the body would pass 160.
    assert peak < 160, peak


# -- 9: one cache and one bucket per key, whatever the sweep does -----------------------------

_FAST = revclient.RateLimit(1000, 1.0)


class _SmallBackend(MemoryBackend):
    sweep_threshold = 4  # sweeps after a few keys instead of 1,024


async def test_a_sweep_never_splits_a_key_that_a_live_client_holds(sandbox: Sandbox) -> None:
    backend = _SmallBackend()
    kw: Any = {"base_url": sandbox.url, "backend": backend, "rate_limit": _FAST}
    first = revclient.AsyncRevio(sandbox.revio_api_key, sandbox.revio_host, **kw)
    for i in range(8):  # other keys, to pass the threshold: the idle, unused state goes
        revclient.AsyncRevio(f"other-key-{i}", "x.psarev.io", **kw)
    second = revclient.AsyncRevio(sandbox.revio_api_key, sandbox.revio_host, **kw)
    async with first, second:
        await first.customers.get(1)
        await second.customers.get(2)  # the same cache: the JWT the first one got
    label = sandbox.key_label(sandbox.revio_api_key)
    assert sandbox.stats.keys[label].exchanges == 1


async def test_state_outlives_its_clients_while_it_has_something_to_remember(
    sandbox: Sandbox,
) -> None:
    backend = _SmallBackend()
    kw: Any = {"base_url": sandbox.url, "backend": backend, "rate_limit": _FAST}
    async with revclient.AsyncRevio(sandbox.revio_api_key, sandbox.revio_host, **kw) as psa:
        await psa.customers.get(1)
    del psa  # no client holds the key's cache now; it holds a usable JWT
    for i in range(8):
        revclient.AsyncRevio(f"other-key-{i}", "x.psarev.io", **kw)
    async with revclient.AsyncRevio(sandbox.revio_api_key, sandbox.revio_host, **kw) as psa:
        await psa.customers.get(2)
    label = sandbox.key_label(sandbox.revio_api_key)
    assert sandbox.stats.keys[label].exchanges == 1


# -- 6: a JWT that expires while its request queues is renewed before anything is sent -------


async def test_a_jwt_that_expires_in_the_queue_is_renewed_before_sending() -> None:
    # Two requests a second and JWTs that live 1.2 s: the third request's token (fetched
    # before it queued) has expired when the bucket lets it go.
    async with Sandbox(rate_limit=None, token_ttl=1.2) as sb:
        async with revclient.AsyncRevio(
            sb.revio_api_key, sb.revio_host, base_url=sb.url, rate_limit=revclient.RateLimit(2, 1.0)
        ) as psa:
            got = await asyncio.gather(*(psa.customers.get(i) for i in (1, 2, 3)))
        statuses = sb.stats.statuses()
    assert [c.customer_id for c in got] == [1, 2, 3]
    assert 401 not in statuses  # no budget spent on an expired token
