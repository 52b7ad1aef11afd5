from django.apps import AppConfig


class LayananConfig(AppConfig):
    name = "padu.layanan"
    verbose_name = "Layanan warga"
    default_auto_field = "django.db.models.BigAutoField"
