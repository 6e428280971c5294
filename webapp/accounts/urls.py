"""URL routes of the accounts area."""

from django.urls import URLPattern

app_name = "accounts"
urlpatterns: list[URLPattern] = []
