"""The request pipeline: the one loop that sends, classifies and retries.

Per attempt: auth headers (from the token cache; the exchange itself comes back through
this function) -> a token from the key's bucket -> send -> read -> return the token ->
classify: 2xx decode; 401 with a JWT: invalidate that JWT and re-authenticate once; 429:
let the key learn from it, pause the whole key and retry without spending an attempt;
5xx or a broken connection: back off and retry when the request may be replayed; anything
else: raise the typed error. Auth headers come before the bucket so that a key exchange
never waits for a token held by a request that is itself waiting for the exchange.

Nothing else in revclient retries. The decisions (what is retryable, how long to back
off, what Retry-After means) are in :mod:`revclient._retry`.
"""

from __future__ import annotations

import asyncio
import json as _json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
import attrs

from ._auth import Token
from ._config import RetryPolicy
from ._retry import IDEMPOTENT, backoff, parse_retry_after, retry_failure, retry_status
from .errors import (
    APIError,
    AuthenticationError,
    RequestTimeoutError,
    ResponseDecodeError,
    TransportError,
    error_for_status,
)

if TYPE_CHECKING:
    from .backends import Limiter, TokenStore

__all__ = ["Context", "exchange_failed", "send"]

log = logging.getLogger("revclient")


@attrs.define(eq=False, slots=True)
class Context:
    """Everything the pipeline needs about one client, computed once at construction."""

    api: str
    session: Callable[[], aiohttp.ClientSession]
    headers: dict[str, str] = attrs.field(repr=False)
    retry: RetryPolicy
    timeout: aiohttp.ClientTimeout
    limiter: Limiter | None = None
    tokens: TokenStore | None = None
    exchange: Callable[[], Awaitable[Token]] | None = attrs.field(default=None, repr=False)


async def send(
    ctx: Context,
    method: str,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
    secret_body: bool = False,
    replayable: bool | None = None,
) -> Any:
    """Send ``method url`` until it succeeds or the policy gives up; the decoded JSON body.

    ``secret_body`` marks an answer that carries a secret (the key exchange): it is then
    never quoted in an error. ``replayable`` overrides the method's idempotency (the key
    exchange is a POST that is safe to repeat). Returns ``None`` for an empty body.
    """
    policy = ctx.retry
    loop = asyncio.get_running_loop()
    started = loop.time()
    debug = log.isEnabledFor(logging.DEBUG)
    idempotent = method in IDEMPOTENT if replayable is None else replayable
    limiter = ctx.limiter
    tokens = ctx.tokens  # None for REV23 and for the key exchange itself
    attempt = 0
    free = 0  # attempts that spent nothing: answered 429, or retried after re-authenticating
    reauthenticated = False
    while True:
        attempt += 1
        headers = ctx.headers
        token: Token | None = None
        if tokens is not None and ctx.exchange is not None:
            token = await tokens.get(ctx.exchange)
            headers = {**headers, "Authorization": "Bearer " + token.value}
        waited = 0.0
        lease: object = None
        if limiter is not None:
            if debug:
                before = loop.time()
                lease = await limiter.acquire()
                waited = loop.time() - before
            else:
                lease = await limiter.acquire()
        sent_at = loop.time()
        failure: TransportError | None = None
        try:
            async with ctx.session().request(
                method,
                url,
                params=params,
                json=json,
                headers=headers,
                timeout=ctx.timeout,
                allow_redirects=False,  # a redirect must never carry our key to another host
            ) as resp:
                body = await resp.read()
                status = resp.status
                resp_headers = resp.headers
        except (TimeoutError, aiohttp.ClientError) as exc:
            failure = _transport_error(exc, method, url, attempt)
        finally:
            if limiter is not None:
                await limiter.release(lease)

        if debug:
            log.debug(
                "%s %s -> %s (attempt %d, rate-limit wait %.3fs, %.1f ms)",
                method,
                url,
                status if failure is None else type(failure.__cause__).__name__,
                attempt,
                waited,
                (loop.time() - sent_at) * 1000,
            )
        if failure is not None:
            if retry_failure(failure.__cause__, idempotent) and await _may_retry(
                policy, attempt - free, started, loop
            ):
                continue
            raise failure

        if 200 <= status < 300:
            return _decode(body, resp_headers, method, url, secret_body)

        if status == 401 and token is not None and not reauthenticated and tokens is not None:
            # The JWT may have expired early or been revoked: one fresh exchange, one retry.
            await tokens.invalidate(token)
            reauthenticated = True
            free += 1
            continue

        if status == 429:
            # Not a failed attempt: the key pauses and the request waits its turn again,
            # for as long as the wait fits max_retry_after and total_timeout.
            retry_after = parse_retry_after(resp_headers)
            wait = retry_after
            if limiter is None:  # no limiter slows the key down: back off as well
                wait = max(retry_after or 0.0, backoff(policy, free + 1))
            if (wait is not None and wait > policy.max_retry_after) or (
                loop.time() - started + (wait or 0.0) > policy.total_timeout
            ):
                raise _api_error(status, body, resp_headers, method, url, retry_after)
            free += 1
            if limiter is not None:
                await limiter.pause(retry_after, lease)  # the next acquire() waits it out
            elif wait:
                await asyncio.sleep(wait)
            continue

        if retry_status(status, idempotent) and await _may_retry(
            policy, attempt - free, started, loop
        ):
            continue
        raise _api_error(status, body, resp_headers, method, url, None)


async def _may_retry(
    policy: RetryPolicy,
    attempt: int,
    started: float,
    loop: asyncio.AbstractEventLoop,
) -> bool:
    """Sleep before the next attempt and say yes, or say no when the policy is spent."""
    if attempt >= policy.max_attempts:
        return False
    delay = backoff(policy, attempt)
    if loop.time() - started + delay > policy.total_timeout:
        return False
    log.debug("retrying in %.3fs (attempt %d of %d)", delay, attempt + 1, policy.max_attempts)
    await asyncio.sleep(delay)
    return True


def _decode(body: bytes, headers: Mapping[str, str], method: str, url: str, secret: bool) -> Any:
    if not body:
        return None
    try:
        return _json.loads(body)
    except ValueError:
        kind = headers.get("Content-Type", "no content type")
        if secret:
            raise ResponseDecodeError(
                f"{method} {url}: the answer is not valid JSON ({kind}, {len(body)} bytes)"
            ) from None
        snippet = body[:200].decode("utf-8", "replace")
        raise ResponseDecodeError(
            f"{method} {url}: the answer is not valid JSON ({kind}, {len(body)} bytes): "
            f"{snippet!r}",
            body=body.decode("utf-8", "replace"),
        ) from None


def _error_body(body: bytes) -> Any:
    if not body:
        return None
    try:
        return _json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


def _api_error(
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    method: str,
    url: str,
    retry_after: float | None,
) -> APIError:
    return error_for_status(
        status,
        _error_body(body),
        headers=headers,
        method=method,
        url=url,
        retry_after=retry_after,
    )


def _transport_error(exc: BaseException, method: str, url: str, attempt: int) -> TransportError:
    # ``__cause__`` keeps the aiohttp exception: retry_failure() decides from it.
    tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
    if isinstance(exc, (TimeoutError, aiohttp.ServerTimeoutError)):
        error: TransportError = RequestTimeoutError(
            f"{method} {url}: timed out after {tries}; raise timeout= if the server is slow"
        )
    else:
        detail = type(exc).__name__
        if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
            detail = "TLS handshake or certificate verification failed"
        elif isinstance(exc, aiohttp.ClientConnectorError):
            detail = f"cannot connect to {exc.host}:{exc.port} ({exc.os_error.strerror or detail})"
        error = TransportError(f"{method} {url}: {detail} after {tries}")
    error.__cause__ = exc
    return error


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
