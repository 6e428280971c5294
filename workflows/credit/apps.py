from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "workflows.credit"
    label = "credit"
    verbose_name = "Credit domain"

    def ready(self) -> None:
        # Register service-task operations and case filers before anything deploys
        # or files.
        from workflows.credit import cases, operations  # noqa: F401
