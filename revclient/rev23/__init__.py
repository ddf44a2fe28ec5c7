"""REV23 Cloud API: generated models and resources, and webhook parsing."""

from ._models import Customer
from ._resources import CustomersResource, Rev23Resources
from ._sync_resources import SyncCustomersResource, SyncRev23Resources
from .webhooks import EVENT_TYPES, LEGACY_EVENT_NAMES, Rev23Event, parse_rev23_event

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
