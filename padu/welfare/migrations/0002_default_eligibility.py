from typing import Any

from django.db import migrations

from padu.welfare.defaults import seed_eligibility


def forwards(apps: Any, schema_editor: Any) -> None:
    seed_eligibility(apps.get_model("welfare", "EligibilityRule"), apps.get_model("registry", "Program"))


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial"), ("registry", "0002_default_programs_reasons")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
