"""Let the disposal through the append-only and frozen-version triggers, and nothing else.

Re-creates the triggers of the journal, access log, signatures, handovers,
follow-ups and plan versions with the disposal gate (``core/triggers.py``);
the audit trail keeps refusing always. The disposal record is append-only,
never gated.
"""

from django.db import migrations

from delaktig.core.triggers import make_append_only, make_disposal_gate_triggers

gate_forwards, gate_backwards = make_disposal_gate_triggers()
record_forwards, record_backwards = make_append_only("disposal_disposalrecord")


class Migration(migrations.Migration):
    dependencies = [
        ("disposal", "0001_initial"),
        ("records", "0005_access_log_export"),
        ("plans", "0006_close_unfinished_versions"),
    ]

    operations = [
        migrations.RunPython(gate_forwards, gate_backwards),
        migrations.RunPython(record_forwards, record_backwards),
    ]
