"""department_create, membership_grant and membership_revoke keep groups in sync."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEvent
from tests.credit.conftest import audit_count, audited
from tests.credit.factories import DepartmentFactory, UserFactory
from workflows import roles
from workflows.credit.models import Department, Jurisdiction, Membership
from workflows.credit.services.departments import (
    department_create,
    membership_grant,
    membership_revoke,
)
from workflows.errors import ForbiddenError, InvalidInputError, NotFoundError

pytestmark = pytest.mark.django_db

ROLE_NAMES = ["reviewer", "section_chief", "head", "clerk", "officer"]


def _create_scj(actor):
    return department_create(
        actor=actor,
        code="SCJ",
        name="市场监管局",
        name_en="Market Supervision Bureau",
        jurisdiction=Jurisdiction.SHANGHAI,
        is_source=True,
        is_implementing=True,
    )


def _group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


class TestDepartmentCreate:
    def test_creates_one_group_per_role_named_code_dot_role(self, credit_admin):
        department = _create_scj(credit_admin)
        assert department.kinds == ["source", "implementing"]
        names = set(
            Group.objects.filter(name__startswith="SCJ.").values_list("name", flat=True)
        )
        assert names == {f"SCJ.{role}" for role in ROLE_NAMES}

    def test_records_one_audit_event_with_the_groups(self, credit_admin):
        with audited("department.create") as events:
            department = _create_scj(credit_admin)
        (event,) = events
        assert event.actor_id == credit_admin.pk
        assert event.target_id == str(department.pk)
        assert event.after is not None
        assert event.after["code"] == "SCJ"
        assert event.after["kinds"] == ["source", "implementing"]
        assert "SCJ.reviewer" in event.detail["groups"]

    def test_the_system_may_create_departments_recorded_as_system(self, db):
        with audited("department.create") as events:
            _create_scj(None)
        assert events[0].actor_label == "system:credit"

    def test_refuses_an_actor_without_permission_and_creates_nothing(self, outsider):
        with pytest.raises(ForbiddenError):
            _create_scj(outsider)
        assert not Department.objects.exists()
        assert not Group.objects.filter(name__startswith="SCJ.").exists()

    @pytest.mark.parametrize("code", ["scj", "S.CJ", "1SCJ", "", "TOO_LONG_DEPARTMENT"])
    def test_refuses_a_code_that_cannot_name_groups(self, credit_admin, code):
        with pytest.raises(InvalidInputError) as raised:
            department_create(
                actor=credit_admin,
                code=code,
                name="局",
                jurisdiction=Jurisdiction.NATIONAL,
                is_source=True,
            )
        assert any(problem.startswith("code:") for problem in raised.value.problems)

    def test_refuses_a_department_of_no_kind(self, credit_admin):
        with pytest.raises(InvalidInputError):
            department_create(
                actor=credit_admin, code="XX", name="局", jurisdiction="national"
            )

    def test_refuses_an_unknown_jurisdiction(self, credit_admin):
        with pytest.raises(InvalidInputError):
            department_create(
                actor=credit_admin,
                code="XX",
                name="局",
                jurisdiction="atlantis",
                is_source=True,
            )

    def test_refuses_a_second_department_with_the_same_code(self, credit_admin):
        _create_scj(credit_admin)
        with pytest.raises(InvalidInputError):
            _create_scj(credit_admin)
        assert audit_count()["department.create"] == 1


class TestMembershipGrant:
    def test_puts_the_user_in_the_department_group_and_the_role_group(
        self, credit_admin
    ):
        department = _create_scj(credit_admin)
        user = UserFactory.create(username="scj_chief")
        membership = membership_grant(
            actor=credit_admin, user=user, department=department, role="section_chief"
        )
        assert membership.granted_by == credit_admin
        assert _group_names(user) == {"SCJ.section_chief", roles.SECTION_CHIEF}
        assert user.has_perm("workflows.reassign_task")

    def test_records_one_audit_event(self, credit_admin):
        department = _create_scj(credit_admin)
        user = UserFactory.create(username="scj_reviewer")
        with audited("membership.grant") as events:
            membership_grant(
                actor=credit_admin, user=user, department=department, role="reviewer"
            )
        assert events[0].after == {
            "user": "scj_reviewer",
            "department": "SCJ",
            "role": "reviewer",
        }
        assert events[0].detail["groups_added"] == ["SCJ.reviewer", roles.REVIEWER]

    def test_granting_a_role_held_already_changes_and_records_nothing(
        self, credit_admin
    ):
        department = _create_scj(credit_admin)
        user = UserFactory.create()
        first = membership_grant(
            actor=credit_admin, user=user, department=department, role="head"
        )
        with audited():
            again = membership_grant(
                actor=credit_admin, user=user, department=department, role="head"
            )
        assert again == first
        assert Membership.objects.count() == 1

    def test_creates_the_department_group_if_it_is_missing(self, credit_admin):
        department = DepartmentFactory.create(code="SW")
        user = UserFactory.create()
        membership_grant(
            actor=credit_admin, user=user, department=department, role="reviewer"
        )
        assert "SW.reviewer" in _group_names(user)

    def test_refuses_an_unknown_role(self, credit_admin):
        department = _create_scj(credit_admin)
        with pytest.raises(InvalidInputError):
            membership_grant(
                actor=credit_admin,
                user=UserFactory.create(),
                department=department,
                role="auditor",
            )

    def test_refuses_an_inactive_department(self, credit_admin):
        department = DepartmentFactory.create(active=False)
        with pytest.raises(InvalidInputError):
            membership_grant(
                actor=credit_admin,
                user=UserFactory.create(),
                department=department,
                role="reviewer",
            )

    def test_refuses_an_actor_without_permission(self, credit_admin, outsider):
        department = _create_scj(credit_admin)
        with pytest.raises(ForbiddenError):
            membership_grant(
                actor=outsider, user=outsider, department=department, role="head"
            )
        assert not Membership.objects.exists()
        assert _group_names(outsider) == set()


class TestMembershipRevoke:
    def test_takes_the_user_out_of_both_groups(self, credit_admin):
        department = _create_scj(credit_admin)
        user = UserFactory.create()
        membership_grant(
            actor=credit_admin, user=user, department=department, role="reviewer"
        )
        with audited("membership.revoke") as events:
            membership_revoke(
                actor=credit_admin, user=user, department=department, role="reviewer"
            )
        assert _group_names(user) == set()
        assert not Membership.objects.exists()
        assert events[0].before == {
            "user": user.username,
            "department": "SCJ",
            "role": "reviewer",
        }
        assert events[0].target_type == "credit.membership"

    def test_keeps_the_role_group_while_the_role_is_held_elsewhere(self, credit_admin):
        scj = _create_scj(credit_admin)
        sw = DepartmentFactory.create(code="SW")
        user = UserFactory.create()
        for department in (scj, sw):
            membership_grant(
                actor=credit_admin, user=user, department=department, role="reviewer"
            )
        membership_revoke(
            actor=credit_admin, user=user, department=scj, role="reviewer"
        )
        assert _group_names(user) == {"SW.reviewer", roles.REVIEWER}
        event = AuditEvent.objects.order_by("-seq").first()
        assert event is not None
        assert event.detail["groups_removed"] == ["SCJ.reviewer"]

    def test_other_roles_in_the_same_department_stay(self, credit_admin):
        department = _create_scj(credit_admin)
        user = UserFactory.create()
        for role in ("reviewer", "section_chief"):
            membership_grant(
                actor=credit_admin, user=user, department=department, role=role
            )
        membership_revoke(
            actor=credit_admin, user=user, department=department, role="reviewer"
        )
        assert _group_names(user) == {"SCJ.section_chief", roles.SECTION_CHIEF}

    def test_revoking_a_role_not_held_is_not_found(self, credit_admin):
        department = _create_scj(credit_admin)
        with audited(), pytest.raises(NotFoundError):
            membership_revoke(
                actor=credit_admin,
                user=UserFactory.create(),
                department=department,
                role="head",
            )

    def test_refuses_an_actor_without_permission(self, credit_admin, outsider):
        department = _create_scj(credit_admin)
        user = UserFactory.create()
        membership_grant(
            actor=credit_admin, user=user, department=department, role="head"
        )
        with pytest.raises(ForbiddenError):
            membership_revoke(
                actor=outsider, user=user, department=department, role="head"
            )
        assert Membership.objects.filter(user=user).exists()
