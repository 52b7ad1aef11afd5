"""Seeds the shipped BLT-DD rules (2022, 2024, 2025, 2026) from aturan.yaml as data."""

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from padu.engine.danadesa import bawaan, dari_dict

    AturanTahun = apps.get_model("danadesa", "AturanTahun")
    for data in bawaan():
        rule = dari_dict(data)
        AturanTahun.objects.get_or_create(
            tahun=rule.tahun, defaults={"dasar_hukum": rule.dasar_hukum, "data": data}
        )


class Migration(migrations.Migration):
    dependencies = [("danadesa", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
