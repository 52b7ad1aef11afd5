from django.apps import AppConfig


class VervalConfig(AppConfig):
    name = "padu.verval"
    verbose_name = "Verval"
    default_auto_field = "django.db.models.BigAutoField"
