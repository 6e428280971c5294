"""URL routes of the notices area."""

from django.urls import URLPattern

app_name = "notices"
urlpatterns: list[URLPattern] = []
