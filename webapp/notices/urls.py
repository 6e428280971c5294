"""URL routes of the notices area: a person's notifications."""

from django.urls import path

from webapp.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("badge/", views.badge, name="badge"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:pk>/read/", views.read_one, name="read"),
]
