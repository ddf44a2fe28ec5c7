"""Loopback ports for the real servers the tests and benchmarks start (Redis, nginx,
HAProxy)."""

from __future__ import annotations

import contextlib
import socket

__all__ = ["accepts", "free_port"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the caller binds it next)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def accepts(port: int) -> bool:
    """Whether something on 127.0.0.1:``port`` accepts connections now."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False
