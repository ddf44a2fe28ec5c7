"""Support for tests against real third-party servers: skip them on a developer machine
that lacks the server, fail them in CI (CI must never skip)."""

from __future__ import annotations

import os

import pytest

from revclient.testing._gateways import GatewayUnavailable, find_binary

__all__ = ["in_ci", "require"]


def in_ci() -> bool:
    """True when the ``CI`` environment variable is set (to anything but empty/0/false/no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(binary: str) -> str:
    """The path of ``binary`` (``"nginx"``, ``"haproxy"``); when it is missing, skip the
    calling test or module, or fail it when running in CI.

    Usable inside a test, a fixture or at module level.
    """
    try:
        return find_binary(binary)
    except GatewayUnavailable as exc:
        if in_ci():
            pytest.fail(f"{exc} (required in CI)", pytrace=False)
        pytest.skip(str(exc), allow_module_level=True)
