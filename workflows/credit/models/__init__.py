"""Models of the credit domain; import them from here."""

from workflows.credit.models.cases import Case
from workflows.credit.models.common import Jurisdiction, Regime
from workflows.credit.models.deadlines import CaseDeadline
from workflows.credit.models.departments import Department, Membership
from workflows.credit.models.documents import Attachment, Document
from workflows.credit.models.lists import ListEntry
from workflows.credit.models.measures import Measure, MeasureApplication
from workflows.credit.models.permissions import (
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    CreditRecordGroupObjectPermission,
    CreditRecordUserObjectPermission,
    ListEntryGroupObjectPermission,
    ListEntryUserObjectPermission,
)
from workflows.credit.models.records import CreditRecord, RecordCorrection
from workflows.credit.models.sequences import NumberSequence
from workflows.credit.models.subjects import CreditCommitment, Subject

__all__ = [
    "Attachment",
    "Case",
    "CaseDeadline",
    "CaseGroupObjectPermission",
    "CaseUserObjectPermission",
    "CreditCommitment",
    "CreditRecord",
    "CreditRecordGroupObjectPermission",
    "CreditRecordUserObjectPermission",
    "Department",
    "Document",
    "Jurisdiction",
    "ListEntry",
    "ListEntryGroupObjectPermission",
    "ListEntryUserObjectPermission",
    "Measure",
    "MeasureApplication",
    "Membership",
    "NumberSequence",
    "RecordCorrection",
    "Regime",
    "Subject",
]
