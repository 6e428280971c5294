"""URL routes of the auditing area (the auditors' workspace)."""

from django.urls import path

from webapp.auditing.views import exports, pages, verify

app_name = "auditing"
urlpatterns = [
    path("", pages.search, name="search"),
    path("cases/<str:number>/", pages.case, name="case"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.pdf", exports.export_pdf, name="export_pdf"),
    path("verify/", verify.verify, name="verify"),
    path("verify/<str:job_id>/", verify.verify_status, name="verify_status"),
    path("public-key.pem", pages.public_key, name="public_key"),
]
