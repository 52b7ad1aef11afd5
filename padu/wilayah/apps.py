from django.apps import AppConfig


class WilayahConfig(AppConfig):
    name = "padu.wilayah"
    label = "wilayah"
    verbose_name = "Wilayah"
