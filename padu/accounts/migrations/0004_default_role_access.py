from django.db import migrations

from padu.accounts.defaults import seed_role_fields


def forwards(apps, schema_editor):
    role = apps.get_model("accounts", "Role")
    seed_role_fields(role, ["nik_access", "manages_users", "requires_2fa"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_role_access_fields_api_token")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
