"""URL routes of the project: one include per area of the web app."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from webapp.accounts.views import home
from webapp.views.health import healthz
from webapp.views.verify import verify_document

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("verify/<str:code>", verify_document, name="verify_document"),
    path("accounts/", include("webapp.accounts.urls")),
    path("notifications/", include("webapp.notices.urls")),
    path("portal/", include("webapp.portal.urls")),
    path("tasks/", include("webapp.inbox.urls")),
    path("cases/", include("webapp.cases.urls")),
    path("console/", include("webapp.console.urls")),
    path("audit/", include("webapp.auditing.urls")),
    path("public/", include("webapp.public.urls")),
    path("dashboard/", include("webapp.dashboard.urls")),
    path("files/", include("webapp.files.urls")),
    path("api/", include("webapp.api.urls")),
]
