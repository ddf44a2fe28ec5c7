"""Deterministic seed data for the sandbox: every value derives from the record's index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "MEMBER_ROLES",
    "PROJECT_PRIORITIES",
    "PROJECT_STATUSES",
    "PROJECT_TYPES",
    "TECHNICIANS",
    "TICKET_PRIORITIES",
    "TICKET_STATUSES",
    "TICKET_TYPES",
    "activity",
    "invoices",
    "opportunity",
    "project",
    "rev23_customer",
    "revio_contact",
    "revio_customer",
    "seeded_ticket",
    "ticket_row",
    "ulid_like",
]

_FIRST = (
    "Ada", "Bruno", "Chloe", "Dmitri", "Elena", "Farah", "Gus", "Hana", "Ivan", "Jade",
    "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara",
    "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe",
)  # fmt: skip
_LAST = (
    "Abbott", "Becker", "Castro", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes",
    "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Patel",
    "Quintero", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Walsh", "Yilmaz",
)  # fmt: skip
_MIDDLE = ("", "A.", "Lee", "Marie", "J.", "", "Rae")
_NICK = ("", "Ace", "Bee", "", "Kit", "Max", "")
_CITIES = (
    ("Portland", "OR", "97201"), ("Austin", "TX", "73301"), ("Denver", "CO", "80202"),
    ("Chicago", "IL", "60601"), ("Miami", "FL", "33101"), ("Seattle", "WA", "98101"),
    ("Boston", "MA", "02108"), ("Phoenix", "AZ", "85001"),
)  # fmt: skip
_STREETS = ("Main St", "Oak Ave", "Pine Rd", "Cedar Ln", "Elm St", "Maple Dr")
_GENDERS = ("female", "male", "non-binary", "undisclosed")
_OCCUPATIONS = ("Designer", "Nurse", "Engineer", "Chef", "Teacher", "Musician", "Barista")
_TIERS = ("bronze", "silver", "gold", "platinum")
_COMPANY_A = ("Acme", "Blue", "Cobalt", "Delta", "Evergreen", "Falcon", "Granite", "Harbor")
_COMPANY_B = ("Dental", "Logistics", "Legal", "Brewing", "Clinics", "Realty", "Foods")
_CUSTOMER_STATUSES = ("Active", "Active", "Active", "Inactive", "Pending")
_INVOICE_STATUSES = ("Paid", "Open", "Overdue", "Void")
_STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
_ISSUES = ("printer offline", "VPN drops", "new hire setup", "email bounce")
_TITLES = ("Owner", "Office Manager", "IT Lead", "Accountant", "CTO", "")

TICKET_STATUSES = {1: "New", 2: "In Progress", 3: "Waiting on Customer", 4: "Closed"}
TICKET_PRIORITIES = {1: "Low", 2: "Medium", 3: "High", 4: "Critical"}
TICKET_TYPES = {1: "Incident", 2: "Service Request", 3: "Problem", 4: "Change"}
PROJECT_STATUSES = [
    {"projectStatusId": 1, "projectStatusName": "Planned"},
    {"projectStatusId": 2, "projectStatusName": "Active"},
    {"projectStatusId": 3, "projectStatusName": "On Hold"},
    {"projectStatusId": 4, "projectStatusName": "Completed"},
]
# The options endpoint's shape, in the names public code reads first (see specs/revio.toml).
PROJECT_PRIORITIES = [
    {"projectPriorityId": 1, "projectPriorityName": "Low"},
    {"projectPriorityId": 2, "projectPriorityName": "Normal"},
    {"projectPriorityId": 3, "projectPriorityName": "High"},
]
MEMBER_ROLES = [
    {"memberRoleId": 1, "memberRoleName": "Project Manager"},
    {"memberRoleId": 2, "memberRoleName": "Engineer"},
    {"memberRoleId": 3, "memberRoleName": "Sales"},
]
TECHNICIANS = ("Gabriel Ito", "Zoe Patel", "Omar Varga", "")
PROJECT_TYPES = [
    {"id": 1, "name": "Onboarding"},
    {"id": 2, "name": "Migration"},
    {"id": 3, "name": "Hardware Refresh"},
    {"id": 4, "name": "Security Audit"},
]

_EPOCH = datetime(2023, 1, 1, 9, 0, 0, tzinfo=UTC)
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _when(i: int, salt: int = 0) -> datetime:
    # Spread records over ~2 years at irregular but reproducible offsets.
    return _EPOCH + timedelta(hours=(i * 37 + salt * 11) % 17000, minutes=(i * 13 + salt) % 60)


def _iso_z(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_naive(dt: datetime) -> str:
    # Rev.io dates are observed "sometimes without an offset".
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def _money(i: int, salt: int) -> str:
    cents = (i * 7919 + salt * 104729) % 500000 + 1000
    return f"{cents // 100}.{cents % 100:02d}"


def ulid_like(n: int) -> str:
    """Return a deterministic 26-character Crockford base32 string (ULID-like user id)."""
    value = (n * 0x9E3779B97F4A7C15 + 0x0123456789ABCDEF) % (1 << 128)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "01" + "".join(chars)[:24]


def rev23_customer(i: int) -> dict[str, Any]:
    """REV23 customer ``i`` (1-based), camelCase, with one field no model knows."""
    first, last = _FIRST[i % len(_FIRST)], _LAST[(i * 7) % len(_LAST)]
    city, state, postal = _CITIES[i % len(_CITIES)]
    born = datetime(1960, 1, 1) + timedelta(days=(i * 389) % 15000)
    return {
        "id": i,
        "firstName": first,
        "lastName": last,
        "middleName": _MIDDLE[i % len(_MIDDLE)],
        "nickname": _NICK[i % len(_NICK)],
        "email": f"{first.lower()}.{last.lower()}{i}@example.com",
        "phoneNumber": f"+1-555-{(i * 17) % 1000:03d}-{i % 10000:04d}",
        "birthdate": born.strftime("%Y-%m-%d"),
        "gender": _GENDERS[i % len(_GENDERS)],
        "street": f"{100 + (i * 31) % 9000} {_STREETS[i % len(_STREETS)]}",
        "city": city,
        "state": state,
        "postalCode": postal,
        "country": "US",
        "occupation": _OCCUPATIONS[i % len(_OCCUPATIONS)],
        "notes": "" if i % 3 else f"Prefers appointments on day {i % 7 + 1}.",
        "createdAt": _iso_z(_when(i)),
        "loyaltyTier": _TIERS[i % len(_TIERS)],
    }


def _company(i: int) -> str:
    return f"{_COMPANY_A[i % len(_COMPANY_A)]} {_COMPANY_B[(i // 3) % len(_COMPANY_B)]} {i}"


def revio_customer(i: int) -> dict[str, Any]:
    """Rev.io PSA billing customer ``i`` (1-based)."""
    city, state, postal = _CITIES[(i + 3) % len(_CITIES)]
    created = _when(i, 1)
    return {
        "customerId": i,
        "name": _company(i),
        "accountNumber": f"AC-{100000 + i * 7:06d}",
        "status": _CUSTOMER_STATUSES[i % len(_CUSTOMER_STATUSES)],
        "email": f"billing@customer{i}.example.com",
        "phone": f"+1-555-{(i * 29) % 1000:03d}-{(i * 3) % 10000:04d}",
        "address": {
            "street": f"{10 + i} {_STREETS[i % len(_STREETS)]}",
            "city": city,
            "state": state,
            "postalCode": postal,
        },
        "createdDate": _iso_naive(created),
        "modifiedDate": _iso_naive(created + timedelta(days=i % 90)),
        "balance": _money(i, 1),
        "parentCustomerId": None if i % 5 else max(1, i - 1),
        "billingCycle": "monthly" if i % 4 else "quarterly",
    }


def revio_contact(i: int, customers: int) -> dict[str, Any]:
    """Rev.io PSA contact ``i`` (1-based), attached to one of ``customers`` customers."""
    first, last = _FIRST[(i * 5) % len(_FIRST)], _LAST[(i * 3) % len(_LAST)]
    created = _when(i, 2)
    return {
        "contactId": i,
        "customerId": (i - 1) % max(customers, 1) + 1,
        "firstName": first,
        "lastName": last,
        "email": f"{first.lower()}.{last.lower()}{i}@customer.example.com",
        "phone": f"+1-555-{(i * 41) % 1000:03d}-{(i * 9) % 10000:04d}",
        "title": _TITLES[i % len(_TITLES)],
        "isPrimary": i % 4 == 1,
        "createdDate": _iso_naive(created),
        "modifiedDate": _iso_naive(created + timedelta(days=i % 30)),
        "preferredChannel": ("email", "phone", "sms")[i % 3],
    }


def invoices(customer_id: int) -> list[dict[str, Any]]:
    """Invoices of one Rev.io customer (3 to 7, ids ``customerId * 100 + k``)."""
    rows = []
    for k in range(1, 3 + customer_id % 5 + 1):
        issued = _when(customer_id * 10 + k, 3)
        rows.append(
            {
                "invoiceId": customer_id * 100 + k,
                "customerId": customer_id,
                "invoiceDate": issued.strftime("%Y-%m-%d"),
                "dueDate": (issued + timedelta(days=30)).strftime("%Y-%m-%d"),
                "total": _money(customer_id * 10 + k, 4),
                "status": _INVOICE_STATUSES[(customer_id + k) % len(_INVOICE_STATUSES)],
                "currency": "USD",
            }
        )
    return rows


def opportunity(i: int, customers: int) -> dict[str, Any]:
    """Rev.io PSA billing opportunity ``i`` (1-based)."""
    return {
        "opportunityId": i,
        "customerId": (i * 3 - 1) % max(customers, 1) + 1,
        "name": f"{_STAGES[i % 4]} deal {i}",
        "amount": _money(i, 5),
        "stageId": i % len(_STAGES) + 1,
        "stage": _STAGES[i % len(_STAGES)],
        "closeDate": (_when(i, 5) + timedelta(days=60)).strftime("%Y-%m-%d"),
        "ownerId": ulid_like(i % 17),
        "probability": (i * 10) % 101,
    }


def ticket_row(
    ticket_id: int,
    *,
    customer_id: int | None,
    customer_name: str,
    description: str,
    status_id: int,
    priority_id: int,
    type_id: int,
    created: str,
    modified: str,
    tech_assigned: str | None = None,
) -> dict[str, Any]:
    """One ``ticket-list`` row as the PSA returns it (names resolved from ids).

    ``customer_id`` may be ``None``: public callers create tickets without one.
    """
    status = TICKET_STATUSES.get(status_id, "New")
    tech = TECHNICIANS[ticket_id % len(TECHNICIANS)] if tech_assigned is None else tech_assigned
    return {
        "ticketId": ticket_id,
        "ticketDescription": description,
        "customerId": customer_id,
        "customerName": customer_name,
        "ticketStatus": status,
        "ticketStatusId": status_id,
        "ticketState": "Closed" if status == "Closed" else "Open",
        "ticketPriority": TICKET_PRIORITIES.get(priority_id, "Medium"),
        "ticketSeverity": ("Minor", "Major", "Critical")[priority_id % 3],
        "ticketType": TICKET_TYPES.get(type_id, "Incident"),
        "techAssigned": tech,
        "techAssignedId": TECHNICIANS.index(tech) + 1 if tech in TECHNICIANS[:-1] else None,
        "createdDate": created,
        "openedDate": created,
        "modifiedDate": modified,
        "closedDate": modified if status == "Closed" else None,
    }


def seeded_ticket(i: int, customers: int) -> dict[str, Any]:
    """Seeded ticket row ``i`` (1-based)."""
    customer_id = (i * 7 - 1) % max(customers, 1) + 1
    created = _when(i, 6)
    return ticket_row(
        i,
        customer_id=customer_id,
        customer_name=_company(customer_id),
        description=f"Ticket {i}: {_ISSUES[i % len(_ISSUES)]}",
        status_id=i % 4 + 1,
        priority_id=(i * 3) % 4 + 1,
        type_id=(i * 5) % 4 + 1,
        created=_iso_naive(created),
        modified=_iso_naive(created + timedelta(hours=i % 72)),
    )


def project(i: int, customers: int) -> dict[str, Any]:
    """Rev.io PSA project ``i`` (1-based)."""
    start = _when(i, 7)
    status = PROJECT_STATUSES[i % len(PROJECT_STATUSES)]
    kind = PROJECT_TYPES[(i * 3) % len(PROJECT_TYPES)]
    hours = float(10 + i % 200)
    return {
        "projectId": i,
        "projectName": f"{kind['name']} for {_company((i - 1) % max(customers, 1) + 1)}",
        "projectDescription": f"Seeded project {i}.",
        "customerId": (i - 1) % max(customers, 1) + 1,
        "projectStatusId": status["projectStatusId"],
        "projectPriorityId": i % len(PROJECT_PRIORITIES) + 1,
        "projectType": kind["name"],
        "startDate": _iso_z(start),
        "endDate": _iso_z(start + timedelta(days=30 + i % 90)),
        "budgetHours": hours,
        "estimatedHours": hours,
        "isBillable": i % 5 != 0,
        "projectOwnerId": ulid_like(i % 11 + 100),
        "teamMembers": [
            {"globalUserId": ulid_like(i % 11 + 100), "memberRoleId": 1, "isLead": True},
            {"globalUserId": ulid_like(i % 7 + 200), "memberRoleId": 2, "isLead": False},
        ],
        "notes": "",
        "isAtRisk": i % 9 == 0,
        "createdDate": _iso_naive(start - timedelta(days=3)),
    }


def activity(project_id: int) -> list[dict[str, Any]]:
    """Activity feed of a seeded project (5 to 44 entries, newest last)."""
    count = 5 + (project_id * 7) % 40
    base = _when(project_id, 8)
    return [
        {
            "activityId": project_id * 1000 + k,
            "projectId": project_id,
            "eventType": ("note", "status_change", "time_entry", "file")[k % 4],
            "message": f"Activity {k} on project {project_id}",
            "performedBy": ulid_like(k % 3 + 200),
            "createdDate": _iso_naive(base + timedelta(hours=k * 5)),
        }
        for k in range(1, count + 1)
    ]
