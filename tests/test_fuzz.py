"""Hostile input: arbitrary ids, params, tenants and hosts never redirect or inject.

An echo server on 127.0.0.1 reports exactly what arrived, so each generated input is
checked end to end over real HTTP: either the server sees the value verbatim where it
belongs, or the client refused it with ``ConfigurationError`` before sending anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revclient
from revclient._transport import encode_path

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Echo:
    """An aiohttp server answering every request with what it received."""

    def __init__(self) -> None:
        self.url = ""
        self.loop = asyncio.new_event_loop()
        self._runner: web.ServerRunner | None = None

    async def _handler(self, request: web.BaseRequest) -> web.Response:
        return web.json_response(
            {
                "raw_path": request.raw_path,
                "path": request.path,
                "query": [[k, v] for k, v in request.query.items()],
                "headers": {k: v for k, v in request.headers.items()},
            }
        )

    async def start(self) -> None:
        # The low-level server: no router that could refuse an odd path before we see it.
        self._runner = web.ServerRunner(web.Server(self._handler), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture(scope="module")
def echo() -> Iterator[tuple[Echo, asyncio.AbstractEventLoop]]:
    # One loop and one server for the whole module: hypothesis runs hundreds of examples.
    server = Echo()
    loop = server.loop
    loop.run_until_complete(server.start())
    yield server, loop
    loop.run_until_complete(server.stop())
    loop.close()


@pytest.fixture(scope="module")
def client(echo: tuple[Echo, asyncio.AbstractEventLoop]) -> Iterator[revclient.AsyncRev23]:
    server, loop = echo
    rev = revclient.AsyncRev23(
        "ca_0123456789abcdefghij",
        "studio",
        base_url=server.url,
        rate_limit=None,
        retry=revclient.RetryPolicy.none(),
    )
    yield rev
    loop.run_until_complete(rev.aclose())


def _run(echo: tuple[Echo, asyncio.AbstractEventLoop], coro: Any) -> Any:
    return echo[1].run_until_complete(coro)


@SETTINGS
@given(value=st.one_of(st.text(max_size=40), st.integers()))
def test_any_id_stays_one_path_segment(
    echo: tuple[Echo, asyncio.AbstractEventLoop], client: revclient.AsyncRev23, value: Any
) -> None:
    try:
        path = encode_path("/api/v2/customers/{}", value)
    except revclient.ConfigurationError:
        assert value in ("", ".", "..")
        return
    got = _run(echo, client._call("GET", path, revclient.APIResponse.json))
    assert got["raw_path"].startswith("/api/v2/customers/")
    segment = got["raw_path"][len("/api/v2/customers/") :]
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert got["path"] == f"/api/v2/customers/{value}"  # decoded back exactly
    assert got["query"] == []


@SETTINGS
@given(
    params=st.dictionaries(
        st.text(min_size=1, max_size=10),
        st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.none()),
        max_size=4,
    )
)
def test_any_query_parameters_arrive_verbatim(
    echo: tuple[Echo, asyncio.AbstractEventLoop],
    client: revclient.AsyncRev23,
    params: dict[str, Any],
) -> None:
    got = _run(echo, client.request("GET", "/api/v2/customers", params=params))
    assert got["path"] == "/api/v2/customers"
    expected = {
        k: ("true" if v else "false") if isinstance(v, bool) else str(v)
        for k, v in params.items()
        if v is not None
    }
    assert dict(got["query"]) == expected
    assert "Injected" not in got["headers"]


@SETTINGS
@given(tenant=st.text(max_size=30), host=st.text(max_size=30), key=st.text(max_size=30))
def test_any_tenant_host_or_key_is_sent_verbatim_or_refused(
    echo: tuple[Echo, asyncio.AbstractEventLoop], tenant: str, host: str, key: str
) -> None:
    server, _ = echo
    for make in (
        lambda: revclient.AsyncRev23(key, tenant, base_url=server.url, rate_limit=None),
        lambda: revclient.AsyncRevio(key, host, base_url=server.url, rate_limit=None),
    ):
        try:
            rev = make()
        except revclient.ConfigurationError as exc:
            if len(key) > 3 and key not in tenant and key not in host:
                assert key not in str(exc)
            continue
        assert all(0x21 <= ord(c) <= 0x7E for c in key)
        if isinstance(rev, revclient.AsyncRev23):
            assert rev.tenant == tenant
            got = _run(echo, _get_and_close(rev))
            assert got["headers"]["X-Tenant-Name"] == tenant
            assert got["headers"]["X-Api-Key"] == key
        else:
            assert rev.host == host
            assert "\n" not in host and "\r" not in host and " " not in host
            _run(echo, rev.aclose())


async def _get_and_close(rev: revclient.AsyncRev23) -> Any:
    try:
        return await rev.request("GET", "/api/v2/customers/1")
    finally:
        await rev.aclose()
