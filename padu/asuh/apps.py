from django.apps import AppConfig


class AsuhConfig(AppConfig):
    name = "padu.asuh"
    verbose_name = "Anak yatim dan orang tua asuh"
    default_auto_field = "django.db.models.BigAutoField"
