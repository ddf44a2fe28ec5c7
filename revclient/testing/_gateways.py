"""Real off-the-shelf rate limiters as reverse proxies in front of an upstream (the sandbox),
for tests and benchmarks of the client's limiter against what real APIs run.

:func:`nginx_gateway` (``limit_req``, a leaky bucket) and :func:`haproxy_gateway` (a stick
table's ``http_req_rate``, a sliding-window estimate) each start the real server on a free
127.0.0.1 port, limit per ``X-Api-Key`` header, answer 429 over the limit and stop the
server on exit. Nothing here imports pytest: a missing binary is a
:class:`GatewayUnavailable` error, which tests turn into a skip (or a failure in CI).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ._ports import accepts, free_port

__all__ = [
    "Gateway",
    "GatewayUnavailable",
    "find_binary",
    "haproxy_gateway",
    "nginx_gateway",
]

# Debian packages providing each binary, for the error message.
_PACKAGES = {"nginx": "nginx-light", "haproxy": "haproxy"}
# Debian installs both in /usr/sbin, which a non-root PATH often lacks.
_SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")
_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0


class GatewayUnavailable(RuntimeError):
    """The gateway's server binary is not installed (the message says how to install it)."""


@dataclass(frozen=True)
class Gateway:
    """A running rate-limiting reverse proxy: its ``url``, and its 429 counter.

    ``name`` describes the limiter (e.g. ``nginx limit_req 10r/s burst=20 nodelay``),
    ``config`` is the configuration file it runs and ``process`` the server process.
    """

    name: str
    port: int
    config: str = field(repr=False)
    process: subprocess.Popen[bytes] = field(repr=False)
    _count_429: Callable[[], int] = field(repr=False)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def count_429(self) -> int:
        """How many requests the gateway's own limiter has answered 429 so far (while it
        runs). Answers passed through from the upstream are not counted.
        """
        return self._count_429()


def find_binary(name: str) -> str:
    """The path of server binary ``name`` (``"nginx"`` or ``"haproxy"``).

    Raises :class:`GatewayUnavailable` with an install hint when it is missing.
    """
    path = os.pathsep.join([os.environ.get("PATH", os.defpath), *_SBIN])
    found = shutil.which(name, path=path)
    if found is None:
        package = _PACKAGES.get(name, name)
        raise GatewayUnavailable(f"{name} is not installed: apt-get install {package}")
    return found


@contextlib.contextmanager
def nginx_gateway(
    upstream: str, *, rate_per_s: float | str, burst: int = 0, nodelay: bool = True
) -> Iterator[Gateway]:
    """Run nginx on a free 127.0.0.1 port, proxying to ``upstream`` (``http://host:port``)
    through ``limit_req`` keyed on the ``X-Api-Key`` header, answering 429 over the limit.

    ``rate_per_s`` is requests per second (nginx takes whole requests per second or per
    minute: 0.5 becomes ``30r/m``), or an nginx rate such as ``"10r/s"``. ``burst`` and
    ``nodelay`` are ``limit_req``'s (``nodelay`` only matters with a burst). Requests
    without the header are not limited. Upstream connections are HTTP/1.1 keep-alive.
    """
    if burst < 0:
        raise ValueError("burst must be >= 0")
    binary = find_binary("nginx")
    rate = _nginx_rate(rate_per_s)
    target = _host_port(upstream)
    options = f" burst={burst}" if burst else ""
    if burst and nodelay:
        options += " nodelay"
    name = f"nginx limit_req {rate}{options}"
    with tempfile.TemporaryDirectory(prefix="revclient-nginx-") as tmp:
        root = Path(tmp)
        access_log = root / "access.log"

        def config(port: int) -> str:
            return _NGINX_CONF.format(
                # As root the workers would run as nobody, who cannot enter the private
                # temp dir (proxy buffers spill to files in it): stay root.
                user="user root;" if os.geteuid() == 0 else "",
                root=root,
                rate=rate,
                options=options,
                upstream=target,
                port=port,
                access_log=access_log,
            )

        def count_429() -> int:
            # "429 -": answered by limit_req, no upstream involved.
            try:
                text = access_log.read_text()
            except FileNotFoundError:
                return 0
            return sum(1 for line in text.splitlines() if line.split()[1:3] == ["429", "-"])

        def command(conf: Path) -> list[str]:
            # -e: errors before the config is read go to the temp dir too, not /var/log.
            return [binary, "-p", f"{root}/", "-c", str(conf), "-e", str(root / "error.log")]

        with _serve(root, "nginx", config, command, root / "error.log") as (port, cfg, proc):
            yield Gateway(name, port, cfg, proc, count_429)


@contextlib.contextmanager
def haproxy_gateway(upstream: str, *, limit: int, window_s: float) -> Iterator[Gateway]:
    """Run HAProxy on a free 127.0.0.1 port, proxying to ``upstream`` (``http://host:port``)
    and answering 429 when the ``X-Api-Key`` header's ``http_req_rate(window_s)`` in a stick
    table is over ``limit``.

    HAProxy's rate is a sliding-window estimate (the current period's count plus the
    previous period's, weighted by how much of it the window still covers), and every
    tracked request counts, denied ones included. Requests without the header are not
    limited. Upstream connections are kept alive.
    """
    if limit < 1:
        raise ValueError("limit must be >= 1")
    window_ms = round(window_s * 1000)
    if window_ms < 1:
        raise ValueError("window_s must be at least 0.001")
    binary = find_binary("haproxy")
    target = _host_port(upstream)
    name = f"HAProxy http_req_rate({window_s:g}s) > {limit}"
    with tempfile.TemporaryDirectory(prefix="revclient-haproxy-") as tmp:
        root = Path(tmp)
        stats = root / "stats.sock"

        def config(port: int) -> str:
            return _HAPROXY_CONF.format(
                stats=stats,
                port=port,
                window=f"{window_ms}ms",
                # Entries must outlive the window, or a key's history would vanish early.
                expire=f"{max(30_000, 2 * window_ms)}ms",
                limit=limit,
                upstream=target,
            )

        def count_429() -> int:
            # dreq counts requests denied by "http-request deny", the only deny rule here,
            # and is incremented when the rule fires: before the client can see the answer.
            return _haproxy_denied(stats)

        def command(conf: Path) -> list[str]:
            return [binary, "-db", "-f", str(conf)]

        with _serve(root, "haproxy", config, command, root / "stderr.log") as (port, cfg, proc):
            _wait_for(stats.exists, proc, "haproxy", "its stats socket")
            yield Gateway(name, port, cfg, proc, count_429)


_NGINX_CONF = """\
# Generated by revclient.testing._gateways: nginx limit_req in front of the upstream.
daemon off;
worker_processes 1;
{user}
pid {root}/nginx.pid;
lock_file {root}/nginx.lock;
error_log {root}/error.log;

events {{
    worker_connections 4096;
}}

http {{
    # Every path nginx may write to stays in the temp dir.
    client_body_temp_path {root}/client_body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;

    log_format gateway '$msec $status $upstream_status';
    access_log {access_log} gateway;

    limit_req_zone $http_x_api_key zone=keys:1m rate={rate};
    limit_req_status 429;

    upstream backend {{
        server {upstream};
        keepalive 64;
    }}

    server {{
        listen 127.0.0.1:{port};
        location / {{
            limit_req zone=keys{options};
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
        }}
    }}
}}
"""

_HAPROXY_CONF = """\
# Generated by revclient.testing._gateways: an HAProxy stick table in front of the upstream.
global
    maxconn 4096
    stats socket {stats} mode 600 level user

defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s

frontend gateway
    bind 127.0.0.1:{port}
    stick-table type string len 128 size 10k expire {expire} store http_req_rate({window})
    http-request track-sc0 req.hdr(X-Api-Key)
    http-request deny deny_status 429 if {{ sc_http_req_rate(0) gt {limit} }}
    default_backend upstream

backend upstream
    # Reuse idle upstream connections even for the first request of a client connection
    # (the default, "safe", opens a new one for it).
    http-reuse always
    server upstream {upstream}
"""


def _nginx_rate(rate: float | str) -> str:
    if isinstance(rate, str):
        if not re.fullmatch(r"[1-9][0-9]*r/[sm]", rate):
            raise ValueError(f"an nginx rate looks like '10r/s' or '30r/m', got {rate!r}")
        return rate
    if not rate > 0:
        raise ValueError(f"rate_per_s must be > 0, got {rate!r}")
    for unit, scale in (("s", 1), ("m", 60)):
        whole = round(rate * scale)
        if whole >= 1 and abs(rate * scale - whole) < 1e-9:
            return f"{whole}r/{unit}"
    raise ValueError(f"nginx counts whole requests per second or per minute, not {rate!r}/s")


def _host_port(upstream: str) -> str:
    parts = urlsplit(upstream)
    if parts.scheme != "http" or not parts.hostname or parts.port is None:
        raise ValueError(f"upstream must look like http://127.0.0.1:PORT, got {upstream!r}")
    if ":" in parts.hostname:
        raise ValueError("IPv6 upstreams are not supported")
    return f"{parts.hostname}:{parts.port}"


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-2000:].strip()
    except OSError:
        return ""


def _wait_for(
    ready: Callable[[], bool],
    proc: subprocess.Popen[bytes],
    what: str,
    thing: str,
    log: Path | None = None,
) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            detail = _tail(log) if log else ""
            raise RuntimeError(f"{what} did not open {thing}: {detail}".rstrip(": "))
        time.sleep(0.01)


@contextlib.contextmanager
def _serve(
    root: Path,
    what: str,
    config: Callable[[int], str],
    command: Callable[[Path], list[str]],
    log: Path,
) -> Iterator[tuple[int, str, subprocess.Popen[bytes]]]:
    """Write the config for a free port, start the server, wait until the port accepts
    connections, and stop the server (and any children) on exit."""
    conf = root / f"{what}.conf"
    # The free port may be taken between probing and binding: try a few.
    for attempt in range(3):
        port = free_port()
        text = config(port)
        conf.write_text(text)
        with log.open("ab") as err:
            # A session of its own: the terminal's Ctrl-C does not reach it (we stop it), and
            # nginx's worker can be killed with its master as one process group.
            proc = subprocess.Popen(
                command(conf),
                cwd=root,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,
            )
        try:
            _wait_for(functools.partial(accepts, port), proc, what, f"port {port}", log)
        except RuntimeError:
            _stop(proc)
            if attempt == 2 or "in use" not in _tail(log):
                raise
            continue
        try:
            yield port, text, proc
        finally:
            _stop(proc)
        return


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (a fast shutdown for both servers), then SIGKILL to the whole group."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        # The group started for this server (start_new_session), nginx's worker included;
        # its id cannot have been reused while its leader is not yet reaped.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _haproxy_denied(stats: Path) -> int:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(str(stats))
        s.sendall(b"show stat\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    text = b"".join(chunks).decode().removeprefix("# ")
    for row in csv.DictReader(io.StringIO(text)):
        if row["pxname"] == "gateway" and row["svname"] == "FRONTEND":
            return int(row["dreq"] or 0)
    raise RuntimeError("HAProxy's stats have no FRONTEND row for 'gateway'")
