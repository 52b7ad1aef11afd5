from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "padu.dashboard"
    label = "dashboard"
    verbose_name = "Dasbor"
