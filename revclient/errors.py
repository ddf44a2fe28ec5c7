"""The exceptions revclient raises.

Every exception derives from :class:`RevError`. HTTP answers the client cannot
turn into a result raise an :class:`APIError` subclass chosen by status (the
REV23 status table); everything else is a configuration, transport or decoding
problem. No message ever carries an API key or a JWT.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

__all__ = [
    "APIError",
    "AuthenticationError",
    "BackendError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "ConnectTimeoutError",
    "NotFoundError",
    "PageLimitError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "RevError",
    "ServerError",
    "TLSError",
    "TransportError",
    "UnavailableForLegalReasonsError",
    "UnprocessableEntityError",
    "UpgradeRequiredError",
    "error_for_status",
]


class RevError(Exception):
    """Base class of every error revclient raises."""


class ConfigurationError(RevError, ValueError):
    """Invalid arguments or settings: fix the call or the environment variables."""


class BackendError(RevError):
    """The shared state backend (for example Redis) failed; no request was sent over budget."""


class TransportError(RevError):
    """The request did not get an HTTP answer (connection refused, reset, DNS, TLS)."""


class ConnectError(TransportError):
    """No connection could be made (refused, DNS, unreachable): nothing reached the server,
    so even a POST is retried."""


class TLSError(TransportError):
    """The TLS handshake or the certificate check failed; retrying cannot help."""


class RequestTimeoutError(TransportError):
    """The request timed out before a complete answer arrived."""


class ConnectTimeoutError(ConnectError, RequestTimeoutError):
    """Connecting timed out: nothing was sent, so even a POST is retried."""


class ResponseDecodeError(RevError):
    """A successful answer whose body cannot be decoded or structured into the expected model."""

    def __init__(self, message: str, *, body: Any = None, path: str | None = None) -> None:
        super().__init__(message)
        #: The raw body (text or parsed JSON) that could not be decoded or structured.
        self.body = body
        #: Where in the body the problem is, e.g. ``data[3].customerId``, when known.
        self.path = path


class ResponseTooLargeError(ResponseDecodeError):
    """The body (after decompression) is larger than ``max_response_bytes``; it was not kept."""


class PageLimitError(RevError):
    """A pagination loop passed its page cap; raise ``max_pages`` if the data set is that large."""


class APIError(RevError):
    """The server answered with an error status.

    Attributes: ``status``, ``body`` (parsed JSON, or text when it is not JSON),
    ``headers``, ``method``, ``url`` (without credentials), ``request_id`` (from a
    request-id header when the server sends one) and ``message`` (extracted from
    ``message``/``detail``/``title``/``error``/``errors`` when present).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        method: str = "",
        url: str = "",
    ) -> None:
        self.message = message
        self.status = status
        self.body = body
        # Case-insensitive, as HTTP header names are.
        self.headers: Mapping[str, str] = CIMultiDictProxy(CIMultiDict(headers or {}))
        self.method = method
        self.url = url
        self.request_id: str | None = request_id(self.headers)
        where = f" ({method} {url})" if method else ""
        super().__init__(f"HTTP {status}{where}: {message}")

    def _state(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "body": self.body,
            "headers": dict(self.headers),
            "method": self.method,
            "url": self.url,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (multiprocessing pulls): rebuilt from its fields, not from ``args``.
        return (_rebuild, (type(self), self.message, self._state()))


class BadRequestError(APIError):
    """400: invalid data or a business rule was broken; the body says which."""


class AuthenticationError(APIError):
    """401, or a failed key exchange: the API key, tenant/host or token was refused."""


class PaymentRequiredError(APIError):
    """402: the subscription is past due or the trial has expired."""


class PermissionDeniedError(APIError):
    """403: the API key lacks a permission this call needs."""


class NotFoundError(APIError):
    """404: no such resource."""


class ConflictError(APIError):
    """409: the change conflicts with existing data (e.g. a duplicate)."""


class UnprocessableEntityError(APIError):
    """422: well-formed but cannot be completed (e.g. a unique constraint)."""


class UpgradeRequiredError(APIError):
    """426: the server considers this client version too old."""


class RateLimitError(APIError):
    """429 that was not retried: ``retry_after`` says how many seconds the server asked for."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        #: Seconds the server asked to wait, when it said (``Retry-After``).
        self.retry_after = retry_after

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "retry_after": self.retry_after}


class QuotaExceededError(RateLimitError):
    """403 with a replenish time: a usage quota ran out (Azure API Management's quota
    policy), not a missing permission. ``retry_after`` is the seconds until it replenishes.
    """


class UnavailableForLegalReasonsError(APIError):
    """451: the subscription is suspended for a terms-of-service violation."""


class ServerError(APIError):
    """5xx: the server failed; retried for idempotent requests before this is raised."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    426: UpgradeRequiredError,
    429: RateLimitError,
    451: UnavailableForLegalReasonsError,
}

_HINTS: dict[int, str] = {
    401: "check the API key and the tenant (REV23) or host (Rev.io PSA)",
    402: "the subscription is past due or the trial expired",
    403: "the API key lacks a permission this call needs",
    426: "upgrade revclient",
    429: "rate limit exceeded; wait before retrying",
    451: "the subscription is suspended",
}


def error_for_status(
    status: int,
    body: Any,
    *,
    headers: Mapping[str, str] | None = None,
    method: str = "",
    url: str = "",
    retry_after: float | None = None,
) -> APIError:
    """Build the :class:`APIError` subclass for ``status`` with a message taken from ``body``."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIError
    message = extract_message(body) or _HINTS.get(status) or "request failed"
    if status == 403 and retry_after is not None:
        cls = QuotaExceededError
    if cls is RateLimitError or cls is QuotaExceededError:
        return cls(
            message,
            retry_after=retry_after,
            status=status,
            body=body,
            headers=headers,
            method=method,
            url=url,
        )
    return cls(message, status=status, body=body, headers=headers, method=method, url=url)


_MESSAGE_KEYS = ("message", "detail", "error_description", "error", "title")
_MAX_MESSAGE = 500


def extract_message(body: Any) -> str:
    """Pull a human message out of an error body of unknown shape; ``""`` when there is none.

    The first of ``message``/``detail``/``error_description``/``error``/``title`` is the
    summary; a ProblemDetails-style ``errors`` member (field -> messages) is appended,
    since it says what to fix.
    """
    if isinstance(body, str):
        text = body.strip()
        # An HTML error page is noise in a message; keep it on ``body`` only.
        if text.startswith("<"):
            return ""
        return text[:_MAX_MESSAGE]
    if not isinstance(body, Mapping):
        return ""
    summary = ""
    for key in _MESSAGE_KEYS:
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            summary = value.strip()
            break
        if isinstance(value, Mapping):
            summary = extract_message(value)
            if summary:
                break
    details = _format_errors(body.get("errors"))
    if summary and details:
        return f"{summary} ({details})"[:_MAX_MESSAGE]
    return (summary or details)[:_MAX_MESSAGE]


def _format_errors(errors: Any) -> str:
    if not errors:
        return ""
    if isinstance(errors, Mapping):
        parts = []
        for field, problems in errors.items():
            if isinstance(problems, (list, tuple)):
                text = " ".join(str(p) for p in problems)
            else:
                text = str(problems)
            parts.append(f"{field}: {text}")
        return "; ".join(parts)
    if isinstance(errors, (list, tuple)):
        return "; ".join(
            extract_message(e) or json.dumps(e, default=str) if isinstance(e, Mapping) else str(e)
            for e in errors
        )
    return str(errors)


def _rebuild(cls: type[APIError], message: str, state: dict[str, Any]) -> APIError:
    return cls(message, **state)


def request_id(headers: Mapping[str, str]) -> str | None:
    """The server's request id from the first request-id header it sent, if any."""
    for name in ("X-Request-Id", "Request-Id", "X-Correlation-Id", "Traceparent"):
        value = headers.get(name)
        if value is not None:
            return value
    return None
