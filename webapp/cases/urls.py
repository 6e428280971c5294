"""URL routes of the cases area: the staff case list and case page."""

from django.urls import path

from webapp.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<str:number>/", views.case_detail, name="detail"),
    path("<str:number>/documents/", views.case_documents, name="documents"),
    path("<str:number>/diagram.xml", views.case_diagram_xml, name="diagram_xml"),
]
