"""Generated models: renaming, leniency, extra fields, raw payload, decode errors."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from revclient._models import parse_one, parse_optional, structure_items, wire_body
from revclient.errors import ResponseDecodeError
from revclient.rev23 import Customer as Rev23Customer
from revclient.revio import (
    Contact,
    Customer,
    Opportunity,
    ProjectOptions,
    ProjectStatusOption,
    Ticket,
)

REV23_CUSTOMER = {
    "id": 7,
    "firstName": "Ada",
    "lastName": "Abbott",
    "middleName": "Lee",
    "nickname": "Ace",
    "email": "ada@example.com",
    "phoneNumber": "+1-555-000-0007",
    "birthdate": "1990-05-06",
    "gender": "female",
    "street": "1 Main St",
    "city": "Portland",
    "state": "OR",
    "postalCode": "97201",
    "country": "US",
    "occupation": "Chef",
    "notes": "",
    "createdAt": "2024-01-02T03:04:05Z",
    "loyaltyTier": "gold",
}


def test_rev23_customer_fields_renamed_and_typed() -> None:
    c = Rev23Customer.from_dict(REV23_CUSTOMER)
    assert c.id == 7 and c.first_name == "Ada" and c.phone_number == "+1-555-000-0007"
    assert c.postal_code == "97201" and c.middle_name == "Lee"
    assert c.birthdate == date(1990, 5, 6)
    assert c.created_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert c.extra == {"loyaltyTier": "gold"}
    assert c.raw is REV23_CUSTOMER


def test_to_dict_round_trips_wire_form_with_extra() -> None:
    c = Rev23Customer.from_dict(REV23_CUSTOMER)
    out = c.to_dict()
    assert out["firstName"] == "Ada" and out["loyaltyTier"] == "gold"
    assert out["createdAt"] == "2024-01-02T03:04:05+00:00"
    assert set(out) == set(REV23_CUSTOMER)
    assert Rev23Customer.from_dict(out) == c


def test_extra_found_on_first_read_behaves_as_a_plain_field() -> None:
    # extra is built from raw when first read: repr, equality, copies, pickling, evolve and
    # a caller's changes must all see it as if it had been there from the start.
    c = Rev23Customer.from_dict(REV23_CUSTOMER)
    assert "loyaltyTier" in repr(c)
    assert c == Rev23Customer.from_dict(dict(REV23_CUSTOMER))
    assert c != Rev23Customer.from_dict({**REV23_CUSTOMER, "loyaltyTier": "silver"})
    assert pickle.loads(pickle.dumps(Rev23Customer.from_dict(REV23_CUSTOMER))).extra == {
        "loyaltyTier": "gold"
    }
    assert copy.copy(Rev23Customer.from_dict(REV23_CUSTOMER)).extra == {"loyaltyTier": "gold"}
    assert attrs.evolve(c, first_name="Bo").extra == {"loyaltyTier": "gold"}
    c.extra["seen"] = 1  # the same dict on every read
    assert c.to_dict()["seen"] == 1 and c.extra == {"loyaltyTier": "gold", "seen": 1}
    c.extra = {}
    assert c.extra == {} and "loyaltyTier" not in repr(c)
    assert Rev23Customer(first_name="Ada").extra == {}
    assert Rev23Customer.from_dict({"id": 1}).extra == {}


def test_to_dict_keeps_nulls_the_server_sent() -> None:
    t = Ticket.from_dict({"ticketId": 1, "closedDate": None})
    assert t.to_dict() == {"ticketId": 1, "closedDate": None}
    assert Ticket(ticket_id=2).to_dict() == {"ticketId": 2}


def test_every_field_optional_and_raw_excluded_from_eq_and_repr() -> None:
    a = Contact.from_dict({"contactId": 1})
    b = Contact.from_dict({"contactId": "1"})
    assert a == b and a.first_name is None
    assert "raw" not in repr(a)
    assert Contact() == Contact.from_dict({})


@pytest.mark.parametrize(
    ("value", "expected"),
    [(42, 42), ("42", 42), ("007", 7), ("abc-1", "abc-1"), ("", ""), ("٣", "٣")],
)
def test_ids_lenient(value: Any, expected: Any) -> None:
    assert Contact.from_dict({"contactId": value}).contact_id == expected


@pytest.mark.parametrize("value", [True, 1.5, [1], {"a": 1}])
def test_bad_ids_raise_with_path(value: Any) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        Contact.from_dict({"contactId": value, "firstName": "x"}, path="data")
    assert info.value.path == "data.contactId"
    assert info.value.body == {"contactId": value, "firstName": "x"}


def test_scalars() -> None:
    c = Customer.from_dict(
        {"customerId": 1, "balance": "1234.50", "createdDate": "2024-03-04T05:06:07"}
    )
    assert c.balance == Decimal("1234.50")
    assert c.created_date == datetime(2024, 3, 4, 5, 6, 7)  # no offset: naive, as sent
    o = Opportunity.from_dict({"amount": 12, "closeDate": "2024-05-06T00:00:00", "ownerId": "01H"})
    assert o.amount == Decimal(12) and o.close_date == date(2024, 5, 6) and o.owner_id == "01H"
    contact = Contact.from_dict({"isPrimary": "true", "phone": 5551234})
    assert contact.is_primary is True and contact.phone == "5551234"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"balance": "lots"}, "balance"),
        ({"balance": "NaN"}, "balance"),
        ({"createdDate": "yesterday"}, "createdDate"),
        ({"name": {"first": "x"}}, "name"),
        ({"customerId": None, "status": ["a"]}, "status"),
    ],
)
def test_bad_scalars_name_the_field(body: dict[str, Any], path: str) -> None:
    with pytest.raises(ResponseDecodeError) as info:
        Customer.from_dict(body)
    assert info.value.path == path


def test_structure_items_names_index() -> None:
    rows = [{"ticketId": 1}, {"ticketId": 2}, {"ticketId": 3}, {"ticketId": 4, "createdDate": 5}]
    with pytest.raises(ResponseDecodeError) as info:
        structure_items(Ticket, rows, "data")
    assert info.value.path == "data[3].createdDate"
    with pytest.raises(ResponseDecodeError) as info:
        structure_items(Ticket, [{"ticketId": 1}, "oops"], "data.items")
    assert info.value.path == "data.items[1]"


def test_nested_models() -> None:
    planned = {"projectStatusId": 1, "projectStatusName": "Planned", "color": "blue"}
    body = {"data": {"projectStatuses": [planned], "memberRoles": []}}
    opts = parse_one(ProjectOptions, body)
    assert opts.project_statuses == [
        ProjectStatusOption(
            project_status_id=1, project_status_name="Planned", extra={"color": "blue"}
        )
    ]
    assert opts.member_roles == [] and opts.project_priorities is None
    with pytest.raises(ResponseDecodeError) as info:
        parse_one(ProjectOptions, {"data": {"projectStatuses": [{"projectStatusId": []}]}})
    assert info.value.path == "data.projectStatuses"


def test_parse_one_unwraps_or_accepts_bare() -> None:
    assert parse_one(Contact, {"data": {"contactId": 3}}).contact_id == 3
    assert parse_one(Contact, {"contactId": 3}).contact_id == 3
    with pytest.raises(ResponseDecodeError):
        parse_one(Contact, None)
    with pytest.raises(ResponseDecodeError):
        parse_one(Contact, [1, 2])
    assert parse_one(Contact, None, empty="ok") == Contact()
    assert parse_optional(Contact, None) is None


def test_wire_body() -> None:
    body = wire_body(
        {"a": 1, "b": None, "amount": Decimal("1.50"), "day": date(2024, 1, 2)}, {"b": "x"}
    )
    assert body == {"a": 1, "amount": "1.50", "day": "2024-01-02", "b": "x"}
