"""Models of the BPM runtime (and, later, of the credit domain)."""

from workflows.models.decisions import DecisionDefinition
from workflows.models.definitions import ProcessDefinition
from workflows.models.history import ElementLog
from workflows.models.incidents import Incident
from workflows.models.instances import ProcessInstance
from workflows.models.messages import EventSubscription, UnroutedMessage
from workflows.models.permissions import (
    HumanTaskGroupObjectPermission,
    HumanTaskUserObjectPermission,
)
from workflows.models.tasks import HumanTask

__all__ = [
    "DecisionDefinition",
    "ElementLog",
    "EventSubscription",
    "HumanTask",
    "HumanTaskGroupObjectPermission",
    "HumanTaskUserObjectPermission",
    "Incident",
    "ProcessDefinition",
    "ProcessInstance",
    "UnroutedMessage",
]
