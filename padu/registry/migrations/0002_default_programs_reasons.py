from django.db import migrations

from padu.registry.defaults import seed_defaults


def forwards(apps, schema_editor):
    seed_defaults(apps.get_model("registry", "Program"), apps.get_model("registry", "NonaktifReason"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
