"""REV23 webhook deliveries: parse a POSTed JSON body into a typed event.

REV23 documents the event names but neither the payload shape nor a signature scheme, so
the parser is defensive: the name is looked for under ``event``, ``type``, ``eventType``
and ``event_type``, the data under ``data`` and ``payload``. Legacy names are mapped to
the current ones; unknown names are kept, not rejected. Nothing is verified: authenticate
deliveries by other means (a secret URL, an allow-list), as REV23 defines no signature.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import attrs

from ..errors import ResponseDecodeError

__all__ = ["EVENT_TYPES", "LEGACY_EVENT_NAMES", "Rev23Event", "parse_rev23_event"]

#: The documented event names.
EVENT_TYPES: Final = frozenset(
    {
        "customer.created",
        "customer.updated",
        "user.created",
        "service.created",
        "service.completed",
        "service.user_assigned",
        "service_session.created",
        "service_session.started",
        "service_session.ended",
        "release_form.generated",
        "lead.created",
    }
)

#: Older names still seen in deliveries, mapped to the current ones.
LEGACY_EVENT_NAMES: Final[Mapping[str, str]] = {
    "servicesession.created": "service_session.created",
    "releaseform.generated": "release_form.generated",
    "user_created": "user.created",
}

_NAME_KEYS = ("event", "type", "eventType", "event_type")
_DATA_KEYS = ("data", "payload")


@attrs.frozen
class Rev23Event:
    """One webhook delivery.

    ``type`` is the current event name (a legacy name is mapped; an unknown name is kept as
    sent), ``name`` the name as delivered, ``data`` the event's data (``data``/``payload``
    of the body, else the body without its name), ``id`` and ``occurred_at`` when the body
    carries them, and ``raw`` the whole decoded body.
    """

    type: str
    name: str
    data: Any
    id: str | None = None
    occurred_at: str | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def is_known(self) -> bool:
        """True when ``type`` is one of the documented event names."""
        return self.type in EVENT_TYPES

    @property
    def is_legacy(self) -> bool:
        """True when the delivery used an older event name."""
        return self.name != self.type and self.is_known


def parse_rev23_event(body: bytes | bytearray | str | Mapping[str, Any]) -> Rev23Event:
    """Parse a delivered webhook body (raw bytes, text, or an already decoded mapping).

    Raises :class:`~revclient.errors.ResponseDecodeError` when the body is not JSON, not a
    JSON object, or names no event.
    """
    if isinstance(body, (bytes, bytearray, str)):
        try:
            decoded = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            text = body[:200] if isinstance(body, str) else bytes(body[:200])
            raise ResponseDecodeError(f"webhook body is not JSON: {exc}", body=text) from None
    else:
        decoded = body
    if not isinstance(decoded, Mapping):
        raise ResponseDecodeError(
            f"webhook body must be a JSON object, got {type(decoded).__name__}", body=decoded
        )
    name_key = next((k for k in _NAME_KEYS if isinstance(decoded.get(k), str)), None)
    if name_key is None or not decoded[name_key].strip():
        raise ResponseDecodeError(
            "webhook body names no event (looked for event, type, eventType, event_type)",
            body=decoded,
            path="event",
        )
    name: str = decoded[name_key]
    key = name.strip().lower()
    event_type = LEGACY_EVENT_NAMES.get(key, key if key in EVENT_TYPES else name)
    data_key = next((k for k in _DATA_KEYS if k in decoded), None)
    if data_key is not None:
        data = decoded[data_key]
    else:
        data = {k: v for k, v in decoded.items() if k != name_key}
    return Rev23Event(
        type=event_type,
        name=name,
        data=data,
        id=_text(decoded, ("id", "eventId", "event_id", "deliveryId")),
        occurred_at=_text(decoded, ("timestamp", "occurredAt", "createdAt", "created_at")),
        raw=decoded,
    )


def _text(body: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = body.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    return None
