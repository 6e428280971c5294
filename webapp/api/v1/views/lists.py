"""Lists: anyone reads the published entries of a list; staff read one entry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions
from rest_framework.request import Request
from rest_framework.response import Response

from webapp.api.v1.base import ApiViewSet
from webapp.api.v1.filters import FILTER_BACKENDS, Param
from webapp.api.v1.serializers.lists import (
    ListEntryDetailSerializer,
    PublicListEntrySerializer,
)
from workflows.credit.identifiers import normalise_identifier
from workflows.credit.models import ListEntry
from workflows.credit.selectors.lists import list_entry_get
from workflows.errors import NotFoundError

LIST_TYPE_PARAMETER = OpenApiParameter(
    "list_type",
    str,
    OpenApiParameter.PATH,
    enum=ListEntry.ListType.values,
    description="Which list.",
)
LIST_TYPE_PATTERN = "|".join(ListEntry.ListType.values)


@extend_schema_view(
    list=extend_schema(
        summary="The published entries of a list (public)",
        description="Entries listed and in force today. No sign-in needed.",
        parameters=[LIST_TYPE_PARAMETER],
        auth=[],
    ),
    retrieve=extend_schema(
        summary="One entry with its basis and measures (staff)",
        parameters=[LIST_TYPE_PARAMETER],
        responses=ListEntryDetailSerializer,
    ),
)
class ListEntryViewSet(mixins.ListModelMixin, ApiViewSet):
    """Entries of the serious-dishonesty, key-attention and red lists."""

    serializer_class = PublicListEntrySerializer
    throttle_scope = "public"
    queryset = ListEntry.objects.none()  # the schema's hint; get_queryset reads
    filter_backends = FILTER_BACKENDS
    filter_params = {
        "subject": Param(
            lambda entries, code: entries.filter(
                subject__code=normalise_identifier(code)
            ),
            description="Subject's code",
        ),
        "department": Param(
            "deciding_department__code", description="Deciding department's code"
        ),
    }
    ordering_fields = {
        "valid_from": ("valid_from", "pk"),
        "valid_to": ("valid_to", "pk"),
    }
    ordering = "-valid_from"

    def get_permissions(self) -> Sequence[Any]:
        if self.action == "list":
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[ListEntry]:
        return (
            ListEntry.objects.of_type(self.kwargs["list_type"])
            .in_force_on(timezone.localdate())
            .select_related("subject", "deciding_department")
        )

    def retrieve(self, request: Request, list_type: str, pk: str) -> Response:
        entry = list_entry_get(request.user, pk)
        if entry.list_type != list_type:
            raise NotFoundError("no such list entry")
        return Response(ListEntryDetailSerializer(entry).data)
