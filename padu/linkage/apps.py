from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "padu.linkage"
    label = "linkage"
    verbose_name = "Sinkronisasi data (linkage)"
