from django.apps import AppConfig


class WebappConfig(AppConfig):
    name = "webapp"
    verbose_name = "Web app"

    def ready(self) -> None:
        from webapp.accounts import signals
        from webapp.files import tasks

        signals.connect()
        # Registered with Celery here: autodiscovery looks in webapp.tasks only.
        del tasks
