"""URL routes of the console area (process administrators; auditors read)."""

from django.urls import path

from webapp.console.views import calendar, lists, measures, models, overview, runtime

app_name = "console"
urlpatterns = [
    path("", overview.home, name="home"),
    path("deploy/", models.deploy, name="deploy"),
    path("definitions/", models.definitions, name="definitions"),
    path("definitions/<int:pk>/", models.definition, name="definition"),
    path(
        "definitions/<int:pk>/model.xml", models.definition_xml, name="definition_xml"
    ),
    path("incidents/", runtime.incidents, name="incidents"),
    path(
        "incidents/<int:pk>/retry/",
        runtime.incident_retry_view,
        name="incident_retry",
    ),
    path("instances/<uuid:pk>/", runtime.instance, name="instance"),
    path(
        "instances/<uuid:pk>/<slug:action>/",
        runtime.instance_action,
        name="instance_action",
    ),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/remove/", calendar.calendar_remove, name="calendar_remove"),
    path("measures/", measures.measures, name="measures"),
    path("measures/add/", measures.measure_add, name="measure_add"),
    path("measures/<int:pk>/", measures.measure_edit, name="measure_edit"),
    path("lists/", lists.lists, name="lists"),
    path("lists/<int:pk>/", lists.list_entry, name="list_entry"),
]
