"""Shared fixtures: a sandbox per test (real HTTP on 127.0.0.1) and scaled-down budgets."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from helpers import LIMIT, PERIOD, PULL_RECORDS

from revclient.testing import Sandbox


@pytest.fixture
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    """A sandbox per test, by default with a strict 20 per 0.2 s window per key; a test
    module sets ``SANDBOX = {...}`` for other knobs (``{"rate_limit": None}``: no limit).

    ``Retry-After`` is fractional here: the windows are far shorter than the default's
    whole second, which would turn a rare 429 into a second's wait.
    """
    knobs = {"rate_limit": (LIMIT, PERIOD), "retry_after": "fractional"}
    knobs.update(getattr(request.module, "SANDBOX", {}))
    async with Sandbox(**knobs) as sb:
        yield sb


@pytest.fixture
async def pull_sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox for pulls: no rate limit, pages of 25, ``PULL_RECORDS`` per collection."""
    async with Sandbox(records=PULL_RECORDS, page_size=25, rate_limit=None) as sb:
        yield sb
