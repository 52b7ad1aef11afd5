from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "padu.intake"
    label = "intake"
    verbose_name = "Impor data"
