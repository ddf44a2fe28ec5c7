# generated from specs/revio.toml by revclient._codegen; do not edit
"""Rev.io PSA API: blocking resources, driven through an anyio portal (generated)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from anyio.from_thread import BlockingPortal

from .._options import NOT_GIVEN, NotGiven, Priority
from .._pagination import DEFAULT_MAX_PAGES, SyncPaginator
from .._transport import to_raw_response_sync
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
from ._resources import (
    ContactsResource,
    CustomersResource,
    OpportunitiesResource,
    ProjectsResource,
    RevioResources,
    TicketsResource,
)

__all__ = [
    "SyncContactsResource",
    "SyncContactsResourceWithRawResponse",
    "SyncCustomersResource",
    "SyncCustomersResourceWithRawResponse",
    "SyncOpportunitiesResource",
    "SyncOpportunitiesResourceWithRawResponse",
    "SyncProjectsResource",
    "SyncProjectsResourceWithRawResponse",
    "SyncRevioResources",
    "SyncRevioResourcesWithRawResponse",
    "SyncTicketsResource",
    "SyncTicketsResourceWithRawResponse",
]


class SyncContactsResource:
    """Blocking twin of :class:`ContactsResource`."""

    def __init__(self, portal: BlockingPortal, resource: ContactsResource) -> None:
        self._portal = portal
        self._async = resource

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
    ) -> SyncPaginator[Contact]:
        """List contacts.

        ``GET /billing/api/v1/contacts``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        Paged by ``page``/``perPage``. Iterate the result for every Contact, or call ``.pages()`` or
        ``.first_page()``; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                page_size=page_size,
                concurrency=concurrency,
                max_pages=max_pages,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            ),
        )

    def get(
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
        return self._portal.call(
            functools.partial(
                self._async.get,
                contact_id,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
        )


class SyncCustomersResource:
    """Blocking twin of :class:`CustomersResource`."""

    def __init__(self, portal: BlockingPortal, resource: CustomersResource) -> None:
        self._portal = portal
        self._async = resource

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
    ) -> SyncPaginator[Customer]:
        """List billing customers.

        ``GET /billing/api/v1/customers``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        Paged by ``page``/``perPage``. Iterate the result for every Customer, or call ``.pages()``
        or ``.first_page()``; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                page_size=page_size,
                concurrency=concurrency,
                max_pages=max_pages,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            ),
        )

    def get(
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
        return self._portal.call(
            functools.partial(
                self._async.get,
                customer_id,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
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
    ) -> SyncPaginator[Invoice]:
        """List the invoices of one billing customer.

        ``GET /billing/api/v1/customers/{customerId}/invoices``. Observed in public third-party
        code, not documented; seen in open-source integrations calling the PSA billing API.

        Paged by ``page``/``perPage``. Iterate the result for every Invoice, or call ``.pages()`` or
        ``.first_page()``; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.invoices(
                customer_id,
                page_size=page_size,
                concurrency=concurrency,
                max_pages=max_pages,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            ),
        )


class SyncOpportunitiesResource:
    """Blocking twin of :class:`OpportunitiesResource`."""

    def __init__(self, portal: BlockingPortal, resource: OpportunitiesResource) -> None:
        self._portal = portal
        self._async = resource

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
    ) -> SyncPaginator[Opportunity]:
        """List sales opportunities.

        ``GET /billing/api/v1/opportunities``. Observed in public third-party code, not documented;
        seen in open-source integrations calling the PSA billing API.

        Paged by ``page``/``perPage``. Iterate the result for every Opportunity, or call
        ``.pages()`` or ``.first_page()``; ``concurrency`` pages are fetched at a time, in order.
        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                page_size=page_size,
                concurrency=concurrency,
                max_pages=max_pages,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            ),
        )

    def get(
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
        return self._portal.call(
            functools.partial(
                self._async.get,
                opportunity_id,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
        )

    def create(
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
        return self._portal.call(
            functools.partial(
                self._async.create,
                customer_id=customer_id,
                name=name,
                amount=amount,
                stage=stage,
                close_date=close_date,
                owner_id=owner_id,
                extra=extra,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
        )

    def update(
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
        return self._portal.call(
            functools.partial(
                self._async.update,
                opportunity_id,
                customer_id=customer_id,
                name=name,
                amount=amount,
                stage=stage,
                close_date=close_date,
                owner_id=owner_id,
                extra=extra,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
        )

    def delete(
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
        return self._portal.call(
            functools.partial(
                self._async.delete,
                opportunity_id,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
        )


class SyncTicketsResource:
    """Blocking twin of :class:`TicketsResource`."""

    def __init__(self, portal: BlockingPortal, resource: TicketsResource) -> None:
        self._portal = portal
        self._async = resource

    def create(
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
        return self._portal.call(
            functools.partial(
                self._async.create,
                customer_id=customer_id,
                ticket_description=ticket_description,
                ticket_type_id=ticket_type_id,
                ticket_status_id=ticket_status_id,
                ticket_priority_id=ticket_priority_id,
                work_requested=work_requested,
                tech_assigned=tech_assigned,
                extra=extra,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
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
    ) -> SyncPaginator[Ticket]:
        """List tickets (rows of the ticket list).

        ``GET /psac/api/v1/ticket-list``. Observed in public third-party code, not documented; seen
        in open-source integrations reading the PSA ticket list.

        Paged by ``page``/``perPage``. Iterate the result for every Ticket, or call ``.pages()`` or
        ``.first_page()``; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                page_size=page_size,
                concurrency=concurrency,
                max_pages=max_pages,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            ),
        )


class SyncProjectsResource:
    """Blocking twin of :class:`ProjectsResource`."""

    def __init__(self, portal: BlockingPortal, resource: ProjectsResource) -> None:
        self._portal = portal
        self._async = resource

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
    ) -> SyncPaginator[Project]:
        """List projects.

        ``GET /project-management/api/v1/projects`` on the ``"projects"`` service's base URL.
        Observed in public third-party code, not documented; seen in open-source integrations
        calling the PSA project-management API (on apim.psarev.io).

        Paged by ``page``/``perPage``. Iterate the result for every Project, or call ``.pages()`` or
        ``.first_page()``; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                page_size=page_size,
                concurrency=concurrency,
                max_pages=max_pages,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            ),
        )

    def get_options(
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
        return self._portal.call(
            functools.partial(
                self._async.get_options,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
        )

    def get(
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
        return self._portal.call(
            functools.partial(
                self._async.get,
                project_id,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
        )

    def create(
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
        return self._portal.call(
            functools.partial(
                self._async.create,
                name=name,
                description=description,
                customer_id=customer_id,
                status=status,
                type=type,
                start_date=start_date,
                end_date=end_date,
                extra=extra,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
        )

    def update(
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
        return self._portal.call(
            functools.partial(
                self._async.update,
                project_id,
                name=name,
                description=description,
                customer_id=customer_id,
                status=status,
                type=type,
                start_date=start_date,
                end_date=end_date,
                extra=extra,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            )
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
    ) -> SyncPaginator[ProjectActivity]:
        """List a project's activity log, oldest first.

        ``GET /project-management/api/v1/projects/{projectId}/activity`` on the ``"projects"``
        service's base URL. Observed in public third-party code, not documented; seen in open-source
        integrations calling the PSA project-management API (on apim.psarev.io).

        Paged by a ``nextCursor`` cursor. Iterate the result for every ProjectActivity, or call
        ``.pages()`` or ``.first_page()``. ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.activity(
                project_id,
                page_size=page_size,
                max_pages=max_pages,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            ),
        )


class SyncRevioResources:
    """Blocking twin of :class:`RevioResources`."""

    contacts: SyncContactsResource
    customers: SyncCustomersResource
    opportunities: SyncOpportunitiesResource
    tickets: SyncTicketsResource
    projects: SyncProjectsResource

    def __init__(self, portal: BlockingPortal, resources: RevioResources) -> None:
        self.contacts = SyncContactsResource(portal, resources.contacts)
        self.customers = SyncCustomersResource(portal, resources.customers)
        self.opportunities = SyncOpportunitiesResource(portal, resources.opportunities)
        self.tickets = SyncTicketsResource(portal, resources.tickets)
        self.projects = SyncProjectsResource(portal, resources.projects)


class SyncContactsResourceWithRawResponse:
    """:class:`SyncContactsResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncContactsResource) -> None:
        self.get = to_raw_response_sync(resource.get)


class SyncCustomersResourceWithRawResponse:
    """:class:`SyncCustomersResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncCustomersResource) -> None:
        self.get = to_raw_response_sync(resource.get)


class SyncOpportunitiesResourceWithRawResponse:
    """:class:`SyncOpportunitiesResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncOpportunitiesResource) -> None:
        self.get = to_raw_response_sync(resource.get)
        self.create = to_raw_response_sync(resource.create)
        self.update = to_raw_response_sync(resource.update)
        self.delete = to_raw_response_sync(resource.delete)


class SyncTicketsResourceWithRawResponse:
    """:class:`SyncTicketsResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncTicketsResource) -> None:
        self.create = to_raw_response_sync(resource.create)


class SyncProjectsResourceWithRawResponse:
    """:class:`SyncProjectsResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncProjectsResource) -> None:
        self.get_options = to_raw_response_sync(resource.get_options)
        self.get = to_raw_response_sync(resource.get)
        self.create = to_raw_response_sync(resource.create)
        self.update = to_raw_response_sync(resource.update)


class SyncRevioResourcesWithRawResponse:
    """The resources of ``with_raw_response``, built on its transport."""

    contacts: SyncContactsResourceWithRawResponse
    customers: SyncCustomersResourceWithRawResponse
    opportunities: SyncOpportunitiesResourceWithRawResponse
    tickets: SyncTicketsResourceWithRawResponse
    projects: SyncProjectsResourceWithRawResponse

    def __init__(self, portal: BlockingPortal, resources: RevioResources) -> None:
        self.contacts = SyncContactsResourceWithRawResponse(
            SyncContactsResource(portal, resources.contacts)
        )
        self.customers = SyncCustomersResourceWithRawResponse(
            SyncCustomersResource(portal, resources.customers)
        )
        self.opportunities = SyncOpportunitiesResourceWithRawResponse(
            SyncOpportunitiesResource(portal, resources.opportunities)
        )
        self.tickets = SyncTicketsResourceWithRawResponse(
            SyncTicketsResource(portal, resources.tickets)
        )
        self.projects = SyncProjectsResourceWithRawResponse(
            SyncProjectsResource(portal, resources.projects)
        )
