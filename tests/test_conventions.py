"""The public conventions, through the public API: ``with_options``, ``with_raw_response``,
``page.response``, per-call options, ``max_response_bytes``, the caller's own aiohttp
session, ``REVCLIENT_LOG``, and the same on the sync facade.

The sandbox serves both APIs. A small aiohttp server (:class:`Stub`, on its own loop in a
thread, so sync clients can use it too) stands in where the sandbox cannot show something:
it records what each request carried (method, path, query, headers), serves gzip, chunked
and sized bodies, slow answers and redirects, and forwards every other path to the sandbox
(adding an ``X-Request-Id``), so the APIs' own behaviour stays the sandbox's.
"""

from __future__ import annotations

import asyncio
import gzip
import itertools
import json
import logging
import math
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import pytest
import yarl
from aiohttp import web
from helpers import LIMIT, PERIOD, rev23, revio
from multidict import CIMultiDict, MultiDict

import revclient
import revclient.sync
from revclient import _portal
from revclient.backends import MemoryBackend
from revclient.testing import FAST_RETRY, Sandbox

T = TypeVar("T")

RATE = revclient.RateLimit(LIMIT, PERIOD)
NO_RETRY = revclient.RetryPolicy.none()
KEY, TENANT = "ca_" + "0123456789abcdef" * 2, "studio"
ITEM = {"id": 7, "firstName": "Ada"}
SECRET_VALUE = "s3cr3t-v4lue-never-echoed"
AUTH_NAMES = ["X-Api-Key", "x-tenant-name", "AUTHORIZATION", "X-REVIO-HOST", "authorization"]
CRLF_VALUES = [f"{SECRET_VALUE}\r\nX-Injected: 1", f"{SECRET_VALUE}\n", f"\r{SECRET_VALUE}"]


# -- a recording server in a thread ----------------------------------------------------------


@dataclass
class Seen:
    """One request as the stub received it."""

    method: str
    path: str
    query: MultiDict[str]
    headers: CIMultiDict[str]


def json_of_size(n: int) -> bytes:
    """A JSON string literal of exactly ``n`` bytes."""
    return b'"' + b"a" * (n - 2) + b'"'


class Stub:
    """An aiohttp server on 127.0.0.1, on its own loop in a daemon thread.

    ``/t/json``: a JSON object with ``X-Request-Id: req-7``; ``/t/size/N``, ``/t/gzip/N``,
    ``/t/chunked/N``: a JSON body of exactly N bytes (after decompression), with a
    Content-Length, gzip-encoded, or chunked without a Content-Length; ``/t/slow/MS``:
    ``/t/json`` after MS milliseconds; ``/t/redirect``: 302 to ``/t/json``. Any other path
    is forwarded to ``upstream`` (the sandbox) and answered with an ``X-Request-Id`` added.
    """

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.upstream: str | None = None
        self.url = ""
        self._ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self._proxy: aiohttp.ClientSession | None = None

    def paths(self, prefix: str = "") -> list[Seen]:
        return [s for s in self.seen if s.path.startswith(prefix)]

    def __enter__(self) -> Stub:
        self._thread.start()
        self._run(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._run(self._stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            self._loop.close()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.25)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def _stop(self) -> None:
        if self._proxy is not None:
            await self._proxy.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(
            Seen(
                request.method,
                request.path,
                MultiDict(request.query),
                CIMultiDict(request.headers),
            )
        )
        parts = request.path.split("/")
        if request.path == "/t/json":
            return web.json_response(ITEM, headers={"X-Request-Id": "req-7"})
        if request.path == "/t/redirect":
            raise web.HTTPFound("/t/json")
        if request.path.startswith("/t/slow/"):
            await asyncio.sleep(int(parts[-1]) / 1000)
            return web.json_response(ITEM, headers={"X-Request-Id": "req-7"})
        if request.path.startswith("/t/size/"):
            return web.Response(body=json_of_size(int(parts[-1])), content_type="application/json")
        if request.path.startswith("/t/gzip/"):
            return web.Response(
                body=gzip.compress(json_of_size(int(parts[-1]))),
                content_type="application/json",
                headers={"Content-Encoding": "gzip"},
            )
        if request.path.startswith("/t/gzip-noise/"):
            return web.Response(
                body=gzip.compress(os.urandom(int(parts[-1]))),
                content_type="application/octet-stream",
                headers={"Content-Encoding": "gzip"},
            )
        if request.path.startswith("/t/chunked/"):
            body = json_of_size(int(parts[-1]))
            response = web.StreamResponse(headers={"Content-Type": "application/json"})
            response.enable_chunked_encoding()
            await response.prepare(request)
            for i in range(0, len(body), 1000):
                await response.write(body[i : i + 1000])
            await response.write_eof()
            return response
        if self.upstream is None:
            return web.json_response({"message": "no such stub route"}, status=404)
        return await self._forward(request)

    async def _forward(self, request: web.Request) -> web.Response:
        if self._proxy is None:
            self._proxy = aiohttp.ClientSession()
        skip = {"host", "content-length", "transfer-encoding", "connection", "accept-encoding"}
        headers = {k: v for k, v in request.headers.items() if k.lower() not in skip}
        url = yarl.URL(f"{self.upstream}{request.raw_path}", encoded=True)
        body = await request.read()
        async with self._proxy.request(
            request.method, url, headers=headers, data=body or None, allow_redirects=False
        ) as resp:
            content = await resp.read()
            drop = {"content-length", "transfer-encoding", "content-encoding", "connection"}
            out = CIMultiDict((k, v) for k, v in resp.headers.items() if k.lower() not in drop)
            out["X-Request-Id"] = f"stub-{next(self._ids)}"
            return web.Response(status=resp.status, body=content, headers=out)


@pytest.fixture
def stub() -> Iterator[Stub]:
    with Stub() as server:
        yield server


@pytest.fixture
def tsb() -> Iterator[Sandbox]:
    """A sandbox on its own thread, for sync clients (which block the calling thread)."""
    with Sandbox(rate_limit=(LIMIT, PERIOD)).run_in_thread() as sb:
        yield sb


def stub_rev23(stub: Stub, **kw: Any) -> revclient.AsyncRev23:
    """A REV23 client on the stub's own routes (no sandbox key needed)."""
    kw.setdefault("rate_limit", None)
    kw.setdefault("retry", FAST_RETRY)
    return revclient.AsyncRev23(KEY, TENANT, base_url=stub.url, **kw)


def proxied_rev23(sb: Sandbox, stub: Stub, **kw: Any) -> revclient.AsyncRev23:
    stub.upstream = sb.url
    kw.setdefault("rate_limit", RATE)
    kw.setdefault("retry", FAST_RETRY)
    return revclient.AsyncRev23(sb.rev23_api_key, sb.rev23_tenant, base_url=stub.url, **kw)


def proxied_revio(sb: Sandbox, stub: Stub, **kw: Any) -> revclient.AsyncRevio:
    stub.upstream = sb.url
    kw.setdefault("rate_limit", RATE)
    kw.setdefault("retry", FAST_RETRY)
    return revclient.AsyncRevio(sb.revio_api_key, sb.revio_host, base_url=stub.url, **kw)


# -- 1. with_options -------------------------------------------------------------------------


async def test_with_options_headers_apply_to_the_derived_client_only(
    sandbox: Sandbox, stub: Stub
) -> None:
    async with proxied_revio(sandbox, stub, headers={"X-App": "parent", "X-Mode": "p"}) as psa:
        derived = psa.with_options(headers={"X-Mode": "derived", "X-Extra": "1"})
        await psa.contacts.get(1)
        await derived.contacts.get(2)
        await psa.contacts.get(3)
    calls = stub.paths("/billing/api/v1/contacts/")
    assert [s.path.rsplit("/", 1)[1] for s in calls] == ["1", "2", "3"]
    for s in (calls[0], calls[2]):
        assert s.headers.getall("X-App") == ["parent"]
        assert s.headers.getall("X-Mode") == ["p"]
        assert "X-Extra" not in s.headers
    child = calls[1].headers
    assert child.getall("X-App") == ["parent"]  # added to the parent's, not replacing them
    assert child.getall("X-Mode") == ["derived"]
    assert child.getall("X-Extra") == ["1"]
    for s in calls:  # the auth headers survive on both
        assert s.headers["Authorization"].startswith("Bearer ")
        assert s.headers["X-Revio-Host"] == sandbox.revio_host
    assert dict(psa.options.headers) == {"X-App": "parent", "X-Mode": "p"}
    assert dict(derived.options.headers) == {"X-App": "parent", "X-Mode": "derived", "X-Extra": "1"}


async def test_with_options_header_of_another_case_replaces_the_parents(stub: Stub) -> None:
    async with stub_rev23(stub, headers={"X-Mode": "parent"}) as rev:
        await rev.with_options(headers={"x-mode": "derived"}).request("GET", "/t/json")
    assert stub.seen[0].headers.getall("X-Mode") == ["derived"]


async def test_with_options_timeout_and_retry_apply_to_the_derived_client_only(
    stub: Stub,
) -> None:
    async with stub_rev23(stub) as rev:
        quick = rev.with_options(timeout=0.05, retry=NO_RETRY)
        assert quick.options.timeout == 0.05 and quick.options.retry == NO_RETRY
        with pytest.raises(revclient.RequestTimeoutError):
            await quick.request("GET", "/t/slow/300")
        assert len(stub.paths("/t/slow/")) == 1  # RetryPolicy.none(): one attempt only
        assert await rev.request("GET", "/t/slow/150") == ITEM  # the parent's 30 s
        assert rev.options.timeout == 30.0 and rev.options.retry == FAST_RETRY


async def test_with_options_timeout_none_means_no_timeout(stub: Stub) -> None:
    async with stub_rev23(stub, timeout=0.05, retry=NO_RETRY) as rev:
        patient = rev.with_options(timeout=None)
        assert patient.options.timeout is None and rev.options.timeout == 0.05
        assert await patient.request("GET", "/t/slow/150") == ITEM
        with pytest.raises(revclient.RequestTimeoutError):
            await rev.request("GET", "/t/slow/150")


async def test_with_options_on_a_managers_client(sandbox: Sandbox) -> None:
    async with revclient.SessionManager(rate_limit=RATE, retry=FAST_RETRY) as manager:
        psa = manager.revio(sandbox.revio_api_key, sandbox.revio_host, base_url=sandbox.url)
        rev = manager.rev23(sandbox.rev23_api_key, sandbox.rev23_tenant, base_url=sandbox.url)
        await psa.contacts.get(1)
        async with psa.with_options(timeout=5) as derived:
            raw = await derived.with_raw_response.contacts.get(2)
            assert raw.status == 200 and raw.attempts == 1
        assert psa.exchanges == 1
        assert (await psa.contacts.get(3)).contact_id == 3  # the manager's pool is open
        assert (await rev.customers.get(1)).id == 1
        assert not manager.closed


async def test_with_options_retry_is_the_derived_clients_only(sandbox: Sandbox) -> None:
    async with rev23(sandbox, retry=FAST_RETRY) as rev:
        once = rev.with_options(retry=NO_RETRY)
        sandbox.inject(503, path="/api/v2/customers/1", times=1)
        with pytest.raises(revclient.ServerError):
            await once.customers.get(1)
        sandbox.inject(503, path="/api/v2/customers/1", times=1)
        raw = await rev.with_raw_response.customers.get(1)  # the parent still retries
        assert raw.attempts == 2 and raw.parse().id == 1


async def test_with_options_max_response_bytes_is_the_derived_clients_only(stub: Stub) -> None:
    async with stub_rev23(stub) as rev:
        small = rev.with_options(max_response_bytes=100)
        with pytest.raises(revclient.ResponseTooLargeError):
            await small.request("GET", "/t/size/101")
        assert len((await small.with_raw_response.request("GET", "/t/size/100")).content) == 100
        assert len((await rev.with_raw_response.request("GET", "/t/size/101")).content) == 101
        assert small.options.max_response_bytes == 100
        assert rev.options.max_response_bytes == 64 * 1024 * 1024


async def test_with_options_shares_the_token_cache(sandbox: Sandbox) -> None:
    async with revio(sandbox) as psa:
        await psa.contacts.get(1)
        derived = psa.with_options(timeout=5, headers={"X-Extra": "1"})
        await derived.contacts.get(2)
        assert psa.exchanges == derived.exchanges == 1
        assert sandbox.stats.keys["revio"].exchanges == 1
        sandbox.expire_tokens()
        await derived.contacts.get(3)  # the derived client exchanges again ...
        await psa.contacts.get(4)  # ... and the parent uses that token
        assert psa.exchanges == 2
        assert sandbox.stats.keys["revio"].exchanges == 2


async def test_with_options_shares_the_budget(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as rev:
        derived = rev.with_options(timeout=5)
        clients = [rev, derived] * LIMIT
        answers = await asyncio.gather(
            *(c.with_raw_response.customers.get(1 + i % 5) for i, c in enumerate(clients))
        )
    assert sandbox.stats.keys["rev23"].rate_limited == 0
    # Both waited on one bucket: 2 * LIMIT requests cannot all start at once.
    assert max(a.rate_limit_wait for a in answers[1::2]) > 0


async def test_closing_the_derived_client_leaves_the_parent_usable(sandbox: Sandbox) -> None:
    async with revio(sandbox) as psa:
        await psa.contacts.get(1)
        async with psa.with_options(timeout=5) as derived:
            await derived.contacts.get(2)
        await derived.aclose()
        assert (await psa.contacts.get(3)).contact_id == 3
        again = psa.with_options(retry=FAST_RETRY)
        assert (await again.contacts.get(4)).contact_id == 4


@pytest.mark.parametrize(
    "options",
    [
        {"rate_limit": revclient.RateLimit(1, 1.0)},
        {"rate_limit": None},
        {"backend": MemoryBackend()},
        {"allow_insecure": True},
        {"base_urls": {"projects": "http://127.0.0.1:1"}},
        {"bogus": 1},
        {"timeout": 5, "bogus": 1},
        {"headers": {"X-Api-Key": "other"}},
        {"max_response_bytes": 0},
    ],
)
async def test_with_options_refuses_what_it_cannot_change(
    stub: Stub, options: dict[str, Any]
) -> None:
    async with stub_rev23(stub, timeout=7) as rev:
        with pytest.raises(revclient.ConfigurationError):
            rev.with_options(**options)
        assert rev.options.timeout == 7
        assert await rev.request("GET", "/t/json") == ITEM


def test_constructors_resolve_their_options() -> None:
    backend = MemoryBackend()
    rev = revclient.AsyncRev23(
        KEY,
        TENANT,
        base_url="http://127.0.0.1:1",
        rate_limit=revclient.RateLimit(5, 1.0),
        retry=NO_RETRY,
        timeout=3,
        backend=backend,
        allow_insecure=False,
        base_urls={"projects": "http://127.0.0.1:2"},
        headers={"X-App": "a"},
        max_response_bytes=1234,
    )
    opts = rev.options
    assert isinstance(opts, revclient.ClientOptions)
    assert opts.rate_limit == revclient.RateLimit(5, 1.0)
    assert opts.retry == NO_RETRY and opts.timeout == 3 and opts.backend is backend
    assert dict(opts.base_urls) == {"projects": "http://127.0.0.1:2"}
    assert dict(opts.headers) == {"X-App": "a"} and opts.max_response_bytes == 1234
    assert revclient.AsyncRev23(KEY, TENANT).options.max_response_bytes == 64 * 1024 * 1024


@pytest.mark.parametrize(
    "make",
    [
        lambda: revclient.AsyncRev23(KEY, TENANT, bogus=1),
        lambda: revclient.AsyncRevio("k" * 32, "psa.example.com", rate_limits=None),
        lambda: revclient.SessionManager(max_response_byte=5),
        lambda: revclient.SessionManager().rev23(KEY, TENANT, bogus=1),
        lambda: revclient.SessionManager().revio("k" * 32, "psa.example.com", bogus=1),
        lambda: revclient.AsyncRev23(KEY, TENANT, max_response_bytes=0),
        lambda: revclient.AsyncRev23(KEY, TENANT, max_response_bytes=True),
        lambda: revclient.AsyncRev23(KEY, TENANT, headers={"Authorization": "Bearer x"}),
        lambda: revclient.SessionManager(headers={"x-tenant-name": "other"}),
        lambda: revclient.SessionManager().rev23(KEY, TENANT, headers={"X-Api-Key": "x"}),
    ],
)
def test_constructors_refuse_unknown_or_bad_options(make: Any) -> None:
    with pytest.raises(revclient.ConfigurationError):
        make()


# -- 2. with_raw_response ----------------------------------------------------------------------


async def test_raw_response_of_a_rev23_get(sandbox: Sandbox, stub: Stub) -> None:
    async with proxied_rev23(sandbox, stub) as rev:
        raw = await rev.with_raw_response.customers.get(1)
        plain = await rev.customers.get(1)
    assert isinstance(raw, revclient.APIResponse)
    assert raw.status == 200 and raw.method == "GET"
    assert raw.url == stub.url + "/api/v2/customers/1"
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.headers["CONTENT-TYPE"] == raw.headers["Content-Type"]
    assert raw.request_id == "stub-1"
    assert raw.attempts == 1 and raw.elapsed > 0 and raw.rate_limit_wait >= 0
    assert raw.parse() == plain and raw.parse().id == 1
    assert raw.json()["id"] == 1


async def test_raw_response_request_id_and_headers_from_the_server(stub: Stub) -> None:
    async with stub_rev23(stub) as rev:
        raw = await rev.with_raw_response.request("GET", "/t/json")
    assert raw.request_id == "req-7"
    assert raw.headers["x-request-id"] == raw.headers["X-REQUEST-ID"] == "req-7"
    assert raw.parse() == raw.json() == ITEM


async def test_raw_response_counts_a_retry(sandbox: Sandbox) -> None:
    async with rev23(sandbox, retry=FAST_RETRY) as rev:
        sandbox.inject(503, path="/api/v2/customers/2", method="GET", times=1)
        raw = await rev.with_raw_response.customers.get(2)
        assert raw.attempts == 2 and raw.status == 200
        assert raw.parse() == await rev.customers.get(2)
        sandbox.inject(503, path="/api/v2/customers", method="GET", times=1)
        raw_any = await rev.with_raw_response.request("GET", "/api/v2/customers/3")
        assert raw_any.attempts == 2 and raw_any.parse()["id"] == 3


async def test_raw_response_of_a_revio_get_and_a_reauthentication(sandbox: Sandbox) -> None:
    async with revio(sandbox, retry=FAST_RETRY) as psa:
        raw = await psa.with_raw_response.contacts.get(1)
        assert raw.status == 200 and raw.attempts == 1 and raw.elapsed > 0
        assert raw.parse() == await psa.contacts.get(1)
        assert raw.parse().contact_id == 1
        sandbox.expire_tokens()
        again = await psa.with_raw_response.contacts.get(1)
        assert again.attempts == 2  # the 401 and the re-send with a fresh token
        assert again.parse() == raw.parse()
        assert psa.exchanges == 2
        sandbox.expire_tokens()
        raw_any = await psa.with_raw_response.request("GET", "/billing/api/v1/contacts/2")
        assert raw_any.attempts == 2 and raw_any.parse()["data"]["contactId"] == 2


async def test_raw_response_of_a_create_and_a_delete(sandbox: Sandbox) -> None:
    async with revio(sandbox) as psa:
        raw = await psa.with_raw_response.opportunities.create(customer_id=1, name="Raw deal")
        assert raw.status == 201 and raw.method == "POST" and raw.attempts == 1
        created = raw.parse()
        assert isinstance(created, revclient.revio.CreatedOpportunity)
        assert created.opportunity_id == raw.json()["data"]["opportunityId"]
        plain = await psa.opportunities.create(customer_id=1, name="Plain deal")
        assert type(plain) is type(created) and plain.opportunity_id != created.opportunity_id
        fetched = await psa.opportunities.get(created.opportunity_id)
        assert fetched.name == "Raw deal"
        gone = await psa.with_raw_response.opportunities.delete(created.opportunity_id)
        assert gone.status == 204 and gone.method == "DELETE"
        assert gone.parse() is None and gone.content == b"" and gone.json() is None
        with pytest.raises(revclient.NotFoundError):
            await psa.opportunities.get(created.opportunity_id)
        with pytest.raises(revclient.NotFoundError):
            await psa.with_raw_response.opportunities.delete(created.opportunity_id)


async def test_raw_request_parses_like_request(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as rev:
        raw = await rev.with_raw_response.request(
            "get", "/api/v2/customers", params={"pageSize": 3}
        )
        assert raw.method == "GET" and raw.status == 200
        assert raw.parse() == await rev.request("GET", "/api/v2/customers", params={"pageSize": 3})
        assert len(raw.parse()["data"]) == 3


async def test_raw_response_shows_the_wait_for_the_budget(sandbox: Sandbox) -> None:
    # 4 per 0.2 s, paced: 50 ms between starts, far more than a loopback request takes.
    async with rev23(sandbox, rate_limit=revclient.RateLimit(4, 0.2)) as rev:
        answers = [await rev.with_raw_response.customers.get(1) for _ in range(4)]
    waits = [a.rate_limit_wait for a in answers]
    assert max(waits[1:]) > 0
    assert all(a.elapsed >= a.rate_limit_wait for a in answers)


async def test_raw_response_errors_are_still_typed(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as rev, revio(sandbox) as psa:
        with pytest.raises(revclient.NotFoundError) as e1:
            await rev.with_raw_response.customers.get(999_999)
        assert e1.value.status == 404
        with pytest.raises(revclient.NotFoundError):
            await rev.with_raw_response.request("GET", "/api/v2/customers/999999")
        with pytest.raises(revclient.NotFoundError):
            await psa.with_raw_response.contacts.get(999_999)
        with pytest.raises(revclient.BadRequestError) as e2:
            await psa.with_raw_response.opportunities.create(customer_id=1, name="")
        assert e2.value.status == 400
        sandbox.inject(503, path="/api/v2/customers/1", times=10)
        fails = rev.with_options(retry=NO_RETRY)
        with pytest.raises(revclient.ServerError):
            await fails.with_raw_response.customers.get(1)


def test_list_methods_are_not_in_with_raw_response() -> None:
    rev = revclient.AsyncRev23(KEY, TENANT)
    assert not hasattr(rev.with_raw_response.customers, "list")
    assert hasattr(rev.with_raw_response.customers, "get")


# -- 3. page.response ------------------------------------------------------------------------


async def test_every_page_carries_its_response(sandbox: Sandbox, stub: Stub) -> None:
    async with proxied_rev23(sandbox, stub) as rev, proxied_revio(sandbox, stub) as psa:
        first = await rev.customers.list(page_size=50)
        assert isinstance(first.response, revclient.APIResponse)
        assert first.response.status == 200 and first.response.attempts == 1
        assert first.response.json() == first.raw
        assert first.response.request_id is not None
        pages = [p async for p in rev.customers.list(page_size=100).pages()]
        assert len(pages) == 3  # 250 records
        ids = [p.response.request_id for p in pages if p.response is not None]
        assert len(set(ids)) == 3
        for p in pages:
            assert p.response is not None and p.response.json() == p.raw
        sandbox.inject(503, path="/billing/api/v1/contacts", times=1)
        psa_pages = [p async for p in psa.contacts.list(page_size=200).pages()]
        assert [p.response.attempts for p in psa_pages if p.response] == [2, 1]
        assert all(p.response and p.response.elapsed > 0 for p in psa_pages)


async def test_cursor_and_read_ahead_pages_carry_their_response() -> None:
    async with Sandbox(rate_limit=None, list_shape=("data", "cursor")) as sb:
        async with rev23(sb, rate_limit=None) as rev:
            pages = [p async for p in rev.customers.list(page_size=100).pages()]
            assert len(pages) == 3 and pages[0].next_cursor is not None
            for p in pages:
                assert p.response is not None and p.response.json() == p.raw
        async with Sandbox(rate_limit=None) as sb2, rev23(sb2, rate_limit=None) as rev2:
            ahead = [p async for p in rev2.customers.list(page_size=50, concurrency=3).pages()]
            assert len(ahead) == 5
            for p in ahead:
                assert p.response is not None and p.response.json() == p.raw


# -- 4. per-call options ---------------------------------------------------------------------


async def test_extra_headers_reach_the_server_for_that_call_only(
    sandbox: Sandbox, stub: Stub
) -> None:
    async with proxied_rev23(sandbox, stub) as rev, proxied_revio(sandbox, stub) as psa:
        await rev.customers.get(1, extra_headers={"X-Trace": "a"})
        await rev.customers.get(2)
        await rev.request("GET", "/api/v2/customers/3", extra_headers={"X-Trace": "b"})
        await psa.contacts.get(1, extra_headers={"X-Trace": "c"})
        await psa.with_raw_response.contacts.get(2, extra_headers={"X-Trace": "d"})
        pages = rev.customers.list(page_size=100, extra_headers={"X-Trace": "e"}).pages()
        assert len([p async for p in pages]) == 3
    traces = {s.path: s.headers.getall("X-Trace", []) for s in stub.seen if "page" not in s.query}
    assert traces["/api/v2/customers/1"] == ["a"]
    assert traces["/api/v2/customers/2"] == []
    assert traces["/api/v2/customers/3"] == ["b"]
    assert traces["/billing/api/v1/contacts/1"] == ["c"]
    assert traces["/billing/api/v1/contacts/2"] == ["d"]
    listed = [s for s in stub.seen if s.path == "/api/v2/customers"]
    assert len(listed) == 3 and all(s.headers.getall("X-Trace") == ["e"] for s in listed)
    for s in stub.paths("/billing/"):  # extra headers never cost the auth headers
        assert s.headers["Authorization"].startswith("Bearer ")
        assert s.headers["X-Revio-Host"] == sandbox.revio_host
    for s in stub.paths("/api/v2/"):
        assert s.headers["X-Api-Key"] == sandbox.rev23_api_key
        assert s.headers["X-Tenant-Name"] == sandbox.rev23_tenant


async def test_extra_query_is_merged_with_params(sandbox: Sandbox, stub: Stub) -> None:
    async with proxied_rev23(sandbox, stub) as rev:
        await rev.customers.get(1, params={"a": "1"}, extra_query={"b": 2, "c": True})
        await rev.request(
            "GET", "/api/v2/customers", params={"pageSize": 2}, extra_query={"trace": "t"}
        )
        await rev.request("GET", "/api/v2/customers/4", extra_query={"only": "x"})
        pages = rev.customers.list(page_size=100, params={"a": "1"}, extra_query={"b": "2"})
        assert len([p async for p in pages.pages()]) == 3
    one, listed, alone = stub.seen[0], stub.seen[1], stub.seen[2]
    assert dict(one.query) == {"a": "1", "b": "2", "c": "true"}
    assert dict(listed.query) == {"pageSize": "2", "trace": "t"}
    assert dict(alone.query) == {"only": "x"}
    paged = stub.seen[3:]
    assert [s.query.get("page") for s in paged] == ["1", "2", "3"]
    for s in paged:
        assert s.query["a"] == "1" and s.query["b"] == "2" and s.query["pageSize"] == "100"


async def test_extra_query_is_for_that_call_only(stub: Stub) -> None:
    async with stub_rev23(stub) as rev:
        await rev.request("GET", "/t/json", extra_query={"x": "1"})
        await rev.request("GET", "/t/json")
    assert dict(stub.seen[0].query) == {"x": "1"} and dict(stub.seen[1].query) == {}


@pytest.mark.parametrize("name", AUTH_NAMES)
async def test_auth_headers_are_refused_everywhere(stub: Stub, name: str) -> None:
    bad = {name: "mine"}
    with pytest.raises(revclient.ConfigurationError):
        stub_rev23(stub, headers=bad)
    with pytest.raises(revclient.ConfigurationError):
        revclient.AsyncRevio("k" * 32, "psa.example.com", base_url=stub.url, headers=bad)
    with pytest.raises(revclient.ConfigurationError):
        revclient.SessionManager(headers=bad)
    async with stub_rev23(stub) as rev:
        with pytest.raises(revclient.ConfigurationError):
            rev.with_options(headers=bad)
        with pytest.raises(revclient.ConfigurationError):
            await rev.customers.get(1, extra_headers=bad)
        with pytest.raises(revclient.ConfigurationError):
            await rev.request("GET", "/t/json", extra_headers=bad)
        with pytest.raises(revclient.ConfigurationError):
            await rev.with_raw_response.request("GET", "/t/json", extra_headers=bad)
        with pytest.raises(revclient.ConfigurationError):
            await rev.customers.list(extra_headers=bad)
    assert stub.seen == []


@pytest.mark.parametrize("value", CRLF_VALUES)
async def test_header_values_with_cr_or_lf_are_refused_without_echo(stub: Stub, value: str) -> None:
    bad = {"X-Custom": value}
    errors: list[revclient.ConfigurationError] = []
    with pytest.raises(revclient.ConfigurationError) as e:
        stub_rev23(stub, headers=bad)
    errors.append(e.value)
    with pytest.raises(revclient.ConfigurationError) as e:
        revclient.SessionManager(headers=bad)
    errors.append(e.value)
    async with stub_rev23(stub) as rev:
        with pytest.raises(revclient.ConfigurationError) as e:
            rev.with_options(headers=bad)
        errors.append(e.value)
        with pytest.raises(revclient.ConfigurationError) as e:
            await rev.customers.get(1, extra_headers=bad)
        errors.append(e.value)
        with pytest.raises(revclient.ConfigurationError) as e:
            await rev.request("GET", "/t/json", extra_headers=bad)
        errors.append(e.value)
    for exc in errors:
        assert SECRET_VALUE not in str(exc) and SECRET_VALUE not in repr(exc)
        assert "CR/LF" in str(exc)
    assert stub.seen == []


async def test_per_call_timeout(stub: Stub) -> None:
    async with stub_rev23(stub, retry=NO_RETRY) as rev:
        with pytest.raises(revclient.RequestTimeoutError):
            await rev.request("GET", "/t/slow/300", timeout=0.05)
        assert await rev.request("GET", "/t/slow/150") == ITEM  # the client's 30 s
        with pytest.raises(revclient.RequestTimeoutError):
            await rev.with_raw_response.request("GET", "/t/slow/300", timeout=0.05)
    async with stub_rev23(stub, retry=NO_RETRY, timeout=0.05) as quick:
        with pytest.raises(revclient.RequestTimeoutError):
            await quick.request("GET", "/t/slow/150")
        assert await quick.request("GET", "/t/slow/150", timeout=None) == ITEM  # no timeout
        assert await quick.request("GET", "/t/slow/150", timeout=2) == ITEM


async def test_per_call_timeout_on_generated_methods(sandbox: Sandbox) -> None:
    async with rev23(sandbox, retry=NO_RETRY) as rev, revio(sandbox, retry=NO_RETRY) as psa:
        sandbox.inject("timeout", path="/api/v2/customers/1", delay=0.3)
        with pytest.raises(revclient.RequestTimeoutError):
            await rev.customers.get(1, timeout=0.05)
        sandbox.inject("timeout", path="/api/v2/customers/1", delay=0.15)
        assert (await rev.customers.get(1)).id == 1
        await psa.contacts.get(1)  # the exchange, outside the per-call timeout below
        sandbox.inject("timeout", path="/billing/api/v1/contacts", delay=0.3)
        with pytest.raises(revclient.RequestTimeoutError):
            await psa.contacts.list(timeout=0.05)


# -- 5. max_response_bytes -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["size", "gzip", "chunked"])
async def test_max_response_bytes(stub: Stub, kind: str) -> None:
    async with stub_rev23(stub, max_response_bytes=5000, retry=NO_RETRY) as rev:
        with pytest.raises(revclient.ResponseTooLargeError) as e:
            await rev.request("GET", f"/t/{kind}/5001")
        assert isinstance(e.value, revclient.ResponseDecodeError)
        with pytest.raises(revclient.ResponseTooLargeError):
            await rev.request("GET", f"/t/{kind}/50000")
        raw = await rev.with_raw_response.request("GET", f"/t/{kind}/5000")  # exactly at it
        assert len(raw.content) == 5000 and raw.json() == "a" * 4998
        assert len(stub.paths("/t/")) == 3  # too large is not retried


async def test_a_gzip_body_is_measured_after_decompression(stub: Stub) -> None:
    assert len(gzip.compress(json_of_size(100_000))) < 1000
    async with stub_rev23(stub, max_response_bytes=1000) as rev:
        with pytest.raises(revclient.ResponseTooLargeError):
            await rev.request("GET", "/t/gzip/100000")
        assert len((await rev.with_raw_response.request("GET", "/t/gzip/1000")).content) == 1000


async def test_a_gzip_body_larger_compressed_than_inflated_is_read(stub: Stub) -> None:
    # Random bytes grow when compressed: the Content-Length is over the limit, the body
    # (what the limit is about) is exactly at it.
    async with stub_rev23(stub, max_response_bytes=4000) as rev:
        raw = await rev.with_raw_response.request("GET", "/t/gzip-noise/4000")
        assert len(raw.content) == 4000
        with pytest.raises(revclient.ResponseTooLargeError):
            await rev.with_raw_response.request("GET", "/t/gzip-noise/4001")


@pytest.mark.parametrize("where", ["per call", "client"])
async def test_an_infinite_timeout_is_refused_or_means_none(stub: Stub, where: str) -> None:
    try:
        if where == "client":
            async with stub_rev23(stub, timeout=math.inf) as rev:
                result = await rev.request("GET", "/t/json")
        else:
            async with stub_rev23(stub) as rev:
                result = await rev.request("GET", "/t/json", timeout=math.inf)
    except revclient.ConfigurationError:
        return
    assert result == ITEM


async def test_max_response_bytes_default_lets_ordinary_bodies_through(stub: Stub) -> None:
    async with stub_rev23(stub) as rev:
        assert rev.options.max_response_bytes == 64 * 1024 * 1024
        for kind in ("size", "gzip", "chunked"):
            assert len((await rev.with_raw_response.request("GET", f"/t/{kind}/200000")).content)


# -- 6. the caller's own session ---------------------------------------------------------------


async def test_the_callers_session_is_used_and_never_closed(sandbox: Sandbox, stub: Stub) -> None:
    stub.upstream = sandbox.url
    async with aiohttp.ClientSession(headers={"X-From-Session": "yes"}) as session:
        async with revclient.AsyncRev23(
            sandbox.rev23_api_key,
            sandbox.rev23_tenant,
            base_url=stub.url,
            session=session,
            rate_limit=RATE,
            retry=FAST_RETRY,
        ) as rev:
            assert (await rev.customers.get(1)).id == 1
        assert not session.closed
        with pytest.raises(revclient.TransportError):
            await rev.customers.get(1)  # the client is closed, the session is not
        async with revclient.SessionManager(session=session, rate_limit=RATE) as manager:
            psa = manager.revio(sandbox.revio_api_key, sandbox.revio_host, base_url=stub.url)
            assert (await psa.contacts.get(1)).contact_id == 1
            rev2 = manager.rev23(sandbox.rev23_api_key, sandbox.rev23_tenant, base_url=stub.url)
            assert (await rev2.customers.get(2)).id == 2
            await psa.aclose()
        assert not session.closed and manager.closed
        async with session.get(stub.url + "/t/json") as resp:  # still usable
            assert resp.status == 200
    paths = [s.path for s in stub.seen]
    assert paths[-1] == "/t/json"
    for s in stub.seen[:-1]:
        assert s.headers.get("X-From-Session") == "yes"
    assert "/api/v1/auth/api-key/exchange" in paths


@pytest.mark.parametrize("own_session", [False, True])
async def test_redirects_are_not_followed(stub: Stub, own_session: bool) -> None:
    async with aiohttp.ClientSession() as session:
        kw: dict[str, Any] = {"session": session} if own_session else {}
        async with stub_rev23(stub, **kw) as rev:
            with pytest.raises(revclient.APIError) as e:
                await rev.request("GET", "/t/redirect")
            assert e.value.status == 302
        assert [s.path for s in stub.seen] == ["/t/redirect"]
        # The server's redirect is real: a plain aiohttp request follows it.
        async with session.get(stub.url + "/t/redirect") as resp:
            assert resp.status == 200 and await resp.json() == ITEM
    assert [s.path for s in stub.seen][-2:] == ["/t/redirect", "/t/json"]


async def test_a_closed_client_fails_at_once_without_retrying(
    stub: Stub, caplog: pytest.LogCaptureFixture
) -> None:
    rev = stub_rev23(stub)
    assert await rev.request("GET", "/t/json") == ITEM
    await rev.aclose()
    caplog.set_level(logging.INFO, logger="revclient")
    with pytest.raises(revclient.TransportError, match="closed"):
        await rev.request("GET", "/t/json")
    assert [r.getMessage() for r in caplog.records if "retry" in r.getMessage()] == []
    assert len(stub.seen) == 1


async def test_attempts_equal_the_requests_the_server_saw(sandbox: Sandbox) -> None:
    async with rev23(sandbox, retry=FAST_RETRY) as rev:
        await rev.customers.get(1)  # a kept-alive connection to drop next
        for fault in ("drop_before", "drop_after", 502, 504):
            sandbox.reset_stats()
            sandbox.inject(fault, path="/api/v2/customers/3", times=1)
            raw = await rev.with_raw_response.customers.get(3)
            wire = [r for r in sandbox.stats.log if r.path == "/api/v2/customers/3"]
            assert raw.attempts == len(wire) == 2, fault


async def _drop_the_second_request(heads: list[bytes]) -> tuple[asyncio.Server, str]:
    """A server that answers the first request on a connection, then reads the next one on
    that kept-alive connection and closes without an answer."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            heads.append(head)
            body = json.dumps(ITEM).encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            await writer.drain()
            heads.append(await reader.readuntil(b"\r\n\r\n"))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("how", ["own pool", "session", "manager session"])
async def test_one_attempt_is_one_request_on_the_wire(how: str) -> None:
    heads: list[bytes] = []
    server, url = await _drop_the_second_request(heads)
    async with server, aiohttp.ClientSession() as session:
        if how == "own pool":
            rev = revclient.AsyncRev23(KEY, TENANT, base_url=url, retry=NO_RETRY)
        elif how == "session":
            rev = revclient.AsyncRev23(KEY, TENANT, base_url=url, retry=NO_RETRY, session=session)
        else:
            manager = revclient.SessionManager(session=session, retry=NO_RETRY)
            rev = manager.rev23(KEY, TENANT, base_url=url)
        async with rev:
            assert await rev.request("GET", "/a") == ITEM
            with pytest.raises(revclient.TransportError):
                await rev.with_raw_response.request("GET", "/b")
        assert len(heads) == 2
        assert heads[1].startswith(b"GET /b ")


async def test_a_plain_session_resends_so_the_test_above_can_fail() -> None:
    heads: list[bytes] = []
    server, url = await _drop_the_second_request(heads)
    async with server, aiohttp.ClientSession() as session:
        async with session.get(url + "/a") as resp:
            assert await resp.json() == ITEM
        async with session.get(url + "/b") as resp:  # resent on a fresh connection
            assert await resp.json() == ITEM
    assert [h.split(b" ")[1] for h in heads] == [b"/a", b"/b", b"/b"]


async def test_sessions_revclient_cannot_use_are_refused(stub: Stub) -> None:
    async with aiohttp.ClientSession(base_url=stub.url) as based:
        with pytest.raises(revclient.ConfigurationError):
            revclient.AsyncRev23(KEY, TENANT, base_url=stub.url, session=based)
        with pytest.raises(revclient.ConfigurationError):
            revclient.AsyncRevio("k" * 32, "psa.example.com", base_url=stub.url, session=based)
        with pytest.raises(revclient.ConfigurationError):
            revclient.SessionManager(session=based)
    with pytest.raises(revclient.ConfigurationError):
        revclient.AsyncRev23(KEY, TENANT, session=object())  # type: ignore[arg-type]
    async with aiohttp.ClientSession() as session:
        manager = revclient.SessionManager()
        with pytest.raises(revclient.ConfigurationError):
            manager.rev23(KEY, TENANT, session=session)  # type: ignore[call-arg]
        with pytest.raises(revclient.ConfigurationError):
            manager.revio("k" * 32, "psa.example.com", session=session)  # type: ignore[call-arg]
        shared = revclient.SessionManager(session=session)
        with pytest.raises(revclient.ConfigurationError):
            shared.rev23(KEY, TENANT, session=session)  # type: ignore[call-arg]
        await manager.aclose()
        await shared.aclose()
        assert not session.closed
    assert stub.seen == []


# -- 7. REVCLIENT_LOG ----------------------------------------------------------------------------

_LOGGED = """
import asyncio, aiohttp, revclient
from revclient.testing import Sandbox

async def main():
    jwts = set()

    async def seen(session, ctx, params):
        auth = params.headers.get("Authorization")
        if auth:
            jwts.add(auth.split(" ", 1)[1])

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(seen)
    fast = revclient.RetryPolicy(backoff_base=0.001, backoff_cap=0.005)  # run in a subprocess
    async with Sandbox() as sb, aiohttp.ClientSession(trace_configs=[trace]) as session:
        async with revclient.AsyncRevio(
            sb.revio_api_key, sb.revio_host, base_url=sb.url, session=session, retry=fast
        ) as psa, revclient.AsyncRev23(
            sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url, retry=fast
        ) as rev:
            await psa.contacts.get(1)
            sb.expire_tokens()
            await psa.contacts.get(2)  # a 401 and a second exchange
            sb.inject(503, path="/billing/api/v1/contacts/3", times=1)
            await psa.contacts.get(3)  # a retry
            await rev.customers.get(1, extra_query={"q": "1"})
    print(sb.revio_api_key)
    print(sb.rev23_api_key)
    for jwt in sorted(jwts):
        print(jwt)

asyncio.run(main())
"""


def _run_logged(level: str | None) -> tuple[list[str], str, list[str]]:
    env = {k: v for k, v in os.environ.items() if k != "REVCLIENT_LOG"}
    if level is not None:
        env["REVCLIENT_LOG"] = level
    done = subprocess.run(
        [sys.executable, "-c", _LOGGED], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    secrets = done.stdout.split()
    lines = [line for line in done.stderr.splitlines() if " revclient " in line]
    return secrets, done.stderr, lines


@pytest.mark.parametrize("level", ["debug", "DEBUG", "info"])
def test_revclient_log_without_secrets(level: str) -> None:
    secrets, stderr, lines = _run_logged(level)
    assert len(secrets) == 4  # two keys, two JWTs
    for secret in secrets:
        assert secret not in stderr
        assert secret[:20] not in stderr
    assert any("401" in line for line in lines)
    assert any("503" in line for line in lines)
    if level.lower() == "debug":
        assert any("/api/v1/auth/api-key/exchange -> 200" in line for line in lines)
        assert any("/billing/api/v1/contacts/1 -> 200" in line for line in lines)
        assert any("/api/v2/customers/1 -> 200" in line for line in lines)
    else:
        assert not any(" DEBUG " in line for line in lines)


def test_no_revclient_log_lines_without_revclient_log() -> None:
    secrets, stderr, lines = _run_logged(None)
    assert len(secrets) == 4
    assert lines == []
    assert "revclient" not in stderr


# -- 8. the sync facade -----------------------------------------------------------------------


def sync_revio(sb: Sandbox, stub: Stub, **kw: Any) -> revclient.sync.Revio:
    stub.upstream = sb.url
    kw.setdefault("rate_limit", RATE)
    kw.setdefault("retry", FAST_RETRY)
    return revclient.sync.Revio(sb.revio_api_key, sb.revio_host, base_url=stub.url, **kw)


def sync_rev23(sb: Sandbox, stub: Stub, **kw: Any) -> revclient.sync.Rev23:
    stub.upstream = sb.url
    kw.setdefault("rate_limit", RATE)
    kw.setdefault("retry", FAST_RETRY)
    return revclient.sync.Rev23(sb.rev23_api_key, sb.rev23_tenant, base_url=stub.url, **kw)


def test_sync_with_options(tsb: Sandbox, stub: Stub) -> None:
    with sync_revio(tsb, stub, headers={"X-App": "parent"}) as psa:
        derived = psa.with_options(headers={"X-Extra": "1"}, timeout=5, max_response_bytes=10)
        assert derived.options.timeout == 5 and psa.options.timeout == 30.0
        psa.contacts.get(1)
        with pytest.raises(revclient.ResponseTooLargeError):
            derived.contacts.get(2)  # the derived 10-byte limit
        assert psa.contacts.get(3).contact_id == 3
        assert psa.exchanges == derived.exchanges == 1
        derived.close()
        assert psa.contacts.get(4).contact_id == 4
        with pytest.raises(revclient.ConfigurationError):
            psa.with_options(rate_limit=None)  # type: ignore[call-arg]
        with pytest.raises(revclient.ConfigurationError):
            psa.with_options(bogus=1)  # type: ignore[call-arg]
        with pytest.raises(revclient.ConfigurationError):
            psa.with_options(headers={"Authorization": "Bearer mine"})
    calls = stub.paths("/billing/api/v1/contacts/")
    assert [c.headers.getall("X-Extra", []) for c in calls] == [[], ["1"], [], []]
    assert all(c.headers["X-App"] == "parent" for c in calls)
    assert tsb.stats.keys["revio"].exchanges == 1


def test_sync_with_raw_response(tsb: Sandbox, stub: Stub) -> None:
    with sync_rev23(tsb, stub) as rev, sync_revio(tsb, stub) as psa:
        raw = rev.with_raw_response.customers.get(1)
        assert isinstance(raw, revclient.APIResponse)
        assert raw.status == 200 and raw.request_id is not None and raw.elapsed > 0
        assert raw.parse() == rev.customers.get(1)
        tsb.inject(503, path="/api/v2/customers/2", times=1)
        assert rev.with_raw_response.customers.get(2).attempts == 2
        raw_any = rev.with_raw_response.request("GET", "/api/v2/customers/3")
        assert raw_any.parse() == rev.request("GET", "/api/v2/customers/3")
        assert raw_any.headers["content-type"].startswith("application/json")
        psa.contacts.get(1)
        tsb.expire_tokens()
        again = psa.with_raw_response.contacts.get(1)
        assert again.attempts == 2 and again.parse() == psa.contacts.get(1)
        created = psa.with_raw_response.opportunities.create(customer_id=1, name="Sync")
        assert created.status == 201
        gone = psa.with_raw_response.opportunities.delete(created.parse().opportunity_id)
        assert gone.status == 204 and gone.parse() is None
        with pytest.raises(revclient.NotFoundError):
            psa.with_raw_response.contacts.get(999_999)
        with pytest.raises(revclient.NotFoundError):
            rev.with_raw_response.request("GET", "/api/v2/customers/999999")


def test_sync_per_call_options(tsb: Sandbox, stub: Stub) -> None:
    with sync_rev23(tsb, stub, retry=NO_RETRY) as rev:
        rev.customers.get(1, extra_headers={"X-Trace": "a"}, extra_query={"q": "1"})
        rev.request(
            "GET",
            "/api/v2/customers",
            params={"pageSize": 2},
            extra_headers={"X-Trace": "b"},
            extra_query={"q": "2"},
        )
        rev.with_raw_response.request("GET", "/api/v2/customers/2", extra_query={"q": "3"})
        items = list(rev.customers.list(page_size=100, extra_query={"q": "4"}))
        assert len(items) == 250
        with pytest.raises(revclient.ConfigurationError):
            rev.customers.get(1, extra_headers={"x-api-key": "other"})
        with pytest.raises(revclient.ConfigurationError) as e:
            rev.request("GET", "/api/v2/customers/1", extra_headers={"X-A": SECRET_VALUE + "\n"})
        assert SECRET_VALUE not in str(e.value)
        tsb.inject("timeout", path="/api/v2/customers/5", delay=0.3)
        with pytest.raises(revclient.RequestTimeoutError):
            rev.customers.get(5, timeout=0.05)
        tsb.inject("timeout", path="/api/v2/customers/5", delay=0.15)
        assert rev.customers.get(5).id == 5
        tsb.inject("timeout", path="/api/v2/customers", delay=0.3)
        with pytest.raises(revclient.RequestTimeoutError):
            rev.customers.list(timeout=0.05).first_page()
    seen = stub.seen
    assert seen[0].headers.getall("X-Trace") == ["a"] and dict(seen[0].query) == {"q": "1"}
    assert seen[1].headers.getall("X-Trace") == ["b"]
    assert dict(seen[1].query) == {"pageSize": "2", "q": "2"}
    assert "X-Trace" not in seen[2].headers and dict(seen[2].query) == {"q": "3"}
    assert [s.query.get("q") for s in seen[3:6]] == ["4", "4", "4"]


def test_sync_page_response(tsb: Sandbox, stub: Stub) -> None:
    with sync_rev23(tsb, stub) as rev, sync_revio(tsb, stub) as psa:
        first = rev.customers.list(page_size=50).first_page()
        assert first.response is not None and first.response.status == 200
        assert first.response.json() == first.raw
        pages = list(rev.customers.list(page_size=100).pages())
        assert len(pages) == 3
        assert len({p.response.request_id for p in pages if p.response}) == 3
        tsb.inject(503, path="/billing/api/v1/contacts", times=1)
        psa_pages = list(psa.contacts.list(page_size=200).pages())
        assert [p.response.attempts for p in psa_pages if p.response] == [2, 1]


def test_sync_manager_clients_have_the_conventions(tsb: Sandbox, stub: Stub) -> None:
    stub.upstream = tsb.url
    with revclient.sync.SessionManager(rate_limit=RATE, retry=FAST_RETRY) as manager:
        psa = manager.revio(tsb.revio_api_key, tsb.revio_host, base_url=stub.url)
        derived = psa.with_options(headers={"X-Extra": "1"})
        raw = derived.with_raw_response.contacts.get(1, extra_query={"q": "1"})
        assert raw.status == 200 and raw.parse().contact_id == 1
        derived.close()
        page = psa.contacts.list(page_size=10).first_page()
        assert page.response is not None and page.response.status == 200
        assert psa.exchanges == 1
    got = stub.paths("/billing/api/v1/contacts")
    assert got[0].headers["X-Extra"] == "1" and dict(got[0].query) == {"q": "1"}
    assert "X-Extra" not in got[1].headers


def test_sync_call_inside_a_running_loop_warns_once(
    tsb: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_portal, "_warned_blocking", False)
    with revclient.sync.Rev23(
        tsb.rev23_api_key, tsb.rev23_tenant, base_url=tsb.url, rate_limit=RATE
    ) as rev:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rev.customers.get(1)  # a plain thread: no warning

            def in_thread() -> None:
                loop = asyncio.new_event_loop()  # a loop that exists but is not running
                asyncio.set_event_loop(loop)
                try:
                    rev.customers.get(2)
                finally:
                    asyncio.set_event_loop(None)
                    loop.close()

            errors: list[BaseException] = []
            worker = threading.Thread(target=lambda: _catch(in_thread, errors))
            worker.start()
            worker.join()
            assert errors == []
        assert _portal._warned_blocking is False

        async def cell() -> None:
            rev.customers.get(1)
            rev.request("GET", "/api/v2/customers/2")

        with pytest.warns(RuntimeWarning, match="AsyncRev23") as record:
            asyncio.run(cell())
        assert len([w for w in record if w.category is RuntimeWarning]) == 1
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            asyncio.run(cell())  # once per process


def test_the_blocking_warning_points_at_the_callers_line(
    tsb: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_portal, "_warned_blocking", False)
    with revclient.sync.Rev23(
        tsb.rev23_api_key, tsb.rev23_tenant, base_url=tsb.url, rate_limit=RATE
    ) as rev:

        async def cell() -> None:
            rev.customers.get(1)

        with pytest.warns(RuntimeWarning) as record:
            asyncio.run(cell())
    assert [w.filename for w in record] == [__file__]


def _catch(func: Any, errors: list[BaseException]) -> None:
    try:
        func()
    except BaseException as exc:  # handed back to the test's thread
        errors.append(exc)
