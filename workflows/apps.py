from django.apps import AppConfig
from django.conf import settings


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Workflows"

    def ready(self) -> None:
        from workflows.engine.timers import align_engine_timezone

        align_engine_timezone(settings.TIME_ZONE)
