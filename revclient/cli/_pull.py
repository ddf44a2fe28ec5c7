"""What ``revclient pull`` and ``revclient get`` do, without the command-line parsing.

Records come from the generated resources (``getattr(client, resource).list(...).pages()``);
the pagination rules live there, not here.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ConfigurationError

if TYPE_CHECKING:
    from ..backends import StateBackend
    from ..testing import Sandbox

__all__ = [
    "SANDBOX_DEMO",
    "Api",
    "fetch_one",
    "make_client",
    "pull_pages",
    "run_interruptible",
    "sandbox_for_demo",
]

Api = Literal["rev23", "revio"]

#: Sandbox settings for ``--sandbox``: realistic (paged, rate limited, a little latency)
#: yet quick: 1000 records in 20 pages of 50, at most 5 requests per second, about 4 s.
SANDBOX_DEMO: dict[str, Any] = {
    "records": 1000,
    "latency": 0.02,
    "rate_limit": (5, 1.0),
}


def sandbox_for_demo() -> Sandbox:
    """The sandbox ``--sandbox`` starts in-process (see :data:`SANDBOX_DEMO`)."""
    from ..testing import Sandbox

    return Sandbox(**SANDBOX_DEMO)


def make_client(api: Api, *, sandbox: Sandbox | None, backend: StateBackend | None) -> Any:
    """A client configured from the environment, or pointed at a running ``sandbox``."""
    from .._client import AsyncRev23, AsyncRevio
    from .._config import RateLimit

    if sandbox is None:
        if api == "rev23":
            return AsyncRev23(backend=backend)
        return AsyncRevio(backend=backend)
    # The client's limiter matches the sandbox's budget, as it would a real server's.
    limit, period = SANDBOX_DEMO["rate_limit"]
    rate = RateLimit(limit=limit, period=period)
    if api == "rev23":
        return AsyncRev23(
            sandbox.rev23_api_key,
            sandbox.rev23_tenant,
            base_url=sandbox.url,
            rate_limit=rate,
            backend=backend,
        )
    return AsyncRevio(
        sandbox.revio_api_key,
        sandbox.revio_host,
        base_url=sandbox.url,
        auth_url=sandbox.url,
        rate_limit=rate,
        backend=backend,
    )


# ---------------------------------------------------------------------------- resources


def _resources(client: Any, method: str) -> list[str]:
    """Names of the client's generated resources that have ``method``."""
    names = []
    for name in dir(client):
        if name.startswith("_"):
            continue
        with contextlib.suppress(Exception):
            value = getattr(client, name)
            if not callable(value) and callable(getattr(value, method, None)):
                names.append(name)
    return sorted(names)


def _resource(client: Any, api: Api, name: str, method: str) -> Any:
    """The resource object named ``name``, or an error listing the valid names."""
    available = _resources(client, method)
    if name not in available:
        raise ConfigurationError(
            f"unknown {api} resource {name!r} for {method}; valid: {', '.join(available)}"
        )
    return getattr(client, name)


def record_of(item: Any) -> dict[str, Any]:
    """The record as the server sent it (unknown fields included)."""
    if isinstance(item, Mapping):
        return dict(item)
    # Generated models keep the payload as received in ``raw``; to_dict() is the wire form.
    raw = getattr(item, "raw", None)
    if isinstance(raw, Mapping):
        return dict(raw)
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        value = to_dict()
        if isinstance(value, Mapping):
            return dict(value)
    return {"value": item}


async def pull_pages(
    client: Any,
    api: Api,
    resource: str,
    *,
    page_size: int | None,
    concurrency: int | None,
    params: Mapping[str, str],
) -> AsyncIterator[tuple[list[dict[str, Any]], int | None]]:
    """Every page of ``resource`` as (records, total when the server says it), in order."""
    res = _resource(client, api, resource, "list")
    kwargs: dict[str, Any] = {"page_size": page_size, "params": dict(params) or None}
    if concurrency is not None:
        kwargs["concurrency"] = concurrency
    async with contextlib.aclosing(res.list(**kwargs).pages()) as pages:
        async for page in pages:
            yield [record_of(item) for item in page.items], page.total


async def fetch_one(client: Any, api: Api, resource: str, item_id: str) -> dict[str, Any]:
    """One record by id, as the server sent it."""
    res = _resource(client, api, resource, "get")
    # Ids are integers in both APIs; anything else is passed (percent-encoded) as given.
    key: int | str = int(item_id) if item_id.isdigit() else item_id
    return record_of(await res.get(key))


# ---------------------------------------------------------------------------- Ctrl-C


def run_interruptible(main: Callable[[Callable[[], int]], Any]) -> Any:
    """Run ``main(interrupted)`` on a new event loop; Ctrl-C (SIGINT) and SIGTERM cancel it
    instead of killing it.

    ``main`` receives a function giving the signal that arrived (0 for none); it should
    catch ``asyncio.CancelledError`` and finish its output when interrupted. A second
    signal while it finishes is ignored: finishing is quick, and a second cancellation
    would break it.
    """

    async def runner() -> Any:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        received: list[int] = []

        def on_signal(signum: int) -> None:
            if not received:
                task.cancel()
            received.append(signum)

        handled = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, on_signal, signum)
                handled.append(signum)
        # Without loop signal handlers (Windows, or not the main thread) asyncio.run's own
        # SIGINT handling cancels the task, and every cancellation counts as Ctrl-C.
        default = 0 if signal.SIGINT in handled else int(signal.SIGINT)
        try:
            return await main(lambda: received[0] if received else default)
        finally:
            for signum in handled:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(signum)
                    if received:
                        # The command is finishing after an interrupt: a later signal must
                        # not cut its summary and exit code short.
                        signal.signal(signum, signal.SIG_IGN)

    return asyncio.run(runner())
