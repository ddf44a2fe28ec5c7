"""The request pipeline in three layers (httpx is the model).

- :func:`send`, the retry loop: it asks :func:`revclient._retry.decide` after every
  failed attempt whether and when to try again, and acts on the answer.
- :func:`_send_handling_auth`, the auth layer: it adds the key's JWT (Rev.io PSA) and on
  401 drops that token, gets a new one and tries once more. The token comes before the
  bucket so that a key exchange never waits behind requests that wait for it.
- :func:`_send_once`, one attempt: a token from the key's bucket, send, read (bounded by
  ``max_response_bytes``), the token back, and aiohttp's exceptions mapped into
  revclient's own :class:`~revclient.TransportError` subclasses. Nothing above this layer
  sees an aiohttp type.

Nothing else in revclient retries: aiohttp's own resend is off (see :mod:`revclient._pool`),
so one token from the bucket is one request on the wire.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp
import attrs
from multidict import CIMultiDictProxy

from . import _json
from ._advertised import Advertised, read_advertised
from ._auth import JWTAuth
from ._config import Priority, RetryPolicy
from ._response import APIResponse
from ._retry import Outcome, decide, parse_quota_wait, parse_retry_after
from ._secret import Redacted, scrub
from .errors import (
    APIError,
    AuthenticationError,
    ConnectError,
    ConnectTimeoutError,
    RequestTimeoutError,
    ResponseTooLargeError,
    TLSError,
    TransportError,
    error_for_status,
)

if TYPE_CHECKING:
    from ._telemetry import Telemetry
    from .backends import Limiter

__all__ = ["Call", "Context", "exchange_failed", "itself", "send"]

log = logging.getLogger("revclient")
T = TypeVar("T")

#: A JWT (its header is base64url JSON, so it starts ``eyJ``): redacted from error bodies.
_JWT = re.compile(rb"eyJ[\w-]*\.[\w-]*\.[\w-]*")


@attrs.define(eq=False, slots=True)
class Context:
    """What the pipeline needs about one client, computed once at construction."""

    session: Callable[[], aiohttp.ClientSession]
    headers: Redacted[dict[str, str]]
    retry: RetryPolicy
    timeout: aiohttp.ClientTimeout
    max_response_bytes: int
    #: (secret, label) pairs: what an error body must not show, and what it shows instead.
    secrets: Redacted[tuple[tuple[bytes, bytes], ...]]
    limiter: Limiter | None = None
    auth: JWTAuth | None = None
    #: The lane of the client's calls in the key's queue, unless a call says otherwise.
    priority: Priority = "interactive"
    #: The limiter's hook for what servers advertise (``revclient._advertised``), if any.
    advertise: Callable[[Advertised], Awaitable[None]] | None = None


@attrs.define(eq=False, slots=True)
class Call:
    """One call through the pipeline: what to send, and the tally the answer reports.

    ``secret`` marks an answer that carries a secret (the key exchange): it is never quoted
    in an error. ``idempotent`` says whether it may be sent again after it reached the
    server (the key exchange is a POST that may).
    """

    method: str
    url: str
    params: Mapping[str, Any] | None
    body: bytes | None = attrs.field(repr=False)  # JSON, encoded by revclient._json
    headers: Redacted[dict[str, str]]
    timeout: aiohttp.ClientTimeout
    idempotent: bool
    secret: bool = False
    attempts: int = 0  # requests put on the wire
    rate_limit_wait: float = 0.0  # seconds spent waiting for the bucket
    started: float = 0.0  # loop time of the first attempt
    wait_until: float | None = None  # a retry waits for the bucket until then (loop time)
    priority: Priority = "interactive"  # the lane in the key's queue
    template: str | None = None  # the path template, for telemetry
    obs: Telemetry | None = None  # OpenTelemetry, when configured


@attrs.define(eq=False, slots=True)
class _Answer:
    """One HTTP answer, read in full, and the bucket lease it was sent under."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes = attrs.field(repr=False)  # may echo a secret: see _api_error
    lease: object


def itself(response: APIResponse[Any]) -> APIResponse[Any]:
    """The cast that keeps the answer as it is."""
    return response


async def send(ctx: Context, call: Call, cast: Callable[[APIResponse[Any]], T]) -> T:
    """Send ``call`` until it succeeds or the retry policy gives up.

    Returns ``cast`` of the successful answer (the caller's own frame need not wait for
    it); raises the typed :class:`~revclient.APIError` or :class:`~revclient.TransportError`.
    """
    loop = asyncio.get_running_loop()
    call.started = loop.time()
    ctx.session()  # a closed client fails here, once, not as a retried network failure
    deadline = call.started + ctx.retry.total_timeout
    failures = 0  # attempts that count against max_attempts
    throttled = 0  # 429s, which do not
    limiter = ctx.limiter
    gave_up: Exception | None = None  # what a retry that runs out of time raises
    while True:
        answer: _Answer | None = None
        per_attempt = call.timeout.total
        if per_attempt is None or loop.time() + per_attempt > deadline:
            # total_timeout bounds the request in flight too (a trickling server, or
            # timeout=None), not only the decision to retry.
            call.timeout = aiohttp.ClientTimeout(total=max(0.001, deadline - loop.time()))
        try:
            answer = await _send_handling_auth(ctx, call)
        except TransportError as exc:
            outcome = Outcome(error=exc)
        except _OutOfTime:
            assert gave_up is not None
            raise gave_up from None
        else:
            status = answer.status
            if 200 <= status < 300:
                return cast(
                    APIResponse(  # positional: the hot path
                        status,
                        answer.headers,
                        call.method,
                        call.url,
                        call.attempts,
                        loop.time() - call.started,
                        call.rate_limit_wait,
                        answer.body,
                        itself,
                        call.secret,
                    )
                )
            retry_after = None
            if status == 429:
                retry_after = parse_retry_after(answer.headers)
            elif status == 403:  # a quota says when it replenishes; a permission does not
                retry_after = parse_quota_wait(answer.headers, answer.body)
            outcome = Outcome(status, retry_after=retry_after)
        retry = decide(
            outcome,
            failures + 1,
            loop.time() - call.started,
            call.idempotent,
            ctx.retry,
            paced=limiter is not None,
            throttled=throttled,
        )
        gave_up = _failure(ctx, call, answer, outcome)
        if retry is None:
            raise gave_up
        # The retry waits for the key's budget no later than the deadline, then gives up
        # as it would have now (a 429 pause longer than its Retry-After said, a slow queue).
        call.wait_until = deadline
        if retry.throttled:
            throttled += 1
            log.info("%s %s: %d, waiting %.3fs", call.method, call.url, outcome.status, retry.delay)
            if call.obs is not None:
                call.obs.paused(retry.delay)
            if limiter is not None and answer is not None:
                # The key pauses and learns; this request waits its turn in the bucket.
                await limiter.pause(outcome.retry_after, answer.lease)
                continue
        else:
            failures += 1
            log.info(
                "%s %s: %s; retry %d of %d in %.3fs",
                call.method,
                call.url,
                outcome.status or type(outcome.error).__name__,
                failures,
                ctx.retry.max_attempts - 1,
                retry.delay,
            )
        await asyncio.sleep(retry.delay)


def _send_handling_auth(ctx: Context, call: Call) -> Awaitable[_Answer]:
    """One attempt with the key's JWT; on 401 one more with a fresh one.

    Without auth (REV23) this is the attempt itself: no coroutine frame of its own.
    """
    send_once = _send_once if call.obs is None else _send_once_traced
    if ctx.auth is None:
        return send_once(ctx, call, call.headers)
    return _send_with_jwt(ctx, call, ctx.auth, send_once)


async def _send_with_jwt(
    ctx: Context,
    call: Call,
    auth: JWTAuth,
    send_once: Callable[
        [Context, Call, Redacted[dict[str, str]], float | None], Awaitable[_Answer]
    ],
) -> _Answer:
    token = await auth.token()
    try:
        answer = await send_once(ctx, call, auth.headers(call.headers, token), token.expires_at)
    except _Expired:
        # The JWT expired while the request queued for the budget, and nothing was sent:
        # a fresh one, and this time the request goes whatever the queue (no livelock).
        log.info("%s %s: the JWT expired in the queue, exchanging again", call.method, call.url)
        await auth.invalidate(token)
        token = await auth.token()
        answer = await send_once(ctx, call, auth.headers(call.headers, token), None)
    if answer.status != 401:
        return answer
    # The JWT may have expired early or been revoked: drop it (unless another request
    # already did), exchange once, and try once more. A second 401 is the caller's error.
    log.info("%s %s: 401, exchanging the API key again", call.method, call.url)
    await auth.invalidate(token)
    token = await auth.token()
    return await send_once(ctx, call, auth.headers(call.headers, token), None)


async def _send_once_traced(
    ctx: Context, call: Call, headers: Redacted[dict[str, str]], expires_at: float | None = None
) -> _Answer:
    """:func:`_send_once` inside its OpenTelemetry span."""
    assert call.obs is not None
    with call.obs.attempt(call) as span:
        answer = await _send_once(ctx, call, headers, expires_at)
        span.set_attribute("http.response.status_code", answer.status)
        return answer


async def _send_once(
    ctx: Context, call: Call, headers: Redacted[dict[str, str]], expires_at: float | None = None
) -> _Answer:
    """One request on the wire under one token from the key's bucket.

    ``expires_at`` (epoch seconds) is when the JWT in ``headers`` expires: if the wait for
    the bucket outlasted it, nothing is sent (:class:`_Expired`).
    """
    limiter = ctx.limiter
    loop = asyncio.get_running_loop()
    lease: object = None
    if limiter is not None:
        obs = call.obs
        before = loop.time()
        # A retry's wait is bounded by total_timeout; a first attempt's only counts in it.
        acquire = (
            limiter.acquire(call.priority)
            if call.wait_until is None
            else _acquire_until(limiter, call.wait_until, call.priority)
        )
        if obs is None:
            lease = await acquire
        else:
            obs.waiting(1)
            try:
                lease = await acquire
            finally:
                obs.waiting(-1)
            obs.waited(loop.time() - before)
        call.rate_limit_wait += loop.time() - before
        if expires_at is not None and time.time() >= expires_at:
            await limiter.release(lease)  # a 401 would spend the budget all the same
            raise _Expired
    call.attempts += 1
    debug = log.isEnabledFor(logging.DEBUG)
    sent = loop.time() if debug else 0.0
    try:
        async with ctx.session().request(
            call.method,
            call.url,
            params=call.params,
            data=call.body,
            headers=headers.value,  # unwrapped only here: no frame of ours holds the key
            timeout=call.timeout,
            allow_redirects=False,  # a redirect must never carry our key to another host
            raise_for_status=False,  # a user's session may say otherwise
        ) as resp:
            length = resp.content_length
            if length is not None and "Content-Encoding" not in resp.headers:
                # The common case: the size is known before reading (no extra frame).
                if length > ctx.max_response_bytes:
                    raise _too_large(call, ctx.max_response_bytes)
                body = await resp.read()
            else:
                body = await _read_bounded(resp, ctx.max_response_bytes, call)
            answer = _Answer(resp.status, resp.headers, body, lease)
    except (TimeoutError, aiohttp.ClientError) as exc:
        log.debug(
            "%s %s -> %s (attempt %d)", call.method, call.url, type(exc).__name__, call.attempts
        )
        scrub(exc)  # aiohttp's frames held the headers
        raise _transport_error(exc, call) from exc
    finally:
        if limiter is not None:
            await limiter.release(lease)
    if ctx.advertise is not None:
        advertised = read_advertised(answer.headers)
        if advertised is not None:
            await ctx.advertise(advertised)
    if debug:
        log.debug(
            "%s %s -> %d (attempt %d, rate-limit wait %.3fs, %.1f ms)",
            call.method,
            call.url,
            answer.status,
            call.attempts,
            call.rate_limit_wait,
            (loop.time() - sent) * 1000,
        )
    return answer


class _Expired(Exception):
    """The request's JWT expired while it queued for the key's budget; nothing was sent."""


class _OutOfTime(Exception):
    """A retry waited for the key's budget until ``total_timeout`` ran out."""


async def _acquire_until(limiter: Limiter, until: float, priority: Priority) -> object:
    try:
        async with asyncio.timeout_at(until):
            return await limiter.acquire(priority)
    except TimeoutError:
        raise _OutOfTime from None


async def _read_bounded(resp: aiohttp.ClientResponse, limit: int, call: Call) -> bytes:
    """The whole body of unknown size (chunked, or compressed), decompressed, but never
    more than ``limit`` bytes of it in memory."""
    body = bytearray()
    async for chunk in resp.content.iter_any():
        body += chunk
        if len(body) > limit:
            raise _too_large(call, limit)
    return bytes(body)


def _too_large(call: Call, limit: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"{call.method} {call.url}: the answer is larger than max_response_bytes "
        f"({limit} bytes); raise max_response_bytes= if such answers are expected"
    )


def _failure(ctx: Context, call: Call, answer: _Answer | None, outcome: Outcome) -> Exception:
    """What giving up after ``outcome`` raises."""
    if answer is None:
        assert outcome.error is not None
        return outcome.error
    return _api_error(answer, call, outcome.retry_after, ctx.secrets)


def _api_error(
    answer: _Answer,
    call: Call,
    retry_after: float | None,
    secrets: Redacted[tuple[tuple[bytes, bytes], ...]],
) -> APIError:
    # A server may echo the key or a JWT in an error body: the error never quotes them.
    body = answer.body
    for secret, label in secrets.value:
        body = body.replace(secret, label)
    return error_for_status(
        answer.status,
        _error_body(_JWT.sub(b"<JWT>", body)),
        headers=answer.headers,
        method=call.method,
        url=call.url,
        retry_after=retry_after,
    )


def _error_body(body: bytes) -> Any:
    if not body:
        return None
    try:
        return _json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


def _transport_error(exc: BaseException, call: Call) -> TransportError:
    """The one place aiohttp's exceptions become revclient's (``__cause__`` keeps them)."""
    where = f"{call.method} {call.url}"
    tries = f"{call.attempts} attempt{'s' if call.attempts > 1 else ''}"
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
        return TLSError(f"{where}: TLS handshake or certificate verification failed")
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return ConnectTimeoutError(f"{where}: connecting timed out after {tries}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = exc.os_error.strerror or type(exc).__name__
        return ConnectError(
            f"{where}: cannot connect to {exc.host}:{exc.port} ({reason}) after {tries}"
        )
    if isinstance(exc, (TimeoutError, aiohttp.ServerTimeoutError)):
        return RequestTimeoutError(
            f"{where}: timed out after {tries}; raise timeout= if the server is slow"
        )
    return TransportError(f"{where}: {type(exc).__name__} after {tries}")


def exchange_failed(exc: APIError) -> AuthenticationError:
    """A 4xx from the key exchange, as the AuthenticationError the caller should see."""
    if isinstance(exc, AuthenticationError):
        return exc
    return AuthenticationError(
        f"key exchange refused: {exc.message}",
        status=exc.status,
        body=exc.body,
        headers=exc.headers,
        method=exc.method,
        url=exc.url,
    )
