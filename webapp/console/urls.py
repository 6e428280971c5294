"""URL routes of the console area."""

from django.urls import URLPattern

app_name = "console"
urlpatterns: list[URLPattern] = []
