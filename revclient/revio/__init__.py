"""Rev.io PSA API: generated models and resources."""

from ._models import (
    Contact,
    CreatedOpportunity,
    CreatedProject,
    CreatedTicket,
    Customer,
    Invoice,
    Opportunity,
    Project,
    ProjectActivity,
    ProjectOption,
    ProjectOptions,
    Ticket,
)
from ._resources import RevioResources
from ._sync_resources import SyncRevioResources

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
    "RevioResources",
    "SyncRevioResources",
    "Ticket",
]
