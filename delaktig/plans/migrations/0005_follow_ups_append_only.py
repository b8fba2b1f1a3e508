"""Follow-ups are records: never changed or removed (R-ARC-1)."""

from django.db import migrations

from delaktig.core.triggers import make_append_only

forwards, backwards = make_append_only("plans_followup")


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_follow_ups")]

    operations = [migrations.RunPython(forwards, backwards)]
