"""The sandbox's records: seeded from :mod:`._data`, then changed by the write routes."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from . import _data

__all__ = ["COLLECTIONS", "Collection", "Store", "utc_now"]

#: The seeded collections, as ``Sandbox(records={...})`` names them.
COLLECTIONS = (
    "rev23_customers",
    "revio_customers",
    "contacts",
    "opportunities",
    "tickets",
    "projects",
)


def utc_now() -> str:
    """The time now as Rev.io writes it (naive UTC, whole seconds)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())


class Collection:
    """Records in id order with an id index; writes keep both in step."""

    def __init__(self, id_field: str, records: list[dict[str, Any]]) -> None:
        self.id_field = id_field
        self.items = records
        self.by_id = {r[id_field]: r for r in records}
        self.next_id = max(self.by_id, default=0) + 1

    def add(self, record: dict[str, Any]) -> int:
        """Store a new record under the next id and return the id."""
        new_id = self.next_id
        self.next_id += 1
        record[self.id_field] = new_id
        self.items.append(record)
        self.by_id[new_id] = record
        return new_id

    def replace(self, item_id: int, record: dict[str, Any]) -> bool:
        """Put ``record`` in the place of record ``item_id`` (False if there is none)."""
        old = self.by_id.get(item_id)
        if old is None:
            return False
        record[self.id_field] = item_id
        self.items[self.items.index(old)] = record
        self.by_id[item_id] = record
        return True

    def delete(self, item_id: int) -> bool:
        """Remove record ``item_id`` (False if there is none)."""
        old = self.by_id.pop(item_id, None)
        if old is None:
            return False
        self.items.remove(old)
        return True


class Store:
    """Every collection of both APIs; ``records`` is one count for all or counts by name."""

    def __init__(self, records: int | Mapping[str, int]) -> None:
        if isinstance(records, int):
            counts = dict.fromkeys(COLLECTIONS, records)
        else:
            unknown = set(records) - set(COLLECTIONS)
            if unknown:
                raise ValueError(f"unknown collections {sorted(unknown)}; known: {COLLECTIONS}")
            counts = {name: records.get(name, 250) for name in COLLECTIONS}
        n_cust = counts["revio_customers"]

        def seed(id_field: str, name: str, make: Callable[[int], dict[str, Any]]) -> Collection:
            return Collection(id_field, [make(i) for i in range(1, counts[name] + 1)])

        self.rev23_customers = seed("id", "rev23_customers", _data.rev23_customer)
        self.revio_customers = seed("customerId", "revio_customers", _data.revio_customer)
        self.contacts = seed("contactId", "contacts", lambda i: _data.revio_contact(i, n_cust))
        self.opportunities = seed(
            "opportunityId", "opportunities", lambda i: _data.opportunity(i, n_cust)
        )
        self.tickets = seed("ticketId", "tickets", lambda i: _data.seeded_ticket(i, n_cust))
        self.projects = seed("projectId", "projects", lambda i: _data.project(i, n_cust))
        self._seeded_projects = counts["projects"]
        # Phases and milestones are not seeded: public code creates them on new projects.
        self.phases = Collection("phaseId", [])
        self.milestones = Collection("milestoneId", [])
        # Made at first read, per customer and per project.
        self._invoices: dict[int, list[dict[str, Any]]] = {}
        self._activity: dict[int, list[dict[str, Any]]] = {}

    def invoices(self, customer_id: int) -> list[dict[str, Any]]:
        """The invoices of a customer."""
        rows = self._invoices.get(customer_id)
        if rows is None:
            rows = self._invoices[customer_id] = _data.invoices(customer_id)
        return rows

    def activity(self, project_id: int) -> list[dict[str, Any]]:
        """The activity feed of a project (seeded projects start with a history)."""
        rows = self._activity.get(project_id)
        if rows is None:
            rows = _data.activity(project_id) if project_id <= self._seeded_projects else []
            self._activity[project_id] = rows
        return rows

    def log_activity(self, project_id: int, kind: str, message: str) -> None:
        """Add an event to a project's activity feed."""
        rows = self.activity(project_id)
        rows.append(
            {
                "activityId": project_id * 1000 + len(rows) + 1,
                "projectId": project_id,
                "eventType": kind,
                "message": message,
                "performedBy": _data.ulid_like(0),
                "createdDate": utc_now(),
            }
        )
