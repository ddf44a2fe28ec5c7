# generated from specs/revio.toml by revclient._codegen; do not edit
"""Rev.io PSA API: response models (generated)."""

from datetime import date, datetime
from decimal import Decimal

import attrs

from .._models import Id, Model, fields_last, register_models

__all__ = [
    "Contact",
    "CreatedMilestone",
    "CreatedOpportunity",
    "CreatedPhase",
    "CreatedProject",
    "CreatedTicket",
    "Customer",
    "Invoice",
    "MemberRoleOption",
    "Milestone",
    "Opportunity",
    "Phase",
    "Project",
    "ProjectActivity",
    "ProjectOptions",
    "ProjectPriorityOption",
    "ProjectStatusOption",
    "TeamMember",
    "Ticket",
]


@attrs.define(kw_only=True, field_transformer=fields_last)
class Contact(Model):
    """A billing contact of a customer."""

    contact_id: Id | None = None
    """Not observed in public code."""
    customer_id: Id | None = None
    """Not observed in public code."""
    first_name: str | None = None
    """Not observed in public code."""
    last_name: str | None = None
    """Not observed in public code."""
    email: str | None = None
    """Not observed in public code."""
    phone: str | None = None
    """Not observed in public code."""
    title: str | None = None
    """Not observed in public code."""
    is_primary: bool | None = None
    """Not observed in public code."""
    created_date: datetime | None = None
    """Not observed in public code."""
    modified_date: datetime | None = None
    """Not observed in public code."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class Customer(Model):
    """A billing customer (an account of the PSA tenant)."""

    customer_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``,
    michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    name: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    customer_name: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``,
    michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    account_number: str | None = None
    """Not observed in public code."""
    status: str | None = None
    """Not observed in public code."""
    email: str | None = None
    """Not observed in public code."""
    phone: str | None = None
    """Not observed in public code."""
    created_date: datetime | None = None
    """Not observed in public code."""
    balance: Decimal | None = None
    """Sent as a decimal string. Not observed in public code."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class Invoice(Model):
    """An invoice of a billing customer."""

    invoice_id: Id | None = None
    """Not observed in public code."""
    customer_id: Id | None = None
    """Not observed in public code."""
    invoice_date: date | None = None
    """Not observed in public code."""
    due_date: date | None = None
    """Not observed in public code."""
    total: Decimal | None = None
    """Not observed in public code."""
    status: str | None = None
    """Not observed in public code."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class Opportunity(Model):
    """A sales opportunity."""

    opportunity_id: Id | None = None
    """Not observed in public code."""
    id: Id | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    customer_id: Id | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    name: str | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    amount: Decimal | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    stage_id: Id | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    status_id: Id | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    type_id: Id | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    source_id: Id | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    notes: str | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""
    stage: str | None = None
    """Not observed in public code."""
    close_date: date | None = None
    """Not observed in public code."""
    owner_id: str | None = None
    """A 26-character ULID-like user id. Not observed in public code."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class CreatedOpportunity(Model):
    """The answer to creating an opportunity. Public code reads ``id``, ``opportunity_id`` or
    ``Id`` (the last two land in ``extra``).
    """

    opportunity_id: Id | None = None
    """Not observed in public code."""
    id: Id | None = None
    """Seen in michaelBullfrog/revio ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class Ticket(Model):
    """A ticket: a row of the ticket list, or one ticket (names resolved from its ids)."""

    ticket_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``,
    michaelBullfrog/bullfrog-project-command-center ``main.py``.
    """
    ticket_description: str | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    customer_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    customer_name: str | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    ticket_status: str | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``,
    michaelBullfrog/bullfrog-project-command-center ``main.py``.
    """
    ticket_status_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    ticket_state: str | None = None
    """Read where ticketStatus is missing. Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    ticket_priority: str | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    ticket_severity: str | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    ticket_type: str | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    tech_assigned: str | None = None
    """The assigned technician's name. Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    tech_assigned_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    created_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    opened_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    modified_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    closed_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """


@attrs.define(kw_only=True, field_transformer=fields_last)
class CreatedTicket(Model):
    """The answer to creating a ticket (public code reads ``data.ticketId``, ``id`` or
    ``ticket_id``; the last lands in ``extra``).
    """

    ticket_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    id: Id | None = None
    """Seen in michaelBullfrog/support ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class TeamMember(Model):
    """A member of a project's team."""

    global_user_id: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    member_role_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    is_lead: bool | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class Project(Model):
    """A project (project management)."""

    project_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_name: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_description: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_status_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_priority_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    customer_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``,
    michaelBullfrog/bullfrog-intelligence
    ``bullfrog-intelligence-mvp/backend/app/connectors/revio.py``.
    """
    start_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    end_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    budget_hours: float | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    estimated_hours: float | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    is_billable: bool | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_owner_id: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    team_members: list[TeamMember] | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    notes: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    is_at_risk: bool | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    created_date: datetime | None = None
    """Not observed in public code."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class CreatedProject(Model):
    """The answer to creating a project (public code reads ``data.projectId``)."""

    project_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class ProjectStatusOption(Model):
    """A status a project can take."""

    project_status_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_status_name: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class ProjectPriorityOption(Model):
    """A priority a project can take."""

    project_priority_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_priority_name: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class MemberRoleOption(Model):
    """A role a project team member can take."""

    member_role_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    member_role_name: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class ProjectOptions(Model):
    """The choices offered when creating or editing a project. Public code also accepts
    ``statuses``/``priorities``/``roles`` and ``id``/``name`` in the items (kept in
    ``extra``).
    """

    project_statuses: list[ProjectStatusOption] | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_priorities: list[ProjectPriorityOption] | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    member_roles: list[MemberRoleOption] | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class ProjectActivity(Model):
    """One entry of a project's activity log."""

    activity_id: Id | None = None
    """Not observed in public code."""
    project_id: Id | None = None
    """Not observed in public code."""
    event_type: str | None = None
    """Filtered by the eventType query parameter. Not observed in public code."""
    performed_by: str | None = None
    """Filtered by the performedBy query parameter. Not observed in public code."""
    message: str | None = None
    """Not observed in public code."""
    created_date: datetime | None = None
    """Not observed in public code."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class Phase(Model):
    """A phase of a project."""

    phase_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_id: Id | None = None
    """Not observed in public code."""
    phase_name: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    phase_sequence: int | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    phase_status_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    start_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    end_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    description: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    phase_owner_id: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    planned_hours: float | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    is_at_risk: bool | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    progress_percent: float | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    baseline_start_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    baseline_end_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class CreatedPhase(Model):
    """The answer to creating a phase (public code reads ``data.phaseId``)."""

    phase_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class Milestone(Model):
    """A milestone of a project, in one of its phases."""

    milestone_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    project_id: Id | None = None
    """Not observed in public code."""
    milestone_name: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    description: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    target_date: datetime | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    owner_id: str | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""
    phase_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


@attrs.define(kw_only=True, field_transformer=fields_last)
class CreatedMilestone(Model):
    """The answer to creating a milestone (public code reads ``data.milestoneId``)."""

    milestone_id: Id | None = None
    """Seen in michaelBullfrog/bullfrog-project-command-center ``main.py``."""


register_models(
    Contact,
    Customer,
    Invoice,
    Opportunity,
    CreatedOpportunity,
    Ticket,
    CreatedTicket,
    TeamMember,
    Project,
    CreatedProject,
    ProjectStatusOption,
    ProjectPriorityOption,
    MemberRoleOption,
    ProjectOptions,
    ProjectActivity,
    Phase,
    CreatedPhase,
    Milestone,
    CreatedMilestone,
)
