"""Documents (metadata, PDF, public verification) and attachments (staged uploads,
metadata, download). Downloads are audited by the same services as the web app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, parsers, permissions, renderers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from webapp.api.v1.base import ApiViewSet, request_user
from webapp.api.v1.filters import FILTER_BACKENDS, Param
from webapp.api.v1.renderers import BinaryRenderer, PdfRenderer
from webapp.api.v1.serializers.common import (
    AttachmentSerializer,
    DocumentSerializer,
    ErrorSerializer,
)
from webapp.api.v1.serializers.files import (
    AttachmentUploadSerializer,
    VerificationSerializer,
)
from webapp.files.responses import download, open_stored
from workflows.credit.models import Attachment, Document
from workflows.credit.selectors.cases import case_get
from workflows.credit.selectors.files import (
    attachment_get,
    document_get,
    document_list_for_case,
)
from workflows.credit.services.attachments import attachment_discard, attachment_stage
from workflows.credit.services.downloads import attachment_download, document_download
from workflows.credit.verification import document_verification_get
from workflows.errors import NotFoundError

DOWNLOAD_ERRORS = {
    (404, "application/json"): ErrorSerializer,
    (409, "application/json"): OpenApiResponse(
        ErrorSerializer, description="The PDF is still being prepared"
    ),
}


class DownloadMixin:
    """Errors of a download are JSON even when the client asked for the file type."""

    def finalize_response(
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> Any:
        response = super().finalize_response(  # type: ignore[misc]
            request, response, *args, **kwargs
        )
        if isinstance(response, Response) and isinstance(
            response.accepted_renderer, BinaryRenderer
        ):
            response.accepted_renderer = renderers.JSONRenderer()
            response.accepted_media_type = "application/json"
            response.renderer_context = self.get_renderer_context()  # type: ignore[attr-defined]
        return response


@extend_schema_view(
    list=extend_schema(summary="The documents of a case I may see"),
    retrieve=extend_schema(summary="A document's metadata"),
)
class DocumentViewSet(DownloadMixin, mixins.ListModelMixin, ApiViewSet):
    """Official documents of cases: metadata, the PDF, public verification."""

    serializer_class = DocumentSerializer
    throttle_scope: str | None = None  # "public" on verify
    queryset = Document.objects.none()  # the schema's hint; get_queryset reads
    filter_backends = FILTER_BACKENDS
    filter_params = {
        "case": Param(None, description="Case number; without it the list is empty"),
        "kind": Param("kind", choices=Document.Kind.values),
        "status": Param("status", choices=Document.Status.values),
    }
    ordering_fields = {"created": ("created_at", "pk")}
    ordering = "created"

    def get_queryset(self) -> QuerySet[Document]:
        number = self.request.query_params.get("case") or ""
        if not number:
            return Document.objects.none()
        case = case_get(request_user(self.request), number)
        return document_list_for_case(request_user(self.request), case).select_related(
            "case"
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(
            DocumentSerializer(document_get(request_user(request), pk)).data
        )

    @extend_schema(
        summary="Download a document's PDF (audited)",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **DOWNLOAD_ERRORS,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, PdfRenderer],
    )
    def pdf(self, request: Request, pk: str) -> FileResponse:
        user = request_user(request)
        item = document_get(user, pk)
        path = document_download(actor=user, document=item)
        handle = open_stored(path, "document", item.pk)
        name = f"{item.number or item.kind}.pdf"
        return download(handle, name=name, content_type="application/pdf")

    @extend_schema(
        summary="Verify a document by the code printed on it (public)",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
        responses={200: VerificationSerializer, 404: ErrorSerializer},
        auth=[],
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="verify/(?P<code>[A-Za-z2-7 -]{16,24})",
        permission_classes=[permissions.AllowAny],
        throttle_scope="public",
    )
    def verify(self, request: Request, code: str) -> Response:
        found = document_verification_get(code)
        if found is None:
            raise NotFoundError("no issued document has this code")
        return Response(VerificationSerializer(found).data)


@extend_schema_view(
    list=extend_schema(summary="My uploads that no filing has attached yet"),
    retrieve=extend_schema(summary="An attachment's metadata"),
    create=extend_schema(
        summary="Upload a file ahead of a filing (then name its id when filing)",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, 400: ErrorSerializer},
    ),
    destroy=extend_schema(
        summary="Discard one of my staged uploads",
        responses={204: None, 404: ErrorSerializer, 409: ErrorSerializer},
    ),
)
class AttachmentViewSet(
    DownloadMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Files of cases; uploads are staged until a filing names them."""

    serializer_class = AttachmentSerializer
    queryset = Attachment.objects.none()  # the schema's hint; get_queryset reads
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    throttle_scope = "filing"
    filter_backends = FILTER_BACKENDS
    filter_params = {"kind": Param("kind", choices=Attachment.Kind.values)}
    ordering_fields = {"uploaded": ("uploaded_at", "pk")}
    ordering = "uploaded"

    def get_throttles(self) -> list[Any]:
        return super().get_throttles() if self.action == "create" else []

    def get_queryset(self) -> QuerySet[Attachment]:
        return Attachment.objects.staged_by(request_user(self.request))

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(
            AttachmentSerializer(attachment_get(request_user(request), pk)).data
        )

    def create(self, request: Request) -> Response:
        incoming = AttachmentUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = incoming.validated_data["file"]
        staged = attachment_stage(
            actor=request_user(request),
            kind=incoming.validated_data["kind"],
            name=upload.name or "upload",
            content=upload.read(),
            content_type=upload.content_type or "",
        )
        return Response(
            AttachmentSerializer(staged).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request: Request, pk: str) -> Response:
        try:
            wanted = int(pk)
        except ValueError:
            raise NotFoundError("no such attachment") from None
        attachment_discard(actor=request_user(request), attachment_id=wanted)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download an attachment (audited)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **DOWNLOAD_ERRORS,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, BinaryRenderer],
    )
    def content(self, request: Request, pk: str) -> FileResponse:
        user = request_user(request)
        item = attachment_get(user, pk)
        path = attachment_download(actor=user, attachment=item)
        handle = open_stored(path, "attachment", item.pk)
        return download(handle, name=item.original_name, content_type=item.content_type)
