"""Seeds the shipped BLT-DD rules (2022, 2024, 2025, 2026) from aturan.yaml as data."""

from django.db import migrations

from padu.danadesa.defaults import seed_aturan


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    seed_aturan(apps.get_model("danadesa", "AturanTahun"))


class Migration(migrations.Migration):
    dependencies = [("danadesa", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
