from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "workflows.credit"
    label = "credit"
    verbose_name = "Credit domain"
