"""Words the portal shows for the domain's codes, in the reader's language.

The models' choice labels are bilingual ("已提交 Submitted") for staff screens and
documents; a subject reads one language, so the portal names each code itself.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from workflows.credit.models import (
    Case,
    CreditRecord,
    Document,
)

CASE_TYPE: dict[str, Promise] = {
    Case.Type.OBJECTION: pgettext_lazy("portal", "Objection"),
    Case.Type.REPAIR: pgettext_lazy("portal", "Credit repair"),
    Case.Type.LIST_ENTRY: pgettext_lazy("portal", "List entry"),
    Case.Type.LIST_EXIT: pgettext_lazy("portal", "List exit"),
    Case.Type.REDLIST: pgettext_lazy("portal", "Red-list nomination"),
    Case.Type.APPEAL: pgettext_lazy("portal", "Appeal"),
}

CASE_STATUS: dict[str, Promise] = {
    Case.Status.DRAFT: pgettext_lazy("portal", "Draft"),
    Case.Status.SUBMITTED: pgettext_lazy("portal", "Submitted"),
    Case.Status.ACCEPTED: pgettext_lazy("portal", "Accepted"),
    Case.Status.NOT_ACCEPTED: pgettext_lazy("portal", "Not accepted"),
    Case.Status.SUPPLEMENT_REQUESTED: pgettext_lazy("portal", "Materials needed"),
    Case.Status.UNDER_REVIEW: pgettext_lazy("portal", "Under review"),
    Case.Status.DECIDED: pgettext_lazy("portal", "Decided"),
    Case.Status.CLOSED: pgettext_lazy("portal", "Closed"),
    Case.Status.WITHDRAWN: pgettext_lazy("portal", "Withdrawn"),
    Case.Status.REJECTED: pgettext_lazy("portal", "Rejected"),
}

# What happens now, in a sentence, when no open task says more.
CASE_STAGE: dict[str, Promise] = {
    Case.Status.DRAFT: pgettext_lazy("portal", "Not submitted yet."),
    Case.Status.SUBMITTED: pgettext_lazy(
        "portal", "Received. The credit office will check it shortly."
    ),
    Case.Status.ACCEPTED: pgettext_lazy(
        "portal", "Accepted. The department responsible is working on it."
    ),
    Case.Status.NOT_ACCEPTED: pgettext_lazy(
        "portal", "Not accepted. The notice below gives the reason."
    ),
    Case.Status.SUPPLEMENT_REQUESTED: pgettext_lazy(
        "portal", "Waiting for you: please supply the missing materials."
    ),
    Case.Status.UNDER_REVIEW: pgettext_lazy(
        "portal", "Under review by the department responsible."
    ),
    Case.Status.DECIDED: pgettext_lazy(
        "portal", "Decided. The decision document is below."
    ),
    Case.Status.CLOSED: pgettext_lazy("portal", "Closed."),
    Case.Status.WITHDRAWN: pgettext_lazy("portal", "Withdrawn."),
    Case.Status.REJECTED: pgettext_lazy(
        "portal", "Rejected. The decision document gives the reasons."
    ),
}

# The stage an open task stands for (BPMN element ids of bpmn/*.bpmn).
TASK_STAGE: dict[str, Promise] = {
    "formal_check": pgettext_lazy(
        "portal", "The credit office is checking your application."
    ),
    "verify_by_source_department": pgettext_lazy(
        "portal", "The department that published the record is verifying it."
    ),
    "approve_extension": pgettext_lazy(
        "portal", "The department is deciding on more time to verify."
    ),
    "review_by_section_chief": pgettext_lazy(
        "portal", "The verification result is awaiting approval."
    ),
    "review_appeal": pgettext_lazy("portal", "Your appeal is being reviewed."),
    "accept_by_source_department": pgettext_lazy(
        "portal",
        "The department that published the record is deciding whether to accept "
        "your request.",
    ),
    "review_repair": pgettext_lazy("portal", "Your request is being reviewed."),
    "approve_at_level": pgettext_lazy("portal", "The decision is awaiting approval."),
}

GROUNDS: dict[str, Promise] = {
    Case.Grounds.RECORD_WRONG: pgettext_lazy(
        "portal", "The record is wrong or incomplete"
    ),
    Case.Grounds.STILL_PUBLISHED_AFTER_PERIOD: pgettext_lazy(
        "portal", "It is still published after its period ended"
    ),
    Case.Grounds.LISTED_WITHOUT_CRITERIA: pgettext_lazy(
        "portal", "Listed without meeting the criteria"
    ),
    Case.Grounds.NOT_REMOVED_WHEN_DUE: pgettext_lazy(
        "portal", "Not removed from a list when it was due"
    ),
    Case.Grounds.OTHER_UNLAWFUL: pgettext_lazy("portal", "Other unlawful processing"),
}

RECORD_STATUS: dict[str, Promise] = {
    CreditRecord.Status.PUBLISHED: pgettext_lazy("portal", "Published"),
    CreditRecord.Status.UNDER_OBJECTION: pgettext_lazy("portal", "Under objection"),
    CreditRecord.Status.MEASURES_SUSPENDED: pgettext_lazy(
        "portal", "Under objection, measures suspended"
    ),
    CreditRecord.Status.PUBLICATION_STOPPED: pgettext_lazy(
        "portal", "Publication stopped"
    ),
    CreditRecord.Status.CORRECTED: pgettext_lazy("portal", "Corrected"),
    CreditRecord.Status.DELETED: pgettext_lazy("portal", "Deleted"),
}

RECORD_CATEGORY: dict[str, Promise] = {
    CreditRecord.Category.ADMINISTRATIVE_PENALTY: pgettext_lazy(
        "portal", "Administrative penalty"
    ),
    CreditRecord.Category.ADMINISTRATIVE_LICENCE: pgettext_lazy(
        "portal", "Administrative licence"
    ),
    CreditRecord.Category.LIST_ENTRY: pgettext_lazy("portal", "List entry"),
    CreditRecord.Category.ABNORMAL_OPERATION: pgettext_lazy(
        "portal", "Abnormal operation"
    ),
    CreditRecord.Category.OTHER: pgettext_lazy(
        "portal", "Other dishonesty information"
    ),
}

GRADE: dict[str, Promise] = {
    CreditRecord.Grade.NONE: pgettext_lazy("portal", "Not graded"),
    CreditRecord.Grade.MINOR: pgettext_lazy("portal", "Minor"),
    CreditRecord.Grade.GENERAL: pgettext_lazy("portal", "General"),
    CreditRecord.Grade.MAJOR: pgettext_lazy("portal", "Major"),
    CreditRecord.Grade.SERIOUS: pgettext_lazy("portal", "Serious"),
}

DOCUMENT_KIND: dict[str, Promise] = {
    Document.Kind.ACCEPTANCE: pgettext_lazy("portal", "Acceptance notice"),
    Document.Kind.NON_ACCEPTANCE: pgettext_lazy("portal", "Non-acceptance notice"),
    Document.Kind.SUPPLEMENT_REQUEST: pgettext_lazy(
        "portal", "Request for missing materials"
    ),
    Document.Kind.OBJECTION_DECISION: pgettext_lazy("portal", "Objection decision"),
    Document.Kind.REPAIR_DECISION: pgettext_lazy("portal", "Credit repair decision"),
    Document.Kind.PRIOR_NOTICE: pgettext_lazy("portal", "Prior notice"),
    Document.Kind.LISTING_DECISION: pgettext_lazy("portal", "Listing decision"),
    Document.Kind.EXIT_DECISION: pgettext_lazy("portal", "List exit decision"),
    Document.Kind.REPAIR_NOTICE: pgettext_lazy("portal", "Credit repair notice"),
    Document.Kind.MEASURES_NOTICE: pgettext_lazy("portal", "Notice of joint measures"),
}

DEADLINE_KIND: dict[str, Promise] = {
    "formal_check": pgettext_lazy("portal", "Formal check by the credit office"),
    "verify": pgettext_lazy("portal", "Verification by the department"),
    "supplement": pgettext_lazy("portal", "Your materials are due"),
    "appeal": pgettext_lazy("portal", "You may appeal until"),
    "appeal_review": pgettext_lazy("portal", "Review of your appeal"),
    "acceptance": pgettext_lazy("portal", "Decision on accepting your request"),
    "answer": pgettext_lazy("portal", "Answer to your request"),
    "public_notice": pgettext_lazy("portal", "End of the public notice"),
    "objection_verify": pgettext_lazy("portal", "Verification of the objection"),
}

DECISION_OUTCOME: dict[str, Promise] = {
    "correct": pgettext_lazy("portal", "The record is corrected."),
    "supplement": pgettext_lazy("portal", "The record is supplemented."),
    "stop_publication": pgettext_lazy("portal", "Publication of the record stops."),
    "remove_from_list": pgettext_lazy("portal", "You are removed from the list."),
    "keep": pgettext_lazy(
        "portal", "The record stays as it was: the objection did not succeed."
    ),
    "not_accepted": pgettext_lazy("portal", "The application was not accepted."),
    "lapsed": pgettext_lazy(
        "portal", "Closed: the missing materials did not arrive in time."
    ),
    "approved": pgettext_lazy("portal", "Credit repair granted."),
    "rejected": pgettext_lazy("portal", "Credit repair refused."),
    "listed": pgettext_lazy("portal", "Entered on the list."),
    "not_listed": pgettext_lazy("portal", "Not entered on the list."),
    "exit": pgettext_lazy("portal", "Removed from the list."),
}

# Keys of CreditRecord.content as sources publish them.
RECORD_FACT: dict[str, Promise] = {
    "facts": pgettext_lazy("portal", "Facts"),
    "penalty": pgettext_lazy("portal", "Penalty"),
    "amount": pgettext_lazy("portal", "Amount"),
}

# Events of the audit trail a subject is shown, and how they read.
TIMELINE: dict[str, Promise] = {
    "case.file": pgettext_lazy("portal", "Application submitted"),
    "case.supplement": pgettext_lazy("portal", "Materials supplied"),
    "case.appeal": pgettext_lazy("portal", "Appeal filed"),
    "case.statement": pgettext_lazy("portal", "Statement submitted"),
    "redlist.objection": pgettext_lazy(
        "portal", "Objection to the nomination submitted"
    ),
    "document.issue": pgettext_lazy("portal", "Document issued"),
}


def label(table: dict[str, Promise], code: str) -> str:
    """Return the words for a code, or the code itself when it is new."""
    found = table.get(code)
    return str(found) if found is not None else code.replace("_", " ")
