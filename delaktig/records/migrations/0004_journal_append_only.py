"""Journal entries are never changed or removed (R-LIFE-6, R-ARC-1)."""

from django.db import migrations

from delaktig.core.triggers import make_append_only

forwards, backwards = make_append_only("records_journalentry")


class Migration(migrations.Migration):
    dependencies = [("records", "0003_journal_entry")]

    operations = [migrations.RunPython(forwards, backwards)]
