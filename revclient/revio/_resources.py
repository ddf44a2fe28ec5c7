# generated from specs/revio.toml by revclient._codegen; do not edit
"""Rev.io PSA API: async resources (generated)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from .._models import nothing, one, one_or_empty, optional, wire_body
from .._options import NOT_GIVEN, NotGiven, Priority
from .._pagination import DEFAULT_MAX_PAGES, AsyncPaginator
from .._transport import Transport, encode_path, to_raw_response
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

__all__ = [
    "BODY_CASINGS",
    "ContactsResource",
    "ContactsResourceWithRawResponse",
    "CustomersResource",
    "CustomersResourceWithRawResponse",
    "MilestonesResource",
    "MilestonesResourceWithRawResponse",
    "OpportunitiesResource",
    "OpportunitiesResourceWithRawResponse",
    "PhasesResource",
    "PhasesResourceWithRawResponse",
    "ProjectsResource",
    "ProjectsResourceWithRawResponse",
    "RevioResources",
    "RevioResourcesWithRawResponse",
    "TicketsResource",
    "TicketsResourceWithRawResponse",
]

#: Resources whose request bodies' wire casing is configurable (the client option
#: ``body_casing=``), with their default: where public code disagrees.
BODY_CASINGS: dict[str, str] = {"opportunities": "snake"}


class ContactsResource:
    """Rev.io PSA API: contacts."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

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
    ) -> AsyncPaginator[Contact]:
        """List contacts.

        ``GET /billing/api/v1/contacts``. Documented: Rev.io API Authentication guide,
        developer-portal.reviopsa.com.

        The ``customerId`` filter is observed only: michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` sends it.

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
            params={"customerId": customer_id, **(params or {})},
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

        Public code found this list unsupported on its tenant and built customers from ticket rows
        instead (michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``).

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
        code, not documented; seen in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read).

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
        customer_id: int | None = None,
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
        seen in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read).

        Fields on the wire, and where public code sends them: ``customerId`` [1].

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
            params={"customerId": customer_id, **(params or {})},
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
        documented; seen in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read); [2] michaelBullfrog/revio ``main.py`` (a Webex
        opportunities bot; its versions send PascalCase or snake_case bodies).

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
        return await self._transport._call(
            "POST",
            "/billing/api/v1/opportunities",
            one_or_empty(CreatedOpportunity),
            json=wire_body(
                {
                    "customerId": customer_id,
                    "name": name,
                    "amount": amount,
                    "stageId": stage_id,
                    "statusId": status_id,
                    "typeId": type_id,
                    "sourceId": source_id,
                    "notes": notes,
                },
                extra,
                casing=self._transport._casing("opportunities"),
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
        return await self._transport._call(
            "PUT",
            encode_path("/billing/api/v1/opportunities/{}", opportunity_id),
            optional(Opportunity),
            json=wire_body(
                {
                    "customerId": customer_id,
                    "name": name,
                    "amount": amount,
                    "stageId": stage_id,
                    "statusId": status_id,
                    "typeId": type_id,
                    "sourceId": source_id,
                    "notes": notes,
                },
                extra,
                casing=self._transport._casing("opportunities"),
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
        documented; seen in [1] michaelBullfrog/revio ``main.py`` (a Webex opportunities bot; its
        versions send PascalCase or snake_case bodies).

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
                    "techsAssociated": techs_associated,
                    "contactsAssociated": contacts_associated,
                    "customFields": custom_fields,
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
        status: str | None = None,
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
        in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read); [2]
        michaelBullfrog/bullfrog-project-command-center ``main.py``.

        ``status`` matches ``ticketStatus`` or ``ticketState`` (``open``); public code filters on
        those fields itself after fetching, so whether a tenant filters is unconfirmed.

        Fields on the wire, and where public code sends them: ``status`` [1].

        ``page_size`` is clamped to 500, as public callers do.

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
            params={"status": status, **(params or {})},
            page_param="page",
            size_param="perPage",
            page_size=page_size if page_size is None else min(page_size, 500),
            concurrency=concurrency,
            max_pages=max_pages,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="tickets.list",
            template="/psac/api/v1/ticket-list",
        )

    async def get(
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
        return await self._transport._call(
            "GET",
            encode_path("/psac/api/v1/ticket/{}", ticket_id),
            one(Ticket),
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="tickets.get",
            template="/psac/api/v1/ticket/{ticketId}",
        )


class ProjectsResource:
    """Rev.io PSA API: projects."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

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
    ) -> AsyncPaginator[Project]:
        """List projects.

        ``GET /project-management/api/v1/projects`` on the ``"projects"`` service's base URL.
        Observed in public third-party code, not documented (on apim.psarev.io); seen in [1]
        michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read).

        Fields on the wire, and where public code sends them: ``customerId`` [1].

        ``page_size`` is clamped to 500, as public callers do.

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
            params={"customerId": customer_id, **(params or {})},
            page_param="page",
            size_param="perPage",
            page_size=page_size if page_size is None else min(page_size, 500),
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
        """Get the statuses, priorities and member roles a project can take.

        ``GET /project-management/api/v1/projects/options`` on the ``"projects"`` service's base
        URL. Observed in public third-party code, not documented (on apim.psarev.io); seen in [1]
        michaelBullfrog/bullfrog-project-command-center ``main.py``.

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
        URL. Inferred, neither documented nor observed (REST convention beside the observed PUT on
        the same path); it may not exist.

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
        return await self._transport._call(
            "POST",
            "/project-management/api/v1/projects",
            one_or_empty(CreatedProject),
            json=wire_body(
                {
                    "projectName": project_name,
                    "projectDescription": project_description,
                    "projectStatusId": project_status_id,
                    "projectPriorityId": project_priority_id,
                    "customerId": customer_id,
                    "startDate": start_date,
                    "endDate": end_date,
                    "budgetHours": budget_hours,
                    "estimatedHours": estimated_hours,
                    "isBillable": is_billable,
                    "projectOwnerId": project_owner_id,
                    "teamMembers": team_members,
                    "notes": notes,
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
        return await self._transport._call(
            "PUT",
            encode_path("/project-management/api/v1/projects/{}", project_id),
            optional(Project),
            json=wire_body(
                {
                    "projectName": project_name,
                    "projectDescription": project_description,
                    "projectStatusId": project_status_id,
                    "projectPriorityId": project_priority_id,
                    "customerId": customer_id,
                    "startDate": start_date,
                    "endDate": end_date,
                    "budgetHours": budget_hours,
                    "estimatedHours": estimated_hours,
                    "isBillable": is_billable,
                    "projectOwnerId": project_owner_id,
                    "isAtRisk": is_at_risk,
                    "notes": notes,
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
    ) -> AsyncPaginator[ProjectActivity]:
        """List a project's activity log, oldest first.

        ``GET /project-management/api/v1/projects/{projectId}/activity`` on the ``"projects"``
        service's base URL. Observed in public third-party code, not documented (on apim.psarev.io);
        seen in [1] michaelBullfrog/bullfrog-intelligence
        ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py`` (the bullfrog-intelligence-mvp
        connector; several stored versions read).

        Fields on the wire, and where public code sends them: ``from`` [1], ``to`` [1],
        ``eventType`` [1], ``performedBy`` [1].

        Paged by a ``nextCursor`` cursor. Await the result for the first page, or iterate it for
        every ProjectActivity. ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return AsyncPaginator(
            self._transport,
            encode_path("/project-management/api/v1/projects/{}/activity", project_id),
            ProjectActivity,
            params={
                "from": date_from,
                "to": date_to,
                "eventType": event_type,
                "performedBy": performed_by,
                **(params or {}),
            },
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


class PhasesResource:
    """Rev.io PSA API: phases."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def create(
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
        return await self._transport._call(
            "POST",
            encode_path("/project-management/api/v1/projects/{}/phases", project_id),
            one_or_empty(CreatedPhase),
            json=wire_body(
                {
                    "phaseName": phase_name,
                    "phaseSequence": phase_sequence,
                    "phaseStatusId": phase_status_id,
                    "startDate": start_date,
                    "endDate": end_date,
                    "description": description,
                    "phaseOwnerId": phase_owner_id,
                    "plannedHours": planned_hours,
                    "isAtRisk": is_at_risk,
                    "progressPercent": progress_percent,
                    "baselineStartDate": baseline_start_date,
                    "baselineEndDate": baseline_end_date,
                },
                extra,
            ),
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="phases.create",
            template="/project-management/api/v1/projects/{projectId}/phases",
            service="projects",
        )

    async def update(
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
        return await self._transport._call(
            "PUT",
            encode_path("/project-management/api/v1/phases/{}", phase_id),
            optional(Phase),
            json=wire_body(
                {
                    "phaseName": phase_name,
                    "phaseSequence": phase_sequence,
                    "phaseStatusId": phase_status_id,
                    "startDate": start_date,
                    "endDate": end_date,
                    "description": description,
                    "phaseOwnerId": phase_owner_id,
                    "plannedHours": planned_hours,
                    "isAtRisk": is_at_risk,
                    "progressPercent": progress_percent,
                    "baselineStartDate": baseline_start_date,
                    "baselineEndDate": baseline_end_date,
                },
                extra,
            ),
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="phases.update",
            template="/project-management/api/v1/phases/{phaseId}",
            service="projects",
        )


class MilestonesResource:
    """Rev.io PSA API: milestones."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def create(
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
        return await self._transport._call(
            "POST",
            encode_path("/project-management/api/v1/projects/{}/milestones", project_id),
            one_or_empty(CreatedMilestone),
            json=wire_body(
                {
                    "milestoneName": milestone_name,
                    "description": description,
                    "targetDate": target_date,
                    "ownerId": owner_id,
                    "phaseId": phase_id,
                },
                extra,
            ),
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="milestones.create",
            template="/project-management/api/v1/projects/{projectId}/milestones",
            service="projects",
        )

    async def update(
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
        return await self._transport._call(
            "PUT",
            encode_path("/project-management/api/v1/milestones/{}", milestone_id),
            optional(Milestone),
            json=wire_body(
                {
                    "milestoneName": milestone_name,
                    "description": description,
                    "targetDate": target_date,
                    "ownerId": owner_id,
                    "phaseId": phase_id,
                },
                extra,
            ),
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="milestones.update",
            template="/project-management/api/v1/milestones/{milestoneId}",
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
    phases: PhasesResource
    milestones: MilestonesResource

    def __init__(self, transport: Transport) -> None:
        self.contacts = ContactsResource(transport)
        self.customers = CustomersResource(transport)
        self.opportunities = OpportunitiesResource(transport)
        self.tickets = TicketsResource(transport)
        self.projects = ProjectsResource(transport)
        self.phases = PhasesResource(transport)
        self.milestones = MilestonesResource(transport)


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
        self.get = to_raw_response(resource.get)


class ProjectsResourceWithRawResponse:
    """:class:`ProjectsResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: ProjectsResource) -> None:
        self.get_options = to_raw_response(resource.get_options)
        self.get = to_raw_response(resource.get)
        self.create = to_raw_response(resource.create)
        self.update = to_raw_response(resource.update)


class PhasesResourceWithRawResponse:
    """:class:`PhasesResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: PhasesResource) -> None:
        self.create = to_raw_response(resource.create)
        self.update = to_raw_response(resource.update)


class MilestonesResourceWithRawResponse:
    """:class:`MilestonesResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: MilestonesResource) -> None:
        self.create = to_raw_response(resource.create)
        self.update = to_raw_response(resource.update)


class RevioResourcesWithRawResponse:
    """The resources of ``with_raw_response``, built on its transport."""

    contacts: ContactsResourceWithRawResponse
    customers: CustomersResourceWithRawResponse
    opportunities: OpportunitiesResourceWithRawResponse
    tickets: TicketsResourceWithRawResponse
    projects: ProjectsResourceWithRawResponse
    phases: PhasesResourceWithRawResponse
    milestones: MilestonesResourceWithRawResponse

    def __init__(self, transport: Transport) -> None:
        self.contacts = ContactsResourceWithRawResponse(ContactsResource(transport))
        self.customers = CustomersResourceWithRawResponse(CustomersResource(transport))
        self.opportunities = OpportunitiesResourceWithRawResponse(OpportunitiesResource(transport))
        self.tickets = TicketsResourceWithRawResponse(TicketsResource(transport))
        self.projects = ProjectsResourceWithRawResponse(ProjectsResource(transport))
        self.phases = PhasesResourceWithRawResponse(PhasesResource(transport))
        self.milestones = MilestonesResourceWithRawResponse(MilestonesResource(transport))
