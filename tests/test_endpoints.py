"""Every generated endpoint, through the clients, against the sandbox (and the sync twins)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import answer

import revclient
from revclient._portal import get_portal
from revclient._spec import APIS, load_spec
from revclient._spec import SPECS as SPEC_DIR
from revclient.rev23 import Customer as Rev23Customer
from revclient.rev23 import SyncRev23Resources
from revclient.revio import (
    BODY_CASINGS,
    Contact,
    CreatedMilestone,
    CreatedOpportunity,
    CreatedPhase,
    CreatedProject,
    CreatedTicket,
    Customer,
    Invoice,
    Milestone,
    Opportunity,
    Phase,
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


async def test_contacts_and_opportunities_filter_by_customer(psa: revclient.AsyncRevio) -> None:
    contacts = [c async for c in psa.contacts.list(customer_id=4)]
    assert contacts and all(c.customer_id == 4 for c in contacts)
    opportunities = [o async for o in psa.opportunities.list(customer_id=3)]
    assert opportunities and all(o.customer_id == 3 for o in opportunities)
    assert [o async for o in psa.opportunities.list(customer_id=10_000)] == []


async def test_opportunities_crud(psa: revclient.AsyncRevio) -> None:
    ops = [o async for o in psa.opportunities.list(page_size=10)]
    assert [o.opportunity_id for o in ops] == list(range(1, RECORDS + 1))
    assert all(isinstance(o, Opportunity) and len(o.owner_id or "") == 26 for o in ops)
    created = await psa.opportunities.create(
        customer_id=2,
        name="Renewal",
        amount=Decimal("1500.00"),
        stage_id=3,
        extra={"probability": 40},
    )
    assert isinstance(created, CreatedOpportunity) and created.opportunity_id == RECORDS + 1
    got = await psa.opportunities.get(created.opportunity_id)
    assert (got.name, got.amount, got.stage_id, got.customer_id) == (
        "Renewal",
        Decimal("1500.00"),
        3,
        2,
    )
    assert got.extra == {"probability": 40}
    updated = await psa.opportunities.update(
        created.opportunity_id, customer_id=2, name="Renewal (won)", status_id=2, notes="Signed"
    )
    assert updated is not None and updated.status_id == 2 and updated.amount is None
    await psa.opportunities.delete(created.opportunity_id)
    with pytest.raises(revclient.NotFoundError):
        await psa.opportunities.get(created.opportunity_id)
    with pytest.raises(revclient.BadRequestError):
        await psa.opportunities.create(customer_id=2, name="", extra={"customer_id": "x"})


@pytest.mark.parametrize("casing", ["camel", "snake", "pascal"])
async def test_opportunity_bodies_go_in_the_configured_casing(casing: str) -> None:
    async with (
        Sandbox(rate_limit=None, records=RECORDS, opportunity_casing=casing) as sb,
        revclient.AsyncRevio(
            api_key=sb.revio_api_key,
            host=sb.revio_host,
            base_url=sb.url,
            body_casing={"opportunities": casing},
        ) as psa,
    ):
        created = await psa.opportunities.create(customer_id=3, name="Upsell", type_id=2)
        got = await psa.opportunities.get(created.opportunity_id or 0)
        assert (got.customer_id, got.name, got.type_id) == (3, "Upsell", 2)
        # A server binding another casing sees no customer id at all: a 400, not a guess.
        sb.opportunity_casing = next(c for c in ("camel", "snake", "pascal") if c != casing)
        with pytest.raises(revclient.BadRequestError):
            await psa.opportunities.create(customer_id=3, name="Upsell")


async def test_opportunity_bodies_are_snake_case_by_default(psa: revclient.AsyncRevio) -> None:
    assert BODY_CASINGS == {"opportunities": "snake"}  # from the spec, where evidence conflicts
    raw = await psa.with_raw_response.opportunities.create(customer_id=3, name="Default")
    assert raw.status == 201  # the sandbox binds snake_case by default, like the evidence
    stored = await psa.opportunities.get(raw.parse().opportunity_id or 0)
    assert (stored.customer_id, stored.name) == (3, "Default")


async def test_body_casing_is_checked() -> None:
    with pytest.raises(revclient.ConfigurationError, match="one of camel, snake, pascal"):
        revclient.AsyncRevio(api_key="k", host="h", body_casing={"opportunities": "kebab"})
    with pytest.raises(revclient.ConfigurationError, match="tickets has no configurable casing"):
        revclient.AsyncRevio(api_key="k", host="h", body_casing={"tickets": "snake"})


# ---------------------------------------------------------------------- Rev.io tickets


async def test_tickets(psa: revclient.AsyncRevio) -> None:
    created = await psa.tickets.create(
        customer_id=5,
        ticket_description="Printer on fire",
        ticket_priority_id=4,
        work_requested="Put it out",
        tech_assigned="Zoe Patel",
        techs_associated=[{"globalUserId": "01ABC", "techName": "Zoe", "role": "Assigned"}],
    )
    assert isinstance(created, CreatedTicket) and created.ticket_id == RECORDS + 1
    rows = [t async for t in psa.tickets.list(page_size=12, concurrency=3)]
    assert [t.ticket_id for t in rows] == list(range(1, RECORDS + 2))
    assert all(isinstance(t, Ticket) for t in rows)
    mine = rows[-1]
    assert mine.ticket_description == "Printer on fire" and mine.ticket_priority == "Critical"
    assert mine.customer_id == 5 and mine.customer_name and mine.tech_assigned == "Zoe Patel"
    assert (mine.ticket_state, mine.ticket_status_id) == ("Open", 1)
    assert mine.opened_date is not None and mine.ticket_severity
    one = await psa.tickets.get(created.ticket_id or 0)
    assert one.ticket_id == created.ticket_id and one.extra["techsAssociated"][0]["techName"]
    with pytest.raises(revclient.NotFoundError):
        await psa.tickets.get(10_000)
    # As two public callers do: no customer id.
    anonymous = await psa.tickets.create(ticket_description="Port request", ticket_type_id=2)
    assert (await psa.tickets.get(anonymous.ticket_id or 0)).customer_id is None
    with pytest.raises(revclient.BadRequestError):
        await psa.tickets.create(customer_id=5, ticket_description=" ")
    with pytest.raises(revclient.BadRequestError, match="150 characters"):
        await psa.tickets.create(ticket_description="x" * 151)


async def test_tickets_filter_by_status(psa: revclient.AsyncRevio) -> None:
    every = [t async for t in psa.tickets.list()]
    open_ = [t async for t in psa.tickets.list(status="open")]  # the README's --param
    closed = [t async for t in psa.tickets.list(status="Closed")]
    assert open_ == [t for t in every if t.ticket_state == "Open"] and closed
    assert closed == [t for t in every if t.ticket_status == "Closed"]
    assert len(open_) + len(closed) == RECORDS
    assert [t async for t in psa.tickets.list(status="In Progress")] == [
        t for t in every if t.ticket_status == "In Progress"
    ]


async def test_list_page_sizes_are_clamped_where_public_callers_clamp_them() -> None:
    rec = Recorder()
    res = RevioResources(rec)
    await res.tickets.list(page_size=5000)
    await res.projects.list(page_size=501)
    await res.contacts.list(page_size=5000)  # no known cap
    assert [params["perPage"] for _, _, params in rec.queries] == [500, 500, 5000]


# ---------------------------------------------------------------------- Rev.io projects


async def test_projects(psa: revclient.AsyncRevio) -> None:
    projects = [p async for p in psa.projects.list(page_size=9)]
    assert [p.project_id for p in projects] == list(range(1, RECORDS + 1))
    assert all(isinstance(p, Project) for p in projects)
    assert projects[0].team_members and projects[0].team_members[0].is_lead is True
    mine = [p async for p in psa.projects.list(customer_id=3)]
    assert mine and all(p.customer_id == 3 for p in mine)
    options = await psa.projects.get_options()
    assert isinstance(options, ProjectOptions)
    assert options.project_statuses and options.project_priorities and options.member_roles
    status = options.project_statuses[0].project_status_id
    role = options.member_roles[0].member_role_id
    owner = "01J0000000000000000000OWNR"
    created = await psa.projects.create(
        project_name="Migration",
        customer_id=1,
        project_status_id=int(status or 0),
        start_date=datetime(2025, 2, 1, tzinfo=UTC),
        budget_hours=12.5,
        is_billable=True,
        project_owner_id=owner,
        team_members=[{"globalUserId": owner, "memberRoleId": role, "isLead": True}],
    )
    assert isinstance(created, CreatedProject) and created.project_id == RECORDS + 1
    pid = created.project_id
    got = await psa.projects.get(pid)
    assert got.project_name == "Migration" and got.start_date == datetime(2025, 2, 1, tzinfo=UTC)
    assert got.budget_hours == 12.5 and got.team_members and got.team_members[0].is_lead
    updated = await psa.projects.update(pid, project_name="Migration v2", is_at_risk=True)
    assert updated is not None and updated.project_name == "Migration v2" and updated.is_at_risk
    with pytest.raises(revclient.BadRequestError):
        await psa.projects.create(project_name=" ")
    activity = [a async for a in psa.projects.activity(pid, page_size=1)]
    assert [a.event_type for a in activity] == ["created", "updated"]
    assert all(isinstance(a, ProjectActivity) and a.project_id == pid for a in activity)
    seeded = [a async for a in psa.projects.activity(1, page_size=2)]
    assert len({a.activity_id for a in seeded}) == len(seeded) > 2


async def test_project_activity_filters(psa: revclient.AsyncRevio) -> None:
    every = [a async for a in psa.projects.activity(2)]
    kinds = ["note", "file"]
    by_kind = [a async for a in psa.projects.activity(2, event_type=kinds)]
    assert by_kind and by_kind == [a for a in every if a.event_type in kinds]
    who = every[0].performed_by or ""
    assert [a async for a in psa.projects.activity(2, performed_by=[who])] == [
        a for a in every if a.performed_by == who
    ]
    middle = every[len(every) // 2].created_date
    assert middle is not None
    later = [a async for a in psa.projects.activity(2, date_from=middle)]
    earlier = [a async for a in psa.projects.activity(2, date_to=middle.isoformat())]
    assert later[0] == earlier[-1] == every[len(every) // 2]
    assert len(later) + len(earlier) == len(every) + 1


async def test_phases_and_milestones(psa: revclient.AsyncRevio) -> None:
    start = datetime(2025, 3, 1, tzinfo=UTC)
    phase = await psa.phases.create(
        4,
        phase_name="Discovery",
        phase_sequence=1,
        phase_status_id=2,
        start_date=start,
        planned_hours=6.0,
        progress_percent=0.0,
    )
    assert isinstance(phase, CreatedPhase) and phase.phase_id == 1
    moved = await psa.phases.update(phase.phase_id, phase_name="Discovery", is_at_risk=True)
    assert isinstance(moved, Phase) and moved.is_at_risk and moved.project_id == 4
    milestone = await psa.milestones.create(
        4, milestone_name="Kickoff Call", target_date=start, phase_id=phase.phase_id
    )
    assert isinstance(milestone, CreatedMilestone) and milestone.milestone_id == 1
    updated = await psa.milestones.update(
        milestone.milestone_id, milestone_name="Kickoff Call", phase_id=phase.phase_id
    )
    assert isinstance(updated, Milestone) and updated.phase_id == phase.phase_id
    with pytest.raises(revclient.NotFoundError):
        await psa.phases.create(10_000, phase_name="x")
    with pytest.raises(revclient.NotFoundError):
        await psa.milestones.update(99, milestone_name="x")
    with pytest.raises(revclient.BadRequestError):  # a phase of another project
        await psa.milestones.create(5, milestone_name="x", phase_id=phase.phase_id)
    activity = [a.event_type async for a in psa.projects.activity(4, event_type="phase_created")]
    assert activity == ["phase_created"]


# ---------------------------------------------------------------------- service routing


class Recorder:
    """A Transport recording each call's method, path, service and query."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None]] = []
        self.queries: list[tuple[str, str, Mapping[str, Any]]] = []

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
        self.queries.append((method, path, params or {}))
        if method == "GET" and path.endswith(("/projects", "/activity", "/contacts", "-list")):
            return cast(answer({"data": []}))
        return cast(answer({"data": {"projectId": 1}} if method == "GET" else None))


async def test_projects_pass_their_service_and_others_do_not() -> None:
    rec = Recorder()
    res = RevioResources(rec)
    await res.projects.list()
    await res.projects.get_options()
    await res.projects.get(1)
    await res.projects.create(project_name="x")
    await res.projects.update(1, project_name="x")
    await res.projects.activity(1)
    await res.phases.create(1, phase_name="x")
    await res.phases.update(1, phase_name="x")
    await res.milestones.create(1, milestone_name="x")
    await res.milestones.update(1, milestone_name="x")
    await res.contacts.list()
    await res.tickets.create(customer_id=1, ticket_description="x")
    services = {path: service for _, path, service in rec.calls}
    assert len([c for c in rec.calls if c[1].startswith("/project-")]) == 10
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
    portal = get_portal()
    with Sandbox(rate_limit=None, records=RECORDS, page_size=10).run_in_thread() as sb:

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


async def test_query_lists_repeat_and_dates_are_iso(sb: Sandbox, psa: revclient.AsyncRevio) -> None:
    # What the activity filters need: eventType=a&eventType=b, from=<ISO 8601>.
    every = [a async for a in psa.projects.activity(3)]
    raw = await psa.request(
        "GET",
        "/project-management/api/v1/projects/3/activity",
        params={"eventType": ("note", "file"), "from": every[1].created_date, "perPage": 100},
    )
    assert [a["activityId"] for a in raw["data"]] == [
        a.activity_id for a in every[1:] if a.event_type in ("note", "file")
    ]
    with pytest.raises(revclient.ConfigurationError, match="'eventType' must be a string"):
        await psa.request("GET", "/x", params={"eventType": ["note", object()]})
