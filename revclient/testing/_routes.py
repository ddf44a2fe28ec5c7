"""The sandbox's route handlers: REV23 customers and the Rev.io PSA resources.

Most routes are create, get, update, delete and list of one collection, the same steps
for every resource: :class:`Resource` holds what differs (its API, its rules for a body,
what a write also does) and :class:`Routes` serves any resource with one handler per verb.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from aiohttp import web
from aiohttp.typedefs import Handler

from . import _data
from ._auth import CURRENT_KEY
from ._knobs import Api, State
from ._pages import FEED_SHAPE, ListShape, int_param, page
from ._responses import BODY_REQUIRED, error, invalid, json_response
from ._store import Collection, Store, utc_now

if TYPE_CHECKING:
    from ._sandbox import Sandbox

__all__ = ["CASINGS", "LIST_PAGE_MAX", "TICKET_DESCRIPTION_MAX", "Resource", "Routes"]

#: The longest ticket description public callers send ("150 characters or less").
TICKET_DESCRIPTION_MAX = 150
#: The largest page the ticket list and the project list serve (public callers clamp to it).
LIST_PAGE_MAX = 500

_CAMEL_TO_SNAKE = re.compile(r"(?<=[a-z0-9])([A-Z])")
_SNAKE_TO_CAMEL = re.compile(r"_([a-z0-9])")
#: How a camelCase name is spelled in each casing, and back.
CASINGS: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "camel": (lambda name: name, lambda name: name),
    "snake": (
        lambda name: _CAMEL_TO_SNAKE.sub(r"_\1", name).lower(),
        lambda name: _SNAKE_TO_CAMEL.sub(lambda m: m.group(1).upper(), name),
    ),
    "pascal": (lambda name: name[:1].upper() + name[1:], lambda name: name[:1].lower() + name[1:]),
}

Rows = list[dict[str, Any]]
# A body (a JSON object) and the project its record belongs to -> the record, or the 400.
Check = Callable[[dict[str, Any], int | None], dict[str, Any] | web.Response]


@dataclass(frozen=True)
class Resource:
    """What one collection's handlers need to know about it."""

    api: Api
    #: Its name in 404 details ("Opportunity not found").
    what: str
    records: Collection
    #: Narrows the list by query parameters.
    narrow: Callable[[web.Request, Rows], Rows] | None = None
    #: The largest page its list serves.
    cap: int | None = None
    #: The rules for a new record's body and for a replacement's.
    new: Check | None = None
    edit: Check | None = None
    #: For records created below another's path (a project's phases): that resource.
    parent: Resource | None = None
    #: What creating or replacing record ``id`` also does (the project's activity).
    created: Callable[[int, dict[str, Any]], None] | None = None
    updated: Callable[[int, dict[str, Any]], None] | None = None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id(request: web.Request) -> int:
    return int(request.match_info["id"])


def _in_data(payload: Any, status: int = 200) -> web.Response:
    return json_response(status, {"data": payload})


def _not_found(res: Resource) -> web.Response:
    return error(res.api, 404, f"{res.what} not found")


async def _body(request: web.Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _when(text: str) -> datetime | None:
    """An ISO 8601 date-time (naive ones are UTC, as Rev.io sends them), or None."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _of_customer(request: web.Request, rows: Rows) -> Rows:
    """``rows`` of the ``customerId`` the query names (all of them without one)."""
    if "customerId" not in request.query:
        return rows
    customer_id = int_param(request, "customerId", 0)
    return [r for r in rows if r.get("customerId") == customer_id]


def _of_status(request: web.Request, rows: Rows) -> Rows:
    """The README's ``--param status=open``: tickets by status name or open/closed state."""
    status = request.query.get("status", "").strip().casefold()
    if not status:
        return rows
    return [
        r
        for r in rows
        if status in (str(r["ticketStatus"]).casefold(), str(r["ticketState"]).casefold())
    ]


def _named(
    body: dict[str, Any], name: str, ints: tuple[str, ...] = ()
) -> dict[str, Any] | web.Response:
    """``body`` as a record if its ``name`` field is a non-empty string and ``ints`` are
    integers when present; else the 400 answer."""
    if not isinstance(body.get(name), str) or not body[name].strip():
        return invalid({name: [f"The {name} field is required."]})
    for field_name in ints:
        if body.get(field_name) is not None and not _is_int(body[field_name]):
            return invalid({field_name: [f"The {field_name} field must be an integer."]})
    return dict(body)


def _project(body: dict[str, Any], _: int | None) -> dict[str, Any] | web.Response:
    record = _named(body, "projectName", ("projectStatusId", "projectPriorityId", "customerId"))
    if isinstance(record, dict) and not isinstance(record.get("teamMembers", []), list):
        return invalid({"teamMembers": ["The teamMembers field must be an array."]})
    return record


def _new_project(body: dict[str, Any], _: int | None) -> dict[str, Any] | web.Response:
    record = _project(body, None)
    if isinstance(record, dict):
        record.setdefault("createdDate", utc_now())
    return record


def _phase(body: dict[str, Any], project_id: int | None) -> dict[str, Any] | web.Response:
    record = _named(body, "phaseName", ("phaseSequence", "phaseStatusId"))
    if isinstance(record, dict):
        record["projectId"] = project_id
    return record


class Routes:
    """Every route of both APIs over ``store``, reading ``sb``'s knobs at each request."""

    def __init__(
        self, sb: Sandbox, state: State, store: Store, shapes: dict[Api, ListShape | None]
    ) -> None:
        self._sb = sb
        self._state = state
        self._store = store
        self._shapes = shapes

    def add_to(self, app: web.Application) -> None:
        """Add every route to ``app``."""
        store = self._store
        rev23_customers = Resource("rev23", "Customer", store.rev23_customers)
        contacts = Resource("revio", "Contact", store.contacts, narrow=_of_customer)
        customers = Resource("revio", "Customer", store.revio_customers)
        opportunities = Resource(
            "revio",
            "Opportunity",
            store.opportunities,
            narrow=_of_customer,
            new=self._opportunity,
            edit=self._opportunity,
        )
        tickets = Resource(
            "revio", "Ticket", store.tickets, narrow=_of_status, cap=LIST_PAGE_MAX, new=self._ticket
        )
        projects = Resource(
            "revio",
            "Project",
            store.projects,
            narrow=_of_customer,
            cap=LIST_PAGE_MAX,
            new=_new_project,
            edit=_project,
            created=lambda new_id, _: store.log_activity(new_id, "created", "Project created"),
            updated=lambda item_id, _: store.log_activity(item_id, "updated", "Project updated"),
        )
        phases = Resource(
            "revio",
            "Phase",
            store.phases,
            new=_phase,
            edit=_phase,
            parent=projects,
            created=lambda _, record: store.log_activity(
                record["projectId"], "phase_created", f"Phase {record['phaseName']} added"
            ),
        )
        milestones = Resource(
            "revio",
            "Milestone",
            store.milestones,
            new=self._milestone,
            edit=self._milestone,
            parent=projects,
        )
        b = "/billing/api/v1"
        p = "/project-management/api/v1"
        item = r"{id:\d+}"
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/api/v2/customers", self._list(rev23_customers)),
            ("GET", f"/api/v2/customers/{item}", self._get(rev23_customers)),
            ("POST", "/api/v1/auth/api-key/exchange", self._exchange),
            ("GET", f"{b}/contacts", self._list(contacts)),
            ("GET", f"{b}/contacts/{item}", self._get(contacts)),
            ("GET", f"{b}/customers", self._list(customers)),
            ("GET", f"{b}/customers/{item}", self._get(customers)),
            ("GET", f"{b}/customers/{item}/invoices", self._invoices),
            ("GET", f"{b}/opportunities", self._list(opportunities)),
            ("POST", f"{b}/opportunities", self._create(opportunities)),
            ("GET", f"{b}/opportunities/{item}", self._get(opportunities)),
            ("PUT", f"{b}/opportunities/{item}", self._update(opportunities)),
            ("DELETE", f"{b}/opportunities/{item}", self._delete(opportunities)),
            ("POST", "/psac/api/v1/ticket", self._create(tickets)),
            ("GET", f"/psac/api/v1/ticket/{item}", self._get(tickets)),
            ("GET", "/psac/api/v1/ticket-list", self._list(tickets)),
            ("GET", f"{p}/projects", self._list(projects)),
            ("POST", f"{p}/projects", self._create(projects)),
            ("GET", f"{p}/projects/options", self._project_options),
            ("GET", f"{p}/projects/{item}", self._get(projects)),
            ("PUT", f"{p}/projects/{item}", self._update(projects)),
            ("GET", f"{p}/projects/{item}/activity", self._activity),
            ("POST", f"{p}/projects/{item}/phases", self._create(phases)),
            ("POST", f"{p}/projects/{item}/milestones", self._create(milestones)),
            ("PUT", f"{p}/phases/{item}", self._update(phases)),
            ("PUT", f"{p}/milestones/{item}", self._update(milestones)),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, path, handler)

    # ------------------------------------------------ one handler per verb, any resource

    def _list(self, res: Resource) -> Handler:
        sb, shape, rows, narrow = self._sb, self._shapes[res.api], res.records.items, res.narrow

        async def handle(request: web.Request) -> web.Response:
            found = rows if narrow is None else narrow(request, rows)
            return page(request, found, res.api, sb.page_size, sb.max_page_size, res.cap, shape)

        return handle

    def _get(self, res: Resource) -> Handler:
        by_id, bare = res.records.by_id, res.api == "rev23"

        async def handle(request: web.Request) -> web.Response:
            record = by_id.get(_id(request))
            if record is None:
                return _not_found(res)
            return json_response(200, record) if bare else _in_data(record)

        return handle

    def _create(self, res: Resource) -> Handler:
        check = cast(Check, res.new)

        async def handle(request: web.Request) -> web.Response:
            project_id = None
            if res.parent is not None:
                project_id = _id(request)
                if project_id not in res.parent.records.by_id:
                    return _not_found(res.parent)
            body = await _body(request)
            record = invalid(BODY_REQUIRED) if body is None else check(body, project_id)
            if isinstance(record, web.Response):
                return record
            new_id = res.records.add(record)
            if res.created is not None:
                res.created(new_id, record)
            return _in_data({res.records.id_field: new_id}, 201)

        return handle

    def _update(self, res: Resource) -> Handler:
        check = cast(Check, res.edit)

        async def handle(request: web.Request) -> web.Response:
            item_id = _id(request)
            old = res.records.by_id.get(item_id)
            if old is None:
                return _not_found(res)
            body = await _body(request)
            record = invalid(BODY_REQUIRED) if body is None else check(body, old.get("projectId"))
            if isinstance(record, web.Response):
                return record
            res.records.replace(item_id, record)
            if res.updated is not None:
                res.updated(item_id, record)
            return _in_data(record)

        return handle

    def _delete(self, res: Resource) -> Handler:
        async def handle(request: web.Request) -> web.Response:
            if not res.records.delete(_id(request)):
                return _not_found(res)
            return web.Response(status=204)

        return handle

    # ------------------------------------------------ rules for bodies

    def _opportunity(self, body: dict[str, Any], _: int | None) -> dict[str, Any] | web.Response:
        """The body in ``opportunity_casing``, stored camelCase; or the validation errors
        (named as the casing names the fields)."""
        to_wire, from_wire = CASINGS[self._sb.opportunity_casing]
        errors: dict[str, list[str]] = {}
        customer_id, name = to_wire("customerId"), to_wire("name")
        if not _is_int(body.get(customer_id)):
            errors[customer_id] = [f"The {customer_id} field is required and must be an integer."]
        if not isinstance(body.get(name), str) or not body[name]:
            errors[name] = [f"The {name} field is required."]
        if errors:
            return invalid(errors)
        return {from_wire(k): v for k, v in body.items()}

    def _ticket(self, body: dict[str, Any], _: int | None) -> dict[str, Any] | web.Response:
        errors: dict[str, list[str]] = {}
        # customerId is optional: two of three public callers send none.
        if body.get("customerId") is not None and not _is_int(body["customerId"]):
            errors["customerId"] = ["The customerId field must be an integer."]
        description = body.get("ticketDescription")
        if not isinstance(description, str) or not description.strip():
            errors["ticketDescription"] = ["The ticketDescription field is required."]
        elif len(description) > TICKET_DESCRIPTION_MAX:
            errors["ticketDescription"] = [
                f"The ticketDescription field must be {TICKET_DESCRIPTION_MAX} characters or less."
            ]
        for name in ("ticketTypeId", "ticketStatusId", "ticketPriorityId"):
            if body.get(name) is not None and not _is_int(body[name]):
                errors[name] = [f"The {name} field must be an integer."]
        for name in ("techsAssociated", "contactsAssociated", "customFields"):
            if body.get(name) is not None and not isinstance(body[name], list):
                errors[name] = [f"The {name} field must be an array."]
        if body.get("techAssigned") is not None and not isinstance(body["techAssigned"], str):
            errors["techAssigned"] = ["The techAssigned field must be a string."]
        if errors:
            return invalid(errors)
        customer = self._store.revio_customers.by_id.get(body.get("customerId"))
        now = utc_now()
        row = _data.ticket_row(
            0,
            customer_id=body.get("customerId"),
            customer_name=customer["name"] if customer else "",
            description=description,  # type: ignore[arg-type]  # validated above
            status_id=body.get("ticketStatusId") or 1,
            priority_id=body.get("ticketPriorityId") or 2,
            type_id=body.get("ticketTypeId") or 1,
            created=now,
            modified=now,
            tech_assigned=body.get("techAssigned") or "",
        )
        for name in ("workRequested", "techsAssociated", "contactsAssociated", "customFields"):
            if body.get(name) is not None:
                row[name] = body[name]
        return row

    def _milestone(
        self, body: dict[str, Any], project_id: int | None
    ) -> dict[str, Any] | web.Response:
        record = _named(body, "milestoneName", ("phaseId",))
        if isinstance(record, web.Response):
            return record
        phase = self._store.phases.by_id.get(record.get("phaseId"))
        if record.get("phaseId") is not None and (
            phase is None or phase["projectId"] != project_id
        ):
            return invalid({"phaseId": ["The phaseId is not a phase of this project."]})
        record["projectId"] = project_id
        return record

    # ------------------------------------------------ the other routes

    async def _exchange(self, request: web.Request) -> web.Response:
        token = self._state.issue_token(CURRENT_KEY.get(), self._sb.token_ttl)
        return _in_data({"token": token})

    async def _invoices(self, request: web.Request) -> web.Response:
        customer_id = _id(request)
        if customer_id not in self._store.revio_customers.by_id:
            return error("revio", 404, "Customer not found")
        sb = self._sb
        rows = self._store.invoices(customer_id)
        return page(
            request, rows, "revio", sb.page_size, sb.max_page_size, None, self._shapes["revio"]
        )

    async def _project_options(self, request: web.Request) -> web.Response:
        return _in_data(
            {
                "projectStatuses": _data.PROJECT_STATUSES,
                "projectPriorities": _data.PROJECT_PRIORITIES,
                "memberRoles": _data.MEMBER_ROLES,
            }
        )

    async def _activity(self, request: web.Request) -> web.Response:
        project_id = _id(request)
        if project_id not in self._store.projects.by_id:
            return error("revio", 404, "Project not found")
        query = request.query
        bounds = {}
        for name in ("from", "to"):
            if query.get(name):
                bounds[name] = _when(query[name])
                if bounds[name] is None:
                    return error("revio", 400, f"Invalid {name}: an ISO 8601 date-time")
        low, high, kinds, people = (
            bounds.get("from"),
            bounds.get("to"),
            set(query.getall("eventType", [])),
            set(query.getall("performedBy", [])),
        )
        rows = [
            r
            for r in self._store.activity(project_id)
            if (not kinds or r["eventType"] in kinds)
            and (not people or r["performedBy"] in people)
            and (low is None or cast(datetime, _when(r["createdDate"])) >= low)
            and (high is None or cast(datetime, _when(r["createdDate"])) <= high)
        ]
        sb = self._sb
        return page(
            request, rows, "revio", sb.page_size, sb.max_page_size, None, FEED_SHAPE, feed=True
        )
