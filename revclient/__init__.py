"""revclient: an async-first client for the REV23 Cloud API and the Rev.io PSA API.

``AsyncRev23`` and ``AsyncRevio`` are the clients; ``SessionManager`` shares one
connection pool across many clients and keys; ``revclient.sync`` offers the same
resources as blocking calls; ``revclient.testing.Sandbox`` serves both APIs locally.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import rev23, revio
from ._client import AsyncRev23, AsyncRevio
from ._config import RateLimit, RetryPolicy
from ._pagination import AsyncPaginator, Page, SyncPaginator
from ._session import SessionManager
from .errors import (
    APIError,
    AuthenticationError,
    BackendError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PageLimitError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ResponseDecodeError,
    RevError,
    ServerError,
    TransportError,
    UnavailableForLegalReasonsError,
    UnprocessableEntityError,
    UpgradeRequiredError,
)
from .rev23.webhooks import Rev23Event, parse_rev23_event

__all__ = [
    "APIError",
    "AsyncPaginator",
    "AsyncRev23",
    "AsyncRevio",
    "AuthenticationError",
    "BackendError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "NotFoundError",
    "Page",
    "PageLimitError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "RetryPolicy",
    "Rev23Event",
    "RevError",
    "ServerError",
    "SessionManager",
    "SyncPaginator",
    "TransportError",
    "UnavailableForLegalReasonsError",
    "UnprocessableEntityError",
    "UpgradeRequiredError",
    "__version__",
    "parse_rev23_event",
    "rev23",
    "revio",
]
