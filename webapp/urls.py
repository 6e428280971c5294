"""URL routes of the project."""

from django.contrib import admin
from django.urls import path

from webapp.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
