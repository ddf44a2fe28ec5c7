"""The sandbox's request pipeline: faults, auth, the rate window, the quota and the log.

Every request passes here before its route handler. The knobs are read from the
:class:`~revclient.testing.Sandbox` at each request, so changing one takes effect at once.
"""

from __future__ import annotations

import asyncio
import math
import time
from email.utils import formatdate
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from ._auth import CURRENT_KEY, AuthError, api_of, authenticate, identify
from ._faults import PASS_THROUGH_FAULTS, fire
from ._knobs import Key, State
from ._limits import make_limiter
from ._responses import RATE_LIMIT_MESSAGE, dumps, error

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["make_middleware"]


def make_middleware(sb: Sandbox, state: State) -> Middleware:
    """The middleware serving ``sb``'s knobs over ``state``."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        arrival = time.monotonic()
        path = request.path
        api = api_of(path)
        fault = state.take_fault(request.method, path) if state.faults else None
        if fault is not None and fault.kind not in PASS_THROUGH_FAULTS:
            faulted = identify(request, api, state)
            if sb.latency:
                await asyncio.sleep(sb.latency)
            return await fire(
                fault,
                request,
                lambda status: state.record(request, arrival, status, faulted, fault),
            )
        if api is None:
            state.record(request, arrival, 404, None, fault)
            return error(None, 404, "Not found")

        try:
            key = await authenticate(request, api, state, sb.rev23_tenant, sb.revio_host)
        except AuthError as exc:
            if sb.latency:
                await asyncio.sleep(sb.latency)
            state.record(request, arrival, exc.status, exc.key, fault)
            return error(api, exc.status, exc.detail)

        free_at = _admit(sb, state, key, arrival)
        if sb.latency:
            await asyncio.sleep(sb.latency)
        replenish = _spend_quota(sb, state, key, arrival) if free_at is None else None
        if replenish is not None:
            state.record(request, arrival, 403, key, fault)
            return _quota_answer(replenish, sb.retry_after)
        if free_at is not None:
            state.record(request, arrival, 429, key, fault)
            headers = _retry_after_header(free_at, sb.retry_after)
            if api == "rev23":
                return web.Response(
                    status=429,
                    body=dumps({"message": RATE_LIMIT_MESSAGE}),
                    content_type="application/json",
                    headers=headers,
                )
            limited = error(api, 429, RATE_LIMIT_MESSAGE)
            limited.headers.update(headers)
            return limited

        if fault is not None and fault.kind == "timeout":
            try:
                await asyncio.sleep(fault.delay)
            except asyncio.CancelledError:
                # The client gave up and closed the connection: the request still arrived.
                state.record(request, arrival, 0, key, fault)
                raise
        CURRENT_KEY.set(key)
        answer: web.StreamResponse
        try:
            answer = await handler(request)
        except web.HTTPException as exc:
            answer = error(api, exc.status, exc.reason or "Error")
        except (ConnectionResetError, asyncio.CancelledError):
            # The client went away mid-request (e.g. its timeout): it still arrived.
            state.record(request, arrival, 0, key, fault)
            raise
        if fault is not None and fault.kind == "wrong_content_type":
            answer.content_type = "text/plain"
        state.record(request, arrival, answer.status, key, fault)
        return answer

    return middleware


def _admit(sb: Sandbox, state: State, key: Key, arrival: float) -> float | None:
    """Count an arrival; if the key's limiter refuses it, return when a retry may succeed."""
    with state.lock:
        if sb.rate_limit is not None:
            if key.limiter is None:
                limit, period = sb.rate_limit
                key.limiter = make_limiter(
                    sb.limiter, limit, period, burst=sb.burst, origin=state.origin
                )
            free_at = key.limiter.admit(arrival)
            if free_at is not None:
                key.stats.rate_limited += 1
                return free_at
        key.stats.arrivals.append(arrival)
    return None


def _spend_quota(sb: Sandbox, state: State, key: Key, now: float) -> float | None:
    """Count one call against the key's quota; if none is left, return when the quota
    replenishes (periods start at the key's first call, as APIM's renewal periods)."""
    if sb.quota is None:
        return None
    calls, period = sb.quota
    with state.lock:
        if key.quota_from is None or now >= key.quota_from + period:
            start = now if key.quota_from is None else key.quota_from
            key.quota_from = start + (now - start) // period * period
            key.quota_used = 0
        if key.quota_used >= calls:
            key.stats.quota_exceeded += 1
            return key.quota_from + period
        key.quota_used += 1
        return None


def _quota_answer(replenish: float, retry_after: str) -> web.Response:
    # Azure API Management's quota-by-key answer: 403, Retry-After, and the wait as a
    # .NET TimeSpan ([d.]hh:mm:ss[.fffffff]) in the message.
    wait = max(replenish - time.monotonic(), 0.0)
    minutes, seconds = divmod(wait, 60)
    hours, minutes = divmod(int(minutes), 60)
    days, hours = divmod(hours, 24)
    span = f"{hours:02d}:{minutes:02d}:{seconds:010.7f}"
    days_part = f"{days}." if days else ""
    message = f"Out of call volume quota. Quota will be replenished in {days_part}{span}."
    return web.Response(
        status=403,
        body=dumps({"statusCode": 403, "message": message}),
        content_type="application/json",
        headers=_retry_after_header(replenish, retry_after),
    )


def _retry_after_header(free_at: float, style: str) -> dict[str, str]:
    """``Retry-After`` for a retry at ``free_at``, as ``Sandbox(retry_after=style)`` asks."""
    wait = max(free_at - time.monotonic(), 0.0)
    if style == "fractional":
        return {"Retry-After": f"{max(wait, 0.001):.3f}"}
    if style == "seconds":
        return {"Retry-After": str(max(1, math.ceil(wait)))}
    if style == "date":
        return {"Retry-After": formatdate(math.ceil(time.time() + wait), usegmt=True)}
    return {}
