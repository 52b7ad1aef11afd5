from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "padu.welfare"
    label = "welfare"
    verbose_name = "Peringkat kesejahteraan (PMT, desil)"
