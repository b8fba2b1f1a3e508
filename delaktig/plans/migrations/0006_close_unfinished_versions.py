"""Closing a case may close a draft or a version waiting for signatures (R-CASE-4)."""

from django.db import migrations

from delaktig.core.triggers import make_plan_version_guard

forwards, backwards = make_plan_version_guard(replace=True)


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_follow_ups_append_only")]

    # Backwards re-creating the old rule is not needed before a release: drop only.
    operations = [migrations.RunPython(forwards, backwards)]
