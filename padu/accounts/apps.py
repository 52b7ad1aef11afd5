from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "padu.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan peran"
