# generated from specs/revio.toml by revclient._codegen; do not edit
"""Rev.io PSA API: async resources (generated)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .._models import nothing, one, one_or_empty, optional, wire_body
from .._options import NOT_GIVEN, NotGiven, Priority
from .._pagination import DEFAULT_MAX_PAGES, AsyncPaginator
from .._transport import Transport, encode_path, to_raw_response
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
    "ContactsResourceWithRawResponse",
    "CustomersResource",
    "CustomersResourceWithRawResponse",
    "OpportunitiesResource",
    "OpportunitiesResourceWithRawResponse",
    "ProjectsResource",
    "ProjectsResourceWithRawResponse",
    "RevioResources",
    "RevioResourcesWithRawResponse",
    "TicketsResource",
    "TicketsResourceWithRawResponse",
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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Contact]:
        """List contacts.

        ``GET /billing/api/v1/contacts``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for every
        Contact; ``concurrency`` pages are fetched at a time, in order. ``params`` adds query
        parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="contacts.list",
            template="/billing/api/v1/contacts",
        )

    async def get(
        self,
        contact_id: int | str,
        *,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Contact:
        """Get one contact by id.

        ``GET /billing/api/v1/contacts/{id}``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "GET",
            encode_path("/billing/api/v1/contacts/{}", contact_id),
            one(Contact),
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="contacts.get",
            template="/billing/api/v1/contacts/{id}",
        )


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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Customer]:
        """List billing customers.

        ``GET /billing/api/v1/customers``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for every
        Customer; ``concurrency`` pages are fetched at a time, in order. ``params`` adds query
        parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="customers.list",
            template="/billing/api/v1/customers",
        )

    async def get(
        self,
        customer_id: int | str,
        *,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Customer:
        """Get one billing customer by id.

        ``GET /billing/api/v1/customers/{customerId}``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "GET",
            encode_path("/billing/api/v1/customers/{}", customer_id),
            one(Customer),
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="customers.get",
            template="/billing/api/v1/customers/{customerId}",
        )

    def invoices(
        self,
        customer_id: int | str,
        *,
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Invoice]:
        """List the invoices of one billing customer.

        ``GET /billing/api/v1/customers/{customerId}/invoices``. Observed in public third-party
        code, not documented; seen in open-source integrations calling the PSA billing API.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for every
        Invoice; ``concurrency`` pages are fetched at a time, in order. ``params`` adds query
        parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="customers.invoices",
            template="/billing/api/v1/customers/{customerId}/invoices",
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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Opportunity]:
        """List sales opportunities.

        ``GET /billing/api/v1/opportunities``. Observed in public third-party code, not documented;
        seen in open-source integrations calling the PSA billing API.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for every
        Opportunity; ``concurrency`` pages are fetched at a time, in order. ``params`` adds query
        parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="opportunities.list",
            template="/billing/api/v1/opportunities",
        )

    async def get(
        self,
        opportunity_id: int | str,
        *,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Opportunity:
        """Get one opportunity by id.

        ``GET /billing/api/v1/opportunities/{id}``. Observed in public third-party code, not
        documented; seen in open-source integrations calling the PSA billing API.

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "GET",
            encode_path("/billing/api/v1/opportunities/{}", opportunity_id),
            one(Opportunity),
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="opportunities.get",
            template="/billing/api/v1/opportunities/{id}",
        )

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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> CreatedOpportunity:
        """Create an opportunity.

        ``POST /billing/api/v1/opportunities``. Observed in public third-party code, not documented;
        seen in open-source integrations calling the PSA billing API.

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedOpportunity``.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "POST",
            "/billing/api/v1/opportunities",
            one_or_empty(CreatedOpportunity),
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="opportunities.create",
            template="/billing/api/v1/opportunities",
        )

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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Opportunity | None:
        """Replace an opportunity (PUT replaces the whole item: send every field to keep).

        ``PUT /billing/api/v1/opportunities/{id}``. Observed in public third-party code, not
        documented; seen in open-source integrations calling the PSA billing API.

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        Returns ``None`` when the server answers with an empty body.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "PUT",
            encode_path("/billing/api/v1/opportunities/{}", opportunity_id),
            optional(Opportunity),
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="opportunities.update",
            template="/billing/api/v1/opportunities/{id}",
        )

    async def delete(
        self,
        opportunity_id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> None:
        """Delete an opportunity.

        ``DELETE /billing/api/v1/opportunities/{id}``. Observed in public third-party code, not
        documented; seen in open-source integrations calling the PSA billing API.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "DELETE",
            encode_path("/billing/api/v1/opportunities/{}", opportunity_id),
            nothing,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="opportunities.delete",
            template="/billing/api/v1/opportunities/{id}",
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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> CreatedTicket:
        """Create a ticket.

        ``POST /psac/api/v1/ticket``. Observed in public third-party code, not documented; seen in
        open-source integrations creating PSA tickets.

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedTicket``.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "POST",
            "/psac/api/v1/ticket",
            one_or_empty(CreatedTicket),
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="tickets.create",
            template="/psac/api/v1/ticket",
        )

    def list(
        self,
        *,
        page_size: int | None = None,
        concurrency: int = 1,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Ticket]:
        """List tickets (rows of the ticket list).

        ``GET /psac/api/v1/ticket-list``. Observed in public third-party code, not documented; seen
        in open-source integrations reading the PSA ticket list.

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for every
        Ticket; ``concurrency`` pages are fetched at a time, in order. ``params`` adds query
        parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="tickets.list",
            template="/psac/api/v1/ticket-list",
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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[Project]:
        """List projects.

        ``GET /project-management/api/v1/projects`` on the ``"projects"`` service's base URL.
        Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        Paged by ``page``/``perPage``. Await the result for the first page, or iterate it for every
        Project; ``concurrency`` pages are fetched at a time, in order. ``params`` adds query
        parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="projects.list",
            template="/project-management/api/v1/projects",
        )

    async def get_options(
        self,
        *,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> ProjectOptions:
        """Get the statuses and types a project can take.

        ``GET /project-management/api/v1/projects/options`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "GET",
            "/project-management/api/v1/projects/options",
            one(ProjectOptions),
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="projects.get_options",
            template="/project-management/api/v1/projects/options",
            service="projects",
        )

    async def get(
        self,
        project_id: int | str,
        *,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Project:
        """Get one project by id.

        ``GET /project-management/api/v1/projects/{projectId}`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "GET",
            encode_path("/project-management/api/v1/projects/{}", project_id),
            one(Project),
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="projects.get",
            template="/project-management/api/v1/projects/{projectId}",
            service="projects",
        )

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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> CreatedProject:
        """Create a project.

        ``POST /project-management/api/v1/projects`` on the ``"projects"`` service's base URL.
        Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedProject``.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "POST",
            "/project-management/api/v1/projects",
            one_or_empty(CreatedProject),
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="projects.create",
            template="/project-management/api/v1/projects",
            service="projects",
        )

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
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Project | None:
        """Replace a project (PUT replaces the whole item: send every field to keep).

        ``PUT /project-management/api/v1/projects/{projectId}`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        Returns ``None`` when the server answers with an empty body.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "PUT",
            encode_path("/project-management/api/v1/projects/{}", project_id),
            optional(Project),
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="projects.update",
            template="/project-management/api/v1/projects/{projectId}",
            service="projects",
        )

    def activity(
        self,
        project_id: int | str,
        *,
        page_size: int | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[ProjectActivity]:
        """List a project's activity log, oldest first.

        ``GET /project-management/api/v1/projects/{projectId}/activity`` on the ``"projects"``
        service's base URL. Observed in public third-party code, not documented; seen in open-source
        integrations calling the PSA project-management API (on apim.psarev.io).

        Paged by a ``nextCursor`` cursor. Await the result for the first page, or iterate it for
        every ProjectActivity. ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
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
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="projects.activity",
            template="/project-management/api/v1/projects/{projectId}/activity",
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


class ContactsResourceWithRawResponse:
    """:class:`ContactsResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: ContactsResource) -> None:
        self.get = to_raw_response(resource.get)


class CustomersResourceWithRawResponse:
    """:class:`CustomersResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: CustomersResource) -> None:
        self.get = to_raw_response(resource.get)


class OpportunitiesResourceWithRawResponse:
    """:class:`OpportunitiesResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: OpportunitiesResource) -> None:
        self.get = to_raw_response(resource.get)
        self.create = to_raw_response(resource.create)
        self.update = to_raw_response(resource.update)
        self.delete = to_raw_response(resource.delete)


class TicketsResourceWithRawResponse:
    """:class:`TicketsResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: TicketsResource) -> None:
        self.create = to_raw_response(resource.create)


class ProjectsResourceWithRawResponse:
    """:class:`ProjectsResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: ProjectsResource) -> None:
        self.get_options = to_raw_response(resource.get_options)
        self.get = to_raw_response(resource.get)
        self.create = to_raw_response(resource.create)
        self.update = to_raw_response(resource.update)


class RevioResourcesWithRawResponse:
    """The resources of ``with_raw_response``, built on its transport."""

    contacts: ContactsResourceWithRawResponse
    customers: CustomersResourceWithRawResponse
    opportunities: OpportunitiesResourceWithRawResponse
    tickets: TicketsResourceWithRawResponse
    projects: ProjectsResourceWithRawResponse

    def __init__(self, transport: Transport) -> None:
        self.contacts = ContactsResourceWithRawResponse(ContactsResource(transport))
        self.customers = CustomersResourceWithRawResponse(CustomersResource(transport))
        self.opportunities = OpportunitiesResourceWithRawResponse(OpportunitiesResource(transport))
        self.tickets = TicketsResourceWithRawResponse(TicketsResource(transport))
        self.projects = ProjectsResourceWithRawResponse(ProjectsResource(transport))
