"""URL routes of the files area."""

from django.urls import path

from webapp.files import views

app_name = "files"
urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("upload/<int:pk>/discard/", views.discard, name="discard"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("documents/<int:pk>/", views.document, name="document"),
    path(
        "subjects/<int:pk>/identifier/",
        views.reveal_identifier,
        name="reveal_identifier",
    ),
]
