"""URL routes of the portal area."""

from django.urls import URLPattern

app_name = "portal"
urlpatterns: list[URLPattern] = []
