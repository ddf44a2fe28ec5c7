"""Pagination of the sandbox's lists: page numbers or cursors, in any list shape."""

from __future__ import annotations

import base64
from typing import Any

from aiohttp import web

from ._knobs import Api
from ._responses import error, json_response

__all__ = ["ENVELOPES", "FEED_SHAPE", "METAS", "ListShape", "int_param", "page"]

ListShape = tuple[str, str]

#: Where a page-number list puts its items (``"bare"`` is a top-level JSON array).
ENVELOPES = ("bare", "data", "items", "records", "results", "data.items")
#: What a page-number list says about further pages, next to the items.
METAS = ("flag", "total", "cursor", "none")
#: The shape of a cursor-only feed: ``{"data": [...], "nextCursor": ...}``.
FEED_SHAPE: ListShape = ("data", "cursor")


def int_param(request: web.Request, name: str, default: int) -> int:
    """A positive integer query parameter (``default`` when absent or empty), else 400."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise web.HTTPBadRequest(reason=f"Invalid {name}: must be a positive integer")
    return value


def _encode_cursor(offset: int, size: int) -> str:
    return "c1." + base64.urlsafe_b64encode(f"{offset}:{size}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[int, int]:
    if not cursor.startswith("c1."):
        raise ValueError(cursor)
    raw = cursor[3:]
    text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    offset, size = (int(part) for part in text.split(":"))
    if offset < 0 or size < 1:
        raise ValueError(cursor)
    return offset, size


def _clamp(size: int, max_size: int | None, cap: int | None) -> int:
    size = min(size, max_size) if max_size else size
    return min(size, cap) if cap else size


def page(
    request: web.Request,
    rows: list[dict[str, Any]],
    api: Api,
    default_size: int,
    max_size: int | None,
    cap: int | None,
    shape: ListShape | None,
    *,
    feed: bool = False,
) -> web.Response:
    """The page of ``rows`` the query asks for, in ``shape`` (``None``: the API's own).

    The size is ``pageSize`` (REV23) or ``perPage`` (Rev.io), else ``default_size``,
    clamped to ``max_size`` and ``cap``. A ``nextCursor`` gives the offset and, without a
    size in the query, the size; otherwise ``page`` numbers pages from 1. A ``feed`` (the
    project activity) takes neither a page number nor a cursor's size.
    """
    name = "pageSize" if api == "rev23" else "perPage"
    size = _clamp(int_param(request, name, default_size), max_size, cap)
    cursor = request.query.get("nextCursor")
    if cursor:
        try:
            start, cursor_size = _decode_cursor(cursor)
        except (ValueError, UnicodeDecodeError):
            return error(api, 400, "Invalid nextCursor")
        if not feed and not request.query.get(name):
            size = _clamp(cursor_size, max_size, cap)
        number = start // size + 1
    elif feed:
        start = number = 0  # a feed starts at its first item and numbers no pages
    else:
        number = int_param(request, "page", 1)
        start = (number - 1) * size
    chunk = rows[start : start + size]
    total = len(rows)
    more = start + size < total
    if shape is None:
        if api == "revio":
            return json_response(200, {"data": chunk})
        return json_response(
            200,
            {"data": chunk, "page": number, "pageSize": size, "totalCount": total, "hasMore": more},
        )
    envelope, meta = shape
    if envelope == "bare":
        return json_response(200, chunk)
    body: dict[str, Any] = {"items" if envelope == "data.items" else envelope: chunk}
    if meta == "flag":
        body["hasMore"] = more
    elif meta == "total":
        body["totalCount"] = total
    elif meta == "cursor":
        body["nextCursor"] = _encode_cursor(start + size, size) if more else None
    return json_response(200, {"data": body} if envelope == "data.items" else body)
