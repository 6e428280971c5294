"""URL routes of the cases area."""

from django.urls import URLPattern

app_name = "cases"
urlpatterns: list[URLPattern] = []
