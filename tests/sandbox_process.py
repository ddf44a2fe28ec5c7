"""``revclient sandbox`` as a subprocess: start it, read the environment it prints, stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from revclient.testing import Sandbox


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any REV23_/REVIO_ variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REV23_", "REVIO_"))}
    env.update(extra)
    return env


def sandbox_vars(sb: Sandbox) -> dict[str, str]:
    """The variables that point revclient at a running sandbox (as ``revclient sandbox``
    prints them)."""
    return {
        "REV23_API_KEY": sb.rev23_api_key,
        "REV23_TENANT": sb.rev23_tenant,
        "REV23_BASE_URL": sb.url,
        "REVIO_API_KEY": sb.revio_api_key,
        "REVIO_HOST": sb.revio_host,
        "REVIO_BASE_URL": sb.url,
    }


@contextmanager
def sandbox_process(*args: str, script: str | None = None) -> Iterator[dict[str, str]]:
    """Run ``revclient sandbox --port 0 ARGS...``; yield the variables it prints to export.

    ``script`` is the console script to run (default: ``python -m revclient.cli``). On exit
    it is stopped with SIGINT and must exit 0 without a traceback.
    """
    command = [script] if script else [sys.executable, "-m", "revclient.cli"]
    proc = subprocess.Popen(
        [*command, "sandbox", "--port", "0", *args],
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        exports: dict[str, str] = {}
        while "REVIO_HOST" not in exports:
            line = proc.stdout.readline()
            assert line, f"the sandbox exited early: {proc.stderr.read() if proc.stderr else ''}"
            if line.startswith("export "):
                name, _, value = line[len("export ") :].strip().partition("=")
                exports[name] = value
        yield exports
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)
        assert proc.returncode == 0
        assert "Traceback" not in stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
