"""URL routes of the portal area: a subject's records, filings and cases."""

from django.urls import path

from webapp.portal.views import cases, filing, overview, records

app_name = "portal"
urlpatterns = [
    path("", overview.home, name="home"),
    path("records/", records.records, name="records"),
    path("records/<int:pk>/", records.record_detail, name="record_detail"),
    path("objections/new/", filing.objection_new, name="objection_new"),
    path("repairs/new/", filing.repair_new, name="repair_new"),
    path("cases/", cases.cases, name="cases"),
    path("cases/<str:number>/", cases.case_detail, name="case_detail"),
    path(
        "cases/<str:number>/supplement/",
        cases.case_supplement,
        name="case_supplement",
    ),
    path("cases/<str:number>/appeal/", cases.case_appeal, name="case_appeal"),
]
