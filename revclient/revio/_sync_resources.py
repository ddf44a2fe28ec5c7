# generated from specs/revio.toml by revclient._codegen; do not edit
"""Rev.io PSA API: blocking resources, driven through an anyio portal (generated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .._options import NOT_GIVEN, NotGiven, Priority
from .._pagination import DEFAULT_MAX_PAGES, SyncPaginator
from .._transport import to_raw_response_sync
from ._models import (
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
    Ticket,
)
from ._resources import (
    ContactsResource,
    CustomersResource,
    MilestonesResource,
    OpportunitiesResource,
    PhasesResource,
    ProjectsResource,
    RevioResources,
    TicketsResource,
)

if TYPE_CHECKING:
    from .._portal import Portal

__all__ = [
    "SyncContactsResource",
    "SyncContactsResourceWithRawResponse",
    "SyncCustomersResource",
    "SyncCustomersResourceWithRawResponse",
    "SyncMilestonesResource",
    "SyncMilestonesResourceWithRawResponse",
    "SyncOpportunitiesResource",
    "SyncOpportunitiesResourceWithRawResponse",
    "SyncPhasesResource",
    "SyncPhasesResourceWithRawResponse",
    "SyncProjectsResource",
    "SyncProjectsResourceWithRawResponse",
    "SyncRevioResources",
    "SyncRevioResourcesWithRawResponse",
    "SyncTicketsResource",
    "SyncTicketsResourceWithRawResponse",
]


class SyncContactsResource:
    """Blocking twin of :class:`ContactsResource`."""

    def __init__(self, portal: Portal, resource: ContactsResource) -> None:
        self._portal = portal
        self._async = resource

    def list(
        self,
        *,
        customer_id: int | None = None,
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

        The ``customerId`` filter is observed only: michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` sends it.

        Paged by ``page``/``perPage``. Iterate the result for every Contact, or call ``.pages()`` or
        ``.first_page()``; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                customer_id=customer_id,
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
            self._async.get,
            contact_id,
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )


class SyncCustomersResource:
    """Blocking twin of :class:`CustomersResource`."""

    def __init__(self, portal: Portal, resource: CustomersResource) -> None:
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

        Public code found this list unsupported on its tenant and built customers from ticket rows
        instead (michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``).

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
            self._async.get,
            customer_id,
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
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
        code, not documented; seen in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read).

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

    def __init__(self, portal: Portal, resource: OpportunitiesResource) -> None:
        self._portal = portal
        self._async = resource

    def list(
        self,
        *,
        customer_id: int | None = None,
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
        seen in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read).

        Fields on the wire, and where public code sends them: ``customerId`` [1].

        Paged by ``page``/``perPage``. Iterate the result for every Opportunity, or call
        ``.pages()`` or ``.first_page()``; ``concurrency`` pages are fetched at a time, in order.
        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                customer_id=customer_id,
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
        documented; seen in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read); [2] michaelBullfrog/revio ``main.py`` (a Webex
        opportunities bot; its versions send PascalCase or snake_case bodies).

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.get,
            opportunity_id,
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    def create(
        self,
        *,
        customer_id: int,
        name: str,
        amount: Decimal | str | None = None,
        stage_id: int | None = None,
        status_id: int | None = None,
        type_id: int | None = None,
        source_id: int | None = None,
        notes: str | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> CreatedOpportunity:
        """Create an opportunity.

        ``POST /billing/api/v1/opportunities``. Observed in public third-party code, not documented;
        seen in [1] michaelBullfrog/revio ``main.py`` (a Webex opportunities bot; its versions send
        PascalCase or snake_case bodies).

        Fields on the wire, and where public code sends them: ``customerId`` [1], ``name`` [1],
        ``amount`` [1], ``stageId`` [1], ``statusId`` [1], ``typeId`` [1], ``sourceId`` [1],
        ``notes`` [1].

        Arguments go on the wire in snake case by default, because public callers disagree: two
        versions of michaelBullfrog/revio ``main.py`` send snake_case (``customer_id``,
        ``stage_id``), another sends PascalCase (``CustomerId``, ``ExpectedAmount``), and no caller
        sends camelCase. Choose with the client option ``body_casing={"opportunities": "camel" |
        "snake" | "pascal"}``. ``None`` values are left out and ``extra`` is merged in verbatim, for
        fields this method does not know.

        An empty answer gives an empty ``CreatedOpportunity``.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.create,
            customer_id=customer_id,
            name=name,
            amount=amount,
            stage_id=stage_id,
            status_id=status_id,
            type_id=type_id,
            source_id=source_id,
            notes=notes,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    def update(
        self,
        opportunity_id: int | str,
        *,
        customer_id: int,
        name: str,
        amount: Decimal | str | None = None,
        stage_id: int | None = None,
        status_id: int | None = None,
        type_id: int | None = None,
        source_id: int | None = None,
        notes: str | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Opportunity | None:
        """Replace an opportunity (PUT replaces the whole item: send every field to keep).

        ``PUT /billing/api/v1/opportunities/{id}``. Observed in public third-party code, not
        documented; seen in [1] michaelBullfrog/revio ``main.py`` (a Webex opportunities bot; its
        versions send PascalCase or snake_case bodies).

        Fields on the wire, and where public code sends them: ``customerId`` [1], ``name`` [1],
        ``amount`` [1], ``stageId`` [1], ``statusId`` [1], ``typeId`` [1], ``sourceId`` [1],
        ``notes`` [1].

        Arguments go on the wire in snake case by default, because public callers disagree: two
        versions of michaelBullfrog/revio ``main.py`` send snake_case (``customer_id``,
        ``stage_id``), another sends PascalCase (``CustomerId``, ``ExpectedAmount``), and no caller
        sends camelCase. Choose with the client option ``body_casing={"opportunities": "camel" |
        "snake" | "pascal"}``. ``None`` values are left out and ``extra`` is merged in verbatim, for
        fields this method does not know.

        Returns ``None`` when the server answers with an empty body.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.update,
            opportunity_id,
            customer_id=customer_id,
            name=name,
            amount=amount,
            stage_id=stage_id,
            status_id=status_id,
            type_id=type_id,
            source_id=source_id,
            notes=notes,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
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
        documented; seen in [1] michaelBullfrog/revio ``main.py`` (a Webex opportunities bot; its
        versions send PascalCase or snake_case bodies).

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.delete,
            opportunity_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )


class SyncTicketsResource:
    """Blocking twin of :class:`TicketsResource`."""

    def __init__(self, portal: Portal, resource: TicketsResource) -> None:
        self._portal = portal
        self._async = resource

    def create(
        self,
        *,
        customer_id: int | None = None,
        ticket_description: str,
        ticket_type_id: int | None = None,
        ticket_status_id: int | None = None,
        ticket_priority_id: int | None = None,
        work_requested: str | None = None,
        tech_assigned: str | None = None,
        techs_associated: Sequence[Any] | None = None,
        contacts_associated: Sequence[Any] | None = None,
        custom_fields: Sequence[Any] | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> CreatedTicket:
        """Create a ticket.

        ``POST /psac/api/v1/ticket``. Observed in public third-party code, not documented; seen in
        [1] michaelBullfrog/bullfrog-project-command-center ``main.py``; [2]
        michaelBullfrog/HelpCenter ``revio-ticket-proxy-example.py`` (added in 1fa0e7b, deleted in
        7111016); [3] michaelBullfrog/support ``main.py``.

        Two of the three callers send no ``customerId`` ("do not send customerId if it is
        nullable/unknown"), and two cut ``ticketDescription`` to 150 characters ("must be 150
        characters or less").

        Fields on the wire, and where public code sends them: ``customerId`` [1],
        ``ticketDescription`` [1][2][3], ``ticketTypeId`` [1][2][3], ``ticketStatusId`` [1][2][3],
        ``ticketPriorityId`` [1][2][3], ``workRequested`` [1][2][3], ``techAssigned`` [1],
        ``techsAssociated`` [1], ``contactsAssociated`` [3], ``customFields`` [3].

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedTicket``.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.create,
            customer_id=customer_id,
            ticket_description=ticket_description,
            ticket_type_id=ticket_type_id,
            ticket_status_id=ticket_status_id,
            ticket_priority_id=ticket_priority_id,
            work_requested=work_requested,
            tech_assigned=tech_assigned,
            techs_associated=techs_associated,
            contacts_associated=contacts_associated,
            custom_fields=custom_fields,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    def list(
        self,
        *,
        status: str | None = None,
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
        in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read); [2]
        michaelBullfrog/bullfrog-project-command-center ``main.py``.

        ``status`` matches ``ticketStatus`` or ``ticketState`` (``open``); public code filters on
        those fields itself after fetching, so whether a tenant filters is unconfirmed.

        Fields on the wire, and where public code sends them: ``status`` [1].

        ``page_size`` is clamped to 500, as public callers do.

        Paged by ``page``/``perPage``. Iterate the result for every Ticket, or call ``.pages()`` or
        ``.first_page()``; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                status=status,
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
        ticket_id: int | str,
        *,
        params: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Ticket:
        """Get one ticket by id.

        ``GET /psac/api/v1/ticket/{ticketId}``. Observed in public third-party code, not documented;
        seen in [1] michaelBullfrog/bullfrog-project-command-center ``main.py``.

        Some tenants answer 404 or 405 here (a ``NotFoundError`` or an ``APIError``); the public
        caller then scans ``tickets.list`` for the id.

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.get,
            ticket_id,
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )


class SyncProjectsResource:
    """Blocking twin of :class:`ProjectsResource`."""

    def __init__(self, portal: Portal, resource: ProjectsResource) -> None:
        self._portal = portal
        self._async = resource

    def list(
        self,
        *,
        customer_id: int | None = None,
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
        Observed in public third-party code, not documented (on apim.psarev.io); seen in [1]
        michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read).

        Fields on the wire, and where public code sends them: ``customerId`` [1].

        ``page_size`` is clamped to 500, as public callers do.

        Paged by ``page``/``perPage``. Iterate the result for every Project, or call ``.pages()`` or
        ``.first_page()``; ``concurrency`` pages are fetched at a time, in order. ``params`` adds
        query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.list(
                customer_id=customer_id,
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
        """Get the statuses, priorities and member roles a project can take.

        ``GET /project-management/api/v1/projects/options`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented (on apim.psarev.io); seen in [1]
        michaelBullfrog/bullfrog-project-command-center ``main.py``.

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.get_options,
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
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
        URL. Inferred, neither documented nor observed (REST convention beside the observed PUT on
        the same path); it may not exist.

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.get,
            project_id,
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    def create(
        self,
        *,
        project_name: str,
        project_description: str | None = None,
        project_status_id: int | None = None,
        project_priority_id: int | None = None,
        customer_id: int | None = None,
        start_date: datetime | str | None = None,
        end_date: datetime | str | None = None,
        budget_hours: float | None = None,
        estimated_hours: float | None = None,
        is_billable: bool | None = None,
        project_owner_id: str | None = None,
        team_members: Sequence[Any] | None = None,
        notes: str | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> CreatedProject:
        """Create a project.

        ``POST /project-management/api/v1/projects`` on the ``"projects"`` service's base URL.
        Observed in public third-party code, not documented (on apim.psarev.io); seen in [1]
        michaelBullfrog/bullfrog-project-command-center ``main.py``.

        Fields on the wire, and where public code sends them: ``projectName`` [1],
        ``projectDescription`` [1], ``projectStatusId`` [1], ``projectPriorityId`` [1],
        ``customerId`` [1], ``startDate`` [1], ``endDate`` [1], ``budgetHours`` [1],
        ``estimatedHours`` [1], ``isBillable`` [1], ``projectOwnerId`` [1], ``teamMembers`` [1],
        ``notes`` [1].

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedProject``.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.create,
            project_name=project_name,
            project_description=project_description,
            project_status_id=project_status_id,
            project_priority_id=project_priority_id,
            customer_id=customer_id,
            start_date=start_date,
            end_date=end_date,
            budget_hours=budget_hours,
            estimated_hours=estimated_hours,
            is_billable=is_billable,
            project_owner_id=project_owner_id,
            team_members=team_members,
            notes=notes,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    def update(
        self,
        project_id: int | str,
        *,
        project_name: str,
        project_description: str | None = None,
        project_status_id: int | None = None,
        project_priority_id: int | None = None,
        customer_id: int | None = None,
        start_date: datetime | str | None = None,
        end_date: datetime | str | None = None,
        budget_hours: float | None = None,
        estimated_hours: float | None = None,
        is_billable: bool | None = None,
        project_owner_id: str | None = None,
        is_at_risk: bool | None = None,
        notes: str | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Project | None:
        """Replace a project (PUT replaces the whole item: send every field to keep).

        ``PUT /project-management/api/v1/projects/{projectId}`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented (on apim.psarev.io); seen in [1]
        michaelBullfrog/bullfrog-project-command-center ``main.py``.

        Fields on the wire, and where public code sends them: ``projectName`` [1],
        ``projectDescription`` [1], ``projectStatusId`` [1], ``projectPriorityId`` [1],
        ``customerId`` [1], ``startDate`` [1], ``endDate`` [1], ``budgetHours`` [1],
        ``estimatedHours`` [1], ``isBillable`` [1], ``projectOwnerId`` [1], ``isAtRisk`` [1],
        ``notes`` [1].

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        Returns ``None`` when the server answers with an empty body.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.update,
            project_id,
            project_name=project_name,
            project_description=project_description,
            project_status_id=project_status_id,
            project_priority_id=project_priority_id,
            customer_id=customer_id,
            start_date=start_date,
            end_date=end_date,
            budget_hours=budget_hours,
            estimated_hours=estimated_hours,
            is_billable=is_billable,
            project_owner_id=project_owner_id,
            is_at_risk=is_at_risk,
            notes=notes,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    def activity(
        self,
        project_id: int | str,
        *,
        date_from: datetime | str | None = None,
        date_to: datetime | str | None = None,
        event_type: Sequence[Any] | None = None,
        performed_by: Sequence[Any] | None = None,
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
        service's base URL. Observed in public third-party code, not documented (on apim.psarev.io);
        seen in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read).

        Fields on the wire, and where public code sends them: ``from`` [1], ``to`` [1],
        ``eventType`` [1], ``performedBy`` [1].

        Paged by a ``nextCursor`` cursor. Iterate the result for every ProjectActivity, or call
        ``.pages()`` or ``.first_page()``. ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return SyncPaginator(
            self._portal,
            self._async.activity(
                project_id,
                date_from=date_from,
                date_to=date_to,
                event_type=event_type,
                performed_by=performed_by,
                page_size=page_size,
                max_pages=max_pages,
                params=params,
                extra_headers=extra_headers,
                extra_query=extra_query,
                timeout=timeout,
                priority=priority,
            ),
        )


class SyncPhasesResource:
    """Blocking twin of :class:`PhasesResource`."""

    def __init__(self, portal: Portal, resource: PhasesResource) -> None:
        self._portal = portal
        self._async = resource

    def create(
        self,
        project_id: int | str,
        *,
        phase_name: str,
        phase_sequence: int | None = None,
        phase_status_id: int | None = None,
        start_date: datetime | str | None = None,
        end_date: datetime | str | None = None,
        description: str | None = None,
        phase_owner_id: str | None = None,
        planned_hours: float | None = None,
        is_at_risk: bool | None = None,
        progress_percent: float | None = None,
        baseline_start_date: datetime | str | None = None,
        baseline_end_date: datetime | str | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> CreatedPhase:
        """Add a phase to a project.

        ``POST /project-management/api/v1/projects/{projectId}/phases`` on the ``"projects"``
        service's base URL. Observed in public third-party code, not documented (on apim.psarev.io);
        seen in [1] michaelBullfrog/bullfrog-project-command-center ``main.py``.

        Fields on the wire, and where public code sends them: ``phaseName`` [1], ``phaseSequence``
        [1], ``phaseStatusId`` [1], ``startDate`` [1], ``endDate`` [1], ``description`` [1],
        ``phaseOwnerId`` [1], ``plannedHours`` [1], ``isAtRisk`` [1], ``progressPercent`` [1],
        ``baselineStartDate`` [1], ``baselineEndDate`` [1].

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedPhase``.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.create,
            project_id,
            phase_name=phase_name,
            phase_sequence=phase_sequence,
            phase_status_id=phase_status_id,
            start_date=start_date,
            end_date=end_date,
            description=description,
            phase_owner_id=phase_owner_id,
            planned_hours=planned_hours,
            is_at_risk=is_at_risk,
            progress_percent=progress_percent,
            baseline_start_date=baseline_start_date,
            baseline_end_date=baseline_end_date,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    def update(
        self,
        phase_id: int | str,
        *,
        phase_name: str,
        phase_sequence: int | None = None,
        phase_status_id: int | None = None,
        start_date: datetime | str | None = None,
        end_date: datetime | str | None = None,
        description: str | None = None,
        phase_owner_id: str | None = None,
        planned_hours: float | None = None,
        is_at_risk: bool | None = None,
        progress_percent: float | None = None,
        baseline_start_date: datetime | str | None = None,
        baseline_end_date: datetime | str | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Phase | None:
        """Replace a phase (PUT: send every field to keep).

        ``PUT /project-management/api/v1/phases/{phaseId}`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented (on apim.psarev.io); seen in [1]
        michaelBullfrog/bullfrog-project-command-center ``main.py``.

        Fields on the wire, and where public code sends them: ``phaseName`` [1], ``phaseSequence``
        [1], ``phaseStatusId`` [1], ``startDate`` [1], ``endDate`` [1], ``description`` [1],
        ``phaseOwnerId`` [1], ``plannedHours`` [1], ``isAtRisk`` [1], ``progressPercent`` [1],
        ``baselineStartDate`` [1], ``baselineEndDate`` [1].

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        Returns ``None`` when the server answers with an empty body.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.update,
            phase_id,
            phase_name=phase_name,
            phase_sequence=phase_sequence,
            phase_status_id=phase_status_id,
            start_date=start_date,
            end_date=end_date,
            description=description,
            phase_owner_id=phase_owner_id,
            planned_hours=planned_hours,
            is_at_risk=is_at_risk,
            progress_percent=progress_percent,
            baseline_start_date=baseline_start_date,
            baseline_end_date=baseline_end_date,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )


class SyncMilestonesResource:
    """Blocking twin of :class:`MilestonesResource`."""

    def __init__(self, portal: Portal, resource: MilestonesResource) -> None:
        self._portal = portal
        self._async = resource

    def create(
        self,
        project_id: int | str,
        *,
        milestone_name: str,
        description: str | None = None,
        target_date: datetime | str | None = None,
        owner_id: str | None = None,
        phase_id: int | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> CreatedMilestone:
        """Add a milestone to a project.

        ``POST /project-management/api/v1/projects/{projectId}/milestones`` on the ``"projects"``
        service's base URL. Observed in public third-party code, not documented (on apim.psarev.io);
        seen in [1] michaelBullfrog/bullfrog-project-command-center ``main.py``.

        Fields on the wire, and where public code sends them: ``milestoneName`` [1], ``description``
        [1], ``targetDate`` [1], ``ownerId`` [1], ``phaseId`` [1].

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        An empty answer gives an empty ``CreatedMilestone``.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.create,
            project_id,
            milestone_name=milestone_name,
            description=description,
            target_date=target_date,
            owner_id=owner_id,
            phase_id=phase_id,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    def update(
        self,
        milestone_id: int | str,
        *,
        milestone_name: str,
        description: str | None = None,
        target_date: datetime | str | None = None,
        owner_id: str | None = None,
        phase_id: int | None = None,
        extra: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Milestone | None:
        """Replace a milestone, or move it to another phase (PUT: send every field to keep).

        ``PUT /project-management/api/v1/milestones/{milestoneId}`` on the ``"projects"`` service's
        base URL. Observed in public third-party code, not documented (on apim.psarev.io); seen in
        [1] michaelBullfrog/bullfrog-project-command-center ``main.py``.

        Fields on the wire, and where public code sends them: ``milestoneName`` [1], ``description``
        [1], ``targetDate`` [1], ``ownerId`` [1], ``phaseId`` [1].

        Arguments go on the wire in camelCase; ``None`` values are left out and ``extra`` is merged
        in verbatim, for fields this method does not know.

        Returns ``None`` when the server answers with an empty body.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return self._portal.call(
            self._async.update,
            milestone_id,
            milestone_name=milestone_name,
            description=description,
            target_date=target_date,
            owner_id=owner_id,
            phase_id=phase_id,
            extra=extra,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )


class SyncRevioResources:
    """Blocking twin of :class:`RevioResources`."""

    contacts: SyncContactsResource
    customers: SyncCustomersResource
    opportunities: SyncOpportunitiesResource
    tickets: SyncTicketsResource
    projects: SyncProjectsResource
    phases: SyncPhasesResource
    milestones: SyncMilestonesResource

    def __init__(self, portal: Portal, resources: RevioResources) -> None:
        self.contacts = SyncContactsResource(portal, resources.contacts)
        self.customers = SyncCustomersResource(portal, resources.customers)
        self.opportunities = SyncOpportunitiesResource(portal, resources.opportunities)
        self.tickets = SyncTicketsResource(portal, resources.tickets)
        self.projects = SyncProjectsResource(portal, resources.projects)
        self.phases = SyncPhasesResource(portal, resources.phases)
        self.milestones = SyncMilestonesResource(portal, resources.milestones)


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
        self.get = to_raw_response_sync(resource.get)


class SyncProjectsResourceWithRawResponse:
    """:class:`SyncProjectsResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncProjectsResource) -> None:
        self.get_options = to_raw_response_sync(resource.get_options)
        self.get = to_raw_response_sync(resource.get)
        self.create = to_raw_response_sync(resource.create)
        self.update = to_raw_response_sync(resource.update)


class SyncPhasesResourceWithRawResponse:
    """:class:`SyncPhasesResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncPhasesResource) -> None:
        self.create = to_raw_response_sync(resource.create)
        self.update = to_raw_response_sync(resource.update)


class SyncMilestonesResourceWithRawResponse:
    """:class:`SyncMilestonesResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncMilestonesResource) -> None:
        self.create = to_raw_response_sync(resource.create)
        self.update = to_raw_response_sync(resource.update)


class SyncRevioResourcesWithRawResponse:
    """The resources of ``with_raw_response``, built on its transport."""

    contacts: SyncContactsResourceWithRawResponse
    customers: SyncCustomersResourceWithRawResponse
    opportunities: SyncOpportunitiesResourceWithRawResponse
    tickets: SyncTicketsResourceWithRawResponse
    projects: SyncProjectsResourceWithRawResponse
    phases: SyncPhasesResourceWithRawResponse
    milestones: SyncMilestonesResourceWithRawResponse

    def __init__(self, portal: Portal, resources: RevioResources) -> None:
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
        self.phases = SyncPhasesResourceWithRawResponse(
            SyncPhasesResource(portal, resources.phases)
        )
        self.milestones = SyncMilestonesResourceWithRawResponse(
            SyncMilestonesResource(portal, resources.milestones)
        )
