from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "workflows.workdays"
    label = "workdays"
    verbose_name = "Working-day calendar"
