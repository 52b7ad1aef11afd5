from django.apps import AppConfig


class DanadesaConfig(AppConfig):
    name = "padu.danadesa"
    verbose_name = "Dana Desa dan BLT-DD"
    default_auto_field = "django.db.models.BigAutoField"
