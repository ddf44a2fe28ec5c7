"""Pages and paginators: envelope detection, stop rules, bounded read-ahead, sync twin.

Neither API documents its list metadata, so a page body may be a bare array or an object
holding the items under ``data``, ``items``, ``records`` or ``results`` (possibly one level
under ``data``), next to an optional flag (``hasMore``), total (``totalCount``) or cursor
(``nextCursor``). Whether another page exists is decided, in this order, by the flag, the
cursor, the total, and finally a short or empty page.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs

from ._config import check_priority
from ._models import Model, structure_items
from ._options import NOT_GIVEN, NotGiven, Priority
from ._response import APIResponse
from .errors import ConfigurationError, PageLimitError, ResponseDecodeError

if TYPE_CHECKING:
    from ._portal import Portal
    from ._transport import Transport

__all__ = [
    "DEFAULT_MAX_PAGES",
    "AsyncPaginator",
    "Page",
    "SyncPaginator",
    "detect_envelope",
]

T = TypeVar("T", bound=Model)

#: The default page cap: a loop that goes past it raises :class:`PageLimitError`.
DEFAULT_MAX_PAGES = 10_000

_ITEM_KEYS = ("data", "items", "records", "results")
_NESTED_ITEM_KEYS = ("items", "records", "results", "data")
_FLAG_KEYS = ("hasMore", "has_more", "hasNext", "has_next")
_TOTAL_KEYS = ("totalCount", "total", "total_count", "record_count", "recordCount")
_CURSOR_KEYS = ("nextCursor", "next_cursor")


@attrs.define(slots=True)
class Page(Generic[T]):
    """One page of a list: ``items``, whether the server may have more (``has_next``), and
    the raw body. ``page`` is the page number (page-number lists), ``next_cursor`` the cursor
    of the following page (cursor lists, or lists that send one), ``total`` the item count
    the server reported, if it did, and ``response`` the :class:`~revclient.APIResponse` it
    came from (status, headers, request id, attempts, timings).

    Without metadata from the server ``has_next`` is a guess from the page length: a full
    page says "maybe", so the next page may turn out empty.
    """

    items: list[T]
    has_next: bool
    raw: Any = attrs.field(default=None, eq=False, repr=False)
    page: int | None = None
    next_cursor: str | None = None
    total: int | None = None
    response: APIResponse[Any] | None = attrs.field(default=None, eq=False, repr=False)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@attrs.define(slots=True)
class Envelope:
    """What :func:`detect_envelope` found in a list body (meta is ``None`` when absent)."""

    items: list[Any]
    path: str
    has_more: bool | None = None
    total: int | None = None
    has_cursor: bool = False
    cursor: str | None = None


def detect_envelope(body: Any) -> Envelope:
    """Find the items and the paging metadata in a list body of unknown shape.

    Raises :class:`ResponseDecodeError` when no list of items can be found.
    """
    if isinstance(body, list):
        return Envelope(body, "")
    if body is None:
        return Envelope([], "")
    if not isinstance(body, Mapping):
        raise ResponseDecodeError(
            f"expected a list page (an array or an object holding one), got {type(body).__name__}",
            body=body,
        )
    for key in _ITEM_KEYS:
        if key not in body:
            continue
        value = body[key]
        if isinstance(value, list):
            return _with_meta(Envelope(value, key), body)
        if key == "data" and isinstance(value, Mapping):
            for inner in _NESTED_ITEM_KEYS:
                nested = value.get(inner)
                if isinstance(nested, list):
                    # Metadata may sit next to the items or next to "data"; inner wins.
                    return _with_meta(_with_meta(Envelope(nested, f"data.{inner}"), body), value)
            if not value:
                return _with_meta(Envelope([], "data"), body)
        elif value is None:
            return _with_meta(Envelope([], key), body)
        else:
            raise ResponseDecodeError(
                f"expected an array of items under {key!r}, got {type(value).__name__}",
                body=body,
                path=key,
            )
    raise ResponseDecodeError(
        "no list of items found in the body (looked for data, items, records, results)",
        body=body,
    )


def _with_meta(env: Envelope, meta: Mapping[str, Any]) -> Envelope:
    # Metadata of unexpected types is ignored rather than fatal: the short-page rule remains.
    for key in _FLAG_KEYS:
        value = meta.get(key)
        if isinstance(value, bool):
            env.has_more = value
            break
    for key in _TOTAL_KEYS:
        value = meta.get(key)
        if type(value) is int and value >= 0:
            env.total = value
            break
    for key in _CURSOR_KEYS:
        if key in meta:
            value = meta[key]
            if value is None or value == "":
                env.has_cursor, env.cursor = True, None
                break
            if isinstance(value, str) or (type(value) is int):
                env.has_cursor, env.cursor = True, str(value)
                break
    return env


def _page_limit(max_pages: int, method: str, path: str) -> PageLimitError:
    return PageLimitError(
        f"{method} {path}: stopped after max_pages={max_pages} pages while the server still "
        "reported more; pass a larger max_pages= if the data set really is that large"
    )


class AsyncPaginator(Generic[T]):
    """The result of a generated ``list()`` call; nothing is requested until it is used.

    * ``await paginator`` gives the first :class:`Page`;
    * ``async for item in paginator`` gives every item of every page, in order;
    * ``async for page in paginator.pages()`` gives the pages.

    Page-number lists fetch up to ``concurrency`` pages at a time (items still come out in
    order); the client's rate limiter stays the only throttle.
    """

    __slots__ = (
        "_concurrency",
        "_cursor_param",
        "_item",
        "_max_pages",
        "_method",
        "_options",
        "_page_param",
        "_page_size",
        "_params",
        "_path",
        "_service",
        "_size_param",
        "_style",
        "_transport",
    )

    def __init__(
        self,
        transport: Transport,
        path: str,
        item: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        style: Literal["page", "cursor"] = "page",
        page_param: str = "page",
        size_param: str | None = "pageSize",
        cursor_param: str = "nextCursor",
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        service: str | None = None,
        method: str = "GET",
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
        op: str | None = None,
        template: str | None = None,
    ) -> None:
        for name, value in (("concurrency", concurrency), ("max_pages", max_pages)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigurationError(f"{name} must be an integer >= 1, got {value!r}")
        if page_size is not None and (
            isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1
        ):
            raise ConfigurationError(f"page_size must be an integer >= 1, got {page_size!r}")
        if style not in ("page", "cursor"):
            raise ConfigurationError(f"style must be 'page' or 'cursor', got {style!r}")
        self._transport = transport
        self._path = path
        self._item = item
        self._params = {k: v for k, v in (params or {}).items() if v is not None}
        self._style = style
        self._page_param = page_param
        self._size_param = size_param
        self._cursor_param = cursor_param
        self._page_size = page_size
        self._concurrency = concurrency
        self._max_pages = max_pages
        self._service = service
        self._method = method
        # Per-call options, for every page's request.
        self._options: dict[str, Any] = {}
        if extra_headers:
            self._options["extra_headers"] = extra_headers
        if extra_query:
            self._options["extra_query"] = extra_query
        if timeout is not NOT_GIVEN:
            self._options["timeout"] = timeout
        if priority is not NOT_GIVEN:
            self._options["priority"] = check_priority(priority)
        if op is not None:  # names the page requests in telemetry
            self._options.update(op=op, template=template)

    def __repr__(self) -> str:
        return f"<AsyncPaginator {self._method} {self._path} -> {self._item.__name__}>"

    @property
    def item_type(self) -> type[T]:
        """The model class every item is structured into."""
        return self._item

    @property
    def resource(self) -> str:
        """The resource listed (``customers``): the generated method's, else the path's end."""
        op = self._options.get("op")
        if isinstance(op, str) and "." in op:
            return op.rpartition(".")[0]
        return self._path.rstrip("/").rpartition("/")[2] or "records"

    def describe(self) -> dict[str, Any]:
        """What this paginator lists, as plain data: the tenant (REV23) or host (Rev.io),
        method, path, query parameters, page size and style (a checkpoint compares it
        before continuing; no secret in it)."""
        transport = self._transport
        return {
            "tenant": getattr(transport, "tenant", None) or getattr(transport, "host", None),
            "method": self._method,
            "path": self._path,
            "params": {k: str(v) for k, v in sorted(self._params.items())},
            "page_size": self._page_size,
            "style": self._style,
        }

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self.first_page().__await__()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def first_page(self) -> Page[T]:
        """Fetch and return the first page only."""
        if self._style == "cursor":
            return self._cursor_page(await self._fetch(None), 1, set())
        return self._number_page(await self._fetch(1), 1, 0, None)

    def pages(
        self, *, start: int | str | None = None, offset: int = 0
    ) -> AsyncGenerator[Page[T], None]:
        """Iterate page by page (an async generator: ``aclose()`` it if you stop early).

        ``start`` continues an earlier iteration: the page number to begin with (page-number
        lists) or the cursor (``page.next_cursor`` of the last page read, cursor lists);
        ``offset`` is how many items came before it (checked against a reported total).
        """
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise ConfigurationError(f"offset must be an integer >= 0, got {offset!r}")
        if self._style == "cursor":
            if start is not None and not isinstance(start, str):
                raise ConfigurationError(f"a cursor list starts at a cursor, got {start!r}")
            return self._cursor_pages(start)
        if start is not None and (
            isinstance(start, bool) or not isinstance(start, int) or start < 1
        ):
            raise ConfigurationError(f"start must be a page number >= 1, got {start!r}")
        return self._number_pages(start or 1, offset)

    async def _items(self) -> AsyncGenerator[T, None]:
        pages = self.pages()
        try:
            async for page in pages:
                for item in page.items:
                    yield item
        finally:
            await pages.aclose()

    # ------------------------------------------------------------- requests

    def _request_params(self, page: int | None, cursor: str | None = None) -> dict[str, Any]:
        params = dict(self._params)
        if page is not None:
            params[self._page_param] = page
        if cursor is not None:
            params[self._cursor_param] = cursor
        if self._size_param is not None and self._page_size is not None:
            params[self._size_param] = self._page_size
        return params

    async def _fetch(self, page: int | None, cursor: str | None = None) -> APIResponse[Any]:
        return await self._transport._call(  # page.response.parse(): the decoded body
            self._method,
            self._path,
            _answer,
            params=self._request_params(page, cursor),
            service=self._service,
            **self._options,
        )

    # ------------------------------------------------------------- page-number lists

    def _number_page(
        self, response: APIResponse[Any], number: int, seen: int, threshold: int | None
    ) -> Page[T]:
        """Build page ``number``; ``seen`` items came before it, ``threshold`` is the learned
        server page size (``None`` on the first page)."""
        body = response.json()
        env = detect_envelope(body)
        items = structure_items(self._item, env.items, env.path)
        n = len(items)
        if n == 0:
            has_next = False
        elif env.has_more is not None:
            has_next = env.has_more
        elif env.has_cursor:
            has_next = env.cursor is not None
        elif env.total is not None:
            has_next = seen + n < env.total
        elif threshold is None:
            # First page and no metadata: a page shorter than requested may be the end, or
            # the server's own (smaller) page size. Only asking for page 2 tells them apart.
            has_next = True
        else:
            has_next = n >= threshold
        return Page(items, has_next, body, number, env.cursor, env.total, response)

    async def _number_pages(self, start: int, offset: int) -> AsyncGenerator[Page[T], None]:
        first = self._number_page(await self._fetch(start), start, offset, None)
        yield first
        if not first.has_next:
            return
        # The server's page size, learned from the first page (it may ignore ours).
        threshold = len(first.items)
        seen = offset + threshold
        # With a total, no page past the last one is ever requested.
        last = self._max_pages
        if first.total is not None and threshold:
            last = min(last, -(-first.total // threshold))
        pending: dict[int, asyncio.Future[APIResponse[Any]]] = {}
        scheduled = start
        number = start + 1
        try:
            while True:
                if number > self._max_pages:
                    raise _page_limit(self._max_pages, self._method, self._path)
                while len(pending) < self._concurrency and scheduled < last:
                    scheduled += 1
                    pending[scheduled] = asyncio.ensure_future(self._fetch(scheduled))
                task = pending.pop(number, None)
                response = await task if task is not None else await self._fetch(number)
                page = self._number_page(response, number, seen, threshold)
                if page.items:
                    yield page
                if not page.has_next:
                    return
                seen += len(page.items)
                number += 1
        finally:
            for task in pending.values():
                task.cancel()
            if pending:
                # Retrieve outcomes (a 404 past the end, a cancellation) so none is logged.
                await asyncio.gather(*pending.values(), return_exceptions=True)

    # ------------------------------------------------------------- cursor lists

    def _cursor_page(self, response: APIResponse[Any], number: int, used: set[str]) -> Page[T]:
        body = response.json()
        env = detect_envelope(body)
        items = structure_items(self._item, env.items, env.path)
        cursor = env.cursor
        # No cursor, a cursor seen before (a loop), or an explicit "no more": stop.
        has_next = cursor is not None and cursor not in used and env.has_more is not False
        return Page(items, has_next, body, number, cursor, env.total, response)

    async def _cursor_pages(self, cursor: str | None) -> AsyncGenerator[Page[T], None]:
        used: set[str] = set() if cursor is None else {cursor}
        number = 1
        while True:
            page = self._cursor_page(await self._fetch(None, cursor), number, used)
            yield page
            if not page.has_next:
                return
            if number >= self._max_pages:
                raise _page_limit(self._max_pages, self._method, self._path)
            cursor = page.next_cursor
            assert cursor is not None  # has_next implies a cursor
            used.add(cursor)
            number += 1


def _answer(response: APIResponse[Any]) -> APIResponse[Any]:
    response._cast = APIResponse.json
    return response


_DONE = object()


async def _next_page(pages: AsyncGenerator[Any, None]) -> Any:
    # StopAsyncIteration must not cross the portal: a sentinel marks the end instead.
    try:
        return await pages.__anext__()
    except StopAsyncIteration:
        return _DONE


async def _aclose(pages: AsyncGenerator[Any, None]) -> None:
    await pages.aclose()


class SyncPaginator(Generic[T]):
    """Blocking twin of :class:`AsyncPaginator`: one portal call per page, never per item.

    ``for item in paginator`` gives every item; ``paginator.pages()`` the pages;
    ``paginator.first_page()`` the first page. Leaving a loop early closes the underlying
    async iteration (and cancels any read-ahead).
    """

    __slots__ = ("_paginator", "_portal")

    def __init__(self, portal: Portal, paginator: AsyncPaginator[T]) -> None:
        self._portal = portal
        self._paginator = paginator

    def __repr__(self) -> str:
        return f"<SyncPaginator of {self._paginator!r}>"

    def first_page(self) -> Page[T]:
        """Fetch and return the first page only."""
        return self._portal.call(self._paginator.first_page)

    def pages(self) -> Generator[Page[T], None, None]:
        """Iterate page by page."""
        pages = self._paginator.pages()
        finished = False
        try:
            while True:
                page = self._portal.call(_next_page, pages)
                if page is _DONE:
                    finished = True
                    return
                yield page
        finally:
            if not finished:
                # The portal may already be gone when a generator is collected late.
                with contextlib.suppress(RuntimeError):
                    self._portal.call(_aclose, pages)

    def __iter__(self) -> Iterator[T]:
        pages = self.pages()
        try:
            for page in pages:
                yield from page.items
        finally:
            pages.close()
