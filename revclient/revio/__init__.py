"""Rev.io PSA API: generated models and resources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._models import (
    Contact,
    CreatedMilestone,
    CreatedOpportunity,
    CreatedPhase,
    CreatedProject,
    CreatedTicket,
    Customer,
    Invoice,
    MemberRoleOption,
    Milestone,
    Opportunity,
    Phase,
    Project,
    ProjectActivity,
    ProjectOptions,
    ProjectPriorityOption,
    ProjectStatusOption,
    TeamMember,
    Ticket,
)
from ._resources import BODY_CASINGS, RevioResources

if TYPE_CHECKING:
    from ._sync_resources import SyncRevioResources

# Loaded on first use: an async program never needs the sync twins.
_LAZY = {"SyncRevioResources": "._sync_resources"}


def __getattr__(name: str) -> Any:
    from .._lazy import load

    return load(__name__, _LAZY, name, globals())


__all__ = [
    "BODY_CASINGS",
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
    "RevioResources",
    "SyncRevioResources",
    "TeamMember",
    "Ticket",
]
