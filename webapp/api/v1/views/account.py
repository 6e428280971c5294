"""Who I am, and my API tokens (creating one needs a signed-in session)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.api.tokens import (
    api_token_create,
    api_token_list_for_user,
    api_token_revoke,
)
from webapp.api.v1.base import ApiViewMixin, ApiViewSet, request_user
from webapp.api.v1.filters import FILTER_BACKENDS, Param
from webapp.api.v1.serializers.account import (
    ApiTokenCreateSerializer,
    ApiTokenIssuedSerializer,
    ApiTokenSerializer,
    MeSerializer,
)
from webapp.api.v1.serializers.common import ErrorSerializer
from webapp.models import ApiToken
from workflows.access.roles import roles_of
from workflows.credit.selectors.departments import membership_list_for_user
from workflows.credit.selectors.subjects import subject_list_for_account
from workflows.errors import ForbiddenError, NotFoundError


class MeView(ApiViewMixin, APIView):
    """The signed-in user."""

    @extend_schema(
        summary="Who I am: roles, departments, subjects", responses=MeSerializer
    )
    def get(self, request: Request) -> Response:
        user = request_user(request)
        body: dict[str, Any] = {
            "username": user.get_username(),
            "roles": sorted(roles_of(user)),
            "memberships": list(membership_list_for_user(user=user)),
            "subjects": [s.masked_code for s in subject_list_for_account(user=user)],
        }
        return Response(MeSerializer(body).data)


@extend_schema_view(
    list=extend_schema(summary="My API tokens (the secrets are never shown again)"),
    create=extend_schema(
        summary="Create an API token (from a signed-in browser session only)",
        request=ApiTokenCreateSerializer,
        responses={201: ApiTokenIssuedSerializer, 400: ErrorSerializer},
    ),
    destroy=extend_schema(
        summary="Revoke one of my tokens",
        responses={204: None, 404: ErrorSerializer},
    ),
)
class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """My personal API tokens; only their hashes are stored."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # the schema's hint; get_queryset reads
    filter_backends = FILTER_BACKENDS
    filter_params = {
        "active": Param(
            lambda tokens, value: tokens.filter(revoked_at__isnull=value),
            type="boolean",
            description="Only tokens not revoked (true) or only revoked (false)",
        )
    }
    ordering_fields = {"created": ("created_at", "pk")}
    ordering = "-created"

    def get_queryset(self) -> QuerySet[ApiToken]:
        return api_token_list_for_user(request_user(self.request))

    def create(self, request: Request) -> Response:
        # A leaked token must not be able to mint more tokens.
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            raise ForbiddenError("create tokens from a signed-in browser session")
        incoming = ApiTokenCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user = request_user(request)
        issued = api_token_create(
            actor=user,
            user=user,
            name=incoming.validated_data["name"],
            expires_at=incoming.validated_data.get("expires_at"),
        )
        body = {**ApiTokenSerializer(issued.token).data, "token": issued.secret}
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        try:
            wanted = int(pk)
        except ValueError:
            raise NotFoundError("no such token") from None
        api_token_revoke(actor=request_user(request), token_id=wanted)
        return Response(status=status.HTTP_204_NO_CONTENT)
