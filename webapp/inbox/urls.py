"""URL routes of the inbox area: the task list, bulk claim, and each task."""

from django.urls import URLPattern, path

from webapp.inbox.views import actions, listing, task

app_name = "inbox"
urlpatterns: list[URLPattern] = [
    path("", listing.inbox_list, name="list"),
    path("claim/", listing.inbox_bulk_claim, name="bulk_claim"),
    path("<uuid:task_id>/", task.task_page, name="task"),
    path("<uuid:task_id>/draft/", task.task_draft, name="draft"),
    path("<uuid:task_id>/resolve/", task.task_give_back, name="resolve"),
    path("<uuid:task_id>/claim/", actions.task_take, name="claim"),
    path("<uuid:task_id>/unclaim/", actions.task_release, name="unclaim"),
    path("<uuid:task_id>/delegate/", actions.task_hand_over, name="delegate"),
    path("<uuid:task_id>/reassign/", actions.task_assign, name="reassign"),
]
