"""A throwaway redis-server on a free loopback port, for tests and benchmarks of the
Redis backend (a real server: the backend is never tested against an imitation)."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass

from ._ports import accepts, free_port, free_port_pair

__all__ = [
    "RedisCluster",
    "RedisSentinel",
    "RedisServer",
    "redis_cluster",
    "redis_sentinel",
    "redis_server",
]

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
def redis_server(*extra: str, port: int | None = None) -> Iterator[RedisServer]:
    """Start ``redis-server`` on 127.0.0.1 (``extra`` are more server arguments; ``port``
    a free one unless given), wait until it accepts connections, and stop it on exit."""
    port = free_port() if port is None else port
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
        _stop(proc)


@dataclass(frozen=True)
class RedisCluster:
    """A running Redis Cluster of primaries on loopback, and a ``redis+cluster://`` URL."""

    nodes: tuple[RedisServer, ...]

    @property
    def url(self) -> str:
        """``redis+cluster://127.0.0.1:PORT`` of the first node (the others are found)."""
        return f"redis+cluster://127.0.0.1:{self.nodes[0].port}"


@contextlib.contextmanager
def redis_cluster(primaries: int = 3) -> Iterator[RedisCluster]:
    """Start ``primaries`` cluster-enabled ``redis-server``s, join them into one cluster
    with ``redis-cli --cluster create`` (slots spread, no replicas), wait until every slot
    is served, and stop them on exit."""
    with contextlib.ExitStack() as stack:
        workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="revclient-cluster-"))
        nodes = tuple(
            stack.enter_context(
                redis_server(
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", f"{workdir}/nodes-{i}.conf",
                    "--cluster-node-timeout", "2000",
                    "--dir", workdir,
                    port=free_port_pair(10_000),  # the cluster bus listens on port + 10000
                )
            )
            for i in range(primaries)
        )  # fmt: skip
        subprocess.run(
            ["redis-cli", "--cluster", "create"]
            + [f"127.0.0.1:{node.port}" for node in nodes]
            + ["--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        deadline = time.monotonic() + 20
        for node in nodes:
            while (
                b"cluster_state:ok"
                not in subprocess.run(
                    ["redis-cli", "-p", str(node.port), "cluster", "info"],
                    capture_output=True,
                    check=False,
                    timeout=10,
                ).stdout
            ):
                if time.monotonic() > deadline:
                    raise RuntimeError("the Redis Cluster did not come up")
                time.sleep(0.05)
        yield RedisCluster(nodes)


@dataclass(frozen=True)
class RedisSentinel:
    """A primary, a replica and a Sentinel watching them as ``service``."""

    primary: RedisServer
    replica: RedisServer
    sentinel_port: int
    service: str

    @property
    def url(self) -> str:
        """``redis+sentinel://127.0.0.1:PORT/SERVICE``."""
        return f"redis+sentinel://127.0.0.1:{self.sentinel_port}/{self.service}"

    def primary_port(self) -> int:
        """The port of the node the Sentinel names primary now."""
        out = subprocess.run(
            ["redis-cli", "-p", str(self.sentinel_port), "sentinel",
             "get-master-addr-by-name", self.service],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.split()  # fmt: skip
        return int(out[1])

    def failover(self, timeout: float = 30) -> None:
        """Make the replica the primary (``SENTINEL FAILOVER``) and wait until it is."""
        before = self.primary_port()
        deadline = time.monotonic() + timeout
        while True:
            result = subprocess.run(
                ["redis-cli", "-p", str(self.sentinel_port), "sentinel", "failover",
                 self.service],
                capture_output=True, text=True, check=False, timeout=10,
            )  # fmt: skip
            if "OK" in result.stdout:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"SENTINEL FAILOVER refused: {result.stdout.strip()}")
            time.sleep(0.2)  # the Sentinel may not know the replica yet
        while self.primary_port() == before:
            if time.monotonic() > deadline:
                raise RuntimeError("the failover did not happen")
            time.sleep(0.05)


@contextlib.contextmanager
def redis_sentinel(service: str = "revclient") -> Iterator[RedisSentinel]:
    """Start a primary, a replica of it and a ``redis-sentinel`` that watches them, and
    stop them all on exit."""
    with contextlib.ExitStack() as stack:
        workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="revclient-sentinel-"))
        primary = stack.enter_context(redis_server())
        replica = stack.enter_context(redis_server("--replicaof", "127.0.0.1", str(primary.port)))
        port = free_port()
        config = f"{workdir}/sentinel.conf"
        with open(config, "w", encoding="utf-8") as f:
            f.write(
                f"port {port}\nbind 127.0.0.1\ndir {workdir}\n"
                f"sentinel monitor {service} 127.0.0.1 {primary.port} 1\n"
                f"sentinel down-after-milliseconds {service} 1000\n"
                f"sentinel failover-timeout {service} 5000\n"
            )
        proc = subprocess.Popen(
            ["redis-sentinel", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        stack.callback(_stop, proc)
        deadline = time.monotonic() + 10
        while not accepts(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-sentinel did not start on port {port}")
            time.sleep(0.02)
        yield RedisSentinel(primary, replica, port, service)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
