"""The packaged rule catalogue as the default rows of quality.Rule."""

from typing import Any

from django.db import migrations


def load_defaults(apps: Any, schema_editor: Any) -> None:
    from padu.quality.catalogue import default_rows

    Rule = apps.get_model("quality", "Rule")
    existing = set(Rule.objects.values_list("code", flat=True))
    Rule.objects.bulk_create(Rule(**row) for row in default_rows() if row["code"] not in existing)


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
