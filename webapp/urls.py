"""URL routes of the project."""

from django.contrib import admin
from django.urls import path

from webapp.views.health import healthz
from webapp.views.verify import verify_document

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("verify/<str:code>", verify_document, name="verify_document"),
]
