"""A throwaway redis-server on a free loopback port, for tests and benchmarks of the
Redis backend (a real server: the backend is never tested against an imitation)."""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass

from ._ports import accepts, free_port

__all__ = ["RedisServer", "redis_server"]

# No persistence and no forking: the server lives and dies with the test.
_NO_DISK = ("--save", "", "--appendonly", "no", "--daemonize", "no")


@dataclass(frozen=True)
class RedisServer:
    """A running redis-server: its port, its process, and a ``redis://`` URL to it."""

    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:PORT/0``."""
        return f"redis://127.0.0.1:{self.port}/0"


@contextlib.contextmanager
def redis_server(*extra: str) -> Iterator[RedisServer]:
    """Start ``redis-server`` on 127.0.0.1 (``extra`` are more server arguments), wait until
    it accepts connections, and stop it on exit."""
    port = free_port()
    proc = subprocess.Popen(
        [*("redis-server", "--port", str(port), "--bind", "127.0.0.1"), *_NO_DISK, *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not accepts(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.02)
        yield RedisServer(port, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
