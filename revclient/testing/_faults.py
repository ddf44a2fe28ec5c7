"""What an injected fault answers (see :meth:`Sandbox.inject`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from aiohttp import web

from ._auth import api_of
from ._knobs import Fault
from ._responses import RATE_LIMIT_MESSAGE, error, json_response

__all__ = ["PASS_THROUGH_FAULTS", "fire"]

#: Faults that let the request go through the normal pipeline (auth, rate limit, handler).
PASS_THROUGH_FAULTS = frozenset({"timeout", "wrong_content_type"})

_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


async def fire(
    fault: Fault, request: web.Request, record: Callable[[int], None]
) -> web.StreamResponse:
    """Answer ``request`` with ``fault`` (one not in :data:`PASS_THROUGH_FAULTS`).

    ``record(status)`` logs the request, before the connection drops for the drops.
    """
    kind = fault.kind
    transport = request.transport
    if kind == "drop_before":
        record(0)
        if transport is not None:
            transport.close()
        # Writing this to the closed transport fails quietly inside aiohttp.
        return web.Response(status=500)
    if kind == "drop_after":
        record(200)
        partial = b'{"data": [{"id": 1, "firstName": "Tru'
        response = web.StreamResponse(status=200)
        response.content_type = "application/json"
        response.content_length = len(partial) + 4096
        await response.prepare(request)
        await response.write(partial)
        if transport is not None:
            transport.close()
        return response
    if kind == "status":
        response = _status(cast(int, fault.status), fault, api_of(request.path))
    elif kind == "malformed":
        response = web.Response(status=200, body=b'{"data": [', content_type="application/json")
    elif kind == "html":
        response = web.Response(status=502, body=_HTML_502, content_type="text/html")
    else:  # "empty"
        response = web.Response(status=200, body=b"", content_type="application/json")
    record(response.status)
    return response


def _status(status: int, fault: Fault, api: str | None) -> web.Response:
    if status < 200 or status in (204, 304):
        response = web.Response(status=status)
    elif isinstance(fault.body, bytes):
        response = web.Response(status=status, body=fault.body)
    elif fault.body is not None:
        response = json_response(status, fault.body)
    else:
        detail = RATE_LIMIT_MESSAGE if status == 429 else f"Injected HTTP {status}"
        response = error(api, status, detail)
    if fault.headers:
        response.headers.update(fault.headers)
    return response
