"""The sandbox's JSON answers: plain bodies, REV23 ``{"message"}`` errors and Rev.io
ProblemDetails."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

__all__ = [
    "BODY_REQUIRED",
    "RATE_LIMIT_MESSAGE",
    "dumps",
    "error",
    "invalid",
    "json_response",
]

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
}
#: What both APIs say when a rate limit refuses a request.
RATE_LIMIT_MESSAGE = "Rate limit exceeded. Wait briefly before retrying."
#: The validation errors of a request whose body is not a JSON object.
BODY_REQUIRED = {"body": ["A JSON object is required."]}


def dumps(payload: Any) -> bytes:
    """Compact JSON, as both APIs send it."""
    return json.dumps(payload, separators=(",", ":")).encode()


def json_response(
    status: int, payload: Any, *, content_type: str = "application/json"
) -> web.Response:
    """``payload`` as a JSON answer."""
    return web.Response(status=status, body=dumps(payload), content_type=content_type)


def error(
    api: str | None, status: int, detail: str, *, errors: dict[str, list[str]] | None = None
) -> web.Response:
    """An error as ``api`` answers it: REV23 (and paths of neither API) ``{"message"}``,
    anything else (Rev.io and its key exchange) ProblemDetails."""
    if api == "rev23" or api is None:
        return json_response(status, {"message": detail})
    problem: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        problem["errors"] = errors
    return json_response(status, problem, content_type="application/problem+json")


def invalid(errors: dict[str, list[str]]) -> web.Response:
    """Rev.io's 400 answer to a body that fails validation (``errors`` by field)."""
    return error("revio", 400, "One or more validation errors occurred.", errors=errors)
