"""REV23 webhook parsing: documented names, legacy names, unknown names, bad bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from revclient.errors import ResponseDecodeError
from revclient.rev23 import EVENT_TYPES, Rev23Event, parse_rev23_event

DOCUMENTED = [
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
]


def test_documented_names() -> None:
    assert set(DOCUMENTED) == EVENT_TYPES


@pytest.mark.parametrize("name", DOCUMENTED)
@pytest.mark.parametrize("kind", ["bytes", "str", "mapping"])
def test_documented_events(name: str, kind: str) -> None:
    payload = {"event": name, "data": {"id": 42, "firstName": "Ada"}, "id": "evt_1"}
    body: Any = {"bytes": json.dumps(payload).encode(), "str": json.dumps(payload)}.get(
        kind, payload
    )
    event = parse_rev23_event(body)
    assert isinstance(event, Rev23Event)
    assert event.type == event.name == name
    assert event.is_known and not event.is_legacy
    assert event.data == {"id": 42, "firstName": "Ada"}
    assert event.id == "evt_1" and event.raw == payload


@pytest.mark.parametrize(
    ("legacy", "current"),
    [
        ("servicesession.created", "service_session.created"),
        ("releaseform.generated", "release_form.generated"),
        ("user_created", "user.created"),
    ],
)
def test_legacy_names_are_mapped(legacy: str, current: str) -> None:
    event = parse_rev23_event({"type": legacy, "payload": {"x": 1}})
    assert (event.type, event.name, event.data) == (current, legacy, {"x": 1})
    assert event.is_legacy


@pytest.mark.parametrize("key", ["event", "type", "eventType", "event_type"])
def test_name_keys(key: str) -> None:
    assert parse_rev23_event({key: "lead.created"}).type == "lead.created"


def test_unknown_events_are_kept() -> None:
    event = parse_rev23_event(b'{"eventType": "Invoice.Paid", "amount": 5, "timestamp": "t"}')
    assert event.type == event.name == "Invoice.Paid"
    assert not event.is_known
    assert event.data == {"amount": 5, "timestamp": "t"}  # no data key: the rest of the body
    assert event.occurred_at == "t"


def test_name_is_normalised_for_matching() -> None:
    event = parse_rev23_event({"event": " Customer.Created "})
    assert event.type == "customer.created" and event.name == " Customer.Created "


@pytest.mark.parametrize(
    "body",
    [b"{not json", "", b"\xff\xfe", "[1, 2]", "42", {"data": {}}, {"event": ""}, {"event": 3}],
)
def test_bad_bodies_raise_decode_error(body: Any) -> None:
    with pytest.raises(ResponseDecodeError):
        parse_rev23_event(body)
