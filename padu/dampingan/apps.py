from django.apps import AppConfig


class DampinganConfig(AppConfig):
    name = "padu.dampingan"
    verbose_name = "Satu OPD Satu Desa Dampingan"
    default_auto_field = "django.db.models.BigAutoField"
