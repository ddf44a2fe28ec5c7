"""Testing helpers: :class:`Sandbox`, a local fake of the REV23 Cloud and Rev.io PSA APIs.

One origin (``sb.url``) serves both APIs and the Rev.io key exchange:

* REV23: ``X-Api-Key`` + ``X-Tenant-Name`` on every call, else 401
  ``{"message": "Missing or invalid API key or studio name"}``; ``GET /api/v2/customers``
  (``page``, ``pageSize``) and ``GET /api/v2/customers/{id}``.
* Rev.io PSA: ``POST /api/v1/auth/api-key/exchange`` ``{"apiKey": ...}`` returns
  ``{"data": {"token": <HS256 JWT>}}``; later calls need ``Authorization: Bearer <jwt>`` and
  ``X-Revio-Host``. Errors are ProblemDetails (``application/problem+json``).
* A per-key rate limit (429 + ``Retry-After``; rejected requests do not count toward it):
  ``rate_limit=(limit, period)`` enforced by ``limiter=``, one of :data:`LIMITERS` (default
  ``"window_log"``: a strict sliding window; also ``"fixed_window"``, ``"sliding_counter"``,
  ``"leaky_bucket"`` as nginx ``limit_req`` and ``"token_bucket"`` as AWS API Gateway, the
  buckets taking ``burst=``), admin knobs (``revoke``, ``expire_tokens``, ``add_key``), fault
  injection (``inject``), and stats for assertions (``stats``, ``max_in_window``).

The pytest plugin :mod:`revclient.testing.pytest_plugin` provides a ``revclient_sandbox``
fixture.
"""

from ._limits import LIMITERS
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
    demo_keys,
)

__all__ = [
    "COLLECTIONS",
    "ENVELOPES",
    "FAULTS",
    "LIMITERS",
    "METAS",
    "Fault",
    "KeyStats",
    "RequestRecord",
    "Sandbox",
    "SandboxStats",
    "demo_keys",
]
