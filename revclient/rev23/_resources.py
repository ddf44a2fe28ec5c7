# generated from specs/rev23.toml by revclient._codegen; do not edit
"""REV23 Cloud API: async resources (generated)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._models import one
from .._options import NOT_GIVEN, NotGiven, Priority
from .._pagination import DEFAULT_MAX_PAGES, AsyncPaginator
from .._transport import Transport, encode_path, to_raw_response
from ._models import Customer

__all__ = [
    "BODY_CASINGS",
    "CustomersResource",
    "CustomersResourceWithRawResponse",
    "Rev23Resources",
    "Rev23ResourcesWithRawResponse",
]

#: Resources whose request bodies' wire casing is configurable (the client option
#: ``body_casing=``), with their default: where public code disagrees.
BODY_CASINGS: dict[str, str] = {}


class CustomersResource:
    """REV23 Cloud API: customers."""

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
        """List the studio's customers.

        ``GET /api/v2/customers``. Documented: docs.rev23.com/rev23-cloudapp-docs/api/api-keys (the
        only endpoint the docs show). Needs the ``read:customer`` permission.

        Paged by ``page``/``pageSize``. Await the result for the first page, or iterate it for every
        Customer; ``concurrency`` pages are fetched at a time, in order. ``params`` adds query
        parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's requests; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return AsyncPaginator(
            self._transport,
            "/api/v2/customers",
            Customer,
            params=params,
            page_param="page",
            size_param="pageSize",
            page_size=page_size,
            concurrency=concurrency,
            max_pages=max_pages,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="customers.list",
            template="/api/v2/customers",
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
        """Get one customer by id.

        ``GET /api/v2/customers/{id}``. Inferred, neither documented nor observed (the REST
        convention applied to the documented list endpoint); it may not exist. Needs the
        ``read:customer`` permission.

        ``params`` adds query parameters verbatim.

        ``extra_headers`` and ``extra_query`` add to this call's request; ``timeout`` and
        ``priority`` (``"bulk"`` for pulls) replace the client's for it.
        """
        return await self._transport._call(
            "GET",
            encode_path("/api/v2/customers/{}", customer_id),
            one(Customer),
            params=params,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
            op="customers.get",
            template="/api/v2/customers/{id}",
        )


class Rev23Resources:
    """The REV23 Cloud API's resources, one attribute each; the client inherits them and passes
    itself as the transport.
    """

    customers: CustomersResource

    def __init__(self, transport: Transport) -> None:
        self.customers = CustomersResource(transport)


class CustomersResourceWithRawResponse:
    """:class:`CustomersResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: CustomersResource) -> None:
        self.get = to_raw_response(resource.get)


class Rev23ResourcesWithRawResponse:
    """The resources of ``with_raw_response``, built on its transport."""

    customers: CustomersResourceWithRawResponse

    def __init__(self, transport: Transport) -> None:
        self.customers = CustomersResourceWithRawResponse(CustomersResource(transport))
