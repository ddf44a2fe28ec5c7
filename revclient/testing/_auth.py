"""Who is calling: REV23's key and tenant headers, the Rev.io key exchange and its JWTs."""

from __future__ import annotations

import contextvars
import json
import time
from typing import Literal

from aiohttp import web

from ._jwt import InvalidTokenError, decode_hs256
from ._knobs import Api, Key, State

__all__ = ["CURRENT_KEY", "AuthError", "api_of", "authenticate", "identify"]

_REV23_401 = "Missing or invalid API key or studio name"

# The authenticated key of the request being handled (middleware and handler share a task).
# A context variable rather than request storage: web.RequestKey is recent in aiohttp.
CURRENT_KEY: contextvars.ContextVar[Key] = contextvars.ContextVar("revclient_sandbox_key")


class AuthError(Exception):
    """A refused request: its status, the error's detail and the key, when one is known."""

    def __init__(self, status: int, detail: str, key: Key | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.key = key


def api_of(path: str) -> Api | Literal["exchange"] | None:
    """Which API a path belongs to (``None``: neither)."""
    if path.startswith("/api/v2/"):
        return "rev23"
    if path == "/api/v1/auth/api-key/exchange":
        return "exchange"
    if path.startswith(("/billing/", "/psac/", "/project-management/")):
        return "revio"
    return None


def identify(request: web.Request, api: str | None, state: State) -> Key | None:
    """Best-effort key attribution for faulted requests (no validation)."""
    with state.lock:
        if api == "rev23":
            return state.keys.get(request.headers.get("X-Api-Key", ""))
        if api == "revio":
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                claims = decode_hs256(token, state.jwt_secret)
            except InvalidTokenError:
                return None
            return state.subs.get(str(claims.get("sub")))
    return None


async def authenticate(
    request: web.Request, api: str, state: State, tenant: str, revio_host: str
) -> Key:
    """The key a request of ``api`` is made with, or :class:`AuthError`."""
    if api == "rev23":
        return _rev23(request, state, tenant)
    if api == "exchange":
        return await _exchange(request, state)
    return _revio(request, state, revio_host)


def _rev23(request: web.Request, state: State, tenant: str) -> Key:
    headers = request.headers
    with state.lock:
        key = state.keys.get(headers.get("X-Api-Key", ""))
    if key is None or key.api != "rev23":
        raise AuthError(401, _REV23_401)
    if key.revoked or headers.get("X-Tenant-Name") != tenant:
        raise AuthError(401, _REV23_401, key)
    return key


async def _exchange(request: web.Request, state: State) -> Key:
    if request.method != "POST":
        raise AuthError(405, "Use POST to exchange an API key")
    try:
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        body = None
    api_key = body.get("apiKey") if isinstance(body, dict) else None
    if not isinstance(api_key, str):
        raise AuthError(400, "The request body must be JSON with a string apiKey")
    with state.lock:
        key = state.keys.get(api_key)
        if key is not None and key.api == "revio" and key.revoked:
            key.stats.failed_exchanges += 1
    if key is None or key.api != "revio":
        raise AuthError(401, "Invalid API key")
    if key.revoked:
        raise AuthError(401, "Invalid API key", key)
    return key


def _revio(request: web.Request, state: State, revio_host: str) -> Key:
    authorization = request.headers.get("Authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError(401, "Missing bearer token")
    try:
        claims = decode_hs256(token.strip(), state.jwt_secret)
    except InvalidTokenError:
        raise AuthError(401, "Invalid token") from None
    with state.lock:
        key = state.subs.get(str(claims.get("sub")))
        serial = state.jti_serial.get(str(claims.get("jti")))
        expired_through = state.expired_through
    exp = claims.get("exp")
    if key is None or serial is None or not isinstance(exp, int | float):
        raise AuthError(401, "Invalid token")
    if key.revoked:
        raise AuthError(401, "Token revoked", key)
    if serial <= expired_through or time.time() >= exp:
        raise AuthError(401, "Token expired", key)
    host = request.headers.get("X-Revio-Host")
    if not host:
        raise AuthError(400, "Missing X-Revio-Host header", key)
    if host.lower() != revio_host.lower():
        raise AuthError(401, "Unknown X-Revio-Host", key)
    return key
