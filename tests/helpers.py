"""Helpers for tests: clients pointed at a sandbox with scaled-down budgets."""

from __future__ import annotations

from typing import Any

import revclient
from revclient.testing import Sandbox

# 20 requests per 0.2 s behaves like 200 per minute, 300 times faster.
LIMIT, PERIOD = 20, 0.2


def rev23(sb: Sandbox, **kw: Any) -> revclient.AsyncRev23:
    """A REV23 client on the sandbox, limited like the sandbox unless told otherwise."""
    kw.setdefault("rate_limit", revclient.RateLimit(LIMIT, PERIOD))
    return revclient.AsyncRev23(
        api_key=sb.rev23_api_key, tenant=sb.rev23_tenant, base_url=sb.url, **kw
    )


def revio(sb: Sandbox, **kw: Any) -> revclient.AsyncRevio:
    """A Rev.io PSA client on the sandbox, limited like the sandbox unless told otherwise."""
    kw.setdefault("rate_limit", revclient.RateLimit(LIMIT, PERIOD))
    return revclient.AsyncRevio(api_key=sb.revio_api_key, host=sb.revio_host, base_url=sb.url, **kw)
