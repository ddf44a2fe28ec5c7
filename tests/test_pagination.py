"""Pagination: envelope detection, stop rules, read-ahead, the sync twin, and fuzzing."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
from helpers import answer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import revclient
from revclient._pagination import AsyncPaginator, Page, SyncPaginator, detect_envelope
from revclient.errors import PageLimitError, ResponseDecodeError
from revclient.rev23 import Customer
from revclient.revio import Ticket
from revclient.testing import ENVELOPES, METAS, Sandbox

# ---------------------------------------------------------------------- canned server


class FakeServer:
    """A Transport serving ``n`` customers page by page in a chosen shape (no HTTP)."""

    def __init__(
        self,
        n: int,
        *,
        envelope: str = "data",
        meta: str = "none",
        server_size: int | None = None,
        default_size: int = 10,
        delays: bool = False,
    ) -> None:
        self.records = [{"id": i, "firstName": f"c{i}"} for i in range(1, n + 1)]
        self.envelope, self.meta = envelope, meta
        self.server_size, self.default_size = server_size, default_size
        self.delays = delays
        self.calls: list[dict[str, Any]] = []
        self.in_flight = self.max_in_flight = 0

    async def _call(
        self,
        method: str,
        path: str,
        cast: Callable[[revclient.APIResponse[Any]], Any],
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        service: str | None = None,
        **options: Any,
    ) -> Any:
        params = dict(params or {})
        self.calls.append(params)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delays:
                # Out-of-order completion: later pages often finish first.
                await asyncio.sleep(random.random() * 0.003)
            return cast(answer(self._page(params)))
        finally:
            self.in_flight -= 1

    def _page(self, params: dict[str, Any]) -> Any:
        size = self.server_size or params.get("pageSize", self.default_size)
        if "nextCursor" in params:
            start = int(params["nextCursor"])
        else:
            start = (params.get("page", 1) - 1) * size
        chunk = self.records[start : start + size]
        more = start + size < len(self.records)
        if self.envelope == "bare":
            return chunk
        key = "items" if self.envelope == "data.items" else self.envelope
        body: dict[str, Any] = {key: chunk}
        if self.meta == "flag":
            body["has_more"] = more
        elif self.meta == "total":
            body["record_count"] = len(self.records)
        elif self.meta == "cursor":
            body["next_cursor"] = str(start + size) if more else None
        return {"data": body} if self.envelope == "data.items" else body


def paginator(server: Any, **kw: Any) -> AsyncPaginator[Customer]:
    return AsyncPaginator(server, "/api/v2/customers", Customer, **kw)


async def ids(pag: AsyncPaginator[Customer]) -> list[Any]:
    return [c.id async for c in pag]


# ---------------------------------------------------------------------- envelopes


@pytest.mark.parametrize(
    ("body", "path", "meta"),
    [
        ([{"id": 1}], "", (None, None, False, None)),
        ({"data": [{"id": 1}], "hasMore": True}, "data", (True, None, False, None)),
        ({"items": [{"id": 1}], "totalCount": 9}, "items", (None, 9, False, None)),
        ({"records": [{"id": 1}], "record_count": 3}, "records", (None, 3, False, None)),
        ({"results": [{"id": 1}], "nextCursor": "abc"}, "results", (None, None, True, "abc")),
        (
            {"data": {"items": [{"id": 1}], "has_more": False}},
            "data.items",
            (False, None, False, None),
        ),
        ({"data": {"records": [{"id": 1}]}, "total": 4}, "data.records", (None, 4, False, None)),
        ({"data": [{"id": 1}], "next_cursor": None}, "data", (None, None, True, None)),
    ],
)
def test_detect_envelope(body: Any, path: str, meta: tuple[Any, ...]) -> None:
    env = detect_envelope(body)
    assert env.items == [{"id": 1}]
    assert env.path == path
    assert (env.has_more, env.total, env.has_cursor, env.cursor) == meta


@pytest.mark.parametrize("body", [None, {"data": None}, {"data": {}}, [], {"items": []}])
def test_empty_bodies_are_empty_pages(body: Any) -> None:
    assert detect_envelope(body).items == []


@pytest.mark.parametrize("body", ["text", 3, {"foo": []}, {"data": "x"}, {"items": {"a": 1}}])
def test_undetectable_bodies_raise_decode_error(body: Any) -> None:
    with pytest.raises(ResponseDecodeError):
        detect_envelope(body)


async def test_item_errors_name_the_item_and_field() -> None:
    class Bad(FakeServer):
        def _page(self, params: dict[str, Any]) -> Any:
            return {"data": [{"id": 1}, {"id": 2}, {"id": 3}, {"id": {"x": 1}}]}

    with pytest.raises(ResponseDecodeError) as info:
        await paginator(Bad(0))
    assert info.value.path == "data[3].id"


# ---------------------------------------------------------------------- stop rules


@pytest.mark.parametrize("envelope", ENVELOPES)
@pytest.mark.parametrize("meta", METAS)
@pytest.mark.parametrize("n", [0, 1, 10, 23, 30])
async def test_canned_matrix(envelope: str, meta: str, n: int) -> None:
    server = FakeServer(n, envelope=envelope, meta=meta)
    assert await ids(paginator(server, page_size=10)) == list(range(1, n + 1))
    # Metadata means no request past the end. Without it (a bare array has none) a full
    # last page costs one empty page, and a short first page one probe.
    pages = -(-n // 10) or 1
    extra = 0
    if meta == "none" or envelope == "bare":
        extra = 1 if n and (n % 10 == 0 or n < 10) else 0
    assert len(server.calls) == pages + extra


@pytest.mark.parametrize("meta", METAS)
@pytest.mark.parametrize("server_size", [3, 7, 25])
async def test_server_ignoring_page_size(meta: str, server_size: int) -> None:
    server = FakeServer(52, meta=meta, server_size=server_size)
    assert await ids(paginator(server, page_size=10)) == list(range(1, 53))


async def test_short_first_page_without_metadata_costs_one_probe() -> None:
    server = FakeServer(4)
    assert await ids(paginator(server, page_size=10)) == [1, 2, 3, 4]
    assert [c["page"] for c in server.calls] == [1, 2]


async def test_page_size_omitted_learns_server_default() -> None:
    server = FakeServer(25, default_size=10)
    assert await ids(paginator(server)) == list(range(1, 26))
    assert all("pageSize" not in c for c in server.calls)


async def test_first_page_and_pages() -> None:
    server = FakeServer(25, meta="total")
    first = await paginator(server, page_size=10)
    assert isinstance(first, Page)
    assert [c.id for c in first] == list(range(1, 11))
    assert first.has_next and first.page == 1 and first.total == 25 and len(first) == 10
    assert first.raw["record_count"] == 25
    pages = [p async for p in paginator(server, page_size=10).pages()]
    assert [p.page for p in pages] == [1, 2, 3]
    assert [p.has_next for p in pages] == [True, True, False]


async def test_filters_and_extra_params_are_sent() -> None:
    server = FakeServer(3)
    await paginator(server, params={"status": "active", "skip": None}, page_size=5)
    assert server.calls[0] == {"status": "active", "page": 1, "pageSize": 5}


async def test_endless_flag_hits_page_cap() -> None:
    class Endless(FakeServer):
        def _page(self, params: dict[str, Any]) -> Any:
            return {"data": [{"id": params["page"]}], "hasMore": True}

    with pytest.raises(PageLimitError, match="max_pages=5"):
        await ids(paginator(Endless(0), max_pages=5))


async def test_endless_cursor_hits_page_cap() -> None:
    class Endless(FakeServer):
        def _page(self, params: dict[str, Any]) -> Any:
            n = int(params.get("nextCursor", 0)) + 1
            return {"data": [{"id": n}], "nextCursor": str(n)}

    pag = paginator(Endless(0), style="cursor", max_pages=4)
    with pytest.raises(PageLimitError):
        await ids(pag)


async def test_repeated_cursor_stops() -> None:
    class Loop(FakeServer):
        def _page(self, params: dict[str, Any]) -> Any:
            # None -> "a" -> "b" -> "a" again: a loop the client must not follow.
            here = params.get("nextCursor")
            n, nxt = {None: (1, "a"), "a": (2, "b"), "b": (3, "a")}[here]
            return {"data": [{"id": n}], "nextCursor": nxt}

    server = Loop(0)
    assert await ids(paginator(server, style="cursor")) == [1, 2, 3]
    assert len(server.calls) == 3


@pytest.mark.parametrize("envelope", ["bare", "data", "data.items"])
async def test_cursor_strategy(envelope: str) -> None:
    server = FakeServer(23, envelope=envelope, meta="cursor")
    pag = paginator(server, style="cursor", cursor_param="nextCursor", page_size=5)
    if envelope == "bare":
        # A bare array carries no cursor: a cursor list then has exactly one page.
        assert await ids(pag) == [1, 2, 3, 4, 5]
    else:
        assert await ids(pag) == list(range(1, 24))
        assert len(server.calls) == 5


@pytest.mark.parametrize("bad", [0, -1, True, "2"])
def test_bad_arguments(bad: Any) -> None:
    with pytest.raises(revclient.ConfigurationError):
        paginator(FakeServer(0), concurrency=bad)
    with pytest.raises(revclient.ConfigurationError):
        paginator(FakeServer(0), page_size=bad)


# ---------------------------------------------------------------------- read-ahead


@pytest.mark.parametrize("meta", METAS)
@pytest.mark.parametrize("concurrency", [2, 5, 16])
async def test_read_ahead_in_order_and_bounded(meta: str, concurrency: int) -> None:
    random.seed(concurrency)
    server = FakeServer(203, meta=meta, delays=True)
    got = await ids(paginator(server, page_size=10, concurrency=concurrency))
    assert got == list(range(1, 204))
    assert server.max_in_flight <= concurrency
    last_page = 21
    past = [c for c in server.calls if c["page"] > last_page]
    assert len(past) <= concurrency
    if meta == "total":
        assert not past  # the total bounds the read-ahead exactly


async def test_leaving_early_cancels_read_ahead() -> None:
    server = FakeServer(500, delays=True)
    pag = paginator(server, page_size=10, concurrency=4)
    got = []
    items = aiter(pag)
    async for c in items:
        got.append(c.id)
        if len(got) == 25:
            break
    await items.aclose()  # type: ignore[attr-defined]
    assert got == list(range(1, 26))
    await asyncio.sleep(0.01)
    assert server.in_flight == 0
    assert len(server.calls) <= 3 + 4


# ---------------------------------------------------------------------- sync twin


def test_sync_paginator_one_portal_call_per_page() -> None:
    server = FakeServer(45, meta="flag")
    with start_blocking_portal() as portal:
        calls = 0
        real_call = portal.call

        def counting_call(*args: Any) -> Any:
            nonlocal calls
            calls += 1
            return real_call(*args)

        portal.call = counting_call  # type: ignore[method-assign, assignment]
        sync = SyncPaginator(portal, paginator(server, page_size=10))
        assert [c.id for c in sync] == list(range(1, 46))
        assert calls == 5 + 1  # five pages, then the end-of-iteration call
        assert sync.first_page().items[0].id == 1
        assert [len(p.items) for p in sync.pages()] == [10, 10, 10, 10, 5]


def test_sync_paginator_early_exit_closes_async_generator() -> None:
    server = FakeServer(500, delays=True)
    closed: list[bool] = []

    class Tracking(AsyncPaginator[Customer]):
        async def pages(self) -> AsyncGenerator[Page[Customer], None]:
            gen = super().pages()
            try:
                async for page in gen:
                    yield page
            finally:
                await gen.aclose()
                closed.append(True)

    with start_blocking_portal() as portal:
        pag = Tracking(server, "/api/v2/customers", Customer, page_size=10, concurrency=3)
        for c in SyncPaginator(portal, pag):
            if c.id == 15:
                break
        assert closed == [True]
        assert portal.call(_in_flight, server) == 0
    assert len(server.calls) <= 2 + 3


async def _in_flight(server: FakeServer) -> int:
    await asyncio.sleep(0.01)
    return server.in_flight


# ---------------------------------------------------------------------- fuzzing

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "firstName", "createdAt", "birthdate", "data", "items", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
_customer = st.fixed_dictionaries(
    {},
    optional={
        "id": _json,
        "firstName": _json,
        "createdAt": _json | st.sampled_from(["2024-01-02T03:04:05Z", "2024-01-02"]),
        "birthdate": _json | st.sampled_from(["1990-05-06", "1990-05-06T00:00:00"]),
        "extraField": _json,
    },
)
_page_body = st.one_of(
    _json,
    st.lists(_customer | _json, max_size=4),
    st.builds(
        lambda key, items: {key: items},
        st.sampled_from(["data", "items", "records", "results"]),
        st.lists(_customer, max_size=4),
    ),
    st.dictionaries(
        st.sampled_from(["data", "items", "records", "results", "hasMore", "total", "nextCursor"]),
        st.lists(_customer | _json, max_size=3) | _json,
        max_size=4,
    ),
    st.builds(lambda inner: {"data": inner}, st.dictionaries(
        st.sampled_from(["items", "records", "results", "has_more", "totalCount", "next_cursor"]),
        st.lists(_customer, max_size=3) | _json,
        max_size=3,
    )),
)  # fmt: skip


class OneBody:
    def __init__(self, body: Any) -> None:
        self.body = body

    async def _call(self, method: str, path: str, cast: Any, **kw: Any) -> Any:
        return cast(answer(self.body))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_page_body)
def test_fuzz_list_bodies(body: Any) -> None:
    async def run() -> Any:
        return await paginator(OneBody(body), style="cursor")

    try:
        page = asyncio.run(run())
    except ResponseDecodeError:
        return
    assert isinstance(page, Page)
    assert all(isinstance(c, Customer) for c in page.items)
    for c in page.items:
        json.dumps(c.to_dict(), default=str)


@settings(max_examples=300, deadline=None)
@given(body=_customer | _json)
def test_fuzz_model_bodies(body: Any) -> None:
    try:
        model = Customer.from_dict(body)
    except ResponseDecodeError as exc:
        assert exc.path is None or isinstance(exc.path, str)
        return
    assert model.raw is body
    assert set(model.extra) == set(body) - {f for f in body if f in ("id", "firstName",
        "createdAt", "birthdate")}  # fmt: skip


# ---------------------------------------------------------------------- against the sandbox


def _client(sb: Sandbox, api: str) -> Any:
    if api == "rev23":
        return revclient.AsyncRev23(
            api_key=sb.rev23_api_key, tenant=sb.rev23_tenant, base_url=sb.url, rate_limit=None
        )
    return revclient.AsyncRevio(
        api_key=sb.revio_api_key, host=sb.revio_host, base_url=sb.url, rate_limit=None
    )


@pytest.mark.parametrize("envelope", ENVELOPES)
@pytest.mark.parametrize("meta", METAS)
async def test_sandbox_matrix(envelope: str, meta: str) -> None:
    n = 57
    records = {"rev23_customers": n, "tickets": n}
    # max_page_size=7: the second pass asks for 10 and the server answers 7 per page.
    for cap in (None, 7):
        async with Sandbox(
            rate_limit=None, records=records, list_shape=(envelope, meta), max_page_size=cap
        ) as sb:
            async with _client(sb, "rev23") as rev:
                got = [c.id async for c in rev.customers.list(page_size=10)]
                assert got == list(range(1, n + 1)), (envelope, meta, cap)
                got = [c.id async for c in rev.customers.list(page_size=10, concurrency=3)]
                assert got == list(range(1, n + 1)), (envelope, meta, cap)
            async with _client(sb, "revio") as psa:
                rows = [t async for t in psa.tickets.list(page_size=10)]
                assert [t.ticket_id for t in rows] == list(range(1, n + 1))
                assert all(isinstance(t, Ticket) for t in rows)


@pytest.mark.parametrize("shape", [None, ("data", "none"), ("bare", "none")])
async def test_ten_thousand_records_with_read_ahead(shape: tuple[str, str] | None) -> None:
    n, size, concurrency = 10_000, 100, 8
    async with Sandbox(
        rate_limit=None, records={"rev23_customers": n}, latency=0.002, list_shape=shape
    ) as sb:
        async with _client(sb, "rev23") as rev:
            got = [c.id async for c in rev.customers.list(page_size=size, concurrency=concurrency)]
        assert got == list(range(1, n + 1))
        requests = [r for r in sb.stats.log if r.path == "/api/v2/customers"]
        pages = n // size
        assert pages <= len(requests) <= pages + concurrency
        if shape is None:
            # The native REV23 shape reports totalCount: nothing past the last page.
            assert len(requests) == pages
