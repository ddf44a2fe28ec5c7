"""Shared fixtures: a sandbox per test (real HTTP on 127.0.0.1) and scaled-down budgets."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from helpers import LIMIT, PERIOD

from revclient.testing import Sandbox


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A sandbox with a strict 20 per 0.2 s window per key."""
    async with Sandbox(rate_limit=(LIMIT, PERIOD)) as sb:
        yield sb
