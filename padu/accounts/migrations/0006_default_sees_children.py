from django.db import migrations

from padu.accounts.defaults import seed_role_fields


def forwards(apps, schema_editor):
    seed_role_fields(apps.get_model("accounts", "Role"), ["sees_children"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_role_sees_children")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
