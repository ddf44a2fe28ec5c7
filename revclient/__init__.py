"""revclient: an async-first client for the REV23 Cloud API and the Rev.io PSA API.

``AsyncRev23`` and ``AsyncRevio`` are the clients; ``SessionManager`` shares one
connection pool across many clients and keys; ``revclient.sync`` offers the same
resources as blocking calls; ``revclient.pull`` writes every record of a list into a sink
(``revclient.sinks``: JSON lines, JSON, CSV, Parquet, DuckDB); ``revclient.testing.Sandbox``
serves both APIs locally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._config import RateLimit, RetryPolicy
from ._log import configure_from_env
from ._options import NOT_GIVEN, ClientOptions, NotGiven
from ._session import SessionManager
from ._version import __version__
from .errors import (
    APIError,
    AuthenticationError,
    BackendError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ConnectError,
    ConnectTimeoutError,
    NotFoundError,
    PageLimitError,
    PaymentRequiredError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    RequestTimeoutError,
    ResponseDecodeError,
    ResponseTooLargeError,
    RevError,
    ServerError,
    TLSError,
    TransportError,
    UnavailableForLegalReasonsError,
    UnprocessableEntityError,
    UpgradeRequiredError,
)

if TYPE_CHECKING:
    from . import rev23, revio, sinks
    from ._advertised import Advertised, Budget, WindowBudget
    from ._checkpoint import Checkpoint
    from ._pagination import AsyncPaginator, Page, SyncPaginator
    from ._pull import PullResult, pull
    from ._response import APIResponse
    from .rev23._client import AsyncRev23
    from .rev23.webhooks import Rev23Event, parse_rev23_event
    from .revio._client import AsyncRevio

configure_from_env()  # REVCLIENT_LOG=debug|info

# Imported on first use: each API's client and models (a program uses one API more often
# than both), pulls (most programs never write a file), webhook parsing, and the types a
# program only meets once a client has answered (which load with the clients anyway).
_LAZY = {
    "Advertised": "._advertised",
    "Budget": "._advertised",
    "WindowBudget": "._advertised",
    "APIResponse": "._response",
    "AsyncPaginator": "._pagination",
    "Page": "._pagination",
    "SyncPaginator": "._pagination",
    "AsyncRev23": ".rev23._client",
    "rev23": ".rev23",
    "AsyncRevio": ".revio._client",
    "revio": ".revio",
    "Checkpoint": "._checkpoint",
    "PullResult": "._pull",
    "pull": "._pull",
    "sinks": ".sinks",
    "Rev23Event": ".rev23.webhooks",
    "parse_rev23_event": ".rev23.webhooks",
}


def __getattr__(name: str) -> Any:
    from ._lazy import load

    return load(__name__, _LAZY, name, globals())


__all__ = [
    "NOT_GIVEN",
    "APIError",
    "APIResponse",
    "Advertised",
    "AsyncPaginator",
    "AsyncRev23",
    "AsyncRevio",
    "AuthenticationError",
    "BackendError",
    "BadRequestError",
    "Budget",
    "Checkpoint",
    "ClientOptions",
    "ConfigurationError",
    "ConflictError",
    "ConnectError",
    "ConnectTimeoutError",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PageLimitError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PullResult",
    "QuotaExceededError",
    "RateLimit",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "Rev23Event",
    "RevError",
    "ServerError",
    "SessionManager",
    "SyncPaginator",
    "TLSError",
    "TransportError",
    "UnavailableForLegalReasonsError",
    "UnprocessableEntityError",
    "UpgradeRequiredError",
    "WindowBudget",
    "__version__",
    "parse_rev23_event",
    "pull",
    "rev23",
    "revio",
    "sinks",
]
