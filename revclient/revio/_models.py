# generated from specs/revio.toml by revclient._codegen; do not edit
"""Rev.io PSA API: response models (generated)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from .._models import Id, Model, register_models

__all__ = [
    "Contact",
    "CreatedOpportunity",
    "CreatedProject",
    "CreatedTicket",
    "Customer",
    "Invoice",
    "Opportunity",
    "Project",
    "ProjectActivity",
    "ProjectOption",
    "ProjectOptions",
    "Ticket",
]


@attrs.define(kw_only=True)
class Contact(Model):
    """A billing contact of a customer.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    contact_id: Id | None = None
    customer_id: Id | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    is_primary: bool | None = None
    created_date: datetime | None = None
    modified_date: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class Customer(Model):
    """A billing customer (an account of the PSA tenant).

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    customer_id: Id | None = None
    name: str | None = None
    account_number: str | None = None
    status: str | None = None
    email: str | None = None
    phone: str | None = None
    created_date: datetime | None = None
    #: Sent as a decimal string.
    balance: Decimal | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class Invoice(Model):
    """An invoice of a billing customer.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    invoice_id: Id | None = None
    customer_id: Id | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    total: Decimal | None = None
    status: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class Opportunity(Model):
    """A sales opportunity.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    opportunity_id: Id | None = None
    customer_id: Id | None = None
    name: str | None = None
    amount: Decimal | None = None
    stage: str | None = None
    close_date: date | None = None
    #: A 26-character ULID-like user id.
    owner_id: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class CreatedOpportunity(Model):
    """The answer to creating an opportunity.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    opportunity_id: Id | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class Ticket(Model):
    """A row of the ticket list (names resolved from the ids a ticket is created with).

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    ticket_id: Id | None = None
    ticket_description: str | None = None
    customer_id: Id | None = None
    customer_name: str | None = None
    ticket_status: str | None = None
    ticket_priority: str | None = None
    ticket_type: str | None = None
    created_date: datetime | None = None
    modified_date: datetime | None = None
    closed_date: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class CreatedTicket(Model):
    """The answer to creating a ticket.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    ticket_id: Id | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class Project(Model):
    """A project (project management).

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    project_id: Id | None = None
    name: str | None = None
    description: str | None = None
    customer_id: Id | None = None
    status: str | None = None
    type: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    created_date: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class CreatedProject(Model):
    """The answer to creating a project.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    project_id: Id | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class ProjectOption(Model):
    """One choice offered for a project field (a status or a type).

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    id: Id | None = None
    name: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class ProjectOptions(Model):
    """The choices offered when creating or editing a project.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    statuses: list[ProjectOption] | None = None
    types: list[ProjectOption] | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


@attrs.define(kw_only=True)
class ProjectActivity(Model):
    """One entry of a project's activity log.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is the
    payload as received; ``to_dict()`` gives the wire form back.
    """

    activity_id: Id | None = None
    project_id: Id | None = None
    type: str | None = None
    message: str | None = None
    user_id: str | None = None
    created_date: datetime | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)


register_models(
    Contact,
    Customer,
    Invoice,
    Opportunity,
    CreatedOpportunity,
    Ticket,
    CreatedTicket,
    Project,
    CreatedProject,
    ProjectOption,
    ProjectOptions,
    ProjectActivity,
)
