"""Versions sent for signing or established cannot change or be deleted, in the database too.

Signatures and handovers are append-only (R-LIFE-3, R-LIFE-4, R-ARC-1).
"""

from django.db import migrations

from delaktig.core.triggers import make_append_only, make_plan_version_guard

guard_forwards, guard_backwards = make_plan_version_guard()
append_forwards, append_backwards = make_append_only("plans_signature", "plans_handover")


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_signatures_handovers_templates"), ("records", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(guard_forwards, guard_backwards),
        migrations.RunPython(append_forwards, append_backwards),
    ]
