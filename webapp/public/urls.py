"""URL routes of the public area."""

from django.urls import URLPattern

app_name = "public"
urlpatterns: list[URLPattern] = []
