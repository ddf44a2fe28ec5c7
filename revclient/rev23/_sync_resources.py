# generated from specs/rev23.toml by revclient._codegen; do not edit
"""REV23 Cloud API: blocking resources, driven through an anyio portal (generated)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._options import NOT_GIVEN, NotGiven, Priority
from .._pagination import DEFAULT_MAX_PAGES, SyncPaginator
from .._transport import to_raw_response_sync
from ._models import Customer
from ._resources import CustomersResource, Rev23Resources

if TYPE_CHECKING:
    from .._portal import Portal

__all__ = [
    "SyncCustomersResource",
    "SyncCustomersResourceWithRawResponse",
    "SyncRev23Resources",
    "SyncRev23ResourcesWithRawResponse",
]


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
        """List the studio's customers.

        ``GET /api/v2/customers``. Documented: docs.rev23.com/rev23-cloudapp-docs/api/api-keys (the
        only endpoint the docs show). Needs the ``read:customer`` permission.

        Paged by ``page``/``pageSize``. Iterate the result for every Customer, or call ``.pages()``
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
        """Get one customer by id.

        ``GET /api/v2/customers/{id}``. Inferred, neither documented nor observed (the REST
        convention applied to the documented list endpoint); it may not exist. Needs the
        ``read:customer`` permission.

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


class SyncRev23Resources:
    """Blocking twin of :class:`Rev23Resources`."""

    customers: SyncCustomersResource

    def __init__(self, portal: Portal, resources: Rev23Resources) -> None:
        self.customers = SyncCustomersResource(portal, resources.customers)


class SyncCustomersResourceWithRawResponse:
    """:class:`SyncCustomersResource` whose methods return :class:`~revclient.APIResponse`."""

    def __init__(self, resource: SyncCustomersResource) -> None:
        self.get = to_raw_response_sync(resource.get)


class SyncRev23ResourcesWithRawResponse:
    """The resources of ``with_raw_response``, built on its transport."""

    customers: SyncCustomersResourceWithRawResponse

    def __init__(self, portal: Portal, resources: Rev23Resources) -> None:
        self.customers = SyncCustomersResourceWithRawResponse(
            SyncCustomersResource(portal, resources.customers)
        )
