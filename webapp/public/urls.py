"""URL routes of the public area: the published lists, no sign-in needed."""

from django.urls import path

from webapp.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:list_slug>/", views.list_entries, name="list"),
]
