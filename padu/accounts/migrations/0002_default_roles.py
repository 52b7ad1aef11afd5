from django.db import migrations

from padu.accounts.defaults import seed_roles


def forwards(apps, schema_editor):
    seed_roles(apps.get_model("accounts", "Role"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
