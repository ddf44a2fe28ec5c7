"""Testing helpers: :class:`Sandbox`, a local fake of the REV23 Cloud and Rev.io PSA APIs.

One origin (``sb.url``) serves both APIs and the Rev.io key exchange:

* REV23: ``X-Api-Key`` + ``X-Tenant-Name`` on every call, else 401
  ``{"message": "Missing or invalid API key or studio name"}``; ``GET /api/v2/customers``
  (``page``, ``pageSize``) and ``GET /api/v2/customers/{id}``.
* Rev.io PSA: ``POST /api/v1/auth/api-key/exchange`` ``{"apiKey": ...}`` returns
  ``{"data": {"token": <HS256 JWT>}}``; later calls need ``Authorization: Bearer <jwt>`` and
  ``X-Revio-Host``. Errors are ProblemDetails (``application/problem+json``).
* A strict per-key sliding-window rate limit (429 + ``Retry-After``; rejected requests do not
  count toward the window), admin knobs (``revoke``, ``expire_tokens``, ``add_key``), fault
  injection (``inject``), and stats for assertions (``stats``, ``max_in_window``).

The pytest plugin :mod:`revclient.testing.pytest_plugin` provides a ``revclient_sandbox``
fixture.
"""

from ._sandbox import (
    COLLECTIONS,
    ENVELOPES,
    FAULTS,
    METAS,
    Fault,
    KeyStats,
    RequestRecord,
    Sandbox,
    SandboxStats,
)

__all__ = [
    "COLLECTIONS",
    "ENVELOPES",
    "FAULTS",
    "METAS",
    "Fault",
    "KeyStats",
    "RequestRecord",
    "Sandbox",
    "SandboxStats",
]
