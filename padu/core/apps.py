from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "padu.core"
    label = "core"
    verbose_name = "Inti"
