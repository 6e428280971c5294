"""Link cases and their process instances (the business key is the case number)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User

from workflows.credit.models import Case, Department
from workflows.errors import InvalidInputError
from workflows.models import ProcessInstance
from workflows.operations import OperationContext
from workflows.services.instances import process_start


def credit_office_for(jurisdiction: str) -> Department:
    """Return the credit office that runs cases in a jurisdiction."""
    office = (
        Department.objects.filter(is_credit_office=True, active=True)
        .filter(jurisdiction__in=[jurisdiction, "national"])
        .order_by("-jurisdiction")  # the jurisdiction's own office before "national"
        .first()
    )
    if office is None:
        raise InvalidInputError(f"no credit office is set up for {jurisdiction!r}")
    return office


def case_labels(case: Case) -> dict[str, str]:
    """Case fields copied onto every task of the case, for the inbox's filters."""
    if case.target_record is not None:
        department = case.target_record.source_department.code
    elif case.target_list_entry is not None:
        department = case.target_list_entry.deciding_department.code
    else:
        department = ""
    return {
        "case_type": case.case_type,
        "subject_name": case.subject.name,
        "subject_code": case.subject.masked_code,
        "department_code": department,
    }


def case_process_start(
    case: Case,
    process_id: str,
    *,
    actor: User | None,
    data: Mapping[str, Any],
) -> ProcessInstance:
    """Start the case's process with its number as business key, and link it."""
    instance = process_start(
        actor=actor,
        process_id=process_id,
        business_key=case.number,
        data={"case_number": case.number, "jurisdiction": case.jurisdiction, **data},
        labels=case_labels(case),
    )
    case.process_instance = instance
    case.save(update_fields=["process_instance", "updated_at"])
    return instance


def case_of(context: OperationContext) -> Case:
    """Return (locked) the case a service task of this instance works on."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("subject", "target_record__source_department")
        .get(number=context.instance.business_key)
    )
