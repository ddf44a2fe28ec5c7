"""Pytest plugin: the ``revclient_sandbox`` fixture.

The fixture yields a running :class:`~revclient.testing.Sandbox` served from a background
thread, so it works in sync and async tests alike without any async pytest plugin. Pass
constructor arguments with ``@pytest.mark.revclient_sandbox(rate_limit=(5, 0.2), ...)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._sandbox import Sandbox

__all__ = ["revclient_sandbox"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``revclient_sandbox`` marker."""
    config.addinivalue_line(
        "markers",
        "revclient_sandbox(**kwargs): keyword arguments for the revclient_sandbox fixture's "
        "Sandbox(...)",
    )


@pytest.fixture
def revclient_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A running :class:`~revclient.testing.Sandbox` (function scope, own thread)."""
    marker = request.node.get_closest_marker("revclient_sandbox")
    kwargs = dict(marker.kwargs) if marker is not None else {}
    with Sandbox(**kwargs).run_in_thread() as sandbox:
        yield sandbox
