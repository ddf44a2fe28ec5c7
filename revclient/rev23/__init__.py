"""REV23 Cloud API: generated models and resources, and webhook parsing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._models import Customer
from ._resources import CustomersResource, Rev23Resources

if TYPE_CHECKING:
    from ._sync_resources import SyncCustomersResource, SyncRev23Resources
    from .webhooks import EVENT_TYPES, LEGACY_EVENT_NAMES, Rev23Event, parse_rev23_event

# Loaded on first use: an async program never needs the sync twins, and most never parse
# a webhook (``import revclient`` stays lighter).
_LAZY = {
    "SyncCustomersResource": "._sync_resources",
    "SyncRev23Resources": "._sync_resources",
    "EVENT_TYPES": ".webhooks",
    "LEGACY_EVENT_NAMES": ".webhooks",
    "Rev23Event": ".webhooks",
    "parse_rev23_event": ".webhooks",
}


def __getattr__(name: str) -> Any:
    from .._lazy import load

    return load(__name__, _LAZY, name, globals())


__all__ = [
    "EVENT_TYPES",
    "LEGACY_EVENT_NAMES",
    "Customer",
    "CustomersResource",
    "Rev23Event",
    "Rev23Resources",
    "SyncCustomersResource",
    "SyncRev23Resources",
    "parse_rev23_event",
]
