"""Routes of API version 1 (/api/v1/)."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from webapp.api.v1.views.account import ApiTokenViewSet, MeView
from webapp.api.v1.views.admin import AuditEventViewSet, DefinitionViewSet
from webapp.api.v1.views.cases import CaseViewSet
from webapp.api.v1.views.credit_check import CreditCheckView
from webapp.api.v1.views.files import AttachmentViewSet, DocumentViewSet
from webapp.api.v1.views.lists import LIST_TYPE_PATTERN, ListEntryViewSet
from webapp.api.v1.views.measures import MeasureApplicationViewSet
from webapp.api.v1.views.party_cases import ObjectionViewSet, RepairViewSet
from webapp.api.v1.views.records import CreditRecordViewSet, SubjectViewSet
from webapp.api.v1.views.tasks import TaskViewSet

router = DefaultRouter()
router.register("subjects", SubjectViewSet, basename="subject")
router.register("records", CreditRecordViewSet, basename="record")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("repairs", RepairViewSet, basename="repair")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("cases", CaseViewSet, basename="case")
router.register("tasks", TaskViewSet, basename="task")
router.register(
    f"lists/(?P<list_type>{LIST_TYPE_PATTERN})/entries",
    ListEntryViewSet,
    basename="list-entry",
)
router.register(
    "measures/applications", MeasureApplicationViewSet, basename="measure-application"
)
router.register("documents", DocumentViewSet, basename="document")
router.register("audit/events", AuditEventViewSet, basename="audit-event")
router.register("definitions", DefinitionViewSet, basename="definition")
router.register("tokens", ApiTokenViewSet, basename="token")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path(
        "credit-check/<str:code>/",
        CreditCheckView.as_view(),
        name="credit-check",
    ),
    *router.urls,
]
