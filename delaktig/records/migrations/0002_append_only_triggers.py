"""The audit trail and the access log refuse UPDATE and DELETE in the database (R-ARC-1)."""

from django.db import migrations

from delaktig.core.triggers import make_append_only

forwards, backwards = make_append_only("records_auditevent", "records_accesslog")


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
