"""Every generated endpoint, through the clients, against the sandbox (and the sync twins)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import start_blocking_portal
from helpers import answer

import revclient
from revclient._codegen import APIS, load_spec
from revclient._codegen import SPECS as SPEC_DIR
from revclient.rev23 import Customer as Rev23Customer
from revclient.rev23 import SyncRev23Resources
from revclient.revio import (
    Contact,
    CreatedOpportunity,
    CreatedProject,
    CreatedTicket,
    Customer,
    Invoice,
    Opportunity,
    Project,
    ProjectActivity,
    ProjectOptions,
    RevioResources,
    SyncRevioResources,
    Ticket,
)
from revclient.testing import Sandbox

RECORDS = 30


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with Sandbox(rate_limit=None, records=RECORDS, page_size=10) as sandbox:
        yield sandbox


@pytest.fixture
async def rev(sb: Sandbox) -> AsyncIterator[revclient.AsyncRev23]:
    async with revclient.AsyncRev23(
        api_key=sb.rev23_api_key, tenant=sb.rev23_tenant, base_url=sb.url, rate_limit=None
    ) as client:
        yield client


@pytest.fixture
async def psa(sb: Sandbox) -> AsyncIterator[revclient.AsyncRevio]:
    async with revclient.AsyncRevio(
        api_key=sb.revio_api_key, host=sb.revio_host, base_url=sb.url, rate_limit=None
    ) as client:
        yield client


# ---------------------------------------------------------------------- REV23


async def test_rev23_customers_list(rev: revclient.AsyncRev23) -> None:
    page = await rev.customers.list(page_size=5)
    assert [c.id for c in page.items] == [1, 2, 3, 4, 5] and page.has_next
    assert all(isinstance(c, Rev23Customer) for c in page.items)
    assert page.items[0].extra == {"loyaltyTier": page.items[0].raw["loyaltyTier"]}
    assert [c.id async for c in rev.customers.list(page_size=7)] == list(range(1, RECORDS + 1))


async def test_rev23_customers_get(rev: revclient.AsyncRev23) -> None:
    c = await rev.customers.get(4)
    assert isinstance(c, Rev23Customer) and c.id == 4 and c.first_name
    assert (await rev.customers.get("4")) == c
    with pytest.raises(revclient.NotFoundError):
        await rev.customers.get(10_000)
    with pytest.raises(revclient.NotFoundError):
        await rev.customers.get("4/../5")  # encoded: never another path


# ---------------------------------------------------------------------- Rev.io billing


async def test_contacts(psa: revclient.AsyncRevio) -> None:
    contacts = [c async for c in psa.contacts.list(page_size=8, concurrency=2)]
    assert [c.contact_id for c in contacts] == list(range(1, RECORDS + 1))
    assert all(isinstance(c, Contact) for c in contacts)
    one = await psa.contacts.get(3)
    assert one == contacts[2] and one.extra["preferredChannel"]
    with pytest.raises(revclient.NotFoundError):
        await psa.contacts.get(999_999)


async def test_customers_and_invoices(psa: revclient.AsyncRevio) -> None:
    page = await psa.customers.list()
    assert len(page.items) == 10 and isinstance(page.items[0], Customer)
    assert isinstance(page.items[0].balance, Decimal)
    assert len([c async for c in psa.customers.list()]) == RECORDS
    customer = await psa.customers.get(3)
    assert customer.customer_id == 3 and "address" in customer.extra
    invoices = [i async for i in psa.customers.invoices(3, page_size=2)]
    assert invoices and all(isinstance(i, Invoice) and i.customer_id == 3 for i in invoices)
    assert isinstance(invoices[0].total, Decimal) and isinstance(invoices[0].due_date, date)


async def test_opportunities_crud(psa: revclient.AsyncRevio) -> None:
    ops = [o async for o in psa.opportunities.list(page_size=10)]
    assert [o.opportunity_id for o in ops] == list(range(1, RECORDS + 1))
    assert all(isinstance(o, Opportunity) and len(o.owner_id or "") == 26 for o in ops)
    created = await psa.opportunities.create(
        customer_id=2,
        name="Renewal",
        amount=Decimal("1500.00"),
        close_date=date(2025, 1, 31),
        extra={"probability": 40},
    )
    assert isinstance(created, CreatedOpportunity) and created.opportunity_id == RECORDS + 1
    got = await psa.opportunities.get(created.opportunity_id)
    assert (got.name, got.amount, got.close_date) == (
        "Renewal",
        Decimal("1500.00"),
        date(2025, 1, 31),
    )
    assert got.extra == {"probability": 40}
    updated = await psa.opportunities.update(
        created.opportunity_id,
        customer_id=2,
        name="Renewal (won)",
        stage="Closed Won",
    )
    assert updated is not None and updated.stage == "Closed Won" and updated.amount is None
    await psa.opportunities.delete(created.opportunity_id)
    with pytest.raises(revclient.NotFoundError):
        await psa.opportunities.get(created.opportunity_id)
    with pytest.raises(revclient.BadRequestError):
        await psa.opportunities.create(customer_id=2, name="", extra={"customerId": "x"})


# ---------------------------------------------------------------------- Rev.io tickets


async def test_tickets(psa: revclient.AsyncRevio) -> None:
    created = await psa.tickets.create(
        customer_id=5,
        ticket_description="Printer on fire",
        ticket_priority_id=4,
        work_requested="Put it out",
    )
    assert isinstance(created, CreatedTicket) and created.ticket_id == RECORDS + 1
    rows = [t async for t in psa.tickets.list(page_size=12, concurrency=3)]
    assert [t.ticket_id for t in rows] == list(range(1, RECORDS + 2))
    assert all(isinstance(t, Ticket) for t in rows)
    mine = rows[-1]
    assert mine.ticket_description == "Printer on fire" and mine.ticket_priority == "Critical"
    assert mine.customer_id == 5 and mine.customer_name
    with pytest.raises(revclient.BadRequestError):
        await psa.tickets.create(customer_id=5, ticket_description=" ")


# ---------------------------------------------------------------------- Rev.io projects


async def test_projects(psa: revclient.AsyncRevio) -> None:
    projects = [p async for p in psa.projects.list(page_size=9)]
    assert [p.project_id for p in projects] == list(range(1, RECORDS + 1))
    assert all(isinstance(p, Project) for p in projects)
    options = await psa.projects.get_options()
    assert isinstance(options, ProjectOptions) and options.statuses and options.types
    names = [s.name for s in options.statuses or []]
    created = await psa.projects.create(
        name="Migration", customer_id=1, status=names[0], start_date="2025-02-01"
    )
    assert isinstance(created, CreatedProject) and created.project_id == RECORDS + 1
    pid = created.project_id
    got = await psa.projects.get(pid)
    assert got.name == "Migration" and got.start_date == date(2025, 2, 1)
    updated = await psa.projects.update(pid, name="Migration v2", status=names[1])
    assert updated is not None and updated.name == "Migration v2"
    activity = [a async for a in psa.projects.activity(pid, page_size=1)]
    assert [a.type for a in activity] == ["created", "updated"]
    assert all(isinstance(a, ProjectActivity) and a.project_id == pid for a in activity)
    seeded = [a async for a in psa.projects.activity(1, page_size=2)]
    assert len({a.activity_id for a in seeded}) == len(seeded) > 2


# ---------------------------------------------------------------------- service routing


class Recorder:
    """A Transport recording each call's method, path and service."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None]] = []

    async def _call(
        self,
        method: str,
        path: str,
        cast: Callable[[revclient.APIResponse[Any]], Any],
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        service: str | None = None,
        **options: Any,
    ) -> Any:
        self.calls.append((method, path, service))
        if method == "GET" and path.endswith(("/projects", "/activity", "/contacts")):
            return cast(answer({"data": []}))
        return cast(answer({"data": {"projectId": 1}} if method == "GET" else None))


async def test_projects_pass_their_service_and_others_do_not() -> None:
    rec = Recorder()
    res = RevioResources(rec)
    await res.projects.list()
    await res.projects.get_options()
    await res.projects.get(1)
    await res.projects.create(name="x")
    await res.projects.update(1, name="x")
    await res.projects.activity(1)
    await res.contacts.list()
    await res.tickets.create(customer_id=1, ticket_description="x")
    services = {path: service for _, path, service in rec.calls}
    assert all(s == "projects" for p, s in services.items() if p.startswith("/project-"))
    assert services["/billing/api/v1/contacts"] is None
    assert services["/psac/api/v1/ticket"] is None


async def test_projects_follow_the_projects_base_url(sb: Sandbox) -> None:
    # The sandbox serves no "/apim" prefix, so the log shows where each call went.
    async with revclient.AsyncRevio(
        api_key=sb.revio_api_key,
        host=sb.revio_host,
        base_url=sb.url,
        base_urls={"projects": sb.url + "/apim"},
        rate_limit=None,
    ) as psa:
        assert len((await psa.contacts.list()).items) == 10
        with pytest.raises(revclient.NotFoundError):
            await psa.projects.list()
    paths = [r.path for r in sb.stats.log]
    assert "/apim/project-management/api/v1/projects" in paths
    assert "/billing/api/v1/contacts" in paths


def test_every_spec_endpoint_is_tested_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    for api in APIS:
        spec = load_spec(SPEC_DIR / f"{api}.toml")
        for ep in spec.endpoints:
            assert f".{ep.resource}.{ep.name}(" in source, (api, ep.resource, ep.name)


# ---------------------------------------------------------------------- sync twins


def test_sync_twins_against_sandbox() -> None:
    with (
        Sandbox(rate_limit=None, records=RECORDS, page_size=10).run_in_thread() as sb,
        start_blocking_portal() as portal,
    ):

        async def make() -> tuple[revclient.AsyncRev23, revclient.AsyncRevio]:
            return (
                revclient.AsyncRev23(
                    api_key=sb.rev23_api_key, tenant=sb.rev23_tenant, base_url=sb.url
                ),
                revclient.AsyncRevio(api_key=sb.revio_api_key, host=sb.revio_host, base_url=sb.url),
            )

        rev, psa = portal.call(make)
        try:
            srev = SyncRev23Resources(portal, rev)
            spsa = SyncRevioResources(portal, psa)
            assert [c.id for c in srev.customers.list(page_size=8)] == list(range(1, RECORDS + 1))
            assert srev.customers.get(2).id == 2
            assert srev.customers.list().first_page().has_next
            pages = list(spsa.contacts.list(page_size=10).pages())
            assert [len(p.items) for p in pages] == [10, 10, 10]
            created = spsa.tickets.create(customer_id=1, ticket_description="sync")
            assert created.ticket_id == RECORDS + 1
            opp = spsa.opportunities.create(customer_id=1, name="S")
            assert opp.opportunity_id is not None
            spsa.opportunities.delete(opp.opportunity_id)
            for a in spsa.projects.activity(1, page_size=1):
                assert a.project_id == 1
                break  # leaving early closes the async generator
        finally:
            portal.call(rev.aclose)
            portal.call(psa.aclose)
