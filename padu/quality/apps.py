from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "padu.quality"
    label = "quality"
    verbose_name = "Kualitas data"
