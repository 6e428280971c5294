"""URL routes of the dashboard area: figures for the credit office and auditors."""

from django.urls import path

from webapp.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
]
