# generated from specs/revio.toml by revclient._codegen; do not edit
"""Rev.io PSA API: async resources (generated)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .._models import parse_one, parse_optional, wire_body
from .._pagination import DEFAULT_MAX_PAGES, AsyncPaginator
from .._transport import Transport, encode_path
from ._models import (
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
    Ticket,
)

__all__ = [
    "ContactsResource",
    "CustomersResource",
    "OpportunitiesResource",
    "ProjectsResource",
    "RevioResources",
    "TicketsResource",
]


class ContactsResource:
    """Rev.io PSA API: contacts."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def list(
        self,
        *,
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
    ) -> AsyncPaginator[Contact]:
        """List contacts.

        ``GET /billing/api/v1/contacts``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for
        every Contact; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.
        """
        return AsyncPaginator(
            self._transport,
            "/billing/api/v1/contacts",
            Contact,
            params=params,
            page_param="page",
            size_param="perPage",
            page_size=page_size,
            concurrency=concurrency,
            max_pages=max_pages,
        )

    async def get(
        self, contact_id: int | str, *, params: Mapping[str, Any] | None = None
    ) -> Contact:
        """Get one contact by id.

        ``GET /billing/api/v1/contacts/{id}``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        ``params`` adds query parameters verbatim.
        """
        body = await self._transport._call(
            "GET", encode_path("/billing/api/v1/contacts/{}", contact_id), params=params
        )
        return parse_one(Contact, body)


class CustomersResource:
    """Rev.io PSA API: customers."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def list(
        self,
        *,
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
    ) -> AsyncPaginator[Customer]:
        """List billing customers.

        ``GET /billing/api/v1/customers``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for
        every Customer; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.
        """
        return AsyncPaginator(
            self._transport,
            "/billing/api/v1/customers",
            Customer,
            params=params,
            page_param="page",
            size_param="perPage",
            page_size=page_size,
            concurrency=concurrency,
            max_pages=max_pages,
        )

    async def get(
        self, customer_id: int | str, *, params: Mapping[str, Any] | None = None
    ) -> Customer:
        """Get one billing customer by id.

        ``GET /billing/api/v1/customers/{customerId}``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        ``params`` adds query parameters verbatim.
        """
        body = await self._transport._call(
            "GET", encode_path("/billing/api/v1/customers/{}", customer_id), params=params
        )
        return parse_one(Customer, body)

    def invoices(
        self,
        customer_id: int | str,
        *,
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
    ) -> AsyncPaginator[Invoice]:
        """List the invoices of one billing customer.

        ``GET /billing/api/v1/customers/{customerId}/invoices``. Observed in public third-party
        code, not documented; seen in open-source integrations calling the PSA billing API.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for
        every Invoice; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.
        """
        return AsyncPaginator(
            self._transport,
            encode_path("/billing/api/v1/customers/{}/invoices", customer_id),
            Invoice,
            params=params,
            page_param="page",
            size_param="perPage",
            page_size=page_size,
            concurrency=concurrency,
            max_pages=max_pages,
        )


class OpportunitiesResource:
    """Rev.io PSA API: opportunities."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def list(
        self,
        *,
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
    ) -> AsyncPaginator[Opportunity]:
        """List sales opportunities.

        ``GET /billing/api/v1/opportunities``. Observed in public third-party code, not documented;
        seen in open-source integrations calling the PSA billing API.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for
        every Opportunity; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.
        """
        return AsyncPaginator(
            self._transport,
            "/billing/api/v1/opportunities",
            Opportunity,
            params=params,
            page_param="page",
            size_param="perPage",
            page_size=page_size,
            concurrency=concurrency,
            max_pages=max_pages,
        )

    async def get(
        self, opportunity_id: int | str, *, params: Mapping[str, Any] | None = None
    ) -> Opportunity:
        """Get one opportunity by id.

        ``GET /billing/api/v1/opportunities/{id}``. Observed in public third-party code, not
        documented; seen in open-source integrations calling the PSA billing API.

        ``params`` adds query parameters verbatim.
        """
        body = await self._transport._call(
            "GET", encode_path("/billing/api/v1/opportunities/{}", opportunity_id), params=params
        )
        return parse_one(Opportunity, body)

    async def create(
        self,
        *,
        customer_id: int,
        name: str,
        amount: Decimal | str | None = None,
        stage: str | None = None,
        close_date: date | str | None = None,
        owner_id: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> CreatedOpportunity:
        """Create an opportunity.

        ``POST /billing/api/v1/opportunities``. Observed in public third-party code, not documented;
        seen in open-source integrations calling the PSA billing API.

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedOpportunity``.
        """
        body = await self._transport._call(
            "POST",
            "/billing/api/v1/opportunities",
            json=wire_body(
                {
                    "customerId": customer_id,
                    "name": name,
                    "amount": amount,
                    "stage": stage,
                    "closeDate": close_date,
                    "ownerId": owner_id,
                },
                extra,
            ),
        )
        return parse_one(CreatedOpportunity, body, empty="ok")

    async def update(
        self,
        opportunity_id: int | str,
        *,
        customer_id: int,
        name: str,
        amount: Decimal | str | None = None,
        stage: str | None = None,
        close_date: date | str | None = None,
        owner_id: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Opportunity | None:
        """Replace an opportunity (PUT replaces the whole item: send every field to keep).

        ``PUT /billing/api/v1/opportunities/{id}``. Observed in public third-party code, not
        documented; seen in open-source integrations calling the PSA billing API.

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        Returns ``None`` when the server answers with an empty body.
        """
        body = await self._transport._call(
            "PUT",
            encode_path("/billing/api/v1/opportunities/{}", opportunity_id),
            json=wire_body(
                {
                    "customerId": customer_id,
                    "name": name,
                    "amount": amount,
                    "stage": stage,
                    "closeDate": close_date,
                    "ownerId": owner_id,
                },
                extra,
            ),
        )
        return parse_optional(Opportunity, body)

    async def delete(self, opportunity_id: int | str) -> None:
        """Delete an opportunity.

        ``DELETE /billing/api/v1/opportunities/{id}``. Observed in public third-party code, not
        documented; seen in open-source integrations calling the PSA billing API.
        """
        await self._transport._call(
            "DELETE", encode_path("/billing/api/v1/opportunities/{}", opportunity_id)
        )


class TicketsResource:
    """Rev.io PSA API: tickets."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def create(
        self,
        *,
        customer_id: int,
        ticket_description: str,
        ticket_type_id: int | None = None,
        ticket_status_id: int | None = None,
        ticket_priority_id: int | None = None,
        work_requested: str | None = None,
        tech_assigned: int | str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> CreatedTicket:
        """Create a ticket.

        ``POST /psac/api/v1/ticket``. Observed in public third-party code, not documented; seen in
        open-source integrations creating PSA tickets.

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedTicket``.
        """
        body = await self._transport._call(
            "POST",
            "/psac/api/v1/ticket",
            json=wire_body(
                {
                    "customerId": customer_id,
                    "ticketDescription": ticket_description,
                    "ticketTypeId": ticket_type_id,
                    "ticketStatusId": ticket_status_id,
                    "ticketPriorityId": ticket_priority_id,
                    "workRequested": work_requested,
                    "techAssigned": tech_assigned,
                },
                extra,
            ),
        )
        return parse_one(CreatedTicket, body, empty="ok")

    def list(
        self,
        *,
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
    ) -> AsyncPaginator[Ticket]:
        """List tickets (rows of the ticket list).

        ``GET /psac/api/v1/ticket-list``. Observed in public third-party code, not documented; seen
        in open-source integrations reading the PSA ticket list.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for
        every Ticket; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.
        """
        return AsyncPaginator(
            self._transport,
            "/psac/api/v1/ticket-list",
            Ticket,
            params=params,
            page_param="page",
            size_param="perPage",
            page_size=page_size,
            concurrency=concurrency,
            max_pages=max_pages,
        )


class ProjectsResource:
    """Rev.io PSA API: projects."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def list(
        self,
        *,
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
    ) -> AsyncPaginator[Project]:
        """List projects.

        ``GET /project-management/api/v1/projects`` on the ``"projects"`` service's base URL.
        Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for
        every Project; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.
        """
        return AsyncPaginator(
            self._transport,
            "/project-management/api/v1/projects",
            Project,
            params=params,
            page_param="page",
            size_param="perPage",
            page_size=page_size,
            concurrency=concurrency,
            max_pages=max_pages,
            service="projects",
        )

    async def get_options(self, *, params: Mapping[str, Any] | None = None) -> ProjectOptions:
        """Get the statuses and types a project can take.

        ``GET /project-management/api/v1/projects/options`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        ``params`` adds query parameters verbatim.
        """
        body = await self._transport._call(
            "GET", "/project-management/api/v1/projects/options", params=params, service="projects"
        )
        return parse_one(ProjectOptions, body)

    async def get(
        self, project_id: int | str, *, params: Mapping[str, Any] | None = None
    ) -> Project:
        """Get one project by id.

        ``GET /project-management/api/v1/projects/{projectId}`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        ``params`` adds query parameters verbatim.
        """
        body = await self._transport._call(
            "GET",
            encode_path("/project-management/api/v1/projects/{}", project_id),
            params=params,
            service="projects",
        )
        return parse_one(Project, body)

    async def create(
        self,
        *,
        name: str,
        description: str | None = None,
        customer_id: int | None = None,
        status: str | None = None,
        type: str | None = None,
        start_date: date | str | None = None,
        end_date: date | str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> CreatedProject:
        """Create a project.

        ``POST /project-management/api/v1/projects`` on the ``"projects"`` service's base URL.
        Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedProject``.
        """
        body = await self._transport._call(
            "POST",
            "/project-management/api/v1/projects",
            json=wire_body(
                {
                    "name": name,
                    "description": description,
                    "customerId": customer_id,
                    "status": status,
                    "type": type,
                    "startDate": start_date,
                    "endDate": end_date,
                },
                extra,
            ),
            service="projects",
        )
        return parse_one(CreatedProject, body, empty="ok")

    async def update(
        self,
        project_id: int | str,
        *,
        name: str,
        description: str | None = None,
        customer_id: int | None = None,
        status: str | None = None,
        type: str | None = None,
        start_date: date | str | None = None,
        end_date: date | str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Project | None:
        """Replace a project (PUT replaces the whole item: send every field to keep).

        ``PUT /project-management/api/v1/projects/{projectId}`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        Returns ``None`` when the server answers with an empty body.
        """
        body = await self._transport._call(
            "PUT",
            encode_path("/project-management/api/v1/projects/{}", project_id),
            json=wire_body(
                {
                    "name": name,
                    "description": description,
                    "customerId": customer_id,
                    "status": status,
                    "type": type,
                    "startDate": start_date,
                    "endDate": end_date,
                },
                extra,
            ),
            service="projects",
        )
        return parse_optional(Project, body)

    def activity(
        self,
        project_id: int | str,
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
    ) -> AsyncPaginator[ProjectActivity]:
        """List a project's activity log, oldest first.

        ``GET /project-management/api/v1/projects/{projectId}/activity`` on the ``"projects"``
        service's base URL. Observed in public third-party code, not documented; seen in open-source
        integrations calling the PSA project-management API (on apim.psarev.io).

        Paged by a ``nextCursor`` cursor. Await the result for the first page, or iterate it for
        every ProjectActivity. ``params`` adds query parameters verbatim.
        """
        return AsyncPaginator(
            self._transport,
            encode_path("/project-management/api/v1/projects/{}/activity", project_id),
            ProjectActivity,
            params=params,
            style="cursor",
            cursor_param="nextCursor",
            size_param="perPage",
            page_size=page_size,
            max_pages=max_pages,
            service="projects",
        )


class RevioResources:
    """The Rev.io PSA API's resources, one attribute each; the client inherits them and passes
    itself as the transport.
    """

    contacts: ContactsResource
    customers: CustomersResource
    opportunities: OpportunitiesResource
    tickets: TicketsResource
    projects: ProjectsResource

    def __init__(self, transport: Transport) -> None:
        self.contacts = ContactsResource(transport)
        self.customers = CustomersResource(transport)
        self.opportunities = OpportunitiesResource(transport)
        self.tickets = TicketsResource(transport)
        self.projects = ProjectsResource(transport)
