"""Loopback ports for the real servers the tests and benchmarks start (Redis, nginx,
HAProxy)."""

from __future__ import annotations

import contextlib
import socket

__all__ = ["accepts", "free_port", "free_port_pair"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the caller binds it next)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def free_port_pair(offset: int) -> int:
    """A free port whose ``port + offset`` is free too and a valid port (a Redis Cluster
    node also listens on its port + 10000)."""
    for _ in range(100):
        port = free_port()
        if port + offset > 65535:
            port = port % (65535 - offset - 1024) + 1024
        with contextlib.suppress(OSError), socket.socket() as a, socket.socket() as b:
            a.bind(("127.0.0.1", port))
            b.bind(("127.0.0.1", port + offset))
            return port
    raise RuntimeError(f"no free pair of ports {offset} apart")


def accepts(port: int) -> bool:
    """Whether something on 127.0.0.1:``port`` accepts connections now."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False
