"""revclient.sync: the blocking facade over the async clients, through one portal thread."""

from __future__ import annotations

import asyncio
import gc
import inspect
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import LIMIT, PERIOD, rev23

import revclient
import revclient.sync
from revclient import _portal
from revclient.testing import Sandbox

RATE = revclient.RateLimit(LIMIT, PERIOD)


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    """A sandbox on its own thread, so blocking calls never block the server's loop."""
    with Sandbox(rate_limit=(LIMIT, PERIOD)).run_in_thread() as sandbox:
        yield sandbox


def sync_rev23(sb: Sandbox, **kw: Any) -> revclient.sync.Rev23:
    kw.setdefault("rate_limit", RATE)
    kw.setdefault("api_key", sb.rev23_api_key)
    return revclient.sync.Rev23(tenant=sb.rev23_tenant, base_url=sb.url, **kw)


def sync_revio(sb: Sandbox, **kw: Any) -> revclient.sync.Revio:
    kw.setdefault("rate_limit", RATE)
    return revclient.sync.Revio(sb.revio_api_key, sb.revio_host, base_url=sb.url, **kw)


def portal_tasks() -> set[asyncio.Task[Any]]:
    """Tasks alive on the portal's loop (asked on the loop itself)."""
    return _portal.get_portal().call(asyncio.all_tasks)


def live_async_generators() -> list[Any]:
    """Async generators started on the portal's loop and not finished."""
    portal = _portal.get_portal()

    def scan() -> list[Any]:
        gens = portal.loop._asyncgens  # type: ignore[attr-defined]
        return [g for g in list(gens) if g.ag_frame is not None]

    return portal.call(scan)


# -- parity: every async method has a blocking twin with the same signature --------------


def _public_methods(obj: object) -> dict[str, Any]:
    return {
        name: getattr(obj, name)
        for name in dir(type(obj))
        if not name.startswith("_") and callable(getattr(type(obj), name, None))
    }


def _resources(client: object) -> dict[str, object]:
    """Public attributes that are generated resources (objects from revclient.rev23/revio)."""
    out = {}
    for name, value in vars(client).items():
        module = type(value).__module__
        if not name.startswith("_") and module.startswith(("revclient.rev23", "revclient.revio")):
            out[name] = value
    return out


def _same_parameters(async_fn: Any, sync_fn: Any, where: str) -> None:
    a = inspect.signature(async_fn)
    s = inspect.signature(sync_fn)
    assert list(a.parameters) == list(s.parameters), where
    for name, pa in a.parameters.items():
        ps = s.parameters[name]
        assert (pa.kind, pa.default, pa.annotation) == (ps.kind, ps.default, ps.annotation), (
            where,
            name,
        )
    ret_a, ret_s = str(a.return_annotation), str(s.return_annotation)
    # Same result type, minus the async wrapping: Page/model stay, paginators swap kind.
    assert ret_s == ret_a.replace("AsyncPaginator", "SyncPaginator"), (where, ret_a, ret_s)


def _walk(async_obj: object, sync_obj: object, where: str) -> int:
    checked = 0
    for name, method in _public_methods(async_obj).items():
        twin = getattr(sync_obj, name, None)
        assert twin is not None, f"{where}.{name} has no sync twin"
        assert not inspect.iscoroutinefunction(twin), f"{where}.{name} twin is async"
        _same_parameters(method, twin, f"{where}.{name}")
        checked += 1
    for name, resource in _resources(async_obj).items():
        sync_resource = getattr(sync_obj, name, None)
        assert sync_resource is not None, f"{where}.{name} has no sync twin resource"
        checked += _walk(resource, sync_resource, f"{where}.{name}")
    return checked


@pytest.mark.parametrize("api", ["rev23", "revio"])
def test_every_async_resource_method_has_a_sync_twin(api: str) -> None:
    # No network: the clients are only inspected. Loopback URLs need no opt-in.
    args = ("ca_0123456789abcdef", "studio") if api == "rev23" else ("k" * 20, "x.psarev.io")
    async_cls = revclient.AsyncRev23 if api == "rev23" else revclient.AsyncRevio
    sync_cls = revclient.sync.Rev23 if api == "rev23" else revclient.sync.Revio
    async_client = async_cls(*args, base_url="http://127.0.0.1:1", rate_limit=None)
    with sync_cls(*args, base_url="http://127.0.0.1:1", rate_limit=None) as sync_client:
        resources = _resources(async_client)
        assert resources, "the generated resources are missing"
        checked = sum(
            _walk(resource, getattr(sync_client, name), f"{api}.{name}")
            for name, resource in resources.items()
        )
        assert checked >= len(resources)
        # The client itself: request() and the properties.
        _same_parameters(async_client.request, sync_client.request, f"{api}.request")
        for prop in ("key_label", "rate_limit", "tenant" if api == "rev23" else "host"):
            assert getattr(sync_client, prop) == getattr(async_client, prop)


@pytest.mark.parametrize(
    ("async_fn", "sync_fn"),
    [
        (revclient.AsyncRev23.__init__, revclient.sync.Rev23.__init__),
        (revclient.AsyncRevio.__init__, revclient.sync.Revio.__init__),
        (revclient.SessionManager.__init__, revclient.sync.SessionManager.__init__),
        (revclient.SessionManager.rev23, revclient.sync.SessionManager.rev23),
        (revclient.SessionManager.revio, revclient.sync.SessionManager.revio),
    ],
)
def test_constructors_take_the_same_arguments(async_fn: Any, sync_fn: Any) -> None:
    a = inspect.signature(async_fn).parameters
    s = inspect.signature(sync_fn).parameters
    # session= is async-only: an aiohttp session belongs to the loop it was made on.
    public = [
        (n, p.kind, p.default) for n, p in a.items() if not n.startswith("_") and n != "session"
    ]
    assert public == [(n, p.kind, p.default) for n, p in s.items()]


# -- calls against the sandbox --------------------------------------------------------


def test_get_list_and_errors_through_rev23(sb: Sandbox) -> None:
    with sync_rev23(sb) as rev:
        customer = rev.customers.get(7)
        assert customer.id == 7
        first = rev.customers.list(page_size=40).first_page()
        assert len(first.items) == 40 and first.has_next
        ids = [c.id for c in rev.customers.list(page_size=100)]
        assert ids == list(range(1, 251))
        pages = list(rev.customers.list(page_size=100).pages())
        assert [len(p.items) for p in pages] == [100, 100, 50]
        body = rev.request("GET", "/api/v2/customers", params={"page": 2, "pageSize": 5})
        assert [c["id"] for c in body["data"]] == [6, 7, 8, 9, 10]

        with pytest.raises(revclient.NotFoundError) as caught:
            rev.customers.get(999_999)
        err = caught.value
        assert type(err) is revclient.NotFoundError
        assert err.status == 404 and err.method == "GET"
        assert err.url.endswith("/api/v2/customers/999999")
        assert err.body and err.headers["Content-Type"].startswith("application/")
        with pytest.raises(revclient.ConfigurationError):
            rev.request("GET", "no-leading-slash")
    with (
        sync_rev23(sb, api_key="ca_" + "0" * 40) as wrong,
        pytest.raises(revclient.AuthenticationError) as caught_auth,
    ):
        wrong.customers.get(1)
    assert caught_auth.value.status == 401


def test_errors_are_the_async_classes_with_the_same_attributes(sb: Sandbox) -> None:
    async def via_async() -> revclient.APIError:
        async with rev23(sb) as rev:
            try:
                await rev.customers.get(424242)
            except revclient.APIError as exc:
                return exc
        raise AssertionError("no error")

    expected = asyncio.run(via_async())
    with sync_rev23(sb) as rev, pytest.raises(revclient.APIError) as caught:
        rev.customers.get(424242)
    got = caught.value
    assert type(got) is type(expected)
    for attr in ("status", "body", "method", "url", "message"):
        assert getattr(got, attr) == getattr(expected, attr), attr
    assert str(got) == str(expected)


def test_revio_create_list_get_and_single_exchange(sb: Sandbox) -> None:
    with sync_revio(sb) as psa:
        created = psa.tickets.create(
            customer_id=1, ticket_description="printer on fire", ticket_type_id=1
        )
        assert created.ticket_id is not None
        assert psa.contacts.get(3).contact_id == 3
        rows = list(psa.tickets.list(page_size=50))
        assert any(r.ticket_id == created.ticket_id for r in rows)
        with pytest.raises(revclient.BadRequestError) as invalid:
            psa.tickets.create(customer_id=1, ticket_description="")
        assert invalid.value.status == 400 and "ticketDescription" in str(invalid.value)
        with pytest.raises(revclient.NotFoundError) as caught:
            psa.contacts.get(987_654)
        assert caught.value.status == 404
        assert psa.exchanges == 1
    assert sb.stats.keys["revio"].exchanges == 1


def test_session_manager_shares_one_pool(sb: Sandbox) -> None:
    with revclient.sync.SessionManager(rate_limit=RATE) as manager:
        rev = manager.rev23(sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url)
        psa = manager.revio(sb.revio_api_key, sb.revio_host, base_url=sb.url)
        assert rev._async._pool is psa._async._pool is manager._async._pool
        assert rev.customers.get(1).id == 1
        assert psa.request("GET", "/billing/api/v1/contacts/1") is not None
        rev.close()  # a manager's client: leaves the shared pool open
        assert not manager.closed
        assert rev.customers.get(2).id == 2
    assert manager.closed
    with pytest.raises(revclient.TransportError):
        rev.customers.get(3)
    assert "sandbox" not in repr(manager) and "closed" in repr(manager)


def test_repr_shows_no_secret(sb: Sandbox) -> None:
    with sync_rev23(sb) as rev, sync_revio(sb) as psa:
        assert repr(rev).startswith("Rev23(") and sb.rev23_api_key not in repr(rev)
        assert sb.rev23_api_key[:12] in repr(rev)
        assert repr(psa).startswith("Revio(") and sb.revio_api_key not in repr(psa)


def test_constructor_errors_are_the_async_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REV23_API_KEY", raising=False)
    with pytest.raises(revclient.ConfigurationError, match="REV23_API_KEY"):
        revclient.sync.Rev23(tenant="studio")
    with pytest.raises(revclient.ConfigurationError):
        revclient.sync.Revio("k" * 20, "x.psarev.io", base_url="http://example.com")  # not HTTPS


# -- threads, budgets, loops ----------------------------------------------------------


def test_eight_threads_on_one_key_keep_the_window(sb: Sandbox) -> None:
    per_thread = 10
    errors: list[BaseException] = []
    with sync_rev23(sb) as rev:
        barrier = threading.Barrier(8)

        def worker(n: int) -> None:
            try:
                barrier.wait()
                for i in range(per_thread):
                    wanted = 1 + (n * per_thread + i) % 250
                    assert rev.customers.get(wanted).id == wanted
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert not errors, errors
    stats = sb.stats.keys["rev23"]
    assert len(stats.arrivals) == 8 * per_thread
    assert stats.rate_limited == 0


async def test_async_and_sync_clients_on_one_key_share_one_budget() -> None:
    # The sandbox on its own thread: this test's loop stays free for the async client
    # while worker threads block on the sync one.
    with Sandbox(rate_limit=(LIMIT, PERIOD)).run_in_thread() as sb:
        async with rev23(sb) as async_client:
            sync_client = await asyncio.to_thread(sync_rev23, sb)
            try:
                each = 2 * LIMIT
                started = time.monotonic()
                await asyncio.gather(
                    *(async_client.customers.get(1) for _ in range(each)),
                    asyncio.to_thread(lambda: [sync_client.customers.get(2) for _ in range(each)]),
                )
                elapsed = time.monotonic() - started
            finally:
                await asyncio.to_thread(sync_client.close)
        stats = sb.stats.keys["rev23"]
        assert len(stats.arrivals) == 2 * each
        assert stats.rate_limited == 0
        # One budget of LIMIT per PERIOD for both: 4 windows' worth needs 3 periods.
        assert elapsed >= 3 * PERIOD * 0.9


# The warning itself: test_conventions.py::test_sync_call_inside_a_running_loop_warns_once.
@pytest.mark.filterwarnings("ignore:a revclient.sync client was called:RuntimeWarning")
def test_a_call_from_inside_a_running_event_loop_works(sb: Sandbox) -> None:
    with sync_rev23(sb) as rev:

        async def notebook_cell() -> tuple[Any, int]:
            # A sync helper called from async code on another loop: blocks this loop
            # briefly, never deadlocks (the work runs on the portal's loop).
            return rev.customers.get(5).id, len(list(rev.customers.list(page_size=100)))

        assert asyncio.run(notebook_cell()) == (5, 250)


def test_calls_work_while_the_portal_loop_is_in_debug_mode(sb: Sandbox) -> None:
    # asyncio's debug mode refuses scheduling from another thread; calls then go the
    # call_soon_threadsafe way.
    loop = _portal.get_portal().loop
    loop.set_debug(True)
    try:
        with sync_rev23(sb) as rev:
            assert rev.customers.get(3).id == 3
            assert len(list(rev.customers.list(page_size=100))) == 250
    finally:
        loop.set_debug(False)


def test_a_call_on_the_portal_thread_raises_instead_of_deadlocking(sb: Sandbox) -> None:
    with sync_rev23(sb) as rev:
        portal = _portal.get_portal()
        with pytest.raises(revclient.ConfigurationError, match="async client"):
            portal.call(rev.customers.get, 1)  # a sync function run on the portal's loop

        async def inside() -> Any:
            return rev.request("GET", "/api/v2/customers/1")

        with pytest.raises(revclient.ConfigurationError, match="deadlock"):
            portal.call(inside)
        assert rev.customers.get(1).id == 1  # still usable from here


def test_one_portal_for_every_thread() -> None:
    seen: set[int] = set()

    def grab() -> None:
        seen.add(id(_portal.get_portal()))

    threads = [threading.Thread(target=grab) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 1
    assert sum(t.name == "revclient-portal" for t in threading.enumerate()) == 1


def test_pages_cost_one_portal_call_each(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    with sync_rev23(sb) as rev:
        portal = _portal.get_portal()
        calls = 0
        real = type(portal).call

        def counting(self: Any, func: Any, *args: Any) -> Any:
            nonlocal calls
            calls += 1
            return real(self, func, *args)

        monkeypatch.setattr(type(portal), "call", counting)
        items = list(rev.customers.list(page_size=25))
        assert len(items) == 250
        # 10 pages, plus at most one call that finds the end.
        assert calls <= 11, calls


def test_leaving_a_loop_early_leaves_nothing_running(sb: Sandbox) -> None:
    with sync_rev23(sb) as rev:
        before = portal_tasks()
        for customer in rev.customers.list(page_size=10):
            if customer.id == 15:
                break
        for page in rev.customers.list(page_size=10, concurrency=4).pages():
            assert page.items  # read-ahead requests are in flight now
            break
        # A paginator dropped mid-way without an explicit break: closed when collected.
        items = iter(rev.customers.list(page_size=10))
        next(items)
        del items
        gc.collect()
        assert portal_tasks() <= before
        assert live_async_generators() == []
        assert rev.budget().queued == 0


def test_timeout_cancels_the_task_on_the_loop() -> None:
    portal = _portal.get_portal()
    before = portal_tasks()
    with pytest.raises(TimeoutError):
        portal.call_with_timeout(0.05, asyncio.sleep, 10)
    deadline = time.monotonic() + 2
    while portal_tasks() - before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert portal_tasks() <= before


def test_exceptions_from_plain_functions_cross_the_portal() -> None:
    portal = _portal.get_portal()

    def boom() -> None:
        raise revclient.BadRequestError("nope", status=400, method="POST", url="http://x/y")

    with pytest.raises(revclient.BadRequestError) as caught:
        portal.call(boom)
    assert caught.value.status == 400
    assert portal.call(lambda: threading.get_ident()) == portal.thread_id


# -- lifecycle ------------------------------------------------------------------------


def test_garbage_collected_client_closes_its_pool(sb: Sandbox) -> None:
    rev = sync_rev23(sb)
    rev.customers.get(1)
    manager = rev._async._pool
    customers = rev.customers
    del rev
    gc.collect()
    # Resources taken from the client keep it (and its pool) alive.
    assert not manager.closed
    assert customers.get(2).id == 2
    del customers
    gc.collect()
    deadline = time.monotonic() + 2
    while not manager.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert manager.closed


def test_close_is_idempotent(sb: Sandbox) -> None:
    rev = sync_rev23(sb)
    rev.close()
    rev.close()
    with pytest.raises(revclient.TransportError):
        rev.request("GET", "/api/v2/customers/1")


_EXIT_SCRIPT = """
import threading
import revclient
import revclient.sync
from revclient.testing import Sandbox

ctx = Sandbox(rate_limit=None).run_in_thread()
sb = ctx.__enter__()
rev = revclient.sync.Rev23(sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url)
psa = revclient.sync.Revio(sb.revio_api_key, sb.revio_host, base_url=sb.url)
manager = revclient.sync.SessionManager()
other = manager.rev23(sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url)
assert rev.customers.get(1).id == 1 and other.customers.get(2).id == 2
assert psa.request("GET", "/billing/api/v1/contacts/1")
# A call still running in another thread when the main thread ends.
def late():
    try:
        rev.request("GET", "/api/v2/customers/3")
    except revclient.TransportError:
        pass  # the loop stopped first: expected
threading.Thread(target=late, daemon=True).start()
print("ok", flush=True)
# Nothing closed on purpose: the exit hook must close it all, quietly and promptly.
"""


def test_interpreter_exit_closes_everything_quietly() -> None:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", "-c", _EXIT_SCRIPT],
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
    assert "Unclosed" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr
    assert time.monotonic() - started < 15
