from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "padu.registry"
    label = "registry"
    verbose_name = "Register keluarga"
