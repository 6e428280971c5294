"""URL routes of the REST API: the OpenAPI schema, its documentation, version 1."""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from webapp.api.docs import ApiDocsView
from webapp.api.errors import not_found

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("v1/", include("webapp.api.v1.urls")),
    # Anything else under /api/ answers in the API's error shape.
    re_path(r"^.*$", not_found, name="not_found"),
]
