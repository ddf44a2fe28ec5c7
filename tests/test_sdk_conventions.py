"""The SDK conventions, through the public API: derived clients, raw responses, per-call
options, the caller's own aiohttp session, bounded bodies, REVCLIENT_LOG, and the same
on the sync facade.

The sandbox serves the APIs; where it cannot show something (what headers and query a
request carried, gzip bodies, redirects, a connection closed without an answer) a small
aiohttp server on 127.0.0.1 stands in.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from helpers import LIMIT, PERIOD, rev23, revio

import revclient
import revclient.sync
from revclient.testing import FAST_RETRY, Sandbox

KEY, TENANT = "ca_0123456789abcdefghij", "studio"
CUSTOMER = {"id": 7, "firstName": "Ada"}


# -- a server that says what it received -------------------------------------------------


class Echo:
    """Records each request (method, path, query, headers) and answers per path."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(
            {
                "method": request.method,
                "path": request.path,
                "query": dict(request.query),
                "headers": dict(request.headers),
            }
        )
        path = request.path
        if path.startswith("/size/"):
            return web.Response(body=b"x" * int(path.rsplit("/", 1)[1]))
        if path.startswith("/gzip/"):
            body = gzip.compress(b" " * int(path.rsplit("/", 1)[1]))
            return web.Response(body=body, headers={"Content-Encoding": "gzip"})
        if path.startswith("/chunked/"):
            resp = web.StreamResponse()
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            for _ in range(int(path.rsplit("/", 1)[1]) // 1000):
                await resp.write(b"y" * 1000)
            await resp.write_eof()
            return resp
        if path == "/redirect":
            raise web.HTTPFound("/api/v2/customers/7")
        if path == "/slow":
            await asyncio.sleep(0.5)
        if path == "/api/v2/customers":  # a list page
            return web.json_response([CUSTOMER], headers={"X-Request-Id": "req-123"})
        return web.json_response(CUSTOMER, headers={"X-Request-Id": "req-123"})


@pytest.fixture
async def echo() -> AsyncIterator[Echo]:
    server = Echo()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.url = f"http://127.0.0.1:{port}"
    yield server
    await runner.cleanup()


def client(echo: Echo, **kw: Any) -> revclient.AsyncRev23:
    kw.setdefault("rate_limit", None)
    kw.setdefault("retry", FAST_RETRY)
    return revclient.AsyncRev23(KEY, TENANT, base_url=echo.url, **kw)


# -- with_options --------------------------------------------------------------------------


async def test_with_options_applies_to_the_derived_client_only(echo: Echo) -> None:
    async with client(echo, headers={"X-App": "parent"}) as rev:
        derived = rev.with_options(headers={"X-Extra": "1"}, max_response_bytes=10)
        await rev.request("GET", "/plain")
        with pytest.raises(revclient.ResponseTooLargeError):
            await derived.request("GET", "/size/11")
        assert len((await derived.with_raw_response.request("GET", "/size/10")).content) == 10
        assert await rev.request("GET", "/plain") == CUSTOMER  # the parent keeps 64 MiB
        parent, child = echo.seen[0]["headers"], echo.seen[2]["headers"]
        assert parent["X-App"] == "parent" and "X-Extra" not in parent
        assert child["X-App"] == "parent" and child["X-Extra"] == "1"  # added, not replaced
        assert derived.options.max_response_bytes == 10
        assert rev.options.max_response_bytes == 64 * 1024 * 1024


async def test_with_options_timeout_and_retry(echo: Echo) -> None:
    async with client(echo) as rev:
        quick = rev.with_options(timeout=0.05, retry=revclient.RetryPolicy.none())
        with pytest.raises(revclient.RequestTimeoutError):
            await quick.request("GET", "/slow")
        assert len(echo.seen) == 1  # RetryPolicy.none(): no second attempt
        assert await rev.request("GET", "/slow") == CUSTOMER  # the parent's 30 s


async def test_with_options_shares_the_token_cache_and_the_budget(sandbox: Sandbox) -> None:
    async with revio(sandbox) as psa:
        derived = psa.with_options(timeout=5)
        await psa.contacts.get(1)
        await derived.contacts.get(2)
        assert psa.exchanges == 1 == derived.exchanges
        assert sandbox.stats.keys[sandbox.key_label(sandbox.revio_api_key)].exchanges == 1
        # One budget: the derived client's requests wait behind the parent's.
        await asyncio.gather(*(c.contacts.get(1) for c in [psa, derived] * LIMIT))
        assert sandbox.stats.statuses().count(429) == 0


async def test_closing_a_derived_client_leaves_the_parent_open(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as rev:
        async with rev.with_options(timeout=5) as derived:
            await derived.customers.get(1)
        assert (await rev.customers.get(2)).id == 2


@pytest.mark.parametrize("option", ["rate_limit", "backend", "allow_insecure", "bogus"])
async def test_with_options_refuses_what_would_change_the_key(echo: Echo, option: str) -> None:
    async with client(echo) as rev:
        with pytest.raises(revclient.ConfigurationError, match=option):
            rev.with_options(**{option: None})


def test_unknown_constructor_options_are_refused() -> None:
    with pytest.raises(revclient.ConfigurationError, match="bogus"):
        revclient.AsyncRev23(KEY, TENANT, bogus=1)  # type: ignore[call-arg]
    with pytest.raises(revclient.ConfigurationError, match="max_response_bytes"):
        revclient.AsyncRev23(KEY, TENANT, max_response_bytes=0)


# -- with_raw_response ---------------------------------------------------------------------


async def test_raw_response_of_a_typed_get(echo: Echo) -> None:
    async with client(echo) as rev:
        raw = await rev.with_raw_response.customers.get(7)
        assert isinstance(raw, revclient.APIResponse)
        assert raw.status == 200 and raw.headers["x-request-id"] == "req-123"
        assert raw.request_id == "req-123"
        assert raw.attempts == 1 and raw.elapsed > 0 and raw.rate_limit_wait == 0
        assert raw.json() == CUSTOMER
        assert raw.parse() == await rev.customers.get(7)
        raw_any = await rev.with_raw_response.request("GET", "/api/v2/customers/7")
        assert raw_any.parse() == CUSTOMER == raw_any.json()


async def test_raw_response_counts_retries_and_reauthentication(sandbox: Sandbox) -> None:
    async with revio(sandbox, retry=FAST_RETRY) as psa:
        sandbox.inject(503, path="/billing/api/v1/contacts/1", times=1)
        raw = await psa.with_raw_response.contacts.get(1)
        assert raw.attempts == 2 and raw.parse().contact_id == 1
        sandbox.expire_tokens()  # the next request meets a 401 with the cached JWT
        raw = await psa.with_raw_response.contacts.get(2)
        assert raw.attempts == 2 and raw.status == 200


async def test_raw_response_of_writes(sandbox: Sandbox) -> None:
    async with revio(sandbox) as psa:
        created = await psa.with_raw_response.opportunities.create(customer_id=2, name="Deal")
        assert created.status in (200, 201)
        opportunity = created.parse()
        assert opportunity.opportunity_id is not None
        deleted = await psa.with_raw_response.opportunities.delete(opportunity.opportunity_id)
        assert deleted.status in (200, 204) and deleted.parse() is None
        with pytest.raises(revclient.NotFoundError):
            await psa.with_raw_response.contacts.get(10**9)


async def test_raw_response_shows_the_wait_for_the_budget(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as rev:
        answers = await asyncio.gather(
            *(rev.with_raw_response.customers.get(1) for _ in range(LIMIT + 2))
        )
        assert max(a.rate_limit_wait for a in answers) > PERIOD / LIMIT / 2
        assert all(a.rate_limit_wait <= a.elapsed for a in answers)


async def test_every_page_carries_its_response(sandbox: Sandbox) -> None:
    async with rev23(sandbox) as rev:
        first = await rev.customers.list(page_size=100)
        assert first.response is not None and first.response.status == 200
        assert first.response.json() == first.raw
        pages = [page async for page in rev.customers.list(page_size=100).pages()]
        assert all(p.response is not None and p.response.attempts == 1 for p in pages)


# -- per-call options ----------------------------------------------------------------------


async def test_extra_headers_and_extra_query_reach_the_server(echo: Echo) -> None:
    async with client(echo) as rev:
        await rev.customers.get(
            7, params={"a": "1"}, extra_headers={"X-Trace": "t1"}, extra_query={"b": 2}
        )
        await rev.request("GET", "/x", extra_query={"c": True})
        async for _ in rev.customers.list(extra_headers={"X-Trace": "t2"}, page_size=5):
            break
    get, request, page = echo.seen
    assert get["headers"]["X-Trace"] == "t1" and get["query"] == {"a": "1", "b": "2"}
    assert request["query"] == {"c": "true"}
    assert page["headers"]["X-Trace"] == "t2" and page["query"]["pageSize"] == "5"
    assert get["headers"]["X-Api-Key"] == KEY  # still the client's own auth


@pytest.mark.parametrize("name", ["X-Api-Key", "x-tenant-name", "Authorization", "X-REVIO-HOST"])
async def test_auth_headers_cannot_be_overridden(echo: Echo, name: str) -> None:
    async with client(echo) as rev:
        with pytest.raises(revclient.ConfigurationError, match="auth headers"):
            await rev.customers.get(1, extra_headers={name: "other"})
        with pytest.raises(revclient.ConfigurationError, match="auth headers"):
            rev.with_options(headers={name: "other"})
    with pytest.raises(revclient.ConfigurationError, match="auth headers"):
        revclient.AsyncRev23(KEY, TENANT, headers={name: "other"})
    assert echo.seen == []


async def test_header_injection_is_refused_without_echoing_the_value(echo: Echo) -> None:
    async with client(echo) as rev:
        with pytest.raises(revclient.ConfigurationError) as info:
            await rev.request("GET", "/x", extra_headers={"X-Note": "secret\r\nX-Evil: 1"})
    assert "secret" not in str(info.value) and "X-Note" in str(info.value)
    assert echo.seen == []


async def test_per_call_timeout(echo: Echo) -> None:
    async with client(echo, retry=revclient.RetryPolicy.none()) as rev:
        with pytest.raises(revclient.RequestTimeoutError):
            await rev.request("GET", "/slow", timeout=0.05)
        assert await rev.request("GET", "/slow") == CUSTOMER
        assert await rev.request("GET", "/slow", timeout=None) == CUSTOMER


# -- bounded bodies ------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["size", "gzip", "chunked"])
async def test_max_response_bytes(echo: Echo, route: str) -> None:
    async with client(echo, max_response_bytes=5000) as rev:
        with pytest.raises(revclient.ResponseTooLargeError, match="max_response_bytes"):
            await rev.request("GET", f"/{route}/6000")
        if route != "size":  # not JSON: the point is only that it was read
            return
        with pytest.raises(revclient.ResponseDecodeError):  # not JSON, but read in full
            await rev.request("GET", "/size/5000")


async def test_a_body_at_the_limit_is_read(echo: Echo) -> None:
    async with client(echo, max_response_bytes=5000) as rev:
        for route in ("size", "gzip", "chunked"):
            raw = await rev.with_raw_response.request("GET", f"/{route}/5000")
            assert len(raw.content) == 5000


# -- the caller's own session ---------------------------------------------------------------


async def test_the_callers_session_is_used_and_never_closed(echo: Echo) -> None:
    async with aiohttp.ClientSession(headers={"X-From-Session": "mine"}) as session:
        async with revclient.SessionManager(session=session, rate_limit=None) as manager:
            rev = manager.rev23(KEY, TENANT, base_url=echo.url)
            assert await rev.request("GET", "/x") == CUSTOMER
        assert not session.closed
        async with revclient.AsyncRev23(
            KEY, TENANT, base_url=echo.url, session=session, rate_limit=None
        ) as rev:
            await rev.request("GET", "/y")
        assert not session.closed
        assert [s["headers"]["X-From-Session"] for s in echo.seen] == ["mine", "mine"]


async def test_redirects_are_not_followed_on_the_callers_session(echo: Echo) -> None:
    async with aiohttp.ClientSession() as session, client(echo, session=session) as rev:
        with pytest.raises(revclient.APIError) as info:
            await rev.request("GET", "/redirect")
    assert info.value.status == 302
    assert [s["path"] for s in echo.seen] == ["/redirect"]


async def test_sessions_revclient_cannot_use_are_refused(echo: Echo) -> None:
    async with aiohttp.ClientSession(base_url=echo.url) as session:
        with pytest.raises(revclient.ConfigurationError, match="base_url"):
            revclient.SessionManager(session=session)
    async with aiohttp.ClientSession() as session, revclient.SessionManager() as manager:
        with pytest.raises(revclient.ConfigurationError, match="SessionManager"):
            manager.rev23(KEY, TENANT, session=session)  # type: ignore[call-arg]


async def _drop_after_reading(counter: list[int]) -> tuple[asyncio.Server, str]:
    """A server that answers the first request on a connection, then reads the next one
    and closes without an answer: a keep-alive connection dropped under a request."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answered = False
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                counter.append(1)
                if not head or answered:
                    break
                body = json.dumps(CUSTOMER).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                await writer.drain()
                answered = True
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


async def test_one_attempt_is_one_request_on_the_wire() -> None:
    # A plain aiohttp session resends an idempotent request once when a reused connection
    # drops: below revclient's budget and retry policy. revclient's own and a caller's
    # session must not.
    for use_session in (False, True):
        counter: list[int] = []
        server, url = await _drop_after_reading(counter)
        async with server, aiohttp.ClientSession() as session:
            kw: dict[str, Any] = {"session": session} if use_session else {}
            rev = revclient.AsyncRev23(
                KEY, TENANT, base_url=url, retry=revclient.RetryPolicy.none(), **kw
            )
            async with rev:
                assert await rev.request("GET", "/a") == CUSTOMER
                with pytest.raises(revclient.TransportError):
                    await rev.request("GET", "/b")
        assert len(counter) == 2, use_session


async def test_a_plain_session_resends_so_the_test_above_can_fail() -> None:
    counter: list[int] = []
    server, url = await _drop_after_reading(counter)
    async with server, aiohttp.ClientSession() as session:
        async with session.get(url + "/a") as resp:
            await resp.read()
        async with session.get(url + "/b") as resp:  # resent on a new connection
            assert resp.status == 200
    assert len(counter) == 3  # the second request went out twice


# -- REVCLIENT_LOG -------------------------------------------------------------------------

_LOGGED = """
import asyncio, revclient
from revclient.testing import Sandbox

async def main():
    async with Sandbox() as sb:
        async with revclient.AsyncRevio(sb.revio_api_key, sb.revio_host, base_url=sb.url) as psa:
            await psa.contacts.get(1)
            print(sb.revio_api_key)
            print(psa._tokens.token.value)

asyncio.run(main())
"""


@pytest.mark.parametrize("level", ["debug", "info", ""])
def test_revclient_log_prints_to_stderr_without_secrets(level: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "REVCLIENT_LOG"}
    if level:
        env["REVCLIENT_LOG"] = level
    done = subprocess.run(
        [sys.executable, "-c", _LOGGED], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    key, jwt = done.stdout.split()
    lines = [line for line in done.stderr.splitlines() if " revclient " in line]
    assert key not in done.stderr and jwt not in done.stderr
    if level == "debug":
        assert any("/api/v1/auth/api-key/exchange -> 200" in line for line in lines)
        assert any("/billing/api/v1/contacts/1 -> 200" in line for line in lines)
    else:  # info: nothing went wrong, so nothing to say; unset: no handler at all
        assert lines == []


# -- the sync facade -------------------------------------------------------------------------


@pytest.fixture
def threaded_echo() -> Iterator[str]:
    """The echo server on its own loop in a thread (sync clients block the caller)."""
    ready: asyncio.Queue[str] = asyncio.Queue()
    loop = asyncio.new_event_loop()
    holder: dict[str, Any] = {}

    async def start() -> None:
        server = Echo()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", server.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        holder.update(runner=runner, url=f"http://127.0.0.1:{port}", server=server)

    import threading

    loop.run_until_complete(start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    del ready
    yield holder["url"]
    asyncio.run_coroutine_threadsafe(holder["runner"].cleanup(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def test_sync_conventions(threaded_echo: str) -> None:
    with revclient.sync.Rev23(KEY, TENANT, base_url=threaded_echo, rate_limit=None) as rev:
        derived = rev.with_options(headers={"X-Extra": "1"}, max_response_bytes=10)
        with pytest.raises(revclient.ResponseTooLargeError):
            derived.request("GET", "/size/11")
        raw = rev.with_raw_response.customers.get(7, extra_query={"q": "1"})
        assert raw.status == 200 and raw.request_id == "req-123" and raw.parse().id == 7
        raw_any = rev.with_raw_response.request("GET", "/x", extra_headers={"X-T": "1"})
        assert raw_any.parse() == CUSTOMER
        with pytest.raises(revclient.RequestTimeoutError):
            rev.request("GET", "/slow", timeout=0.05)
        page = rev.customers.list(page_size=5).first_page()
        assert page.response is not None and page.response.status == 200
        derived.close()  # a derived client never closes the parent's pool
        assert rev.customers.get(7).id == 7


def test_sync_shares_the_budget_and_token_cache_with_derived_clients() -> None:
    with Sandbox(rate_limit=(LIMIT, PERIOD)).run_in_thread() as sb:
        rate = revclient.RateLimit(LIMIT, PERIOD)
        with revclient.sync.Revio(
            sb.revio_api_key, sb.revio_host, base_url=sb.url, rate_limit=rate
        ) as psa:
            derived = psa.with_options(timeout=5)
            psa.contacts.get(1)
            derived.contacts.get(2)
            assert psa.exchanges == 1
