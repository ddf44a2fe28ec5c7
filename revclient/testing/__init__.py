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
fixture. :data:`FAST_RETRY` is the default retry policy with backoffs in milliseconds, for
tests that inject faults.
"""

from .._config import RetryPolicy
from ._knobs import FAULTS, Fault, KeyStats, RequestRecord, SandboxStats, demo_keys
from ._limits import LIMITERS
from ._pages import ENVELOPES, METAS
from ._sandbox import Sandbox
from ._store import COLLECTIONS

#: The default retry rules (what is retried, how many attempts) with backoffs of 1 to 5 ms
#: instead of 0.5 to 8 s, as stamina's test mode: a test of fault handling against the
#: sandbox takes milliseconds. ``attrs.evolve(FAST_RETRY, ...)`` changes one setting.
FAST_RETRY = RetryPolicy(backoff_base=0.001, backoff_cap=0.005)

__all__ = [
    "COLLECTIONS",
    "ENVELOPES",
    "FAST_RETRY",
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
