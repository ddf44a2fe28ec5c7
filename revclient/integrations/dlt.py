"""dlt sources for the REV23 Cloud API and the Rev.io PSA API (extra ``revclient[dlt]``).

``rev23_source(...)`` and ``revio_source(...)`` return a ``dlt`` source with one resource
per list endpoint of the API's spec (``customers``; ``contacts``, ``customers``,
``opportunities``, ``projects``, ``tickets``), each merged into its table by the model's
primary key. revclient does the work dlt would otherwise need a REST helper for: the key's
rate budget (pages are requested in the ``"bulk"`` lane), the Rev.io token exchange,
retries and pagination. dlt does the rest: the destination (DuckDB, Postgres, BigQuery,
Snowflake, ...), schema evolution and load state.

The API key never reaches dlt. dlt injects a source function's arguments from its own
configuration (``secrets.toml``, ``SOURCES__...`` variables) and records the values it
resolves in the pipeline's trace (``trace.pickle``) unless they are typed as secrets; here
no function dlt calls takes the key. It is read by revclient (argument or environment
variable), kept in a redacting wrapper, and handed to the clients the resources create.

dlt is imported when a source is built, never by ``import revclient``.
"""

from __future__ import annotations

import contextlib
import importlib
import types
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Unpack, cast

import attrs

from .._client import _hidden_key
from .._models import Model, camel
from .._options import ClientKwargs
from .._pull import TENANT_FIELD
from .._secret import Redacted
from ..errors import ConfigurationError
from ..rev23._client import AsyncRev23
from ..rev23._resources import Rev23Resources
from ..revio._client import AsyncRevio
from ..revio._resources import RevioResources
from ..sinks import Source
from ..sinks._columns import columns_of, key_columns, primary_key

if TYPE_CHECKING:
    from dlt.sources import DltSource  # type: ignore[import-not-found, unused-ignore]

__all__ = ["rev23_source", "revio_source"]

#: dlt column types for the model's scalar fields. Ids (an int, or a str when a tenant's is
#: not numeric) and nested values are left to dlt's inference: a nested object becomes
#: columns (``address__city``), a list a child table, a float a double.
_DLT_TYPES: dict[Any, str] = {
    str: "text",
    int: "bigint",
    bool: "bool",
    Decimal: "decimal",
    date: "date",
    datetime: "timestamp",
}

_INSTALL = "pip install 'revclient[dlt]'"


def _dlt() -> Any:
    # Typed as Any: dlt is optional, and the boundary is small.
    try:
        return importlib.import_module("dlt")
    except ImportError:
        raise ConfigurationError(f"the dlt sources need dlt: {_INSTALL}") from None


def rev23_source(
    api_key: str | None = None,
    tenant: str | None = None,
    *,
    base_url: str | None = None,
    resources: Iterable[str] | None = None,
    page_size: int | None = None,
    concurrency: int | None = None,
    tenant_label: str | None = None,
    **options: Unpack[ClientKwargs],
) -> DltSource:
    """A dlt source named ``rev23``: one merged resource per list endpoint (``customers``).

    ``api_key``, ``tenant`` and ``base_url`` fall back to ``REV23_API_KEY``,
    ``REV23_TENANT`` and ``REV23_BASE_URL``, as for :class:`~revclient.AsyncRev23`, and are
    checked now (a missing key fails here, not inside ``pipeline.run``). ``resources``
    selects endpoints by name (all by default); ``page_size`` and ``concurrency`` are
    passed to every ``list()``. The other keywords are the client's options
    (``rate_limit=``, ``retry=``, ``timeout=``, ``backend=``, ...).

    ``tenant_label`` tags every record with a ``tenant`` column holding it and merges by
    ``(tenant, id)``, so that several tenants' sources can load into one dataset without
    one tenant's record replacing another's with the same id (as ``revclient pull
    --tenants`` does).

    Records are the server's JSON objects (``model.to_dict()``: fields the model does not
    know are kept, and become columns). Requires ``revclient[dlt]``.
    """
    key: Redacted[str | None] = Redacted(_hidden_key(api_key, None, "REV23_API_KEY").value)
    del api_key  # from here on the key lives only inside Redacted (revclient._secret)

    def client() -> AsyncRev23:
        return AsyncRev23(None, tenant, base_url=base_url, _key=key, **options)

    return _source("rev23", Rev23Resources, client, resources, page_size, concurrency, tenant_label)


def revio_source(
    api_key: str | None = None,
    host: str | None = None,
    *,
    base_url: str | None = None,
    auth_url: str | None = None,
    resources: Iterable[str] | None = None,
    page_size: int | None = None,
    concurrency: int | None = None,
    tenant_label: str | None = None,
    **options: Unpack[ClientKwargs],
) -> DltSource:
    """A dlt source named ``revio``: one merged resource per list endpoint (``contacts``,
    ``customers``, ``opportunities``, ``projects``, ``tickets``).

    ``api_key``, ``host``, ``base_url`` and ``auth_url`` fall back to ``REVIO_API_KEY``,
    ``REVIO_HOST``, ``REVIO_BASE_URL`` and ``REVIO_AUTH_URL``, as for
    :class:`~revclient.AsyncRevio`; the rest is as for :func:`rev23_source`. Every
    resource's client shares the key's one cached token and one rate budget.
    """
    key: Redacted[str | None] = Redacted(_hidden_key(api_key, None, "REVIO_API_KEY").value)
    del api_key  # from here on the key lives only inside Redacted (revclient._secret)

    def client() -> AsyncRevio:
        return AsyncRevio(None, host, base_url=base_url, auth_url=auth_url, _key=key, **options)

    return _source("revio", RevioResources, client, resources, page_size, concurrency, tenant_label)


def _source(
    name: str,
    generated: type,
    client: Callable[[], AsyncRev23 | AsyncRevio],
    resources: Iterable[str] | None,
    page_size: int | None,
    concurrency: int | None,
    tenant_label: str | None,
) -> DltSource:
    if tenant_label is not None and (not isinstance(tenant_label, str) or not tenant_label):
        raise ConfigurationError(f"tenant_label must be a non-empty string, got {tenant_label!r}")
    dlt = _dlt()
    # A client that sends nothing checks the options, the tenant or host and the base URL
    # now; each resource makes its own on dlt's event loop (a client is bound to the loop
    # it first runs on), and clients on one key share its budget and token in a process.
    probe = client()
    available = [n for n in generated.__annotations__ if hasattr(getattr(probe, n), "list")]
    wanted = _selected(name, available, resources)
    kwargs: dict[str, Any] = {"page_size": page_size, "priority": "bulk"}
    if concurrency is not None:
        kwargs["concurrency"] = concurrency
    made = []
    for resource in wanted:
        model = getattr(probe, resource).list(**kwargs).item_type  # checks the kwargs too
        made.append(_resource(dlt, resource, model, client, kwargs, tenant_label))

    # An inner function: dlt keeps no global reference to it (a module-level one is
    # registered, with the resources and so the key-holding clients' factory).
    def source() -> list[Any]:
        return made

    made_source: DltSource = dlt.source(source, name=name)()
    return made_source


def _selected(api: str, available: list[str], resources: Iterable[str] | None) -> list[str]:
    if resources is None:
        return available
    names = [resources] if isinstance(resources, str) else list(resources)
    unknown = [n for n in names if n not in available]
    if unknown or not names:
        raise ConfigurationError(
            f"unknown {api} resources {unknown}; list endpoints: {', '.join(available)}"
            if unknown
            else f"resources= selects none; list endpoints: {', '.join(available)}"
        )
    return list(dict.fromkeys(names))


def _hints(
    name: str, model: type[Model], tagged: bool
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The primary key (the model's first id field, as for the DuckDB sink, after the tenant
    when records are tagged) and the column types of its scalar fields, by wire name (dlt
    normalizes both as it does the data)."""
    source = Source(name, model, TENANT_FIELD if tagged else None)
    table = columns_of(source)  # a model field named like the tenant's column is refused
    key = [c.wire for c in key_columns(table, primary_key(table, None, source))]
    columns: dict[str, dict[str, Any]] = {}
    if tagged:
        columns[TENANT_FIELD] = {"data_type": "text", "nullable": False}
    for field in attrs.fields(cast(Any, model)):
        annotation = field.type
        if isinstance(annotation, types.UnionType):  # every field is ``X | None``
            args = [a for a in annotation.__args__ if a is not type(None)]
            annotation = args[0] if len(args) == 1 else None  # Id is ``int | str``
        data_type = _DLT_TYPES.get(annotation)
        if data_type is not None:
            wire = field.metadata.get("wire", camel(field.name))
            columns[wire] = {"data_type": data_type, "nullable": True}
    return key, columns


def _resource(
    dlt: Any,
    name: str,
    model: type[Model],
    client: Callable[[], AsyncRev23 | AsyncRevio],
    kwargs: dict[str, Any],
    tenant_label: str | None,
) -> Any:
    async def records() -> AsyncIterator[list[dict[str, Any]]]:
        # dlt runs async generators on its own loop, one __anext__ per task: nothing here
        # holds a task-bound context (a cancel scope) across a yield.
        async with client() as api:
            paginator = getattr(api, name).list(**kwargs)
            async with contextlib.aclosing(paginator.pages()) as pages:
                async for page in pages:
                    if not page.items:
                        continue
                    rows = [item.to_dict() for item in page.items]
                    if tenant_label is not None:
                        for row in rows:
                            row[TENANT_FIELD] = tenant_label
                    yield rows

    key, columns = _hints(name, model, tenant_label is not None)
    return dlt.resource(
        records,
        name=name,
        primary_key=key,
        write_disposition="merge",
        columns=columns,
    )
