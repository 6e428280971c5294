"""Renderers for file downloads, so ``Accept: application/pdf`` is negotiated."""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import BaseRenderer


class BinaryRenderer(BaseRenderer):
    """Accept any file type; the views answer with a FileResponse of their own."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        return b""


class PdfRenderer(BinaryRenderer):
    media_type = "application/pdf"
    format = "pdf"
