"""The outbox gets a delivery status; what a message says becomes immutable.

Rows from before were either sent (``sent_at`` set) or had no address: a failed
send rolled the whole follow-up back, so no other state exists.
"""

from django.conf import settings
from django.db import migrations, models

from delaktig.core.triggers import make_outbox_guard

guard_forwards, guard_backwards = make_outbox_guard()


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
        migrations.RunPython(guard_forwards, guard_backwards),
    ]
