"""The outbox gets a delivery status; what a message says becomes immutable.

Rows from before were either sent (``sent_at`` set) or had no address: a failed
send rolled the whole follow-up back, so no other state exists.

The trigger SQL below is frozen: written out once from ``core/triggers.py``
(``outbox_guard_statements``), so that a later change there cannot change what
this migration did. Never edit it; a change to the guard is a new migration.
"""

from django.conf import settings
from django.db import migrations, models

GUARD_FORWARDS = {
    "sqlite": [
        "CREATE TRIGGER oversight_notification_guard BEFORE UPDATE ON oversight_notification WHEN (NEW.id IS NOT OLD.id OR NEW.municipality_id IS NOT OLD.municipality_id OR NEW.case_id IS NOT OLD.case_id OR NEW.kind IS NOT OLD.kind OR NEW.recipient IS NOT OLD.recipient OR NEW.subject IS NOT OLD.subject OR NEW.body IS NOT OLD.body OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by_id IS NOT OLD.created_by_id) OR (OLD.status = 'sent' AND (NEW.status <> 'sent' OR NEW.sent_at IS NOT OLD.sent_at)) OR (NEW.status = 'sent' AND NEW.sent_at IS NULL) OR (OLD.status = 'unaddressed' AND NEW.status <> 'unaddressed') BEGIN SELECT RAISE(ABORT, 'delaktig: what an outgoing message says, and that it was sent, cannot change'); END",
    ],
    "postgresql": [
        """
CREATE OR REPLACE FUNCTION delaktig_outbox_guard() RETURNS trigger AS $$
BEGIN
    IF (NEW.id IS DISTINCT FROM OLD.id OR NEW.municipality_id IS DISTINCT FROM OLD.municipality_id OR NEW.case_id IS DISTINCT FROM OLD.case_id OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.recipient IS DISTINCT FROM OLD.recipient OR NEW.subject IS DISTINCT FROM OLD.subject OR NEW.body IS DISTINCT FROM OLD.body OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.created_by_id IS DISTINCT FROM OLD.created_by_id) OR (OLD.status = 'sent' AND (NEW.status <> 'sent' OR NEW.sent_at IS DISTINCT FROM OLD.sent_at)) OR (NEW.status = 'sent' AND NEW.sent_at IS NULL) OR (OLD.status = 'unaddressed' AND NEW.status <> 'unaddressed') THEN
        RAISE EXCEPTION 'delaktig: what an outgoing message says, and that it was sent, cannot change' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER oversight_notification_guard BEFORE UPDATE ON oversight_notification FOR EACH ROW EXECUTE FUNCTION delaktig_outbox_guard()",
    ],
}
GUARD_BACKWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS oversight_notification_guard",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS oversight_notification_guard ON oversight_notification",
        "DROP FUNCTION IF EXISTS delaktig_outbox_guard()",
    ],
}


def run(statements):
    """RunPython code that executes the frozen ``statements`` of the connection's vendor."""

    def code(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"These triggers are not written for {vendor}.")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    code.frozen_sql = statements
    return code


def status_from_history(apps, schema_editor):
    Notification = apps.get_model("oversight", "Notification")
    Notification.objects.filter(sent_at__isnull=False).update(status="sent", attempts=1)
    Notification.objects.filter(sent_at__isnull=True, recipient="").update(status="unaddressed")


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0002_initial'),
        ('oversight', '0003_reminders_and_outbox'),
        ('people', '0002_case_officer_email'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='attempts',
            field=models.PositiveIntegerField(default=0, verbose_name='försök'),
        ),
        migrations.AddField(
            model_name='notification',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='hämtat för sändning'),
        ),
        migrations.AddField(
            model_name='notification',
            name='last_attempt_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='senaste försök'),
        ),
        migrations.AddField(
            model_name='notification',
            name='last_error',
            field=models.CharField(blank=True, max_length=200, verbose_name='senaste fel'),
        ),
        migrations.AddField(
            model_name='notification',
            name='status',
            field=models.CharField(choices=[('pending', 'Väntar på att skickas'), ('sent', 'Skickat'), ('failed', 'Misslyckades (försöks igen)'), ('unaddressed', 'Ingen adress – skickas inte')], default='pending', max_length=20, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('status__in', ['pending', 'failed'])), fields=['status'], name='notification_unsent'),
        ),
        migrations.RunPython(status_from_history, migrations.RunPython.noop),
        migrations.RunPython(run(GUARD_FORWARDS), run(GUARD_BACKWARDS)),
    ]
