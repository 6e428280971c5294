"""URL routes of the dashboard area."""

from django.urls import URLPattern

app_name = "dashboard"
urlpatterns: list[URLPattern] = []
