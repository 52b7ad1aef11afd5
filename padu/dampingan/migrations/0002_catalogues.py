from django.db import migrations

from padu.dampingan.defaults import seed_catalogues


def forwards(apps, schema_editor):
    seed_catalogues(
        apps.get_model("dampingan", "JenisIntervensi"), apps.get_model("dampingan", "SumberDana")
    )


class Migration(migrations.Migration):
    dependencies = [("dampingan", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
